import type { DType, TypedArray } from '../tensor/dtype.js';

/**
 * The kernels every backend provides. Kernels see only typed arrays and sizes — never
 * Tensors — so shape checks live once, in the ops, and a backend (the plain TypeScript
 * reference, a WASM one) is only arithmetic. Outputs are preallocated by the caller.
 */
export interface Backend {
  /** Shown in benchmarks and `nabla --version`. */
  readonly name: string;
  /** One line on how it runs (threads, SIMD). */
  readonly description: string;

  /**
   * out (M×N) = op(a) · op(b), op(a) being M×K and op(b) K×N. With `transA` the buffer `a`
   * holds a K×M row-major matrix and is read transposed in place, likewise `transB` (N×K):
   * no transpose is ever materialized. `out` arrives holding anything (ops/matmul.ts does not
   * zero it): every element must be written, zeros where K = 0.
   */
  matmul(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): void;

  /** Element-wise binary op with broadcasting: a and b read through strides over `outShape` (0 = broadcast). */
  binary(op: BinaryOp, a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], out: TypedArray, outShape: readonly number[]): void;

  /** out[i] = f(x[i]); `p` carries a parameter (leaky relu's slope, clip's bounds). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, p0: number, p1: number): void;

  /** out[i] = dy[i] · f′ at x[i], given y = f(x) (activations reuse their forward output). */
  unaryBackward(op: UnaryOp, x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray, p0: number, p1: number): void;

  /** Reduces the middle axis of an (outer, len, inner) view of x into out (outer, inner). */
  reduce(op: ReduceOp, x: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void;

  /**
   * Optional: a compiled training step for a network of dense layers (see DenseProgram), or
   * null when this backend cannot build one for `spec` (too large for its memory). Backends
   * without it train through the autograd graph, op by op.
   */
  compileDense?(spec: DenseProgramSpec): DenseProgram | null;
}

/** The activations a compiled dense program runs (softmax only on the output, with categorical cross-entropy). */
export type ProgramActivation = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear' | 'softmax';

/** What a compiled dense program is built for: the network's shape and the largest batch. */
export interface DenseProgramSpec {
  /** n[0] … n[L]. */
  sizes: readonly number[];
  /** g[1] … g[L]. */
  activations: readonly ProgramActivation[];
  loss: 'binaryCrossEntropy' | 'categoricalCrossEntropy' | 'squaredError';
  dtype: DType;
  /** The most samples (columns) a batch may have. */
  capacity: number;
  /**
   * Whether steps may apply inverted dropout to the hidden layers' A[l] (`dropoutMask`,
   * `step(true)`): each hidden layer then has two more buffers of its A's size.
   */
  dropout?: boolean;
  /**
   * Keep X packed twice, for Z[1] = W[1]·X and for dW[1] = dZ[1]·Xᵀ, instead of transposing a
   * block of the first copy at every step: for runs that load X once (a full batch), where the
   * transposition would be paid at every step and the packing only once. Costs a second packed
   * copy of the batch (the float64 cat network's: 20 MiB).
   */
  transposedCopy?: boolean;
}

/**
 * One training step of a dense network — forward, J, backward — in buffers allocated once and
 * reused by every step. It holds copies: the caller loads the batch and the current W[l], b[l]
 * before a step and reads dW[l], db[l] from `gradients(l)` after it.
 */
export interface DenseProgram {
  readonly capacity: number;
  /** Copies W[l] and b[l] (l from 1) into the program. */
  loadParameters(l: number, W: TypedArray, b: TypedArray): void;
  /**
   * Copies a batch in: the columns `columns[start … start+size)` of X (n[0], total) and
   * Y (n[L], total) — or the columns start … start+size when `columns` is null. `forwardOnly`:
   * only `forward` will run on this batch (what only the backward pass needs is skipped).
   * `XbyRow`: the same X with its samples as rows (total × n[0]); when given with `columns`,
   * X's columns are read from it (each sample one contiguous run, not n[0] scattered values).
   */
  loadBatch(X: TypedArray, Y: TypedArray, total: number, columns: ArrayLike<number> | null, start: number, size: number, forwardOnly?: boolean, XbyRow?: TypedArray | null): void;
  /**
   * W[l] := W[l] − α·dW[l], b[l] := b[l] − α·db[l] on the program's copies, written back into
   * `W` and `b` (so they need no reload before the next step).
   */
  descend(l: number, learningRate: number, W: TypedArray, b: TypedArray): void;
  /**
   * The same descent on every layer, checked in the same pass. If some dW[l] or db[l] holds a
   * NaN or ±Inf, nothing changes (the program's copies are reloaded from `params`) and it
   * returns 2k, k the first such gradient in the order dW1, db1, dW2, … (0, 1, 2, …).
   * Otherwise the update is made and written back into `params[l−1]`, and it returns −1, or
   * 2k + 1 where parameter k (W1, b1, W2, …) became non-finite.
   */
  descendChecked(learningRate: number, params: readonly { W: TypedArray; b: TypedArray }[]): number;
  /**
   * Forward, cost and backward on the loaded batch; returns J (before any update). `masked`
   * (a program built with `dropout`): each hidden layer's A[l] is multiplied by D[l], the
   * values the caller wrote into `dropoutMask(l)` for this batch (n[l] rows of the batch's
   * size), before the next layer reads it, and dA[l] by D[l] on the way back — as the graph
   * of `mul(A, D)` computes both.
   */
  step(masked?: boolean): number;
  /**
   * D[l] of hidden layer l (1 … L−1) of a program built with `dropout`: a view of capacity·n[l]
   * values, valid for the program's lifetime, whose first n[l]·m the caller fills (rows m apart,
   * m the loaded batch's size) before a masked step.
   */
  dropoutMask(l: number): TypedArray;
  /**
   * L2 regularization of the last step, as fit's graph computes it: returns J + Σ_l c·‖W[l]‖²
   * (c = λ/(2m); each sum in the order `sum` takes over W[l] held as `shapes[l−1]`, rows × columns)
   * and adds 2c·W[l] to dW[l].
   */
  regularize(J: number, c: number, shapes: readonly (readonly [number, number])[]): number;
  /**
   * The forward pass alone on the loaded batch: Z[L] (bias added, before the output activation),
   * n[L] rows of the batch's size, as a view valid until the program runs again.
   */
  forward(): TypedArray;
  /**
   * J on all of (X, Y) — n[0] × total and n[L] × total, no L2 term — by the forward pass alone,
   * in batches of at most `capacity` columns in order: the same J as `step` on one batch of
   * all `total` columns (each column's terms summed, then the column sums, in its order).
   * `each(Z, start, size)` sees each batch's Z[L] (rows `size` apart), valid during the call.
   * The loaded batch is the last of these afterwards.
   */
  evaluate(X: TypedArray, Y: TypedArray, total: number, each?: ((Z: TypedArray, start: number, size: number) => void) | null): number;
  /**
   * Z[L] of the last `step`, `forward` or `evaluate` batch (bias added, before the output
   * activation): its first n[L]·m values, m the batch's size, rows m apart. A view of the
   * program's buffer (no copy, nothing allocated), valid until the program runs again.
   */
  output(): TypedArray;
  /** dW[l] and db[l] of the last step, as views that stay valid for the program's lifetime. */
  gradients(l: number): { dW: TypedArray; db: TypedArray };
  /** The first gradient, in the order dW1, db1, dW2, … (0, 1, 2, …), holding a NaN or ±Inf, or −1. */
  firstNonFiniteGradient(): number;
  /** The same for the loaded parameters W1, b1, W2, … */
  firstNonFiniteParameter(): number;
  /**
   * Two buffers of parameter k's size (W1, b1, W2, … = 0, 1, 2, …) for an optimizer's state
   * (Adam's m and v; momentum's v, RMSprop's s in the first), as views valid for the program's
   * lifetime: `update` updates them in place.
   */
  optimizerState(k: number): readonly [TypedArray, TypedArray];
  /**
   * An optimizer's update of the program's copy of parameter k from its last gradient and
   * optimizerState(k), by `rule` (the same bits as optim/rules.ts's function for it), written
   * back into `out`.
   */
  update(k: number, rule: ProgramRule, out: TypedArray): void;
}

/**
 * The constants of one optimizer update in a compiled step: those of optim/rules.ts's
 * adamUpdate (adamScalars, with β2 and ε), momentumUpdate and rmspropUpdate.
 */
export type ProgramRule =
  | { kind: 'adam'; small: boolean; weight: number; complement: number; c2: number; stepSize: number; biasCorrection2Sqrt: number; beta2: number; epsilon: number }
  | { kind: 'momentum'; learningRate: number; beta: number; keep: number; initialize: boolean }
  | { kind: 'rmsprop'; learningRate: number; rho: number; c: number; epsilon: number };

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'square'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'clip'
  /** log(1 + e^x) without overflow: the stable half of cross-entropy from logits. */
  | 'softplus';

export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';
