import { DTypeError, DataError, ShapeError, fmtShape } from '../errors.js';
import { assertFinite } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';

/** What a model expects of its data; checked once before training or prediction. */
export interface DataExpectation {
  inputSize: number;
  outputSize: number;
  dtype: DType;
  labels: 'binary' | 'one-hot' | 'any';
}

/**
 * Validates X (n_x, m) and Y (n_y, m) in the seeds' layout: samples are columns. Each
 * problem is named with the argument, its shape, and what was expected — including the
 * most common mistake, samples as rows.
 */
export function checkData(expect: DataExpectation, X: Tensor, Y?: Tensor): void {
  const { inputSize: nx, outputSize: ny } = expect;
  expectTensor(X, 'X');
  if (Y !== undefined) expectTensor(Y, 'Y');
  if (X.rank !== 2) throw new ShapeError('X', `X is ${fmtShape(X.shape)} but must be 2-D (n_x, m) = (${nx}, m): one column per sample`);
  if (X.shape[0] !== nx) {
    const hint = X.shape[1] === nx ? ': it looks transposed — samples must be columns, so pass X with shape (n_x, m) (use layout: rows for row-major data)' : '';
    throw new ShapeError('X', `X is ${fmtShape(X.shape)} but the model expects n_x = ${nx} rows${hint}`);
  }
  const m = X.shape[1]!;
  if (m === 0) throw new DataError('X', 'the dataset is empty: X has m = 0 samples (columns)');
  if (X.dtype !== expect.dtype) throw new DTypeError('X', `X is ${X.dtype} but the model's parameters are ${expect.dtype}: cast(X, '${expect.dtype}')`);
  assertFinite(X, 'X');
  if (!Y) return;
  if (Y.rank !== 2 || Y.shape[0] !== ny || Y.shape[1] !== m) {
    const transposed = Y.rank === 2 && Y.shape[0] === m && Y.shape[1] === ny ? ' (it looks transposed)' : '';
    throw new ShapeError('Y', `Y is ${fmtShape(Y.shape)} but must be (n_y, m) = (${ny}, ${m}) to match X ${fmtShape(X.shape)}${transposed}`);
  }
  if (Y.dtype !== expect.dtype) throw new DTypeError('Y', `Y is ${Y.dtype} but the model's parameters are ${expect.dtype}: cast(Y, '${expect.dtype}')`);
  assertFinite(Y, 'Y');
  checkLabels(expect.labels, Y);
}

/**
 * The labels a loss can read: 0 or 1 for binary cross-entropy, one-hot columns for categorical
 * cross-entropy. `cost` checks them too (a pass over Y, cheap beside the loss itself), so a
 * label of 2 is an error there as in training, not a silently finite J.
 */
export function checkLabels(labels: DataExpectation['labels'], Y: Tensor, rows = false): void {
  if (labels === 'any') return;
  // Samples are Y's columns (n_y, m), or its rows (m, n_y) when `rows`: positions are named in
  // the layout the user gave.
  const width = Y.rank === 2 ? Y.shape[1]! : Y.size;
  const at = (i: number): string => `at row ${Math.floor(i / width)}, column ${i % width}`;
  if (labels === 'binary') {
    const i = Y.data.findIndex((v) => v !== 0 && v !== 1);
    if (i >= 0) throw new DataError('Y', `binary cross-entropy needs labels 0 or 1, found ${Y.data[i]} ${at(i)}`);
    return;
  }
  const m = rows ? (Y.rank === 2 ? Y.shape[0]! : 1) : width;
  const ny = Y.size / Math.max(m, 1);
  const sample = rows ? 'row' : 'column';
  for (let j = 0; j < m; j++) {
    let ones = 0;
    for (let k = 0; k < ny; k++) {
      const i = rows ? j * ny + k : k * m + j;
      const v = Y.data[i]!;
      if (v !== 0 && v !== 1) throw new DataError('Y', `categorical cross-entropy needs one-hot ${sample}s, found ${v} ${at(i)}`);
      ones += v;
    }
    if (ones !== 1) throw new DataError('Y', `categorical cross-entropy needs one-hot ${sample}s: ${sample} ${j} has ${ones} ones`);
  }
}
