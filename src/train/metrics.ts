import { ArgumentError, DataError, ShapeError, fmtShape } from '../errors.js';
import { expectModel, type Model } from '../nn/model.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';

/**
 * Percentage of samples predicted right, from 0 to 100. For a single 0/1 output it is the
 * course's formula, 100 − mean(|Ŷ − Y|)·100, so the figures print to the last digit as the
 * course's (99.04306220095694 %); for several outputs a sample counts when its whole column
 * matches (argmax for softmax, every label for multi-label).
 *
 * @example accuracy(model, X_test, Y_test) // 70
 */
export function accuracy(model: Model, X: Tensor, Y: Tensor): number {
  expectModel(model, 'accuracy');
  expectTensor(X, 'X');
  expectTensor(Y, 'Y');
  if (model.predictsLabels === false) {
    throw new ArgumentError('accuracy', 'this model predicts values, not classes (its output layer is neither sigmoid nor softmax): compare predict(X) with Y by a regression measure such as the cost');
  }
  model.checkData(X, Y);
  return labelAccuracy(model.predict(X), Y);
}

/** Accuracy (%) of predicted labels Ŷ against Y, both (n_y, m). */
export function labelAccuracy(Yhat: Tensor, Y: Tensor): number {
  if (Yhat.rank !== 2 || Y.rank !== 2 || Yhat.shape[0] !== Y.shape[0] || Yhat.shape[1] !== Y.shape[1]) {
    throw new ShapeError('accuracy', `predictions ${fmtShape(Yhat.shape)} and labels ${fmtShape(Y.shape)} differ`);
  }
  const [k, m] = [Y.shape[0]!, Y.shape[1]!];
  if (k === 1) {
    let diff = 0;
    for (let j = 0; j < m; j++) diff += Math.abs(Yhat.data[j]! - Y.data[j]!);
    return 100 - (diff / m) * 100;
  }
  let right = 0;
  for (let j = 0; j < m; j++) {
    let ok = true;
    for (let r = 0; r < k && ok; r++) ok = Yhat.data[r * m + j] === Y.data[r * m + j];
    if (ok) right++;
  }
  return (right / m) * 100;
}

// Binary metrics (precision, recall, f1Score, rocAuc, and logLoss of one row) read 0/1 labels
// of shape (1, m), the positive class being 1 (the course's "cat"), and reject (K, m) with
// K > 1; confusionMatrix reads one-hot (K, m) or class indices (1, m); logLoss of (K, m)
// probabilities is the categorical cross-entropy. NaN or ±Inf anywhere is a DataError.

function flatLabels(Y: Tensor, where: string): number[] {
  if (Y.rank === 2 && Y.shape[0]! > 1) {
    const [k, m] = [Y.shape[0]!, Y.shape[1]!];
    return Array.from({ length: m }, (_, j) => {
      let best = 0;
      for (let r = 1; r < k; r++) if (Y.data[r * m + j]! > Y.data[best * m + j]!) best = r;
      return best;
    });
  }
  if (Y.rank > 2) throw new ShapeError(where, `expected labels of shape (1, m) or (K, m), got ${fmtShape(Y.shape)}`);
  return Array.from(Y.data);
}

function pairs(Yhat: Tensor, Y: Tensor, where: string): [number[], number[]] {
  const p = flatLabels(Yhat, where), t = flatLabels(Y, where);
  if (p.length !== t.length) throw new ShapeError(where, `predictions ${fmtShape(Yhat.shape)} and labels ${fmtShape(Y.shape)} differ in m`);
  return [p, t];
}

/** `row r, column j` of entry i of a (rows, m) tensor; a (m,) or scalar one is row 0. */
function position(T: Tensor, i: number): string {
  const m = T.rank === 2 ? T.shape[1]! : T.size;
  return `row ${Math.floor(i / m)}, column ${i % m}`;
}

/** A value as the user wrote it: a float32 0.2 prints as 0.2, not 0.20000000298023224. */
function show(T: Tensor, v: number): string {
  return T.dtype === 'float32' && Number.isFinite(v) ? String(Number(v.toPrecision(7))) : String(v);
}

/** Every entry of T finite, or a DataError naming the argument, the row and the column. */
function checkFinite(T: Tensor, name: string, where: string): void {
  for (let i = 0; i < T.size; i++) {
    const v = T.data[i]!;
    if (!Number.isFinite(v)) throw new DataError(where, `${name} holds ${v} at ${position(T, i)}; every entry must be a finite number`);
  }
}

/** Every entry of T is 0 or 1 (T already finite). */
function check01(T: Tensor, what: string, where: string, hint: string): void {
  for (let i = 0; i < T.size; i++) {
    const v = T.data[i]!;
    if (v !== 0 && v !== 1) throw new DataError(where, `${what}, found ${show(T, v)} at ${position(T, i)}; ${hint}`);
  }
}

/** Every entry of A is a probability in [0, 1] (A already finite). */
function checkProbabilities(A: Tensor, where: string): void {
  for (let i = 0; i < A.size; i++) {
    const v = A.data[i]!;
    if (v < 0 || v > 1) throw new DataError(where, `A must hold probabilities in [0, 1] (from predictProba), found ${show(A, v)} at ${position(A, i)}; pass σ(Z) or softmax(Z), not Z`);
  }
}

/** T is one row of m samples, (1, m) (or (m,)), as a binary metric reads it. */
function checkBinaryShape(T: Tensor, name: string, where: string, instead: string): void {
  if (T.rank <= 1 || (T.rank === 2 && T.shape[0] === 1)) return;
  const column = T.rank === 2 && T.shape[1] === 1 ? `; samples go in columns: pass ${name} as (1, ${T.shape[0]})` : '';
  throw new ShapeError(where, `${name} is ${fmtShape(T.shape)}, but ${where} is a binary metric of one row (1, m), the positive class being 1${column}; ${instead}`);
}

const FOR_CLASSES = 'for several classes use confusionMatrix (class k\'s precision is counts[k][k] over its column, its recall counts[k][k] over its row)';

/** TP, predicted positives and actual positives of 0/1 predictions Ŷ against 0/1 labels Y, both (1, m). */
function binaryCounts(Yhat: Tensor, Y: Tensor, where: string): { tp: number; predicted: number; actual: number } {
  checkBinaryShape(Yhat, 'Ŷ', where, FOR_CLASSES);
  checkBinaryShape(Y, 'Y', where, FOR_CLASSES);
  if (Yhat.size !== Y.size) throw new ShapeError(where, `predictions ${fmtShape(Yhat.shape)} and labels ${fmtShape(Y.shape)} differ in m`);
  checkFinite(Yhat, 'Ŷ', where);
  checkFinite(Y, 'Y', where);
  check01(Yhat, 'Ŷ must hold 0/1 predictions (from predict)', where, 'pass probabilities to rocAuc or logLoss');
  check01(Y, 'Y must hold 0/1 labels', where, `${where} is a binary metric (positive class 1); for class indices use confusionMatrix`);
  let tp = 0, predicted = 0, actual = 0;
  for (let i = 0; i < Y.size; i++) {
    const p = Yhat.data[i]!, t = Y.data[i]!;
    if (p === 1) predicted++;
    if (t === 1) actual++;
    if (p === 1 && t === 1) tp++;
  }
  return { tp, predicted, actual };
}

/**
 * counts[i][j] = how many samples of true class i were predicted as class j.
 * @example confusionMatrix(net.predict(X), Y) // [[TN, FP], [FN, TP]] for binary labels
 */
export function confusionMatrix(Yhat: Tensor, Y: Tensor, classes?: number): number[][] {
  const [p, t] = pairs(Yhat, Y, 'confusionMatrix');
  checkFinite(Yhat, 'Ŷ', 'confusionMatrix');
  checkFinite(Y, 'Y', 'confusionMatrix');
  const k = classes ?? Math.max(2, ...p.map((v) => v + 1), ...t.map((v) => v + 1), Y.rank === 2 ? Y.shape[0]! : 0);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  t.forEach((truth, i) => {
    const guess = p[i]!;
    for (const [what, c] of [['label', truth], ['prediction', guess]] as const) {
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new ArgumentError('confusionMatrix', `${what} ${c} of sample ${i} is not a class index in 0…${k - 1}`);
    }
    counts[truth]![guess]!++;
  });
  return counts;
}

/**
 * Of the samples predicted positive, the fraction that are: TP / (TP + FP) (0 when none are
 * predicted). A binary metric: Ŷ (0/1 predictions, from predict) and Y (0/1 labels) are both
 * (1, m); anything else (probabilities, a label 2, one-hot (K, m), NaN) throws.
 */
export function precision(Yhat: Tensor, Y: Tensor): number {
  const { tp, predicted } = binaryCounts(Yhat, Y, 'precision');
  return predicted === 0 ? 0 : tp / predicted;
}

/** Of the positive samples, the fraction found: TP / (TP + FN) (0 when there are none). Binary, as precision. */
export function recall(Yhat: Tensor, Y: Tensor): number {
  const { tp, actual } = binaryCounts(Yhat, Y, 'recall');
  return actual === 0 ? 0 : tp / actual;
}

/** The harmonic mean of precision and recall. Binary, as precision. */
export function f1Score(Yhat: Tensor, Y: Tensor): number {
  const { tp, predicted, actual } = binaryCounts(Yhat, Y, 'f1Score');
  const pr = predicted === 0 ? 0 : tp / predicted, rc = actual === 0 ? 0 : tp / actual;
  return pr + rc === 0 ? 0 : (2 * pr * rc) / (pr + rc);
}

/**
 * Cross-entropy of probabilities A against labels Y, with A clipped to [1e-15, 1 − 1e-15] as
 * scikit-learn does so a confident mistake costs ~34.5, not ∞.
 * - A and Y (1, m), Y 0/1: the binary cross-entropy −(1/m) Σ [y log a + (1 − y) log(1 − a)].
 * - A and Y both (K, m) with K > 1, A a softmax output (each column sums to 1) and Y one-hot:
 *   the categorical cross-entropy −(1/m) Σ_j Σ_k y_kj log a_kj.
 * Anything else throws: A outside [0, 1], NaN or ±Inf, Y not 0/1 (or not one-hot for (K, m)),
 * A and Y of different shapes such as (2, m) softmax probabilities against (1, m) labels.
 */
export function logLoss(A: Tensor, Y: Tensor): number {
  const where = 'logLoss';
  const rows = (T: Tensor): number => (T.rank === 2 ? T.shape[0]! : 1);
  if (A.rank > 2 || Y.rank > 2 || rows(A) > 1 || rows(Y) > 1) return categoricalLogLoss(A, Y);
  if (A.size !== Y.size) throw new ShapeError(where, `probabilities ${fmtShape(A.shape)} and labels ${fmtShape(Y.shape)} differ`);
  checkFinite(A, 'A', where);
  checkFinite(Y, 'Y', where);
  checkProbabilities(A, where);
  check01(Y, 'Y must hold 0/1 labels', where, 'for several classes pass one-hot Y (K, m) with softmax probabilities A (K, m)');
  let total = 0;
  for (let i = 0; i < A.size; i++) {
    const a = Math.min(Math.max(A.data[i]!, 1e-15), 1 - 1e-15), y = Y.data[i]!;
    total -= y * Math.log(a) + (1 - y) * Math.log(1 - a);
  }
  return total / A.size;
}

/** How far a column of softmax probabilities may sum from 1 (float32 rounding of K terms). */
const SUM_TOLERANCE = 1e-3;

function categoricalLogLoss(A: Tensor, Y: Tensor): number {
  const where = 'logLoss';
  if (A.rank !== 2 || Y.rank !== 2 || A.shape[0] !== Y.shape[0] || A.shape[1] !== Y.shape[1]) {
    const column = A.rank === 2 && A.shape[1] === 1 && A.shape[0]! > 1 ? '; samples go in columns' : '';
    throw new ShapeError(
      where,
      `probabilities A ${fmtShape(A.shape)} and labels Y ${fmtShape(Y.shape)} differ: logLoss reads A and Y both (1, m) (binary cross-entropy of 0/1 labels) ` +
        `or both (K, m) with K > 1 (categorical cross-entropy of one-hot labels); for 0/1 labels and softmax A (2, m) pass A's row 1 as (1, m)${column}`,
    );
  }
  const [k, m] = [A.shape[0]!, A.shape[1]!];
  checkFinite(A, 'A', where);
  checkFinite(Y, 'Y', where);
  checkProbabilities(A, where);
  check01(Y, `Y must be one-hot (K, m) for probabilities A ${fmtShape(A.shape)}`, where, 'logLoss of (K, m) is the categorical cross-entropy');
  const truth = new Array<number>(m);
  for (let j = 0; j < m; j++) {
    let ones = 0, sum = 0;
    for (let r = 0; r < k; r++) {
      if (Y.data[r * m + j] === 1) {
        ones++;
        truth[j] = r;
      }
      sum += A.data[r * m + j]!;
    }
    if (ones !== 1) {
      throw new DataError(where, `Y must be one-hot (K, m) for probabilities A ${fmtShape(A.shape)}, but column ${j} holds ${ones} ones; logLoss of (K, m) is the categorical cross-entropy of one class per sample — for multi-label outputs take each row as (1, m)`);
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new DataError(where, `column ${j} of A sums to ${Number(sum.toPrecision(6))}, not 1; logLoss of (K, m) is the categorical cross-entropy of softmax probabilities — for multi-label sigmoid outputs take each row as (1, m)`);
    }
  }
  let total = 0;
  for (let j = 0; j < m; j++) total -= Math.log(Math.min(Math.max(A.data[truth[j]! * m + j]!, 1e-15), 1 - 1e-15));
  return total / m;
}

/**
 * Area under the ROC curve of scores A (1, m) for 0/1 labels Y (1, m): the probability that a
 * random positive scores above a random negative, ties counting half (the Mann–Whitney
 * statistic). A binary metric: A may hold any finite scores (probabilities or Z), (K, m) with
 * K > 1, NaN or ±Inf, labels other than 0/1, and data of one class only throw.
 */
export function rocAuc(A: Tensor, Y: Tensor): number {
  const where = 'rocAuc';
  const instead = 'for several classes score one class against the rest: its row of A and its 0/1 row of Y, each (1, m)';
  checkBinaryShape(A, 'A', where, instead);
  checkBinaryShape(Y, 'Y', where, instead);
  if (A.size !== Y.size) throw new ShapeError('rocAuc', `scores ${fmtShape(A.shape)} and labels ${fmtShape(Y.shape)} differ`);
  checkFinite(A, 'A', where);
  checkFinite(Y, 'Y', where);
  check01(Y, 'Y must hold 0/1 labels', where, `rocAuc is a binary metric (positive class 1); ${instead}`);
  const items = Array.from(A.data, (score, i) => ({ score, positive: Y.data[i] === 1 })).sort((a, b) => a.score - b.score);
  const positives = items.filter((x) => x.positive).length, negatives = items.length - positives;
  if (positives === 0 || negatives === 0) {
    const held = items.length === 0 ? 'no samples' : positives === 0 ? 'only negative (0) labels' : 'only positive (1) labels';
    throw new DataError('rocAuc', `Y holds ${held}; the ROC curve needs both positive and negative samples`);
  }
  // Rank-sum with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j + 1 < items.length && items[j + 1]!.score === items[i]!.score) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (items[k]!.positive) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
