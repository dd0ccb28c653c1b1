/**
 * A folder of pictures as a labelled dataset (Node only: reads the file system), laid out
 * as torchvision's ImageFolder: one sub-folder per class, the pictures inside it.
 *
 * ```
 * pets/
 *   cat/  a.png b.jpg …
 *   dog/  c.png …
 * ```
 *
 * Class indices follow the sorted sub-folder names (cat → 0, dog → 1). Every picture is
 * decoded and resized by `image.ts` exactly as `loadImageAsColumn` does — flattened over
 * (height, width, channel) and divided by 255 — so a model trained on the folder sees new
 * pictures the same way at prediction time.
 *
 * @example
 * const { X, Y, classNames } = await loadImageFolder('pets', { width: 64, height: 64 });
 * X.shape; // [12288, m]; Y (1, m) for 2 classes, one-hot (K, m) for more
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError, DataError, FileFormatError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { decodeImage, resizeRGB } from './image.js';
import { readFileBytes } from './hdf5-node.js';

export interface ImageFolderOptions {
  /** Width after resizing (default 64, the course's input size). */
  readonly width?: number;
  /** Height after resizing (default 64). */
  readonly height?: number;
  /** Element type of X (default `'float64'`). */
  readonly dtype?: DType;
}

export interface ImageFolderData {
  /** (width·height·3, m): one picture per column, values in [0, 1]. */
  readonly X: Tensor;
  /** (1, m) of 0/1 with 2 classes; one-hot (K, m) with more. */
  readonly Y: Tensor;
  /** The sub-folder names, sorted: class index k ↦ classNames[k]. */
  readonly classNames: string[];
  /** The picture behind each column of X, in column order. */
  readonly files: string[];
}

/**
 * Files the operating system or tools leave in folders; they are not pictures and are
 * skipped. Anything else that is not a PNG or JPEG is an error, so a folder of GIFs fails
 * loudly instead of loading as an empty class.
 */
function isJunk(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

/** Sorted by code units, not locale: class indices must not depend on the machine's language. */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a link leads to a folder; a broken link counts as a file, whose read then fails naming it. */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function entries(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    const out: { name: string; isDir: boolean }[] = [];
    for (const e of list) {
      if (isJunk(e.name)) continue;
      // Follow symbolic links: a class folder may link to pictures stored elsewhere.
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await isFolder(join(dir, e.name))));
      out.push({ name: e.name, isDir });
    }
    return out.sort((a, b) => byName(a.name, b.name));
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    if (code === 'ENOENT') throw new FileFormatError(dir, 'no such folder');
    if (code === 'ENOTDIR') throw new FileFormatError(dir, 'is a file, not a folder of class sub-folders');
    throw new FileFormatError(dir, `cannot read the folder${code ? ` (${code})` : ''}`);
  }
}

/** Every file under `dir`, sub-folders included (as ImageFolder walks them), in sorted order. */
async function picturesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const e of await entries(dir)) {
    const path = join(dir, e.name);
    if (e.isDir) files.push(...(await picturesUnder(path)));
    else files.push(path);
  }
  return files;
}

function checkSize(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ArgumentError(name, `an image ${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Loads `dir/<class>/<picture>` into X (width·height·3, m) and Y. Class k is the k-th
 * sub-folder by name; the columns interleave the classes in proportion (each folder's pictures
 * in name order), so that any tail of them (`validationSplit`) holds every class.
 *
 * @throws FileFormatError (where = the path): `dir` missing or not a folder; a file that is
 *   not a decodable PNG or JPEG (where = that file).
 * @throws DataError (where = the folder): fewer than 2 class sub-folders; a class folder
 *   with no pictures.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderData> {
  checkOptions(options, 'loadImageFolder', optionKeys<ImageFolderOptions>()(['width', 'height', 'dtype']));
  const width = checkSize(options.width ?? 64, 'width');
  const height = checkSize(options.height ?? 64, 'height');
  const dtype = checkDType(options.dtype ?? 'float64', 'dtype');
  // Loose files next to the class folders (a README, labels.csv) belong to no class.
  const classNames = (await entries(dir)).filter((e) => e.isDir).map((e) => e.name);
  if (classNames.length < 2) {
    const found = classNames.length === 0 ? 'none' : `only ${JSON.stringify(classNames[0])}`;
    throw new DataError(dir, `a dataset needs one sub-folder per class and at least 2 classes; found ${found}`);
  }
  const byClass: string[][] = [];
  for (const name of classNames) {
    const folder = join(dir, name);
    const pictures = await picturesUnder(folder);
    if (pictures.length === 0) throw new DataError(folder, `the class folder ${JSON.stringify(name)} holds no pictures`);
    byClass.push(pictures);
  }
  // The classes interleave in proportion (picture i of a class of n sits at (i + ½)/n of the
  // way through the columns), not one folder after another: a tail of the columns, such as
  // fit's validationSplit, then holds every class in its share, not the last folder alone.
  const order = byClass
    .flatMap((pictures, k) => pictures.map((file, i) => ({ file, k, at: (i + 0.5) / pictures.length })))
    .sort((a, b) => a.at - b.at || a.k - b.k);
  const files = order.map((o) => o.file);
  const labels = order.map((o) => o.k);

  // All columns are known before decoding, so X is allocated once and filled column by column.
  const n = width * height * 3;
  const m = files.length;
  const X = allocate(dtype, n * m);
  for (const [j, file] of files.entries()) {
    const { rgb } = resizeRGB(decodeImage(await readFileBytes(file), file), width, height);
    for (let i = 0; i < n; i++) X[i * m + j] = rgb[i]! / 255;
  }

  const K = classNames.length;
  let Y: Tensor;
  if (K === 2) {
    Y = new Tensor(Float64Array.from(labels), [1, m]);
  } else {
    const onehot = new Float64Array(K * m);
    labels.forEach((k, j) => (onehot[k * m + j] = 1));
    Y = new Tensor(onehot, [K, m]);
  }
  if (dtype === 'float32') Y = new Tensor(Float32Array.from(Y.data), Y.shape);
  return { X: new Tensor(X, [n, m]), Y, classNames, files };
}
