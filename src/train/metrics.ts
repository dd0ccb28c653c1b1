import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Model } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Percentage of samples predicted right, from 0 to 100. For a single 0/1 output it is the
 * course's formula, 100 − mean(|Ŷ − Y|)·100, so the figures print to the last digit as the
 * course's (99.04306220095694 %); for several outputs a sample counts when its whole column
 * matches (argmax for softmax, every label for multi-label).
 *
 * @example accuracy(model, X_test, Y_test) // 70
 */
export function accuracy(model: Model, X: Tensor, Y: Tensor): number {
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

// Binary metrics read 0/1 labels of shape (1, m); multi-class ones read one-hot (K, m) or
// class indices (1, m). The positive class of binary metrics is 1 (the course's "cat").

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

/**
 * counts[i][j] = how many samples of true class i were predicted as class j.
 * @example confusionMatrix(net.predict(X), Y) // [[TN, FP], [FN, TP]] for binary labels
 */
export function confusionMatrix(Yhat: Tensor, Y: Tensor, classes?: number): number[][] {
  const [p, t] = pairs(Yhat, Y, 'confusionMatrix');
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

/** Of the samples predicted positive, the fraction that are: TP / (TP + FP) (0 when none are predicted). */
export function precision(Yhat: Tensor, Y: Tensor): number {
  const [p, t] = pairs(Yhat, Y, 'precision');
  const tp = p.filter((v, i) => v === 1 && t[i] === 1).length;
  const predicted = p.filter((v) => v === 1).length;
  return predicted === 0 ? 0 : tp / predicted;
}

/** Of the positive samples, the fraction found: TP / (TP + FN) (0 when there are none). */
export function recall(Yhat: Tensor, Y: Tensor): number {
  const [p, t] = pairs(Yhat, Y, 'recall');
  const tp = p.filter((v, i) => v === 1 && t[i] === 1).length;
  const actual = t.filter((v) => v === 1).length;
  return actual === 0 ? 0 : tp / actual;
}

/** The harmonic mean of precision and recall. */
export function f1Score(Yhat: Tensor, Y: Tensor): number {
  const pr = precision(Yhat, Y), rc = recall(Yhat, Y);
  return pr + rc === 0 ? 0 : (2 * pr * rc) / (pr + rc);
}

/**
 * Binary cross-entropy of probabilities A against 0/1 labels, averaged over all entries, with
 * A clipped to [1e-15, 1 − 1e-15] as scikit-learn does so a confident mistake costs ~34.5, not ∞.
 */
export function logLoss(A: Tensor, Y: Tensor): number {
  if (A.size !== Y.size) throw new ShapeError('logLoss', `probabilities ${fmtShape(A.shape)} and labels ${fmtShape(Y.shape)} differ`);
  let total = 0;
  for (let i = 0; i < A.size; i++) {
    const a = Math.min(Math.max(A.data[i]!, 1e-15), 1 - 1e-15), y = Y.data[i]!;
    total -= y * Math.log(a) + (1 - y) * Math.log(1 - a);
  }
  return total / A.size;
}

/**
 * Area under the ROC curve of scores A (1, m) for 0/1 labels Y: the probability that a random
 * positive scores above a random negative, ties counting half (the Mann–Whitney statistic).
 */
export function rocAuc(A: Tensor, Y: Tensor): number {
  if (A.size !== Y.size) throw new ShapeError('rocAuc', `scores ${fmtShape(A.shape)} and labels ${fmtShape(Y.shape)} differ`);
  const items = Array.from(A.data, (score, i) => ({ score, positive: Y.data[i] === 1 })).sort((a, b) => a.score - b.score);
  const positives = items.filter((x) => x.positive).length, negatives = items.length - positives;
  if (positives === 0 || negatives === 0) throw new ShapeError('rocAuc', 'needs both positive and negative samples');
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
