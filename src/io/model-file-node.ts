/**
 * Model files on disk (Node only). The format itself is in `model-file.ts`.
 *
 * @example
 * await saveModelFile('runs/cat.safetensors', net, { preprocessing: { scale: 1 / 255 } });
 * const { model, metadata } = await loadModelFile('runs/cat.safetensors');
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFileBytes } from '../data/hdf5-node.js';
import { FileFormatError } from '../errors.js';
import type { LogisticRegression } from '../nn/logistic-regression.js';
import type { Sequential } from '../nn/sequential.js';
import { loadModel, saveModel, type LoadedModel, type SaveModelOptions } from './model-file.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * Writes a model file. The bytes go to a temporary file in the same folder, which is then
 * renamed over `path`: a reader never sees a half-written model, and an interrupted save
 * leaves any previous file at `path` intact.
 *
 * @throws FileFormatError (where = the path) when the file cannot be written.
 */
export async function saveModelFile(path: string, model: Sequential | LogisticRegression, options: SaveModelOptions = {}): Promise<void> {
  const bytes = saveModel(model, options);
  // Same folder, so the rename stays on one file system and is atomic.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new FileFormatError(path, 'cannot write the model: the folder does not exist');
    if (code === 'EACCES' || code === 'EPERM') throw new FileFormatError(path, 'cannot write the model: permission denied');
    if (code === 'EISDIR') throw new FileFormatError(path, 'cannot write the model: the path is a folder');
    throw new FileFormatError(path, `cannot write the model${code ? ` (${code})` : ''}`);
  }
}

/**
 * Reads a model file written by `saveModelFile` (or `saveModel`).
 *
 * @throws FileFormatError (where = the path): no such file, or any problem `loadModel` finds.
 */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  return loadModel(await readFileBytes(path), path);
}
