import { backpropagate, type GradNode } from '../autograd/engine.js';
import { ArgumentError, GraphError, fmtShape } from '../errors.js';
import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { shapeSize, stridesOf, type Shape } from './shape.js';

/** A nested array of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32 or float64 in row-major order, and a value in the
 * computation graph. Tensors are never disposed by hand: memory is the garbage collector's.
 *
 * Arithmetic lives in functional ops (`add`, `matmul`, …), which are the source of truth;
 * a Tensor holds data, its place in the graph, and its gradient.
 *
 * @example
 * const a = tensor([[1, 2], [3, 4]]);
 * a.shape;      // [2, 2]
 * a.toArray();  // [[1, 2], [3, 4]]
 */
export class Tensor {
  /** Elements in row-major order. Optimizers update parameters through it in place. */
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Whether backprop computes a gradient for this tensor (seed: "dvar"). */
  requiresGrad: boolean;
  /** dJ/dthis after `J.backward()`, for leaves and for tensors that called `retainGrad()`. */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf (data, parameters). @internal */
  node: GradNode | null;
  /** A name for messages and traces (`W1`, `b1`). */
  name: string | undefined;
  #retainsGrad = false;

  /** Wraps `data` (not copied) with `shape`. Prefer `tensor()`, `zeros()`, … to build one. */
  constructor(data: TypedArray, shape: Shape, options: { requiresGrad?: boolean; node?: GradNode | null; name?: string } = {}) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ArgumentError('Tensor', `${data.length} values do not fill shape ${fmtShape(shape)} (${size} elements)`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtypeOf(data);
    this.size = size;
    this.requiresGrad = options.requiresGrad ?? false;
    this.node = options.node ?? null;
    this.name = options.name;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (inputs, parameters). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  get retainsGrad(): boolean {
    return this.#retainsGrad;
  }

  /** Keeps `.grad` on an intermediate value after backward (used by the step trace for dZ[l]). */
  retainGrad(): this {
    this.#retainsGrad = true;
    return this;
  }

  /**
   * Backprop from this tensor: fills `.grad` of every leaf with `requiresGrad` that it
   * depends on, accumulating into gradients already there. A scalar needs no `grad`
   * argument; a non-scalar needs dOut of its own shape.
   *
   * @example
   * const a = scalar(5, { requiresGrad: true });
   * const J = mul(a, 3); J.backward(); a.grad?.item(); // 3
   */
  backward(grad?: Tensor): void {
    if (!this.requiresGrad) {
      throw new GraphError('backward', 'this tensor does not require grad: no input with requiresGrad = true reaches it (or it was made under noGrad)');
    }
    let seed: Tensor;
    if (grad) {
      if (grad.size !== this.size) throw new GraphError('backward', `grad has shape ${fmtShape(grad.shape)} but the tensor has ${fmtShape(this.shape)}`);
      seed = grad;
    } else {
      if (this.size !== 1) throw new GraphError('backward', `backward() without a gradient needs a scalar, got shape ${fmtShape(this.shape)}: reduce it first (sum, mean) or pass dOut`);
      const ones = allocate(this.dtype, 1);
      ones[0] = 1;
      seed = new Tensor(ones, this.shape);
    }
    backpropagate(this, seed);
  }

  /** Forgets the accumulated gradient (before the next iteration's backward). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The same data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy of the data, cut from the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ArgumentError('item', `only a one-element tensor has an item, this one has shape ${fmtShape(this.shape)}`);
    return this.data[0]!;
  }

  /** The element at the given indices (negative counts from the end). */
  at(...indices: number[]): number {
    if (indices.length !== this.rank) {
      throw new ArgumentError('at', `${indices.length} indices for a tensor of rank ${this.rank} ${fmtShape(this.shape)}`);
    }
    const strides = stridesOf(this.shape);
    let offset = 0;
    indices.forEach((index, d) => {
      const dim = this.shape[d]!;
      const i = index < 0 ? index + dim : index;
      if (!Number.isInteger(i) || i < 0 || i >= dim) {
        throw new ArgumentError('at', `index ${index} is out of range for dimension ${d} of size ${dim}`);
      }
      offset += i * strides[d]!;
    });
    return this.data[offset]!;
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      if (dim === this.rank) return this.data[offset]!;
      const n = this.shape[dim]!;
      const inner = stride / n;
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * inner, inner));
      return out;
    };
    return build(0, 0, this.size);
  }

  /** The values as a flat array in row-major order. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  /** numpy-style printing: `array([[1., 2.], [3., 4.]], dtype=float64)`, summarized when large. */
  toString(): string {
    return formatTensor(this);
  }
}

/**
 * `value` as a Tensor, or an ArgumentError naming `where` and what came instead. The public
 * functions call it at the front, so a plain array, a typed array or a missing argument from
 * JavaScript reads as the user's mistake rather than a TypeError from inside the library.
 */
export function expectTensor(value: unknown, where: string): Tensor {
  if (value instanceof Tensor) return value;
  throw new ArgumentError(where, `must be a Tensor (make one with tensor(…)), got ${describeValue(value)}`);
}

/** What a value is, for messages about a wrong argument: `an array of 3`, `the string "a"`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  // A function's String() is its whole source: its name is enough.
  if (typeof value === 'function') return value.name ? `the function ${value.name}` : 'a function';
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  const kind = (value as object).constructor;
  if (kind === undefined || kind === Object) {
    const keys = Object.keys(value as object);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return `a ${kind.name || 'object'}`;
}
