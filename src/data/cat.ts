/**
 * The course's "cat vs non-cat" dataset (Node only): 209 training and 50 test pictures,
 * 64×64 RGB, labelled 1 for a cat. The two HDF5 files ship with the package in `data/cat/`.
 *
 * @example
 * const { train, test, classes } = await catVsNonCat();
 * train.X.shape; // [12288, 209], pixels / 255
 * test.Y.shape;  // [1, 50]
 */
import { fileURLToPath } from 'node:url';
import { DataError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { loadHDF5 } from './hdf5-node.js';

/** One split of the dataset, samples as columns. */
export interface CatSplit {
  /** (12288, m): each picture flattened row-major over (height, width, channel), divided by 255. */
  readonly X: Tensor;
  /** (1, m): 1 for a cat, 0 for a non-cat. */
  readonly Y: Tensor;
  /** The original pixels, (m, 64, 64, 3) row-major, for showing the pictures in a report. */
  readonly images: Uint8Array;
  /** Shape of `images`: [m, 64, 64, 3]. */
  readonly imageShape: [number, number, number, number];
}

export interface CatVsNonCat {
  readonly train: CatSplit;
  readonly test: CatSplit;
  /** Class names by label: `classes[0] = 'non-cat'`, `classes[1] = 'cat'`. */
  readonly classes: string[];
}

export interface CatVsNonCatOptions {
  /** Element type of X and Y. Default `'float64'` (what the course's figures are computed in). */
  readonly dtype?: DType;
}

/**
 * Where the embedded files are. Resolved from this module's own URL, so it is the package's
 * `data/cat/` both when running from `src/data/cat.ts` (vitest, tsx) and from the compiled
 * `dist/data/cat.js`: two levels up is the package root in either tree.
 */
export function catVsNonCatFiles(): { train: string; test: string } {
  return {
    train: fileURLToPath(new URL('../../data/cat/train_catvnoncat.h5', import.meta.url)),
    test: fileURLToPath(new URL('../../data/cat/test_catvnoncat.h5', import.meta.url)),
  };
}

async function loadSplit(path: string, set: 'train' | 'test', dtype: DType): Promise<{ split: CatSplit; classes: string[] | undefined }> {
  const raw = await loadHDF5(path, { x: `${set}_set_x`, y: `${set}_set_y`, classes: 'list_classes' });
  const [m, height, width, channels] = raw.xShape;
  if (raw.xShape.length !== 4 || m === undefined || height === undefined || width === undefined || channels !== 3) {
    throw new DataError(path, `${set}_set_x should hold RGB pictures (m, height, width, 3), found shape (${raw.xShape.join(', ')})`);
  }
  const n = height * width * channels;
  const pixels = raw.X.data; // (n, m), raw values 0..255 in float64
  const X = allocate(dtype, n * m);
  const images = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = pixels[i * m + j]!;
      // Divide, as the course does (x / 255.), rather than multiply by 1/255: the two can
      // differ in the last bit, and the course's costs are reproduced to ~1e-12.
      X[i * m + j] = v / 255;
      images[j * n + i] = v;
    }
  }
  const Y = allocate(dtype, m);
  for (let j = 0; j < m; j++) {
    const label = raw.Y.data[j]!;
    if (label !== 0 && label !== 1) throw new DataError(path, `${set}_set_y[${j}] is ${label}, expected 0 (non-cat) or 1 (cat)`);
    Y[j] = label;
  }
  return {
    split: { X: new Tensor(X, [n, m]), Y: new Tensor(Y, [1, m]), images, imageShape: [m, height, width, channels] },
    classes: raw.classes,
  };
}

/**
 * Loads the embedded cat vs non-cat dataset: train X (12288, 209) and test X (12288, 50),
 * pixels divided by 255; Y (1, m) with 1 = cat (train: 72 cats, 137 non-cats; test: 33 / 17).
 *
 * @throws FileFormatError (where = the file's path) if the package's data files are missing
 *   or damaged.
 */
export async function catVsNonCat(options: CatVsNonCatOptions = {}): Promise<CatVsNonCat> {
  checkOptions(options, 'catVsNonCat', optionKeys<CatVsNonCatOptions>()(['dtype']));
  const dtype = checkDType(options.dtype ?? 'float64', 'dtype');
  const files = catVsNonCatFiles();
  const [train, test] = await Promise.all([loadSplit(files.train, 'train', dtype), loadSplit(files.test, 'test', dtype)]);
  // The class names are stored as bytes b'non-cat', b'cat'; h5wasm decodes them already.
  const classes = train.classes ?? test.classes ?? ['non-cat', 'cat'];
  return { train: train.split, test: test.split, classes };
}
