import type { Backend } from '../backend.js';

/*
 * A stand-in for ./threads.ts in browser bundles (web/vite.config.ts aliases it). The threaded
 * backend needs Node's worker_threads — in a browser it would run on one thread, exactly as
 * 'wasm' does — and its shared-memory builds of the kernels would double the WASM a page
 * downloads. Same exports, no backend.
 */

/** No threaded backend in this build. */
export function tryCreateWasmThreadsBackend(): Backend | null {
  return null;
}

/** No second thread in this build. */
export function threadsAvailable(): boolean {
  return false;
}
