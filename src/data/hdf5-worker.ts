// The HDF5 reader's worker thread (Node): parses files sent by `hdf5-guard.ts`, so a file
// that makes the HDF5 C library loop forever can be stopped by terminating this thread.
import { parentPort } from 'node:worker_threads';
import { NablaError } from '../errors.js';
import { parseHDF5, type HDF5LoadOptions, type HDF5Names } from './hdf5.js';

interface Request {
  id: number;
  bytes: Uint8Array;
  names: HDF5Names;
  options: HDF5LoadOptions & { source: string };
}

parentPort?.on('message', (request: Request) => {
  parseHDF5(request.bytes, request.names, request.options).then(
    (data) => {
      const { X, Y, ...rest } = data;
      parentPort?.postMessage({ id: request.id, ok: true, X: { data: X.data, shape: X.shape }, Y: { data: Y.data, shape: Y.shape }, rest });
    },
    (e: unknown) => {
      const error = e instanceof NablaError
        ? { nabla: true, name: e.name, code: e.code, where: e.where, message: e.message }
        : { nabla: false, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
      parentPort?.postMessage({ id: request.id, ok: false, error });
    },
  );
});
