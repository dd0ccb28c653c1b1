import type { Backend } from '../backend.js';

/*
 * A stand-in for ./threads.ts in the playground's bundle (web/vite.config.ts aliases it). The
 * playground trains networks on 2-D points whose products are far below the 2^22 multiply-adds
 * at which the threaded backend splits anything, so it would never use its second thread, and its
 * shared-memory builds of the kernels would double the WASM the page downloads. Other browser
 * apps get the real ./threads.ts: two threads in a Web Worker of a cross-origin isolated page.
 * Same exports, no backend.
 */

/** No threaded backend in this build. */
export function tryCreateWasmThreadsBackend(): Backend | null {
  return null;
}

/** No second thread in this build. */
export function threadsAvailable(): boolean {
  return false;
}
