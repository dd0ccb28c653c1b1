/**
 * HDF5 loading from a file path (Node only: uses `node:fs`). The parsing itself is the
 * browser-safe code in `hdf5.ts`; this file only turns a path into bytes and file-system
 * failures into FileFormatErrors that name the path.
 *
 * @example
 * const train = await loadHDF5('data/cat/train_catvnoncat.h5', { x: 'train_set_x', y: 'train_set_y', classes: 'list_classes' });
 * train.X.shape; // [12288, 209]
 */
import { readFile } from 'node:fs/promises';
import { FileFormatError } from '../errors.js';
import { parseHDF5Guarded } from './hdf5-guard.js';
import { parseHDF5Dataset, type HDF5Data, type HDF5Dataset, type HDF5LoadOptions, type HDF5Names } from './hdf5.js';

/** The code of a Node system error (`ENOENT`, …), if it is one. */
function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

/**
 * The whole file at `path`, or a FileFormatError naming it. Exported for the other Node
 * loaders (images), so every "missing file" reads the same.
 *
 * @internal
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new FileFormatError(path, 'no such file');
    if (code === 'EISDIR') throw new FileFormatError(path, 'is a directory, not a file');
    if (code === 'EACCES' || code === 'EPERM') throw new FileFormatError(path, 'permission denied: the file cannot be read');
    throw new FileFormatError(path, `cannot read the file${code ? ` (${code})` : ''}`);
  }
}

/** A path is read from disk; bytes are used as they are (and called `<bytes>` in errors). */
async function bytesOf(source: string | Uint8Array): Promise<{ bytes: Uint8Array; where: string }> {
  if (typeof source === 'string') return { bytes: await readFileBytes(source), where: source };
  return { bytes: source, where: '<bytes>' };
}

/**
 * Reads inputs, labels and (optionally) class names from an HDF5 file, samples as columns:
 * an x dataset (m, …) becomes X (prod(…), m) with raw values (float64 by default), and a
 * (m,) label vector becomes Y (1, m). See `parseHDF5` for the details.
 *
 * @param source a file path, or the file's bytes.
 * @throws FileFormatError (where = the path): no such file; not a readable HDF5 file
 *   (truncated, or not HDF5 at all); a dataset name not in the file (the message lists
 *   the datasets there are).
 * @throws DataError when x and y hold different numbers of samples.
 */
export async function loadHDF5(source: string | Uint8Array, names: HDF5Names, options: HDF5LoadOptions & { timeoutMs?: number } = {}): Promise<HDF5Data> {
  const { bytes, where } = await bytesOf(source);
  // Parsed in a worker thread with a time limit: a corrupt file can make the C library loop.
  return parseHDF5Guarded(bytes, names, { ...options, source: where });
}

/**
 * Reads one numeric dataset: its stored shape, numpy dtype name and values as float64 in
 * row-major order. Errors as for `loadHDF5`.
 *
 * @example
 * const { shape, dtype, data } = await readHDF5Dataset('data/cat/test_catvnoncat.h5', 'test_set_y');
 * // shape [50], dtype 'int64', data Float64Array(50) of 0s and 1s
 */
export async function readHDF5Dataset(source: string | Uint8Array, name: string): Promise<HDF5Dataset> {
  const { bytes, where } = await bytesOf(source);
  return parseHDF5Dataset(bytes, name, { source: where });
}
