/**
 * CSV files too large to hold in memory, read as a stream of mini-batches (Node only).
 * Only one batch of rows is in memory at a time; pair it with `fitStream`.
 *
 * @example
 * const batches = () => streamCSV('big.csv', { label: 'y', classNames: ['no', 'yes'], batchSize: 256 });
 * await fitStream(net, batches, { epochs: 3, optimizer: new Adam({ learningRate: 0.001 }) });
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { ArgumentError, DataError, FileFormatError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate, DEFAULT_DTYPE, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { Scaler } from './scaling.js';

export interface StreamCSVOptions {
  /** The label column: a header name, or a 0-based index (negative counts from the end). Default: the last. */
  label?: string | number;
  /** Samples per batch (the last batch may be smaller). */
  batchSize: number;
  /** Whether line 1 names the columns (default true). */
  header?: boolean;
  delimiter?: string;
  /**
   * Label values in class order. Two classes give Y (1, m) of 0/1; more give one-hot (K, m).
   * Without it the labels must be numbers, taken as they are (0/1 or regression targets).
   */
  classNames?: readonly string[];
  /** A scaler fitted beforehand (e.g. on a sample), applied to every batch. */
  scaler?: Scaler;
  dtype?: DType;
}

/** Batches { X (n_x, b), Y (n_y, b) } of a CSV file, read as a stream. Errors name the line and column. */
export async function* streamCSV(path: string, options: StreamCSVOptions): AsyncGenerator<{ X: Tensor; Y: Tensor }> {
  checkOptions(options, 'streamCSV', optionKeys<StreamCSVOptions>()(['label', 'batchSize', 'header', 'delimiter', 'classNames', 'scaler', 'dtype']));
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError('batchSize', `must be a whole number ≥ 1, got ${batchSize}`);
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    throw new FileFormatError(path, 'no such file (or it is not a file)');
  }
  const dtype = options.dtype ?? DEFAULT_DTYPE;
  const classes = options.classNames;
  const K = classes && classes.length > 2 ? classes.length : 1;
  const parser = createReadStream(path).pipe(parse({ delimiter: options.delimiter ?? ',', relax_column_count: true, bom: true, skip_empty_lines: true }));

  let labelAt = -1;
  let width = -1;
  let line = 0;
  let rows: number[][] = [];
  let labels: number[] = [];
  const flush = (): { X: Tensor; Y: Tensor } => {
    const m = rows.length, n = width - 1;
    const X = allocate(dtype, n * m), Y = allocate(dtype, K * m);
    for (let j = 0; j < m; j++) {
      const row = rows[j]!;
      for (let i = 0; i < n; i++) {
        const v = row[i]!;
        X[i * m + j] = options.scaler ? (v - options.scaler.offset[i]!) / options.scaler.scale[i]! : v;
      }
      if (K > 1) Y[labels[j]! * m + j] = 1;
      else Y[j] = labels[j]!;
    }
    rows = [];
    labels = [];
    return { X: new Tensor(X, [n, m]), Y: new Tensor(Y, [K, m]) };
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      if (width < 0) {
        width = record.length;
        if (width < 2) throw new DataError(path, `line ${line}: needs at least one feature and a label, found ${width} column`);
        const spec = options.label ?? -1;
        labelAt = typeof spec === 'number' ? (spec < 0 ? width + spec : spec) : record.indexOf(spec);
        if (labelAt < 0 || labelAt >= width) {
          throw new ArgumentError('label', `${path}: no label column ${JSON.stringify(spec)}${options.header === false ? '' : `; the header has ${record.join(', ')}`}`);
        }
        if (options.header ?? true) continue;
      }
      if (record.length !== width) throw new FileFormatError(path, `line ${line}: expected ${width} cells (as line 1), found ${record.length}`);
      const features: number[] = [];
      let label = 0;
      record.forEach((cell, c) => {
        const text = cell.trim();
        if (c === labelAt) {
          if (classes) {
            const k = classes.indexOf(text);
            if (k < 0) throw new DataError(path, `line ${line}, column ${c + 1}: label '${text}' is not one of ${classes.join(', ')}`);
            label = k;
          } else {
            label = Number(text);
            if (text === '' || !Number.isFinite(label)) throw new DataError(path, `line ${line}, column ${c + 1}: label '${text}' is not a number (give classNames for text labels)`);
          }
          return;
        }
        const v = Number(text);
        if (text === '' || !Number.isFinite(v)) throw new DataError(path, `line ${line}, column ${c + 1}: '${text}' is not a number`);
        features.push(v);
      });
      rows.push(features);
      labels.push(label);
      if (rows.length === batchSize) yield flush();
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw new FileFormatError(path, `line ${line + 1}: ${e.message}`);
    }
    throw e;
  } finally {
    parser.destroy();
  }
  if (rows.length > 0) yield flush();
}
