/**
 * `nabla predict --model <file> <input>…`: a trained model's predictions for pictures
 * (P(cat) for the course's networks, the class for others) and for the rows of CSV files
 * (one CSV line out per row in, with the class name and each class's probability).
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { DataError, FileFormatError, NablaError, applyScaler, cast, tensor, type LogisticRegression, type Sequential, type Tensor } from '../index.js';
import { guessFormat, looksLikeSafetensors } from '../io/model-file.js';
import { loadModelFile, readImageRGB, type ModelFileMetadata } from '../node.js';
import type { PredictArgs } from './args.js';
import { modelInfo, nameList, type ModelInfo } from './model-info.js';
import type { Output } from './progress.js';
import { delimiterFor, featureRows, hasHeader, readTable, type Table } from './table.js';

/** The course's input scaling: pixels / 255. */
const COURSE_SCALE = 1 / 255;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.txt']);

/** The picture size a model expects: from its file's preprocessing, else the course's 64×64. */
function pictureSize(metadata: ModelFileMetadata): { width: number; height: number } {
  return metadata.preprocessing?.image ?? { width: 64, height: 64 };
}

/** A picture as the model's input column: resized, flattened (height, width, RGB), scaled. */
async function pictureColumn(path: string, size: { width: number; height: number }, scale: number, dtype: 'float32' | 'float64'): Promise<Tensor> {
  const { rgb } = await readImageRGB(path, size);
  const column = dtype === 'float32' ? new Float32Array(rgb.length) : new Float64Array(rgb.length);
  // Divide by 255 as the training data was (bit-identical inputs); any other scale multiplies.
  if (scale === COURSE_SCALE) for (let i = 0; i < rgb.length; i++) column[i] = rgb[i]! / 255;
  else for (let i = 0; i < rgb.length; i++) column[i] = rgb[i]! * scale;
  return tensor(column, { shape: [rgb.length, 1], dtype });
}

/** Whether an input is a table: by extension, else by what the model was trained on. */
function isTable(path: string, metadata: ModelFileMetadata): boolean {
  const ext = extname(path).toLowerCase();
  if (TABLE_EXTENSIONS.has(ext)) return true;
  if (IMAGE_EXTENSIONS.has(ext)) return false;
  return metadata.preprocessing?.image === undefined;
}

/** The class of column j of A: P > 0.5 for one sigmoid unit, else the most probable. */
function classOf(A: Tensor, j: number): number {
  const [K, m] = [A.shape[0]!, A.shape[1]!];
  if (K === 1) return A.data[j]! > 0.5 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < K; k++) if (A.data[k * m + j]! > A.data[best * m + j]!) best = k;
  return best;
}

/** A CSV cell: quoted when it holds the delimiter, a quote or a line break. */
function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Checks, once, that pictures can be fed to this model (input size and kind). */
function checkPictureModel(path: string, model: Sequential | LogisticRegression, metadata: ModelFileMetadata): void {
  const size = pictureSize(metadata);
  const expected = size.width * size.height * 3;
  if (model.inputSize !== expected) {
    throw new FileFormatError(
      path,
      `the model takes ${model.inputSize} inputs per sample, but a ${size.width}×${size.height} RGB picture gives ${expected}: predict needs a model trained on ${size.width}×${size.height} RGB pictures (input size ${expected})`,
    );
  }
}

/** One line per picture: `a.jpg: P(cat) = 0.93 → cat` for a binary model, the class and its P otherwise. */
function pictureLine(path: string, A: Tensor, info: ModelInfo): string {
  if (info.task === 'regression') return `${path}: ${A.data[0]}`;
  const names = info.classNames;
  if (A.shape[0] === 1) {
    const p = A.data[0]!;
    return `${path}: P(${names[1]}) = ${p.toFixed(2)} → ${p > 0.5 ? names[1] : names[0]}`;
  }
  const k = classOf(A, 0);
  return `${path}: ${names[k]} (P = ${A.data[k]!.toFixed(2)})`;
}

/** How much of a file is looked at to tell binary data from text. */
const SNIFF_BYTES = 4096;

/**
 * Refuses a file that is binary data (a NUL byte in its first 4 KiB) before it is parsed as
 * CSV, which would otherwise print raw bytes in a parser's error; says what it looks like
 * (a nabla model given in place of the data, above all). A file that cannot be opened is
 * left to the reader, which names the problem in its own words.
 *
 * @throws FileFormatError (where = path): `not a CSV file (binary data; …)`.
 */
export async function refuseBinary(path: string): Promise<void> {
  let head: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = new Uint8Array(SNIFF_BYTES);
      const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return;
  }
  if (!head.includes(0)) return;
  let what = 'binary data';
  if (looksLikeSafetensors(head)) what += '; it looks like a nabla model — did you mean --model?';
  else {
    const format = guessFormat(head);
    if (format === 'UTF-16 text') what += '; it looks like UTF-16 text: save it as UTF-8';
    else if (format !== undefined && format !== 'text/CSV') what += `; it looks like ${format}`;
  }
  throw new FileFormatError(path, `not a CSV file (${what})`);
}

/**
 * Checks that a table holds the model's features before they are read: by name when the file
 * has a header and the model knows its features' names (as eval does: a header without one of
 * them is refused rather than read by position), else by position — exactly the features, or
 * the features and the training label column. Long lists of names are shortened.
 *
 * @throws DataError (where = the file) naming the features the model needs and the file's.
 */
function checkColumns(table: Table, info: ModelInfo, names: readonly string[]): void {
  const where = table.path;
  const first = table.rows[0]!;
  const width = first.cells.length;
  const n = names.length;
  if (hasHeader(table)) {
    const given = first.cells;
    const found = names.map((f) => given.indexOf(f));
    if (found.every((c) => c !== -1)) {
      // Two columns of one feature's name: which one the model means cannot be told.
      names.forEach((f, i) => {
        const again = given.indexOf(f, found[i]! + 1);
        if (again !== -1) throw new DataError(where, `line ${first.lines[0]}: the column name ${JSON.stringify(f)} appears twice (columns ${found[i]! + 1} and ${again + 1}); names must be unique`);
      });
      return;
    }
    // Names the training data gave (not `col1`, `col2`… of a file without header) must be there.
    const named = info.featureNames !== undefined && !info.featureNames.every((f) => /^col\d+$/.test(f));
    if (named) {
      const missing = names.filter((_, i) => found[i] === -1);
      throw new DataError(where, `the model was trained on the features ${nameList(names)}; the file has ${nameList(given)} (missing ${nameList(missing)})`);
    }
  }
  const label = info.csv?.labelColumn;
  if (width === n || (width === n + 1 && label !== undefined && label < width)) return;
  const row1 = table.layout === 'rows' ? 'line' : 'column';
  throw new DataError(
    where,
    `${row1} ${first.lines[0]} has ${width} ${table.layout === 'rows' ? 'columns' : 'rows'}, but the model takes ${n} features (${nameList(names)})${label === undefined ? '' : ' and the file may add the label'}`,
  );
}

/**
 * Predictions for each sample of a CSV file, as CSV lines (`line,prediction,p_<class>…`):
 * `line` is the sample's line in the file, or its column for a model trained with
 * `--layout columns`.
 */
async function predictTable(path: string, args: PredictArgs, model: Sequential | LogisticRegression, info: ModelInfo, prefix: string | undefined): Promise<string[]> {
  const layout = info.csv?.layout ?? 'rows';
  const trained = info.csv?.delimiter;
  const delimiter = delimiterFor(path, args.delimiter ?? (trained !== undefined && trained !== ',' ? trained : undefined));
  await refuseBinary(path);
  const table = await readTable(path, delimiter, layout);
  const names = info.featureNames ?? Array.from({ length: info.inputs }, (_, i) => `x${i + 1}`);
  checkColumns(table, info, names);
  const { X: raw, positions } = featureRows(table, names, info.csv?.labelColumn);
  let X = info.scaler === undefined ? raw : applyScaler(info.scaler, raw);
  if (X.dtype !== model.dtype) X = cast(X, model.dtype);
  const A = model.predictProba(X);
  const m = X.shape[1]!;
  const K = A.shape[0]!;
  return positions.map((at, j) => {
    const cells = prefix === undefined ? [String(at)] : [csvCell(prefix), String(at)];
    if (info.task === 'regression') {
      for (let k = 0; k < K; k++) cells.push(String(A.data[k * m + j]));
      return cells.join(',');
    }
    cells.push(csvCell(info.classNames[classOf(A, j)] ?? String(classOf(A, j))));
    if (K === 1) {
      const p = A.data[j]!;
      cells.push(String(1 - p), String(p));
    } else for (let k = 0; k < K; k++) cells.push(String(A.data[k * m + j]));
    return cells.join(',');
  });
}

/** Runs `nabla predict`; resolves to the exit code (1 when any input could not be read). */
export async function predict(args: PredictArgs, out: Output): Promise<number> {
  const { model, metadata } = await loadModelFile(args.model);
  const info = modelInfo(metadata, args.model);
  const tables = args.images.filter((p) => isTable(p, metadata));
  const pictures = args.images.filter((p) => !isTable(p, metadata));
  if (pictures.length > 0) checkPictureModel(args.model, model, metadata);

  let failed = 0;
  const report = (e: unknown): void => {
    // One unreadable input should not hide the answers for the others.
    if (!(e instanceof NablaError)) throw e;
    out.error(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
    failed++;
  };

  const size = pictureSize(metadata);
  const scale = metadata.preprocessing?.scale ?? COURSE_SCALE;
  for (const path of pictures) {
    try {
      const x = await pictureColumn(path, size, scale, model.dtype);
      out.write(`${pictureLine(path, model.predictProba(x), info)}\n`);
    } catch (e) {
      report(e);
    }
  }

  // One CSV header for all tables; a `file` column when there are several.
  const several = tables.length > 1;
  let headerDone = false;
  for (const path of tables) {
    try {
      const rows = await predictTable(path, args, model, info, several ? path : undefined);
      if (!headerDone) {
        const probabilities = info.task === 'regression' ? [] : info.classNames.map((c) => csvCell(`p_${c}`));
        const where = info.csv?.layout === 'columns' ? 'column' : 'line';
        const head = info.task === 'regression' ? [where, 'prediction'] : [where, 'prediction', ...probabilities];
        out.write(`${[...(several ? ['file'] : []), ...head].join(',')}\n`);
        headerDone = true;
      }
      out.write(rows.map((r) => `${r}\n`).join(''));
    } catch (e) {
      report(e);
    }
  }
  return failed > 0 ? 1 : 0;
}
