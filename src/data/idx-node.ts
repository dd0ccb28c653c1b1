/**
 * MNIST-style datasets from IDX files (Node only: reads files, and uses zlib so the `.gz`
 * files as downloaded work without unpacking them first).
 *
 * @example
 * const train = await loadIDX('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
 * train.X.shape; // [784, 60000], pixels / 255
 * train.Y.shape; // [10, 60000], one-hot
 */
import { gunzipSync } from 'node:zlib';
import { ArgumentError, DataError, FileFormatError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { readFileBytes } from './hdf5-node.js';
import { parseIDX, type IDXData } from './idx.js';

export interface IDXLoadOptions {
  /** Number of classes K: labels must be whole numbers in 0..K−1 (default 10, the digits). */
  readonly classes?: number;
  /** Element type of X (default `'float64'`). */
  readonly dtype?: DType;
}

export interface IDXDataset {
  /** (rows·cols, m): one picture per column, flattened row-major, divided by 255. */
  readonly X: Tensor;
  /** (K, m): one-hot labels. */
  readonly Y: Tensor;
  /** (1, m): the labels as class indices (what `argmaxLabels` of a prediction compares to). */
  readonly labels: Tensor;
  /** Picture height and width, to reshape a column back into a picture. */
  readonly rows: number;
  readonly cols: number;
}

/** The file's IDX contents; gzip-compressed files are decompressed first. */
async function readIDX(path: string): Promise<IDXData> {
  let bytes = await readFileBytes(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const raw = gunzipSync(bytes);
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    } catch (e) {
      throw new FileFormatError(path, `damaged gzip data: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return parseIDX(bytes, path);
}

/**
 * Loads an images file (m, rows, cols) of unsigned bytes and a labels file (m,) into X
 * (rows·cols, m) / 255 and one-hot Y (K, m).
 *
 * @throws FileFormatError (where = the file): see `parseIDX`; images that are not unsigned
 *   bytes or not (m, rows, cols); labels that are not one-dimensional.
 * @throws DataError: the two files hold different numbers of samples (both named); a label
 *   outside 0..K−1 (the file and the sample's index).
 */
export async function loadIDX(imagesPath: string, labelsPath: string, options: IDXLoadOptions = {}): Promise<IDXDataset> {
  checkOptions(options, 'loadIDX', optionKeys<IDXLoadOptions>()(['classes', 'dtype']));
  const K = options.classes ?? 10;
  if (!Number.isInteger(K) || K < 2) throw new ArgumentError('classes', `the number of classes must be a whole number ≥ 2, got ${K}`);
  const dtype = checkDType(options.dtype ?? 'float64', 'dtype');
  const images = await readIDX(imagesPath);
  const labels = await readIDX(labelsPath);
  const [m, rows, cols] = images.shape;
  if (images.shape.length !== 3 || m === undefined || rows === undefined || cols === undefined) {
    throw new FileFormatError(imagesPath, `expected images of shape (m, rows, cols), the file holds (${images.shape.join(', ')}); is it the labels file?`);
  }
  // Dividing by 255 assumes 8-bit pixels; other types would be silently mis-scaled.
  if (images.type !== 'ubyte') throw new FileFormatError(imagesPath, `expected unsigned byte pixels (type 0x08), the file holds ${images.type} values`);
  if (labels.shape.length !== 1) {
    throw new FileFormatError(labelsPath, `expected labels of shape (m,), the file holds (${labels.shape.join(', ')}); is it the images file?`);
  }
  if (labels.shape[0] !== m) {
    throw new DataError(imagesPath, `${m} images but ${labelsPath} holds ${labels.shape[0]} labels`);
  }
  if (m === 0) throw new DataError(imagesPath, 'the file holds 0 images: nothing to train on');
  if (rows === 0 || cols === 0) throw new FileFormatError(imagesPath, `the header declares images of ${rows}×${cols} pixels: each image needs at least one`);
  const n = rows * cols;
  // IDX stores picture after picture (m, n); nabla wants them as columns (n, m).
  const X = allocate(dtype, n * m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) X[i * m + j] = images.data[j * n + i]! / 255;
  }
  const Y = allocate(dtype, K * m);
  const idx = allocate(dtype, m);
  for (let j = 0; j < m; j++) {
    const k = labels.data[j]!;
    if (!Number.isInteger(k)) throw new DataError(labelsPath, `label ${j} (counting from 0) is ${k}, not a whole class number`);
    if (k < 0 || k >= K) {
      throw new DataError(labelsPath, `label ${j} (counting from 0) is ${k}, outside the ${K} classes 0..${K - 1} (loadIDX's classes option sets K)`);
    }
    Y[k * m + j] = 1;
    idx[j] = k;
  }
  return { X: new Tensor(X, [n, m]), Y: new Tensor(Y, [K, m]), labels: new Tensor(idx, [1, m]), rows, cols };
}
