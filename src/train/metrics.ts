import { ShapeError, fmtShape } from '../errors.js';
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
