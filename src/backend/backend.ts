import type { TypedArray } from '../tensor/dtype.js';

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
   * no transpose is ever materialized.
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
}

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'square'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'clip'
  /** log(1 + e^x) without overflow: the stable half of cross-entropy from logits. */
  | 'softplus';

export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';
