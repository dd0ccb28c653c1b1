import { record } from '../autograd/record.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxis, shapeSize } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { exp } from './unary.js';

/**
 * log softmax along `axis` (0 = over the units of a column, the seeds' layout).
 * A fused primitive for numerical stability: log Σ e^z is computed after subtracting the
 * maximum, so logits of 1000 stay finite — composing log(softmax) would give −Inf.
 * Backward: dZ = dOut − softmax(Z)·Σ dOut (along the axis).
 */
export function logSoftmax(z: Tensor, axis = 0): Tensor {
  const ax = normalizeAxis(axis, z.rank, 'logSoftmax');
  const outer = shapeSize(z.shape.slice(0, ax));
  const len = z.shape[ax]!;
  const inner = shapeSize(z.shape.slice(ax + 1));
  const out = allocate(z.dtype, z.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let r = 0; r < len; r++) m = Math.max(m, z.data[base + r * inner]!);
      let s = 0;
      for (let r = 0; r < len; r++) s += Math.exp(z.data[base + r * inner]! - m);
      const lse = m + Math.log(s);
      for (let r = 0; r < len; r++) out[base + r * inner] = z.data[base + r * inner]! - lse;
    }
  }
  const y = new Tensor(out, z.shape);
  return record(y, 'logSoftmax', [z], (g) => {
    const dz = allocate(z.dtype, z.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let s = 0;
        for (let r = 0; r < len; r++) s += g.data[base + r * inner]!;
        for (let r = 0; r < len; r++) {
          const k = base + r * inner;
          dz[k] = g.data[k]! - Math.exp(y.data[k]!) * s;
        }
      }
    }
    return [new Tensor(dz, z.shape)];
  });
}

/**
 * softmax along `axis` (0 by default: each column of Z sums to 1), as exp(logSoftmax):
 * stable for huge logits, and its gradient comes from the two primitives.
 */
export function softmax(z: Tensor, axis = 0): Tensor {
  return exp(logSoftmax(z, axis));
}
