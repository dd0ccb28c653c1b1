import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { add } from '../ops/binary.js';
import { matmul } from '../ops/matmul.js';
import type { DType } from '../tensor/dtype.js';
import { assertFinite, zeros } from '../tensor/create.js';
import type { RandomSource } from '../tensor/random/source.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';
import { activate, type ActivationName } from './activations.js';
import { initWeights, type InitName } from './init.js';

/** Z[l] and A[l] of one forward pass through a layer. */
export interface LayerOutput {
  Z: Tensor;
  /** g(Z), after dropout when the model is training with dropout. */
  A: Tensor;
}

/**
 * Layer l of the seeds' network (seed 003): W[l] is (n[l], n[l−1]), b[l] is (n[l], 1),
 * Z[l] = W[l]·A[l−1] + b[l] (b broadcast across the m columns), A[l] = g[l](Z[l]).
 */
export class Dense {
  /** l, counted from 1; used in parameter names and messages. */
  readonly index: number;
  readonly activation: ActivationName;
  // The parameter tensors keep their identity for the layer's life: optimizers key their state
  // by them and compiled steps copy them in. Assigning W or b copies the new values in.
  readonly #W: Tensor;
  readonly #b: Tensor;

  constructor(options: { index: number; inputSize: number; units: number; activation: ActivationName; init: InitName; rng: RandomSource; dtype: DType }) {
    const { index, inputSize, units, activation, init, rng, dtype } = options;
    this.index = index;
    this.activation = activation;
    this.#W = initWeights(init, units, inputSize, rng, dtype);
    this.#W.requiresGrad = true;
    this.#W.name = `W${index}`;
    this.#b = zeros([units, 1], { dtype, requiresGrad: true, name: `b${index}` });
  }

  /** W[l], (n[l], n[l−1]). Assigning one copies its values in: same shape and dtype, finite. */
  get W(): Tensor {
    return this.#W;
  }

  set W(value: Tensor) {
    assignParameter(this.#W, value, `W${this.index}`);
  }

  /** b[l], (n[l], 1). Assigning one copies its values in, as for W. */
  get b(): Tensor {
    return this.#b;
  }

  set b(value: Tensor) {
    assignParameter(this.#b, value, `b${this.index}`);
  }

  get units(): number {
    return this.W.shape[0]!;
  }

  get inputSize(): number {
    return this.W.shape[1]!;
  }

  /** Forward for A_prev = A[l−1] of shape (n[l−1], m); the shape rule is checked here, once. */
  forward(A_prev: Tensor): LayerOutput {
    const l = this.index;
    if (A_prev.rank !== 2 || A_prev.shape[0] !== this.inputSize) {
      const what = l === 1 ? 'A[0] = X' : `A[${l - 1}]`;
      throw new ShapeError(
        `layer ${l}`,
        `W[${l}] is ${fmtShape(this.W.shape)} but ${what} is ${fmtShape(A_prev.shape)}: expected ${this.inputSize} rows (one per unit of layer ${l - 1}) and one column per sample`,
      );
    }
    const Z = add(matmul(this.W, A_prev), this.b);
    return { Z, A: activate(this.activation, Z) };
  }
}

// How many parameter assignments there have been, in any network: a compiled training step
// holds its own copy of the parameters and reloads it when this count has moved.
let writes = 0;

/** The number of parameter assignments so far (setParameter, layer.W = …, layer.b = …). @internal */
export function parameterWrites(): number {
  return writes;
}

/**
 * Copies `value` into the parameter `current` (named `name`, e.g. W2): the same shape and dtype,
 * and finite, since a NaN weight would only show later as a NaN cost blamed on the learning rate.
 */
export function assignParameter(current: Tensor, value: unknown, name: string): void {
  const v = expectTensor(value, name);
  if (v.shape.length !== current.shape.length || v.shape.some((d, i) => d !== current.shape[i])) {
    throw new ShapeError(name, `${name} is ${fmtShape(current.shape)} but the new value is ${fmtShape(v.shape)}`);
  }
  if (v.dtype !== current.dtype) throw new DTypeError(name, `${name} is ${current.dtype} but the new value is ${v.dtype}`);
  assertFinite(v, name);
  current.data.set(v.data);
  writes++;
}
