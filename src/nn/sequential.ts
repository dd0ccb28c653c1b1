import { noGrad } from '../autograd/mode.js';
import { ArgumentError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { greater, mul } from '../ops/binary.js';
import { argmax } from '../ops/reduce.js';
import { DEFAULT_DTYPE, checkDType, type DType, type TypedArray } from '../tensor/dtype.js';
import { createRandom, type RandomKind } from '../tensor/random/create.js';
import { FastRandom, type FastRandomState } from '../tensor/random/fast.js';
import type { RandomSource } from '../tensor/random/source.js';
import { zeros } from '../tensor/create.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';
import { checkActivation, type ActivationName } from './activations.js';
import { checkData, checkLabels } from './check-data.js';
import { Dense, assignParameter, type LayerOutput } from './dense.js';
import { checkInit, type InitName } from './init.js';
import {
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogits,
  checkLoss,
  squaredError,
  type LossName,
} from './losses.js';
import type { Model } from './model.js';

/** How to build a network of dense layers. */
export interface SequentialOptions {
  /** [n[0], n[1], …, n[L]]: the input size, then the units of each layer. */
  layerSizes: readonly number[];
  /** g[1] … g[L]. Default: relu for hidden layers, sigmoid for the output. */
  activations?: readonly ActivationName[];
  /** Default: binary cross-entropy for a sigmoid output, categorical for softmax, else squared error. */
  loss?: LossName;
  /** How W[l] starts (b[l] starts at 0): one for all layers or one per layer. Default `scaled`, randn/√n[l−1]. */
  init?: InitName | readonly InitName[];
  /** A seed for nabla's fast generator (default 0: runs are reproducible unless asked otherwise). */
  seed?: number;
  /**
   * Or a generator, e.g. `new RandomState(1)`, or `'numpy'` to draw from numpy's legacy
   * generator seeded with `seed` — the course's weights for `{ seed: 1, rng: 'numpy' }`.
   */
  rng?: RandomSource | RandomKind;
  dtype?: DType;
  /**
   * Inverted dropout on the hidden layers' A[l] while training: each unit is dropped with this
   * probability and the survivors are scaled by 1/keep, so nothing changes at prediction time.
   * 0 (default) turns it off. Masks come from a generator seeded with `seed` (+1).
   */
  dropout?: number;
}

const SEQUENTIAL_KEYS = optionKeys<SequentialOptions>()(['layerSizes', 'activations', 'loss', 'init', 'seed', 'rng', 'dtype', 'dropout']);

/**
 * An L-layer network in the seeds' layout (seed 003): X is (n_x, m), Y is (n_y, m),
 * W[l] is (n[l], n[l−1]), b[l] is (n[l], 1). Parameters are named `W1`, `b1`, … for reading
 * and setting.
 *
 * @example
 * const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
 * gradientDescent(net, X, Y, { learningRate: 1.2, iterations: 1000 });
 * accuracy(net, X, Y);
 */
export class Sequential implements Model {
  readonly layers: Dense[];
  readonly loss: LossName;
  readonly dtype: DType;
  readonly layerSizes: readonly number[];
  /** The probability of dropping a hidden unit while training (0: no dropout). */
  readonly dropout: number;
  /**
   * Training mode: dropout masks are drawn. `fit` switches it on for its steps and back off;
   * `cost`, `gradCheck` and `traceStep` are deterministic while it is off (the default).
   */
  training = false;
  readonly #dropoutRng: FastRandom;

  constructor(options: SequentialOptions) {
    checkOptions(options, 'Sequential', SEQUENTIAL_KEYS);
    const sizes = options.layerSizes;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new ArgumentError('layerSizes', `needs at least [n_x, n_y], got ${JSON.stringify(sizes)}`);
    }
    sizes.forEach((n, l) => {
      if (!Number.isInteger(n) || n < 1) throw new ArgumentError('layerSizes', `n[${l}] = ${n}: every layer needs a positive whole number of units`);
    });
    const L = sizes.length - 1;
    const activations = options.activations ?? [...Array<ActivationName>(L - 1).fill('relu'), 'sigmoid'];
    if (activations.length !== L) {
      throw new ArgumentError('activations', `${activations.length} activations for ${L} layers: give one per layer, g[1] … g[${L}]`);
    }
    activations.forEach((g, i) => checkActivation(g, `layer ${i + 1}`));
    const output = activations[L - 1]!;
    if (output === 'softmax' && sizes[L] === 1) {
      throw new ArgumentError('activations', `a softmax output over n[${L}] = 1 unit is always 1 and learns nothing: use sigmoid for one 0/1 output, or give softmax one unit per class`);
    }
    this.loss = checkLoss(options.loss ?? (output === 'sigmoid' ? 'binaryCrossEntropy' : output === 'softmax' ? 'categoricalCrossEntropy' : 'squaredError'));
    if (this.loss === 'binaryCrossEntropy' && output !== 'sigmoid') {
      throw new ArgumentError('loss', `binary cross-entropy needs a sigmoid output layer (A[L] in (0, 1)), but layer ${L} is ${output}`);
    }
    if (this.loss === 'categoricalCrossEntropy' && output !== 'softmax') {
      throw new ArgumentError('loss', `categorical cross-entropy needs a softmax output layer, but layer ${L} is ${output}`);
    }
    const given = options.init ?? 'scaled';
    if (Array.isArray(given) && given.length !== L) {
      throw new ArgumentError('init', `${given.length} initializers for ${L} layers: give one, or one per layer`);
    }
    const inits = Array.from({ length: L }, (_, i) => checkInit(Array.isArray(given) ? given[i] : given, `init of layer ${i + 1}`));
    // Zeros in front of another layer keep its units identical forever (symmetry never breaks).
    inits.forEach((init, i) => {
      if (init === 'zeros' && L > 1 && i < L - 1) {
        throw new ArgumentError(`init of layer ${i + 1}`, 'zeros would keep every hidden unit identical (symmetry is never broken): use small, scaled, xavier or he');
      }
    });
    this.dtype = checkDType(options.dtype ?? DEFAULT_DTYPE);
    const rng = typeof options.rng === 'object' ? options.rng : createRandom(options.seed ?? 0, options.rng ?? 'fast');
    this.layerSizes = sizes.slice();
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new ArgumentError('dropout', `must be a probability in [0, 1), got ${dropout}: 1 would drop every unit`);
    }
    this.dropout = dropout;
    this.#dropoutRng = new FastRandom((options.seed ?? 0) + 1);
    // W1 is drawn first, then W2, … — the course's order, so a numpy RandomState reproduces it.
    this.layers = activations.map(
      (activation, i) => new Dense({ index: i + 1, inputSize: sizes[i]!, units: sizes[i + 1]!, activation, init: inits[i]!, rng, dtype: this.dtype }),
    );
  }

  /** Whether `predict` gives class labels (a sigmoid or softmax output) or values (a regression). */
  get predictsLabels(): boolean {
    const output = this.layers[this.layers.length - 1]!.activation;
    return output === 'sigmoid' || output === 'softmax';
  }

  /** Number of layers L (the input is not counted). */
  get depth(): number {
    return this.layers.length;
  }

  get inputSize(): number {
    return this.layerSizes[0]!;
  }

  get outputSize(): number {
    return this.layerSizes[this.layerSizes.length - 1]!;
  }

  /** W1, b1, W2, b2, … */
  parameters(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const layer of this.layers) {
      out.set(`W${layer.index}`, layer.W);
      out.set(`b${layer.index}`, layer.b);
    }
    return out;
  }

  /** A parameter by its seed name. @example net.getParameter('W1').shape // [n1, n0] */
  getParameter(name: string): Tensor {
    const p = this.parameters().get(name);
    if (!p) throw new ArgumentError('parameter', `no parameter '${name}': this network has ${[...this.parameters().keys()].join(', ')}`);
    return p;
  }

  /**
   * Replaces a parameter's values (copied); the shape and dtype must match, and the values be
   * finite. A compiled training step in progress (makeGradientDescentStep, fit) sees the new
   * values at its next step; writing into `.data` directly does not tell it.
   */
  setParameter(name: string, value: Tensor): void {
    assignParameter(this.getParameter(name), value, name);
  }

  checkData(X: Tensor, Y?: Tensor): void {
    checkData({ inputSize: this.inputSize, outputSize: this.outputSize, dtype: this.dtype, labels: this.#labels() }, X, Y);
  }

  // The labels the loss reads: 0/1, one-hot columns, or any real values.
  #labels(): 'binary' | 'one-hot' | 'any' {
    return this.loss === 'binaryCrossEntropy' ? 'binary' : this.loss === 'categoricalCrossEntropy' ? 'one-hot' : 'any';
  }

  /** Z[l] and A[l] for every layer, l = 1 … L (index 0 is layer 1). */
  forwardLayers(X: Tensor): LayerOutput[] {
    const out: LayerOutput[] = [];
    let A = X;
    for (const layer of this.layers) {
      const step = layer.forward(A);
      const hidden = layer.index < this.layers.length;
      if (this.training && this.dropout > 0 && hidden) step.A = mul(step.A, this.#dropoutMask(step.A));
      out.push(step);
      A = step.A;
    }
    return out;
  }

  // D[l] with entries 1/keep (kept) or 0 (dropped): A[l] := A[l] * D[l], the course's inverted dropout.
  #dropoutMask(A: Tensor): Tensor {
    const mask = zeros(A.shape, { dtype: A.dtype });
    this.drawDropoutMask(mask.data, mask.size);
    return mask;
  }

  /** Where the dropout generator is: a checkpoint keeps it, so that a resumed run draws the masks an unbroken one would. @internal */
  dropoutState(): FastRandomState {
    return this.#dropoutRng.getState();
  }

  /** Puts the dropout generator where `dropoutState` said it was. @internal */
  loadDropoutState(state: FastRandomState): void {
    this.#dropoutRng.setState(state);
  }

  /**
   * The next n entries of D from this network's dropout generator into out[0 … n): what the
   * next forward pass in training mode would draw for them. The compiled step (train/compiled.ts)
   * fills its masks with it, so both paths draw the same masks in the same order. @internal
   */
  drawDropoutMask(out: TypedArray, n: number): void {
    const keep = 1 - this.dropout;
    // Each entry is random() < keep ? 1/keep : 0, drawn in a batch.
    this.#dropoutRng.bernoulli(out, n, keep, 1 / keep);
  }

  /** A[L] for X (recorded in the graph when parameters require grad and grad mode is on). */
  forward(X: Tensor): Tensor {
    const layers = this.forwardLayers(X);
    return layers[layers.length - 1]!.A;
  }

  /** J on (X, Y). Uses the from-logits forms for sigmoid/softmax outputs, which stay finite for any Z. */
  cost(X: Tensor, Y: Tensor): Tensor {
    expectTensor(Y, 'Y');
    checkLabels(this.#labels(), Y);
    return this.costFrom(this.forwardLayers(X), Y);
  }

  /** J from the outputs of a forward pass (so a trace can keep Z[l], A[l] and still get J). */
  costFrom(layers: readonly LayerOutput[], Y: Tensor): Tensor {
    const last = layers[layers.length - 1]!;
    switch (this.loss) {
      case 'binaryCrossEntropy': return binaryCrossEntropyWithLogits(last.Z, Y);
      case 'categoricalCrossEntropy': return categoricalCrossEntropyWithLogits(last.Z, Y);
      case 'squaredError': return squaredError(last.A, Y);
    }
  }

  predictProba(X: Tensor): Tensor {
    this.checkData(X);
    return noGrad(() => this.forward(X));
  }

  /**
   * Labels for a classifier: 1 where A[L] > 0.5 for a sigmoid output (the course's threshold),
   * one-hot argmax columns for softmax. Any other output layer (linear, relu, tanh: a
   * regression) predicts values, so its prediction is A[L] itself.
   */
  predict(X: Tensor): Tensor {
    const A = this.predictProba(X);
    if (!this.predictsLabels) return A;
    if (this.layers[this.layers.length - 1]!.activation === 'sigmoid') return greater(A, 0.5);
    const best = argmax(A, 0);
    const onehot = zeros(A.shape, { dtype: A.dtype });
    const m = A.shape[1]!;
    for (let j = 0; j < m; j++) onehot.data[best.data[j]! * m + j] = 1;
    return onehot;
  }
}
