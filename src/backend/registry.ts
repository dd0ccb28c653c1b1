import { ArgumentError } from '../errors.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

// Keyed by name so a faster backend (WASM) can register itself and be chosen by name.
const backends = new Map<string, Backend>([[cpuBackend.name, cpuBackend]]);
let current: Backend = cpuBackend;

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
