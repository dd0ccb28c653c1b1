import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * What gradient descent needs from a model: named parameters and a differentiable cost.
 * `Sequential` and `LogisticRegression` implement it; so can a user's own model.
 */
export interface Model {
  readonly dtype: DType;
  /** Trainable parameters by the seeds' names, in update order (W1, b1, W2, …). */
  parameters(): Map<string, Tensor>;
  /** The cost J on (X, Y), recorded in the graph so `J.backward()` fills each `.grad`. */
  cost(X: Tensor, Y: Tensor): Tensor;
  /** Checks X (and Y) once, at the front: shapes, dtype, finite values, labels. */
  checkData(X: Tensor, Y?: Tensor): void;
  /** Output probabilities A[L] (no graph). */
  predictProba(X: Tensor): Tensor;
  /** Labels: 0/1 at threshold 0.5 for sigmoid outputs, one-hot argmax for softmax; values for a regression. */
  predict(X: Tensor): Tensor;
  /** False for a model whose `predict` gives values, not labels (accuracy is refused there). */
  readonly predictsLabels?: boolean;
  /** Training mode (dropout on), for models that have one; `fit` sets it during its steps. */
  training?: boolean;
  /** Whether predictions are class labels (accuracy makes sense) or real values. */
  readonly loss?: string;
  /** n_x and n_y, where the model knows them: messages about data given as rows use them. */
  readonly inputSize?: number;
  readonly outputSize?: number;
}
