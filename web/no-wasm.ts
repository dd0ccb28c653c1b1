import type { Backend } from '../src/backend/backend.ts';

/*
 * A stand-in for src/backend/wasm/index.ts in the page's own bundle (web/vite.config.ts swaps it
 * in for the page, never for the training worker). The page thread only evaluates the
 * computation-graph example, a few scalars on the cpu backend; the WASM kernels it would
 * otherwise carry (as base64, both builds) are most of a bundle's size. Same exports, no backend.
 */

/** No WASM backend on the page thread. */
export function tryCreateWasmBackend(): Backend | null {
  return null;
}

/** No WASM backend on the page thread. */
export function initWasmBackend(): Promise<Backend> {
  return Promise.reject(new Error('the playground page thread has no WASM backend (its worker has)'));
}

/** Reported as unavailable on the page thread. */
export function wasmFeatures(): 'relaxed' | 'simd' | null {
  return null;
}
