/**
 * Reading HDF5 datasets (the course ships its cat pictures as `.h5` files) from bytes.
 *
 * Browser-safe: nothing here touches the host file system. The Node entry points that take
 * a path (`loadHDF5`, `readHDF5Dataset`) live in `hdf5-node.ts` and read the file into
 * bytes first, then come here.
 *
 * HDF5 is parsed by `h5wasm` (the HDF5 C library compiled to WebAssembly). We use its
 * in-memory build (`h5wasm`, not `h5wasm/node`) on every platform: the Node build mounts
 * the host file system into Emscripten (NODERAWFS), so `FS.writeFile` there would write a
 * real file on disk. With the in-memory build, the bytes go into Emscripten's MEMFS under a
 * unique name, are opened read-only, and are unlinked again when done.
 *
 * h5wasm is imported lazily on first use, so importing nabla does not compile a 4 MB
 * WebAssembly module for programs that never read HDF5.
 *
 * @example
 * const bytes = new Uint8Array(await (await fetch('train_catvnoncat.h5')).arrayBuffer());
 * const { X, Y, classes } = await parseHDF5(bytes, { x: 'train_set_x', y: 'train_set_y', classes: 'list_classes' });
 * X.shape; // [12288, 209] — raw pixel values 0..255, one sample per column
 */
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm';
import { DataError, FileFormatError, fmtShape } from '../errors.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** One dataset read from an HDF5 file, numeric values widened to float64 in stored order. */
export interface HDF5Dataset {
  /** The dataset's path inside the file, as asked for. */
  readonly name: string;
  /** The stored shape, outermost first (numpy's `.shape`). */
  readonly shape: number[];
  /** The stored element type in numpy's words: `uint8`, `int64`, `float32`, … */
  readonly dtype: string;
  /** All elements in row-major (C) order, converted to float64. */
  readonly data: Float64Array;
}

/** Which datasets of the file hold the inputs, the labels and (optionally) the class names. */
export interface HDF5Names {
  readonly x: string;
  readonly y: string;
  readonly classes?: string;
}

export interface HDF5LoadOptions {
  /** Element type of the returned X and Y tensors. Default `'float64'`. */
  readonly dtype?: DType;
}

export interface HDF5BytesOptions {
  /** What to call the bytes in error messages (a file name or URL). Default `'<bytes>'`. */
  readonly source?: string;
}

/** Samples as columns: X is (n_x, m), Y is (n_y, m), plus the stored shapes they came from. */
export interface HDF5Data {
  /** The x dataset, values unchanged, each sample flattened row-major into a column: (prod(rest), m). */
  readonly X: Tensor;
  /** The y dataset as (1, m) for a (m,) or (m, 1) label vector; (prod(rest), m) in general. */
  readonly Y: Tensor;
  /** The decoded class names, when `names.classes` was given. */
  readonly classes: string[] | undefined;
  /** Number of samples, m. */
  readonly m: number;
  /** The x dataset's stored shape, e.g. [209, 64, 64, 3]. */
  readonly xShape: number[];
  /** The y dataset's stored shape, e.g. [209]. */
  readonly yShape: number[];
  /** The stored element types of x and y (`uint8`, `int64`, …). */
  readonly xDType: string;
  readonly yDType: string;
}

type H5 = (typeof import('h5wasm'))['default'];
type H5Module = Awaited<H5['ready']>;

let loading: Promise<{ h5: H5; module: H5Module }> | undefined;

/** h5wasm, loaded once and ready. A failed load is not cached, so a later call can retry. */
async function h5wasm(): Promise<{ h5: H5; module: H5Module }> {
  loading ??= import('h5wasm').then(async (m) => ({ h5: m.default, module: await m.default.ready }));
  try {
    return await loading;
  } catch (e) {
    loading = undefined;
    throw e;
  }
}

/** Bytes HDF5 files start with; a user block can push them to 512, 1024, 2048, … */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignatureAt(bytes: Uint8Array, offset: number): boolean {
  if (offset + SIGNATURE.length > bytes.length) return false;
  return SIGNATURE.every((b, i) => bytes[offset + i] === b);
}

function looksLikeHDF5(bytes: Uint8Array): boolean {
  if (hasSignatureAt(bytes, 0)) return true;
  for (let offset = 512; offset + SIGNATURE.length <= bytes.length; offset *= 2) {
    if (hasSignatureAt(bytes, offset)) return true;
  }
  return false;
}

/**
 * The most specific line of an HDF5 error stack. With h5wasm's throwing error handler the
 * Error's message is the whole "HDF5-DIAG" dump; its deepest frame (the last `#NNN:` line)
 * says what actually went wrong ("truncated file: eof = 1000, …"), which is the part worth
 * showing a user. Source paths and line numbers of the C library are dropped.
 */
function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const frames = text.split('\n').filter((line) => /^\s*#\d+:/.test(line));
  const last = frames[frames.length - 1];
  if (last === undefined) return text.split('\n')[0]?.trim() ?? '';
  const afterFunction = last.match(/\(\):\s*(.*)$/);
  return (afterFunction?.[1] ?? last).trim();
}

let fileCounter = 0;

/**
 * Opens `bytes` as an HDF5 file for the duration of `body` and always cleans up: the file is
 * closed, the MEMFS copy unlinked, and h5wasm's error handler put back to its default.
 *
 * The throwing error handler makes the C library's failures arrive as exceptions instead of
 * "HDF5-DIAG" dumps on stderr; we turn those into FileFormatErrors naming `where`.
 */
async function withHDF5File<T>(bytes: Uint8Array, where: string, body: (file: H5File) => T): Promise<T> {
  if (!looksLikeHDF5(bytes)) {
    const what = bytes.length === 0 ? 'the file is empty' : 'no HDF5 signature found';
    throw new FileFormatError(where, `not a readable HDF5 file (${what})`);
  }
  const { h5, module } = await h5wasm();
  // Unique per call, so two loads in flight (or a file left over by a crash) never collide.
  const memPath = `/nabla-hdf5-${++fileCounter}-${Date.now()}.h5`;
  module.FS.writeFile(memPath, bytes);
  module.activate_throwing_error_handler();
  let file: H5File | undefined;
  try {
    try {
      file = new h5.File(memPath, 'r');
    } catch (e) {
      throw new FileFormatError(where, `not a readable HDF5 file (${hdf5Reason(e)})`);
    }
    try {
      return body(file);
    } catch (e) {
      if (e instanceof FileFormatError || e instanceof DataError) throw e;
      throw new FileFormatError(where, `not a readable HDF5 file: reading it failed (${hdf5Reason(e)})`);
    }
  } finally {
    try {
      file?.close();
    } catch {
      // A file that failed half-way may refuse to close; there is nothing left to release.
    }
    module.deactivate_throwing_error_handler();
    try {
      module.FS.unlink(memPath);
    } catch {
      // Already gone: nothing to clean.
    }
  }
}

/** Every dataset path in the file (groups walked recursively), for "not found" messages. */
function datasetPaths(file: H5File, h5: H5): string[] {
  const out: string[] = [];
  for (const path of file.paths()) {
    const entity = file.get(path);
    if (entity instanceof h5.Dataset) out.push(path.replace(/^\//, ''));
  }
  return out.sort();
}

function getDataset(file: H5File, h5: H5, name: string, where: string): H5Dataset {
  const entity = file.get(name);
  if (entity instanceof h5.Dataset) return entity;
  const available = datasetPaths(file, h5);
  const list = available.length > 0 ? available.map((p) => JSON.stringify(p)).join(', ') : '(none)';
  const what = entity === null ? 'has no dataset' : 'has no dataset (but a group or link)';
  throw new FileFormatError(where, `${what} named ${JSON.stringify(name)}; datasets in the file: ${list}`);
}

/** numpy's name for an HDF5 integer or float type, from h5wasm's metadata. */
function numpyName(kind: 'int' | 'float', size: number, signed: boolean): string {
  if (kind === 'float') return `float${size * 8}`;
  return `${signed ? 'int' : 'uint'}${size * 8}`;
}

/**
 * The dataset's elements as float64. Read through a DataView over the raw bytes h5wasm
 * returns, because h5wasm reads in the file's own byte order: a big-endian dataset would
 * come out scrambled if taken as a native (little-endian) typed array.
 */
function readNumeric(dataset: H5Dataset, module: H5Module, name: string, where: string): HDF5Dataset {
  const meta = dataset.metadata;
  const shape = meta.shape ?? [];
  const classes = module.H5T_class_t;
  const kind = meta.type === classes.H5T_INTEGER.value ? 'int' : meta.type === classes.H5T_FLOAT.value ? 'float' : undefined;
  if (kind === undefined) {
    const stored = meta.type === classes.H5T_STRING.value ? 'strings' : `HDF5 type class ${meta.type}`;
    throw new DataError(where, `dataset ${JSON.stringify(name)} holds ${stored}, not numbers`);
  }
  const { size, signed, littleEndian } = meta;
  if (kind === 'float' ? size !== 4 && size !== 8 : ![1, 2, 4, 8].includes(size)) {
    throw new DataError(where, `dataset ${JSON.stringify(name)} has ${size * 8}-bit ${kind === 'float' ? 'floats' : 'integers'}, which nabla cannot read`);
  }
  const value = dataset.value;
  if (!ArrayBuffer.isView(value)) {
    throw new FileFormatError(where, `dataset ${JSON.stringify(name)} could not be read as an array of numbers`);
  }
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const n = Math.floor(value.byteLength / size);
  const data = new Float64Array(n);
  const get = elementReader(view, kind, size, signed, littleEndian);
  for (let i = 0; i < n; i++) data[i] = get(i * size);
  return { name, shape: shape.slice(), dtype: numpyName(kind, size, signed), data };
}

function elementReader(view: DataView, kind: 'int' | 'float', size: number, signed: boolean, le: boolean): (offset: number) => number {
  if (kind === 'float') return size === 8 ? (o) => view.getFloat64(o, le) : (o) => view.getFloat32(o, le);
  switch (size) {
    case 1:
      return signed ? (o) => view.getInt8(o) : (o) => view.getUint8(o);
    case 2:
      return signed ? (o) => view.getInt16(o, le) : (o) => view.getUint16(o, le);
    case 4:
      return signed ? (o) => view.getInt32(o, le) : (o) => view.getUint32(o, le);
    default:
      // 64-bit integers beyond 2**53 lose precision as doubles; labels and pixel values never get there.
      return signed ? (o) => Number(view.getBigInt64(o, le)) : (o) => Number(view.getBigUint64(o, le));
  }
}

function readStrings(dataset: H5Dataset, module: H5Module, name: string, where: string): string[] {
  if (dataset.metadata.type !== module.H5T_class_t.H5T_STRING.value) {
    throw new DataError(where, `dataset ${JSON.stringify(name)} should hold class names (strings) but holds numbers`);
  }
  const value = dataset.value;
  // A scalar string dataset comes back as a bare string, an array of them as string[].
  const list = Array.isArray(value) ? value : [value];
  return list.map((s) => String(s));
}

function sampleCount(ds: HDF5Dataset, where: string): number {
  const m = ds.shape[0];
  if (m === undefined) {
    throw new DataError(where, `dataset ${JSON.stringify(ds.name)} is a scalar: it has no sample axis (expected shape (m, ...))`);
  }
  return m;
}

/**
 * Turns a stored (m, d1, d2, …) array into a (d1·d2·…, m) matrix: each sample's values,
 * flattened row-major, become one column — the course's `x.reshape(m, -1).T`.
 */
function samplesToColumns(data: Float64Array, m: number, dtype: DType): Tensor {
  const perSample = m === 0 ? 0 : data.length / m;
  const out = allocate(dtype, data.length);
  for (let j = 0; j < m; j++) {
    const row = j * perSample;
    for (let i = 0; i < perSample; i++) out[i * m + j] = data[row + i]!;
  }
  return new Tensor(out, [perSample, m]);
}

/**
 * Reads one numeric dataset from the bytes of an HDF5 file.
 *
 * @param bytes the whole file.
 * @param name the dataset's path inside the file (`train_set_x`, `group/data`).
 * @throws FileFormatError (where = `options.source`) when the bytes are not a readable HDF5
 *   file or hold no dataset of that name (the message lists the datasets there are).
 * @throws DataError when the dataset does not hold integers or floats.
 *
 * @example
 * const y = await parseHDF5Dataset(bytes, 'train_set_y'); // { shape: [209], dtype: 'int64', data: Float64Array(209) }
 */
export async function parseHDF5Dataset(bytes: Uint8Array, name: string, options: HDF5BytesOptions = {}): Promise<HDF5Dataset> {
  const where = options.source ?? '<bytes>';
  const { h5, module } = await h5wasm();
  return withHDF5File(bytes, where, (file) => readNumeric(getDataset(file, h5, name, where), module, name, where));
}

/**
 * Reads inputs, labels and (optionally) class names from the bytes of an HDF5 file, with
 * samples as columns: an x dataset of shape (m, …) becomes X of shape (prod(…), m) with its
 * values unchanged (no scaling), and a (m,) label vector becomes Y of shape (1, m).
 *
 * A y stored already as a row, (1, m), is taken as it is when x has m ≠ 1 samples.
 *
 * @throws FileFormatError (where = `options.source`) when the bytes are not a readable HDF5
 *   file or lack one of the datasets (the message lists those present).
 * @throws DataError when x and y hold different numbers of samples, or a dataset is not numeric.
 *
 * @example
 * const d = await parseHDF5(bytes, { x: 'test_set_x', y: 'test_set_y', classes: 'list_classes' }, { source: 'test.h5' });
 * d.X.shape; // [12288, 50]
 */
export async function parseHDF5(
  bytes: Uint8Array,
  names: HDF5Names,
  options: HDF5LoadOptions & HDF5BytesOptions = {},
): Promise<HDF5Data> {
  const where = options.source ?? '<bytes>';
  const dtype = checkDType(options.dtype ?? 'float64', 'dtype');
  const { h5, module } = await h5wasm();
  const { x, y, classes } = await withHDF5File(bytes, where, (file) => ({
    x: readNumeric(getDataset(file, h5, names.x, where), module, names.x, where),
    y: readNumeric(getDataset(file, h5, names.y, where), module, names.y, where),
    classes: names.classes === undefined ? undefined : readStrings(getDataset(file, h5, names.classes, where), module, names.classes, where),
  }));
  const m = sampleCount(x, where);
  const yIsRow = y.shape.length === 2 && y.shape[0] === 1 && y.shape[1] === m && m !== 1;
  const my = yIsRow ? m : sampleCount(y, where);
  if (my !== m) {
    throw new DataError(
      where,
      `x and y hold different numbers of samples: ${JSON.stringify(names.x)} ${fmtShape(x.shape)} has ${m}, ${JSON.stringify(names.y)} ${fmtShape(y.shape)} has ${my}`,
    );
  }
  let Y: Tensor;
  if (yIsRow) {
    const row = allocate(dtype, m);
    row.set(y.data);
    Y = new Tensor(row, [1, m]);
  } else {
    Y = samplesToColumns(y.data, m, dtype);
  }
  return {
    X: samplesToColumns(x.data, m, dtype),
    Y,
    classes,
    m,
    xShape: x.shape,
    yShape: y.shape,
    xDType: x.dtype,
    yDType: y.dtype,
  };
}
