// The page's side of the threaded-backend check: what the library chose on the page's own
// thread (which may not block, so never two threads), then the worker's report.
import { getBackend, listBackends } from '../../../src/index.ts';
import type { Report } from './worker.ts';

declare global {
  interface Window {
    threadsCheck?: { page: { backends: string[]; backend: string; description: string }; worker?: Report; error?: string };
  }
}

const check: NonNullable<Window['threadsCheck']> = {
  page: { backends: listBackends(), backend: getBackend().name, description: getBackend().description },
};
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<Report>) => {
  check.worker = e.data;
  window.threadsCheck = check;
};
worker.onerror = (e) => {
  check.error = e.message;
  window.threadsCheck = check;
};
