import type { UnaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/record.js';
import { ArgumentError } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * An element-wise op: forward and local backward both run as kernels of the backend, and
 * the backward reads the saved input x and output y (σ′ = a(1 − a) needs only y).
 */
function unaryOp(op: UnaryOp, x: Tensor, p0 = 0, p1 = 0): Tensor {
  const backend = getBackend();
  const out = allocate(x.dtype, x.size);
  backend.unary(op, x.data, out, p0, p1);
  const y = new Tensor(out, x.shape);
  return record(y, op, [x], (dOut) => {
    const dx = allocate(x.dtype, x.size);
    backend.unaryBackward(op, x.data, y.data, dOut.data, dx, p0, p1);
    return [new Tensor(dx, x.shape)];
  });
}

/** −x. */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
/** e^x. d/dx = e^x. */
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
/** Natural log (the seeds' log). d/dx = 1/x. */
export const log = (x: Tensor): Tensor => unaryOp('log', x);
/** √x. d/dx = 1/(2√x). */
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
/** |x|. Gradient at 0 is 0. */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
/** −1, 0 or 1. Gradient 0 everywhere. */
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);
/** x². d/dx = 2x. */
export const square = (x: Tensor): Tensor => unaryOp('square', x);

/** σ(z) = 1 / (1 + e^−z). σ′(z) = σ(z)(1 − σ(z)). @example sigmoid(tensor([0])).item() // 0.5 */
export const sigmoid = (z: Tensor): Tensor => unaryOp('sigmoid', z);
/** tanh(z). d/dz = 1 − tanh²(z). */
export const tanh = (z: Tensor): Tensor => unaryOp('tanh', z);
/** max(0, z). The gradient at exactly z = 0 is taken as 0, like the course's relu_backward. */
export const relu = (z: Tensor): Tensor => unaryOp('relu', z);
/** log(1 + e^z), computed without overflow; d/dz = σ(z). The stable core of cross-entropy from logits. */
export const softplus = (z: Tensor): Tensor => unaryOp('softplus', z);

/** z for z > 0, alpha·z otherwise (alpha = 0.01 by default). */
export function leakyRelu(z: Tensor, alpha = 0.01): Tensor {
  if (!Number.isFinite(alpha) || alpha < 0) throw new ArgumentError('leakyRelu', `alpha must be a finite number ≥ 0, got ${alpha}`);
  return unaryOp('leakyRelu', z, alpha);
}

/** Limits values to [min, max]; the gradient passes inside the bounds only. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) throw new ArgumentError('clip', `needs min ≤ max, got min = ${min}, max = ${max}`);
  return unaryOp('clip', x, min, max);
}
