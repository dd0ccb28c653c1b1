import { record } from '../autograd/record.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxis, shapeSize } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Joins tensors along an existing axis (axis 1 joins samples of X). All other dimensions
 * must agree. Backward hands each input its slice of dOut.
 * @example concat([X_a, X_b], 1) // (n_x, m_a + m_b)
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (!first) throw new ArgumentError('concat', 'needs at least one tensor');
  const ax = normalizeAxis(axis, first.rank, 'concat');
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new DTypeError('concat', `tensor ${i} is ${t.dtype} but tensor 0 is ${first.dtype}`);
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== ax && d !== first.shape[k])) {
      throw new ShapeError('concat', `tensor ${i} has shape ${fmtShape(t.shape)}, which does not match ${fmtShape(first.shape)} outside axis ${ax}`);
    }
  });
  const outer = shapeSize(first.shape.slice(0, ax));
  const inner = shapeSize(first.shape.slice(ax + 1));
  const lens = tensors.map((t) => t.shape[ax]!);
  const total = lens.reduce((a, b) => a + b, 0);
  const out = allocate(first.dtype, outer * total * inner);
  let offset = 0;
  tensors.forEach((t, i) => {
    const run = lens[i]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * run, (o + 1) * run), o * total * inner + offset);
    offset += run;
  });
  const shape = first.shape.slice();
  shape[ax] = total;
  return record(new Tensor(out, shape), 'concat', tensors, (g) => {
    let at = 0;
    return tensors.map((t, i) => {
      const run = lens[i]! * inner;
      const d = allocate(t.dtype, t.size);
      for (let o = 0; o < outer; o++) d.set(g.data.subarray(o * total * inner + at, o * total * inner + at + run), o * run);
      at += run;
      return new Tensor(d, t.shape);
    });
  });
}
