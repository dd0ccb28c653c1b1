import { noGrad } from '../autograd/mode.js';
import { ArgumentError } from '../errors.js';
import { add, greater } from '../ops/binary.js';
import { matmul } from '../ops/matmul.js';
import { sigmoid } from '../ops/unary.js';
import { DEFAULT_DTYPE, checkDType, type DType } from '../tensor/dtype.js';
import { zeros } from '../tensor/create.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';
import { checkData, checkLabels } from './check-data.js';
import { assignParameter } from './dense.js';
import { checkOptions } from '../options.js';
import { binaryCrossEntropyWithLogits } from './losses.js';
import type { Model } from './model.js';

/**
 * Logistic regression as the seeds write it (seeds 000, 001): one neuron with
 * z = wᵀx + b, ŷ = σ(z); w is (n_x, 1), b a number (kept as (1, 1) to broadcast), both
 * starting at zero — the cost is convex, so zeros are fine. Vectorized over m samples:
 * Z = wᵀX + b, and backprop gives dw = (1/m)·X·(A − Y)ᵀ, db = (1/m)·Σ(A − Y).
 *
 * @example
 * const lr = new LogisticRegression(12288);
 * gradientDescent(lr, X, Y, { learningRate: 0.005, iterations: 2000 });
 */
export class LogisticRegression implements Model {
  readonly w: Tensor;
  readonly b: Tensor;
  readonly dtype: DType;

  constructor(inputSize: number, options: { dtype?: DType } = {}) {
    checkOptions(options, 'LogisticRegression', ['dtype']);
    if (!Number.isInteger(inputSize) || inputSize < 1) throw new ArgumentError('inputSize', `n_x must be a positive whole number, got ${inputSize}`);
    this.dtype = checkDType(options.dtype ?? DEFAULT_DTYPE);
    this.w = zeros([inputSize, 1], { dtype: this.dtype, requiresGrad: true, name: 'w' });
    this.b = zeros([1, 1], { dtype: this.dtype, requiresGrad: true, name: 'b' });
  }

  get inputSize(): number {
    return this.w.shape[0]!;
  }

  /** One output, ŷ. */
  get outputSize(): number {
    return 1;
  }

  /** The loss the model trains on (it is always binary cross-entropy). */
  get loss(): 'binaryCrossEntropy' {
    return 'binaryCrossEntropy';
  }

  /** `w` and `b`, the seeds' names (their gradients are dw and db). */
  parameters(): Map<string, Tensor> {
    return new Map([['w', this.w], ['b', this.b]]);
  }

  /** `w` or `b` by name. */
  getParameter(name: string): Tensor {
    const p = this.parameters().get(name);
    if (!p) throw new ArgumentError('parameter', `no parameter '${name}': logistic regression has w, b`);
    return p;
  }

  /** Replaces `w` or `b` (copied; same shape and dtype, finite), as Sequential.setParameter does. */
  setParameter(name: string, value: Tensor): void {
    assignParameter(this.getParameter(name), value, name);
  }

  checkData(X: Tensor, Y?: Tensor): void {
    checkData({ inputSize: this.inputSize, outputSize: 1, dtype: this.dtype, labels: 'binary' }, X, Y);
  }

  /** Z = wᵀX + b: w is read transposed in place. */
  logits(X: Tensor): Tensor {
    return add(matmul(this.w, X, { transA: true }), this.b);
  }

  cost(X: Tensor, Y: Tensor): Tensor {
    checkLabels('binary', expectTensor(Y, 'Y'));
    return binaryCrossEntropyWithLogits(this.logits(X), Y);
  }

  predictProba(X: Tensor): Tensor {
    this.checkData(X);
    return noGrad(() => sigmoid(this.logits(X)));
  }

  /** 1 where ŷ > 0.5, else 0 (the course's threshold). */
  predict(X: Tensor): Tensor {
    return greater(this.predictProba(X), 0.5);
  }
}
