import type { BinaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides, shapeSize } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { toTensors, type Operand } from './operand.js';

/** The forward of a broadcasting binary op, without recording: shapes checked here, once. */
export function binaryForward(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = allocate(a.dtype, shapeSize(shape));
  getBackend().binary(op, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out, shape);
  return new Tensor(out, shape);
}

/**
 * a + b with numpy broadcasting. ∂/∂a = ∂/∂b = 1: dOut flows to both, and a broadcast
 * input (b[l] across m columns) gets it summed back by the engine.
 * @example add(tensor([[1], [2]]), tensor([[10, 20]])).toArray() // [[11, 21], [12, 22]]
 */
export function add(a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, 'add');
  return record(binaryForward('add', x, y), 'add', [x, y], (g) => [g, g]);
}

/** a − b with broadcasting. ∂/∂a = 1, ∂/∂b = −1. @example sub(5, tensor([1, 2])) // [4, 3] */
export function sub(a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, 'sub');
  return record(binaryForward('sub', x, y), 'sub', [x, y], (g, needs) => [g, needs[1] ? neg(g) : null]);
}

/** Element-wise a·b (the seeds' `*`) with broadcasting. ∂/∂a = b, ∂/∂b = a. */
export function mul(a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, 'mul');
  return record(binaryForward('mul', x, y), 'mul', [x, y], (g, needs) => [
    needs[0] ? binaryForward('mul', g, y) : null,
    needs[1] ? binaryForward('mul', g, x) : null,
  ]);
}

/** Element-wise a / b with broadcasting. ∂/∂a = 1/b, ∂/∂b = −a/b². */
export function div(a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, 'div');
  const out = binaryForward('div', x, y);
  return record(out, 'div', [x, y], (g, needs) => [
    needs[0] ? binaryForward('div', g, y) : null,
    // −g·(a/b)/b = −g·out/b: reuses the forward value.
    needs[1] ? neg(binaryForward('div', binaryForward('mul', g, out), y)) : null,
  ]);
}

/** Element-wise a^b. ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a (only computed when b needs it). */
export function pow(a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, 'pow');
  const out = binaryForward('pow', x, y);
  return record(out, 'pow', [x, y], (g, needs) => [
    needs[0] ? binaryForward('mul', g, binaryForward('mul', y, binaryForward('pow', x, binaryForward('sub', y, ones(y))))) : null,
    needs[1] ? binaryForward('mul', g, binaryForward('mul', out, logOf(x))) : null,
  ]);
}

/** Element-wise larger value (NaN propagates). At a tie each side gets half the gradient, as in PyTorch. */
export function maximum(a: Operand, b: Operand): Tensor {
  return extremum('maximum', 'gt', a, b);
}

/** Element-wise smaller value (NaN propagates). At a tie each side gets half the gradient. */
export function minimum(a: Operand, b: Operand): Tensor {
  return extremum('minimum', 'lt', a, b);
}

function extremum(op: 'maximum' | 'minimum', wins: 'gt' | 'lt', a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, op);
  return record(binaryForward(op, x, y), op, [x, y], (g) => {
    const tie = binaryForward('mul', binaryForward('eq', x, y), half(x));
    const maskA = binaryForward('add', binaryForward(wins, x, y), tie);
    const maskB = binaryForward('add', binaryForward(wins, y, x), tie);
    return [binaryForward('mul', g, maskA), binaryForward('mul', g, maskB)];
  });
}

// Comparisons give 1 or 0 in the operands' dtype and are not differentiable (no graph).
/** 1 where a == b, else 0. */
export const equal = (a: Operand, b: Operand): Tensor => compare('eq', a, b);
/** 1 where a != b, else 0. */
export const notEqual = (a: Operand, b: Operand): Tensor => compare('ne', a, b);
/** 1 where a < b, else 0. */
export const less = (a: Operand, b: Operand): Tensor => compare('lt', a, b);
/** 1 where a <= b, else 0. */
export const lessEqual = (a: Operand, b: Operand): Tensor => compare('le', a, b);
/** 1 where a > b, else 0. @example greater(tensor([0.2, 0.7]), 0.5) // [0, 1] */
export const greater = (a: Operand, b: Operand): Tensor => compare('gt', a, b);
/** 1 where a >= b, else 0. */
export const greaterEqual = (a: Operand, b: Operand): Tensor => compare('ge', a, b);

function compare(op: BinaryOp, a: Operand, b: Operand): Tensor {
  const [x, y] = toTensors(a, b, op);
  return binaryForward(op, x, y);
}

// Small helpers for backward formulas; they run under noGrad inside the engine.
function neg(t: Tensor): Tensor {
  const out = allocate(t.dtype, t.size);
  getBackend().unary('neg', t.data, out, 0, 0);
  return new Tensor(out, t.shape);
}
function logOf(t: Tensor): Tensor {
  const out = allocate(t.dtype, t.size);
  getBackend().unary('log', t.data, out, 0, 0);
  return new Tensor(out, t.shape);
}
function ones(t: Tensor): Tensor {
  return new Tensor(allocate(t.dtype, 1).fill(1), []);
}
function half(t: Tensor): Tensor {
  return new Tensor(allocate(t.dtype, 1).fill(0.5), []);
}
