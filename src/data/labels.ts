/**
 * Class labels in the seeds' layout (browser-safe): class indices as a (1, m) row, one-hot
 * as a (K, m) matrix (one column per sample, a single 1 in the row of its class).
 *
 * A softmax network is trained against the one-hot Y; its predictions A (K, m) go back to
 * indices with `argmaxLabels`, to compare with the indices from `fromOneHot(Y)`.
 *
 * @example
 * const Y = oneHot(tensor([[2, 0, 1]]), 3); // (3, 3): [[0,1,0],[0,0,1],[1,0,0]]
 * fromOneHot(Y).toArray();                  // [[2, 0, 1]]
 */
import { ArgumentError, DataError, ShapeError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor, expectTensor } from '../tensor/tensor.js';

/** The number of samples in a label row: (1, m) or (m,). */
function labelCount(labels: Tensor, where: string): number {
  expectTensor(labels, `${where}: labels`);
  const [a, b] = labels.shape;
  if (labels.rank === 1 && a !== undefined) return a;
  if (labels.rank === 2 && a === 1 && b !== undefined) return b;
  throw new ShapeError(where, `expected class indices of shape (1, m) or (m,), got ${fmtShape(labels.shape)}`);
}

/** A (K, m) matrix's K and m. */
function matrixDims(A: Tensor, where: string): [number, number] {
  const [K, m] = A.shape;
  if (A.rank !== 2 || K === undefined || m === undefined) {
    throw new ShapeError(where, `expected a (K, m) matrix with one column per sample, got ${fmtShape(A.shape)}`);
  }
  return [K, m];
}

/**
 * Class indices (1, m) — or (m,) — to a one-hot matrix (K, m) of the labels' dtype.
 *
 * @throws ArgumentError when K is not a whole number ≥ 1.
 * @throws DataError naming the first sample whose label is not a whole number in 0..K−1
 *   (a label K or a 0.5 would otherwise silently produce an all-zero column).
 */
export function oneHot(labels: Tensor, K: number): Tensor {
  if (!Number.isInteger(K) || K < 1) throw new ArgumentError('oneHot', `the number of classes K must be a whole number ≥ 1, got ${K}`);
  const m = labelCount(labels, 'oneHot');
  const out = allocate(labels.dtype, K * m);
  for (let j = 0; j < m; j++) {
    const k = labels.data[j]!;
    if (!Number.isInteger(k) || k < 0 || k >= K) {
      throw new DataError('oneHot', `sample ${j} has label ${k}, which is not a class index in 0..${K - 1}`);
    }
    out[k * m + j] = 1;
  }
  return new Tensor(out, [K, m]);
}

/**
 * The predicted class of each sample: the row index of the largest value in each column of
 * A (K, m), as a (1, m) row (ties go to the lower index, as numpy's argmax).
 *
 * @throws ArgumentError for K = 1: a single sigmoid row has no argmax; threshold it
 *   instead (class 1 where A > 0.5).
 * @throws DataError naming the first column that holds NaN or ±Inf (no meaningful maximum).
 */
export function argmaxLabels(A: Tensor): Tensor {
  const [K, m] = matrixDims(A, 'argmaxLabels');
  if (K < 2) {
    throw new ArgumentError('argmaxLabels', `A has a single row ${fmtShape(A.shape)}: that is a binary (sigmoid) output, whose class is A > 0.5, not an argmax`);
  }
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = A.data[k * m + j]!;
      if (!Number.isFinite(v)) throw new DataError('argmaxLabels', `column ${j} holds ${v} in row ${k}: no meaningful maximum`);
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[j] = best;
  }
  return new Tensor(out, [1, m]);
}

/**
 * A one-hot matrix (K, m) back to class indices (1, m). Unlike `argmaxLabels`, it checks
 * that Y really is one-hot, so that passing predictions (or a mis-built Y) by mistake is an
 * error rather than a silent argmax.
 *
 * @throws DataError naming the first column that is not exactly one 1 among zeros.
 */
export function fromOneHot(Y: Tensor): Tensor {
  const [K, m] = matrixDims(Y, 'fromOneHot');
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let hot = -1;
    for (let k = 0; k < K; k++) {
      const v = Y.data[k * m + j]!;
      if (v === 0) continue;
      if (v !== 1 || hot !== -1) {
        throw new DataError('fromOneHot', `column ${j} is not one-hot: ${describeColumn(Y, K, m, j)}`);
      }
      hot = k;
    }
    if (hot === -1) throw new DataError('fromOneHot', `column ${j} is not one-hot: it is all zeros`);
    out[j] = hot;
  }
  return new Tensor(out, [1, m]);
}

/** A column's values for a message, cut short for large K. */
function describeColumn(Y: Tensor, K: number, m: number, j: number): string {
  const shown: number[] = [];
  for (let k = 0; k < Math.min(K, 10); k++) shown.push(Y.data[k * m + j]!);
  return `[${shown.join(', ')}${K > 10 ? ', …' : ''}]`;
}
