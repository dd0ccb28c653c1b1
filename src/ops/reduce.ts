import type { ReduceOp } from '../backend/backend.js';
import { checkOptions, optionKeys } from '../options.js';
import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxis, shapeSize, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryForward } from './binary.js';
import { scalarOf } from './operand.js';

/** Which axes to reduce (all when omitted) and whether to keep them as size-1 dimensions. */
export interface ReduceOptions {
  axis?: number | readonly number[];
  keepdims?: boolean;
}

const REDUCE_KEYS = optionKeys<ReduceOptions>()(['axis', 'keepdims']);

interface Plan {
  axes: number[];
  /** Result shape with reduced axes kept as 1: the shape dOut is broadcast from. */
  keptShape: number[];
  outShape: number[];
}

function plan(x: Tensor, options: ReduceOptions, op: string): Plan {
  checkOptions(options, op, REDUCE_KEYS);
  const raw = options.axis === undefined ? x.shape.map((_, i) => i) : typeof options.axis === 'number' ? [options.axis] : options.axis;
  const axes = [...new Set(raw.map((a) => normalizeAxis(a, x.rank, op)))].sort((p, q) => p - q);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = options.keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return { axes, keptShape, outShape };
}

// Reduces the axes one at a time as (outer, len, inner) views; results in keptShape.
function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  let data = x.data;
  const shape = x.shape.slice();
  for (const axis of axes) {
    const outer = shapeSize(shape.slice(0, axis));
    const inner = shapeSize(shape.slice(axis + 1));
    const out = allocate(x.dtype, outer * inner);
    getBackend().reduce(op, data, out, outer, shape[axis]!, inner);
    data = out;
    shape[axis] = 1;
  }
  return new Tensor(data, shape);
}

// dOut (in keptShape) copied over the reduced axes: added to zeros of x's shape, which the
// broadcasting kernel does exactly.
function expand(g: Tensor, keptShape: Shape, shape: Shape): Tensor {
  const kept = new Tensor(g.data, keptShape);
  return binaryForward('add', kept, new Tensor(allocate(g.dtype, shapeSize(shape)), shape));
}

/**
 * Σ over the given axes. Backward: dOut copied back over the reduced axes.
 * @example sum(dZ, { axis: 1, keepdims: true }) // db before the 1/m: shape (n[l], 1)
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { axes, keptShape, outShape } = plan(x, options, 'sum');
  const out = new Tensor(reduceRaw('sum', x, axes).data, outShape);
  return record(out, 'sum', [x], (g) => [expand(g, keptShape, x.shape)]);
}

/** Arithmetic mean over the given axes (all by default). */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const { axes, keptShape, outShape } = plan(x, options, 'mean');
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const total = reduceRaw('sum', x, axes);
  const out = binaryForward('div', new Tensor(total.data, outShape), scalarOf(count, x.dtype));
  return record(out, 'mean', [x], (g) => [binaryForward('div', expand(g, keptShape, x.shape), scalarOf(count, x.dtype))]);
}

/** Largest value over the given axes. The gradient is shared equally among tied maxima. */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extreme('max', x, options);
}

/** Smallest value over the given axes. The gradient is shared equally among tied minima. */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extreme('min', x, options);
}

function extreme(op: 'max' | 'min', x: Tensor, options: ReduceOptions): Tensor {
  const { axes, keptShape, outShape } = plan(x, options, op);
  const kept = reduceRaw(op, x, axes);
  const out = new Tensor(kept.data, outShape);
  return record(out, op, [x], (g) => {
    const mask = binaryForward('eq', x, kept);
    const ties = reduceRaw('sum', mask, axes);
    return [binaryForward('mul', mask, binaryForward('div', new Tensor(g.data, keptShape), ties))];
  });
}

/** Index of the largest value along `axis` (first one at a tie), as float values; the axis is removed. */
export function argmax(x: Tensor, axis: number): Tensor {
  return argExtreme('argmax', x, axis);
}

/** Index of the smallest value along `axis` (first one at a tie). */
export function argmin(x: Tensor, axis: number): Tensor {
  return argExtreme('argmin', x, axis);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank, op);
  const out = reduceRaw(op, x, [a]);
  return new Tensor(out.data, x.shape.filter((_, i) => i !== a));
}
