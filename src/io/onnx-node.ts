/**
 * ONNX files on disk (Node only). The export itself is in `onnx.ts`.
 *
 * @example
 * await exportONNXFile('runs/cat.onnx', net);
 * // python: onnxruntime.InferenceSession('runs/cat.onnx').run(None, {'X': X.T})
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileFormatError } from '../errors.js';
import type { LogisticRegression } from '../nn/logistic-regression.js';
import type { Sequential } from '../nn/sequential.js';
import { exportONNX, type ExportONNXOptions } from './onnx.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * Writes `exportONNX(model, options)` to `path`. The bytes go to a temporary file in the same
 * folder, which is then renamed over `path`: a runtime watching the file never loads a
 * half-written model, and a failed write leaves any previous file at `path` intact.
 *
 * @throws ArgumentError for the options `exportONNX` refuses (nothing is written then);
 *   FileFormatError (where = the path) when the file cannot be written.
 */
export async function exportONNXFile(path: string, model: Sequential | LogisticRegression, options: ExportONNXOptions = {}): Promise<void> {
  // Serialise first, so invalid options fail before anything touches the disk.
  const bytes = exportONNX(model, options);
  // Same folder, so the rename stays on one file system and is atomic.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new FileFormatError(path, 'cannot write the ONNX model: the folder does not exist');
    if (code === 'EACCES' || code === 'EPERM') throw new FileFormatError(path, 'cannot write the ONNX model: permission denied');
    if (code === 'EISDIR') throw new FileFormatError(path, 'cannot write the ONNX model: the path is a folder');
    throw new FileFormatError(path, `cannot write the ONNX model${code ? ` (${code})` : ''}`);
  }
}
