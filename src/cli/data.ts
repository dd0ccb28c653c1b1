/**
 * The <data> argument of train, eval, gradcheck and explain, turned into X (n_x, m) and Y:
 * a CSV file, a folder of pictures (one sub-folder per class), an IDX pair, or a built-in
 * set. For training, the data decides the task (binary, multi-class, regression); for eval,
 * the model decides how the data is read: its scaler, its class names, its picture size.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  DataError,
  FileFormatError,
  ShapeError,
  Tensor,
  applyScaler,
  blobs,
  circles,
  moons,
  parseCSV,
  planarFlower,
  spirals,
  xor,
  type CSVDataset,
  type CSVOptions,
  type ClassData,
  type PlanarData,
  type Scaler,
} from '../index.js';
import { catVsNonCat, loadIDX, loadImageFolder, type Preprocessing } from '../node.js';
import { BUILTIN_DATA, FIT_DEFAULTS, UsageError, type BuiltinData, type CommandName, type DataArgs } from './args.js';
import type { CSVInfo, DataKind, ModelInfo, Task } from './model-info.js';
import { delimiterFor, hasHeader, labelIndex, readTable, withFileLocations, type Table } from './table.js';
import { nameList } from './model-info.js';

/** A data set ready for a network, samples as columns, float64. */
export interface Dataset {
  /** A short name for the run folder and messages: the file's or set's name. */
  readonly name: string;
  readonly kind: DataKind;
  /** (n_x, m), already scaled. */
  readonly X: Tensor;
  /** (1, m): 0/1 labels or regression targets; (K, m): one-hot classes. */
  readonly Y: Tensor;
  readonly task: Task;
  /** Class index k ↦ classNames[k]; binary: [negative, positive]. */
  readonly classNames?: readonly string[] | undefined;
  readonly featureNames?: readonly string[] | undefined;
  readonly scaler?: Scaler | undefined;
  readonly preprocessing?: Preprocessing | undefined;
  readonly csv?: CSVInfo | undefined;
  readonly idx?: { readonly rows: number; readonly cols: number } | undefined;
  readonly builtin?: BuiltinData | undefined;
  /** A test split that comes with the data (the cat pictures). */
  readonly test?: { readonly X: Tensor; readonly Y: Tensor } | undefined;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** MNIST's own names (train-images-idx3-ubyte) and the usual extensions (.idx3, .idx). */
const IDX_NAME = /(idx\d-ubyte|\.idx\d?)(\.gz)?$/i;
/** The seed of the built-in synthetic sets: the same points whatever --seed says. */
const DATA_SEED = 0;

function isBuiltin(source: string): source is BuiltinData {
  return (BUILTIN_DATA as readonly string[]).includes(source);
}

/** What kind of data `source` is; a missing path is a FileFormatError naming it. */
async function kindOf(args: DataArgs, command: CommandName): Promise<DataKind> {
  if (isBuiltin(args.source)) return 'builtin';
  if (args.idxLabels !== undefined) return 'idx';
  let isDir: boolean;
  try {
    isDir = (await stat(args.source)).isDirectory();
  } catch {
    throw new FileFormatError(args.source, 'no such file or folder');
  }
  if (isDir) return 'images';
  const ext = extname(args.source).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) {
    throw new UsageError(`${args.source} is a single picture: give a folder of pictures with one sub-folder per class`, command, false);
  }
  if (IDX_NAME.test(args.source)) {
    throw new UsageError(`${args.source} looks like an IDX images file: give its labels with --idx-labels <file>`, command, false);
  }
  return 'csv';
}

const KIND_NAMES: Record<DataKind, string> = { csv: 'a CSV file', images: 'a folder of pictures', idx: 'an IDX file', builtin: 'a built-in set' };

/** Options that only mean something for one kind of data are refused for the others. */
function checkOptionsFit(args: DataArgs, kind: DataKind, command: CommandName): void {
  const csvOnly: Array<[string, unknown]> = [['--label', args.label], ['--labels', args.labels], ['--scale', args.scale], ['--delimiter', args.delimiter], ['--layout', args.layout]];
  const refuse = (flag: string): never => {
    throw new UsageError(`${flag} does not apply to ${args.source}, which is ${KIND_NAMES[kind]}`, command, false);
  };
  if (kind !== 'csv') for (const [flag, value] of csvOnly) if (value !== undefined) refuse(flag);
  if (kind !== 'images' && args.imageSize !== undefined) refuse('--image-size');
  if (kind !== 'idx' && args.idxLabels !== undefined) refuse('--idx-labels');
}

/** A name for the run folder: the file name without extensions, or the folder's name. */
function shortName(source: string): string {
  const base = basename(source.replace(/[/\\]+$/, '')) || 'data';
  return base.replace(/(\.gz)?$/i, '').replace(/\.[^.]*$/, '') || base;
}

/** Class indices (1, m) as labels for a network: (1, m) for 2 classes, one-hot (K, m) for more. */
function labelsFromIndices(indices: readonly number[], K: number): Tensor {
  const m = indices.length;
  if (K === 2) return new Tensor(Float64Array.from(indices), [1, m]);
  const Y = new Float64Array(K * m);
  indices.forEach((k, j) => (Y[k * m + j] = 1));
  return new Tensor(Y, [K, m]);
}

/**
 * The class index of each sample from labels (1, m) of 0/1 or one-hot (K, m). `oneHot`
 * says a single row is one-hot too (a CSV file read as classes that holds one class).
 */
export function classIndices(Y: Tensor, oneHot = false): number[] {
  const [K, m] = [Y.shape[0]!, Y.shape[1]!];
  if (K === 1) return oneHot ? new Array<number>(m).fill(0) : Array.from(Y.data);
  return Array.from({ length: m }, (_, j) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (Y.data[k * m + j]! > Y.data[best * m + j]!) best = k;
    return best;
  });
}

function builtinData(name: Exclude<BuiltinData, 'cat'>): { X: Tensor; Y: Tensor; classes: number } {
  const planar = (d: PlanarData): { X: Tensor; Y: Tensor; classes: number } => ({ ...d, classes: 2 });
  const multi = (d: ClassData): { X: Tensor; Y: Tensor; classes: number } => ({ X: d.X, Y: labelsFromIndices(Array.from(d.Y.data), d.classes), classes: d.classes });
  switch (name) {
    case 'flower': return planar(planarFlower());
    case 'moons': return planar(moons({ seed: DATA_SEED }));
    case 'circles': return planar(circles({ seed: DATA_SEED }));
    case 'xor': return planar(xor({ seed: DATA_SEED }));
    case 'spirals': return multi(spirals({ seed: DATA_SEED }));
    case 'blobs': return multi(blobs({ seed: DATA_SEED }));
  }
}

async function catData(split: 'train' | 'test'): Promise<Dataset> {
  const data = await catVsNonCat();
  const other = split === 'train' ? data.test : data.train;
  const own = data[split];
  return {
    name: 'cat',
    kind: 'builtin',
    builtin: 'cat',
    X: own.X,
    Y: own.Y,
    task: 'binary',
    classNames: data.classes,
    preprocessing: { scale: 1 / 255, image: { width: 64, height: 64 } },
    ...(split === 'train' ? { test: { X: other.X, Y: other.Y } } : {}),
  };
}

/** Reads a CSV file with parseCSV, through a transposed table for `--layout columns`. */
async function readCSV(path: string, args: DataArgs, options: CSVOptions, layout: 'rows' | 'columns'): Promise<{ table: Table; csv: CSVDataset }> {
  const delimiter = delimiterFor(path, args.delimiter);
  const table = await readTable(path, delimiter, layout);
  const csv = withFileLocations(table, () => parseCSV(table.text, { ...options, delimiter }, path));
  return { table, csv };
}

/**
 * Loads <data> for training (train, gradcheck, explain): the labels decide the task, a CSV
 * file's features are scaled (standardized by default) and the scaler is kept.
 *
 * @throws UsageError for an option that does not apply to this kind of data.
 * @throws FileFormatError / DataError from the loaders, naming the file (and line, column).
 */
export async function loadData(args: DataArgs, command: CommandName): Promise<Dataset> {
  return checkTwoClasses(await loadAny(args, command), args);
}

/**
 * A classifier needs samples of two classes at least: labels that are all one class (a CSV
 * column of 0s, read as binary or as classes; an IDX file of one digit) would train a network
 * that never has to tell anything apart and reports 100 % accuracy.
 *
 * @throws DataError naming the file, the label column and the class.
 */
function checkTwoClasses(data: Dataset, args: DataArgs): Dataset {
  if (data.task === 'regression') return data;
  // A CSV file read as classes that holds a single one has a one-row one-hot Y.
  const indices = classIndices(data.Y, data.task === 'multiclass' && data.Y.shape[0] === 1);
  const first = indices[0];
  if (first === undefined || indices.some((k) => k !== first)) return data;
  const name = data.classNames?.[first] ?? String(first);
  const where = data.kind === 'csv'
    ? `the label column '${data.csv?.label ?? '?'}' (--label) has the class ${name} in every row`
    : data.kind === 'images' ? `every picture is in the class ${name}` : `every sample has the label ${name}`;
  throw new DataError(args.source, `${where}; a classifier needs at least two classes`);
}

async function loadAny(args: DataArgs, command: CommandName): Promise<Dataset> {
  const kind = await kindOf(args, command);
  checkOptionsFit(args, kind, command);
  switch (kind) {
    case 'builtin': {
      const name = args.source as BuiltinData;
      if (name === 'cat') return catData('train');
      const { X, Y, classes } = builtinData(name);
      return {
        name,
        kind,
        builtin: name,
        X,
        Y,
        task: classes === 2 ? 'binary' : 'multiclass',
        classNames: Array.from({ length: classes }, (_, k) => String(k)),
        featureNames: ['x1', 'x2'],
      };
    }
    case 'images': {
      const size = args.imageSize ?? FIT_DEFAULTS.imageSize;
      const data = await loadImageFolder(args.source, { width: size.width, height: size.height });
      return {
        name: shortName(args.source),
        kind,
        X: data.X,
        Y: data.Y,
        task: data.classNames.length === 2 ? 'binary' : 'multiclass',
        classNames: data.classNames,
        preprocessing: { scale: 1 / 255, image: { width: size.width, height: size.height } },
      };
    }
    case 'idx': {
      const data = await loadIDX(args.source, args.idxLabels!);
      const K = data.Y.shape[0]!;
      return {
        name: shortName(args.source),
        kind,
        X: data.X,
        Y: data.Y,
        task: 'multiclass',
        classNames: Array.from({ length: K }, (_, k) => String(k)),
        preprocessing: { scale: 1 / 255 },
        idx: { rows: data.rows, cols: data.cols },
      };
    }
    case 'csv': {
      const layout = args.layout ?? 'rows';
      const { table, csv } = await readCSV(args.source, args, {
        scale: args.scale ?? 'standardize',
        ...(args.label !== undefined ? { label: args.label } : {}),
        ...(args.labels !== undefined ? { labels: args.labels } : {}),
      }, layout);
      const labelColumn = labelIndex(table, args.label);
      const task: Task = csv.labels === 'regression' ? 'regression' : csv.labels === 'binary' ? 'binary' : 'multiclass';
      return {
        name: shortName(args.source),
        kind,
        X: csv.X,
        Y: csv.Y,
        task,
        classNames: csv.classNames,
        featureNames: csv.featureNames,
        scaler: csv.scaler,
        csv: { label: csv.labelName, ...(labelColumn !== undefined ? { labelColumn } : {}), layout, delimiter: delimiterFor(args.source, args.delimiter) },
      };
    }
  }
}

/** Labelled data read the way a model expects it. */
export interface EvalData {
  readonly name: string;
  /** (n_x, m), scaled as in training, float64. */
  readonly X: Tensor;
  /** Labels shaped as the model's output: (1, m) 0/1, one-hot (K, m), or (1, m) targets. */
  readonly Y: Tensor;
  /** Classification: each sample's class index in the model's classes. */
  readonly classes?: number[] | undefined;
}

/** Maps the data's class names onto the model's; a label the model does not know is an error. */
function remapClasses(indices: readonly number[], dataNames: readonly string[], info: ModelInfo, where: string): number[] {
  const position = new Map(info.classNames.map((name, k) => [name, k]));
  const map = dataNames.map((name) => {
    const k = position.get(name);
    if (k === undefined) {
      throw new DataError(where, `label ${JSON.stringify(name)} is not one of the model's classes (${info.classNames.map((c) => JSON.stringify(c)).join(', ')})`);
    }
    return k;
  });
  return indices.map((i) => map[i]!);
}

/** Features in the model's order: reorders columns matched by name, refuses a different set. */
function alignFeatures(csv: CSVDataset, info: ModelInfo, where: string): Tensor {
  const names = info.featureNames;
  const n = info.inputs;
  const given = csv.featureNames;
  if (names === undefined || given.every((g, i) => g === names[i])) {
    if (given.length !== n) throw new ShapeError(where, `the file has ${given.length} feature columns, the model takes ${n}`);
    return csv.X;
  }
  const order = names.map((f) => given.indexOf(f));
  if (given.length === n && order.some((i) => i === -1) && given.every((g) => /^col\d+$/.test(g))) return csv.X; // no header: by position
  const missing = names.filter((_, i) => order[i] === -1);
  if (missing.length > 0 || given.length !== n) {
    throw new DataError(where, `the model was trained on the features ${nameList(names)}; the file has ${nameList(given)}${missing.length > 0 ? ` (missing ${nameList(missing)})` : ''}`);
  }
  const m = csv.X.shape[1]!;
  const X = new Float64Array(n * m);
  order.forEach((from, i) => X.set(csv.X.data.subarray(from * m, (from + 1) * m), i * m));
  return new Tensor(X, [n, m]);
}

/**
 * Loads labelled <data> for a model (eval): with its scaler, its picture size, its label
 * column and its class names, so the labels mean what they meant in training.
 */
export async function loadDataForModel(args: DataArgs, info: ModelInfo, command: CommandName): Promise<EvalData> {
  const kind = await kindOf(args, command);
  checkOptionsFit(args, kind, command);
  const where = args.source;
  const classify = info.task !== 'regression';
  let X: Tensor;
  let indices: number[] | undefined;
  let targets: Tensor | undefined;
  let dataNames: readonly string[] | undefined;

  switch (kind) {
    case 'builtin': {
      const name = args.source as BuiltinData;
      // For the cat pictures, evaluate on the test pictures the model was not trained on.
      const data = name === 'cat' ? await catData('test') : loadedBuiltin(name);
      X = data.X;
      indices = classIndices(data.Y);
      dataNames = data.classNames;
      break;
    }
    case 'images': {
      const size = info.preprocessing?.image ?? FIT_DEFAULTS.imageSize;
      const data = await loadImageFolder(args.source, { width: size.width, height: size.height });
      X = data.X;
      indices = classIndices(data.Y);
      dataNames = data.classNames;
      break;
    }
    case 'idx': {
      const data = await loadIDX(args.source, args.idxLabels!, { classes: Math.max(2, info.classNames.length) });
      X = data.X;
      indices = Array.from(data.labels.data);
      dataNames = info.classNames;
      break;
    }
    case 'csv': {
      const layout = args.layout ?? info.csv?.layout ?? 'rows';
      const delimiter = args.delimiter ?? (info.csv?.delimiter !== ',' ? info.csv?.delimiter : undefined);
      const table = await readTable(where, delimiterFor(where, delimiter), layout);
      // The training label column: by name when this file has a header with it, else by position.
      let label = args.label;
      if (label === undefined && info.csv !== undefined) {
        label = hasHeader(table) && labelIndex(table, info.csv.label) !== undefined ? info.csv.label : info.csv.labelColumn;
      }
      const csv = withFileLocations(table, () =>
        parseCSV(table.text, { delimiter: delimiterFor(where, delimiter), scale: 'none', labels: classify ? 'classes' : 'regression', ...(label !== undefined ? { label } : {}) }, where),
      );
      X = alignFeatures(csv, info, where);
      if (classify) {
        indices = classIndices(csv.Y, true);
        dataNames = csv.classNames;
      } else targets = csv.Y;
      break;
    }
  }
  if (info.scaler !== undefined) {
    if (X.shape[0] !== info.scaler.offset.length) {
      throw new ShapeError(where, `the data has ${X.shape[0]} features, the model's scaler was fitted to ${info.scaler.offset.length}`);
    }
    X = applyScaler(info.scaler, X);
  }
  if (X.shape[0] !== info.inputs) {
    throw new ShapeError(where, `the data has ${X.shape[0]} features per sample, but the model takes ${info.inputs} (${info.architecture})`);
  }
  if (!classify) {
    if (targets === undefined) throw new DataError(where, 'a regression model needs numeric labels: evaluate it on a CSV file');
    return { name: shortName(where), X, Y: targets };
  }
  const classes = remapClasses(indices!, dataNames ?? info.classNames, info, where);
  // Shaped as the output layer: one sigmoid unit reads 0/1, K units read one-hot columns.
  const Y = info.outputs === 1 ? new Tensor(Float64Array.from(classes), [1, classes.length]) : oneHot(classes, info.outputs);
  return { name: shortName(where), X, Y, classes };
}

function oneHot(classes: readonly number[], K: number): Tensor {
  const m = classes.length;
  const Y = new Float64Array(K * m);
  classes.forEach((k, j) => (Y[k * m + j] = 1));
  return new Tensor(Y, [K, m]);
}

function loadedBuiltin(name: Exclude<BuiltinData, 'cat'>): { X: Tensor; Y: Tensor; classNames: string[] } {
  const { X, Y, classes } = builtinData(name);
  return { X, Y, classNames: Array.from({ length: classes }, (_, k) => String(k)) };
}
