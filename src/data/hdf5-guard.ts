/**
 * HDF5 parsing with a time limit (Node). The HDF5 C library (h5wasm) can loop forever on some
 * corrupt files — the fuzzer found one — and WebAssembly running on the main thread cannot be
 * interrupted. So files are parsed in one long-lived worker thread; a parse that exceeds the
 * limit terminates the worker (a fresh one starts on the next call) and fails with a
 * FileFormatError naming the file.
 */
import { Worker } from 'node:worker_threads';
import { ArgumentError, DTypeError, DataError, FileFormatError, NablaError, ShapeError, type ErrorCode } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { HDF5Data, HDF5LoadOptions, HDF5Names } from './hdf5.js';

/** How long one file may take to parse, by default. */
export const HDF5_TIMEOUT_MS = 30_000;

interface Pending {
  resolve: (data: HDF5Data) => void;
  reject: (e: Error) => void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(): Worker {
  // From dist the worker is plain .js. Run from the TypeScript sources (tests, tsx), it is
  // .ts: a small bootstrap registers tsx's loader in the thread first.
  const source = import.meta.url.endsWith('.ts');
  const url = new URL(`./hdf5-worker${source ? '.ts' : '.js'}`, import.meta.url).href;
  const boot = source
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`
    : `import(${JSON.stringify(url)});`;
  const w = new Worker(boot, { eval: true });
  w.unref(); // an idle reader must not keep the process alive
  w.on('message', (reply: { id: number; ok: boolean; X?: { data: Float32Array | Float64Array; shape: number[] }; Y?: { data: Float32Array | Float64Array; shape: number[] }; rest?: Omit<HDF5Data, 'X' | 'Y'>; error?: { nabla: boolean; name: string; code?: ErrorCode; where?: string; message: string } }) => {
    const job = pending.get(reply.id);
    if (!job) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if (reply.ok && reply.X && reply.Y && reply.rest) {
      job.resolve({ ...reply.rest, X: new Tensor(reply.X.data, reply.X.shape), Y: new Tensor(reply.Y.data, reply.Y.shape) });
    } else if (reply.error?.nabla) {
      const { code, where, message, name } = reply.error;
      const prefix = where ? `${where}: ` : '';
      job.reject(rebuild(code ?? 'file', where ?? '', message.startsWith(prefix) ? message.slice(prefix.length) : message, name));
    } else {
      job.reject(new Error(reply.error?.message ?? 'the HDF5 worker failed'));
    }
  });
  w.on('error', (e) => {
    for (const job of pending.values()) job.reject(e);
    pending.clear();
    worker = null;
  });
  return w;
}

/**
 * `parseHDF5` in the worker, with a time limit (default 30 s). Same results and errors,
 * plus a FileFormatError when the limit is reached.
 */
export function parseHDF5Guarded(bytes: Uint8Array, names: HDF5Names, options: HDF5LoadOptions & { source: string; timeoutMs?: number }): Promise<HDF5Data> {
  worker ??= startWorker();
  const w = worker;
  w.ref(); // while a parse is in flight, wait for it
  const id = ++nextId;
  const { timeoutMs = HDF5_TIMEOUT_MS, ...parseOptions } = options;
  return new Promise<HDF5Data>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      // The C library may never return: stop the thread; the next call starts a new one.
      for (const job of pending.values()) job.reject(new FileFormatError(options.source, 'the HDF5 reader was restarted while this file was queued'));
      pending.clear();
      void w.terminate();
      if (worker === w) worker = null;
      reject(new FileFormatError(options.source, `the HDF5 reader did not finish within ${timeoutMs / 1000} s: the file is most likely corrupt`));
    }, timeoutMs);
    pending.set(id, {
      resolve: (d) => { clearTimeout(timer); resolve(d); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
    w.postMessage({ id, bytes, names, options: parseOptions });
  });
}

// Errors cross the thread as plain data; give them back their class so `instanceof` works.
function rebuild(code: ErrorCode, where: string, message: string, name: string): NablaError {
  switch (code) {
    case 'file': return new FileFormatError(where, message);
    case 'data': return new DataError(where, message);
    case 'argument': return new ArgumentError(where, message);
    case 'dtype': return new DTypeError(where, message);
    case 'shape': return new ShapeError(where, message);
    default: {
      const e = new NablaError(code, where, message);
      e.name = name;
      return e;
    }
  }
}
