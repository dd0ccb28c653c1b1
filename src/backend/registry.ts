import { ArgumentError } from '../errors.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { tryCreateWasmBackend } from './wasm/index.js';
import { threadsAvailable, tryCreateWasmThreadsBackend } from './wasm/threads.js';

// Keyed by name so a faster backend (WASM) can register itself and be chosen by name.
const backends = new Map<string, Backend>([[cpuBackend.name, cpuBackend]]);

// The WASM backend, where the engine has WebAssembly SIMD and compiles a small module
// synchronously (Node always; browsers' main threads may refuse, and then
// `initWasmBackend()` from './wasm/index.js' compiles it asynchronously for registerBackend).
// It is the default: its float64 matmul keeps the reference's summation order (fusing each
// multiply-add where relaxed SIMD is: within 1e-12 of Σ|a||b| of the reference), its other
// kernels are the reference's, and the whole test suite, the course's float64 figures
// included, passes on it; float32 agrees to summation-order rounding. setBackend('cpu') gives
// the reference's float64 bits on every machine.
const wasm = tryCreateWasmBackend();
if (wasm) backends.set(wasm.name, wasm);
// 'wasm-threads': the same kernels over shared memory, large products split between the calling
// thread and one worker. It starts no worker until a product of at least 2^22 multiply-adds
// runs on it, and small ones never leave the calling thread, so it costs nothing where it does
// not help. The default where it really has a second thread (Node; in browsers a Web Worker of a
// cross-origin isolated page), since it is then the fastest (bench/last-run.txt: the cat
// network's step in 3.5 ms against 7.9 on one thread); elsewhere (a page's main thread, a page
// without COOP/COEP headers, a process allowed one core) the one-thread 'wasm' is. setBackend('wasm') (or NABLA_BACKEND=wasm for the CLI) picks one thread.
const wasmThreads = tryCreateWasmThreadsBackend();
if (wasmThreads) backends.set(wasmThreads.name, wasmThreads);
const threaded = wasmThreads !== null && threadsAvailable();
let current: Backend = (threaded ? wasmThreads : null) ?? wasm ?? cpuBackend;

/** Makes a backend available to `setBackend`. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Selects the backend all later ops run on. @example setBackend('cpu') */
export function setBackend(name: string): Backend {
  const found = backends.get(name);
  if (!found) {
    throw new ArgumentError('setBackend', `unknown backend '${name}': available are ${[...backends.keys()].join(', ')}`);
  }
  current = found;
  return found;
}

/** The backend ops run on now. */
export function getBackend(): Backend {
  return current;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}
