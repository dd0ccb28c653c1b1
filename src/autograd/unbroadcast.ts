import { getBackend } from '../backend/registry.js';
import { GraphError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { sameShape, shapeSize, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The one place where the gradient of a broadcast input is summed back to its shape:
 * if b (n, 1) was added to Z (n, m), db gets Σ over the m columns. Every op's backward
 * returns gradients in the output's shape and this folds them.
 */
export function sumToShape(g: Tensor, shape: Shape, op: string): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0) throw new GraphError(op, `cannot fold a gradient of shape ${fmtShape(g.shape)} into ${fmtShape(shape)}`);
  // Reduce one axis at a time as an (outer, len, inner) view, outermost first.
  let data = g.data;
  let current = g.shape.slice();
  for (let axis = 0; axis < current.length; axis++) {
    const target = axis < lead ? 1 : shape[axis - lead]!;
    const len = current[axis]!;
    if (len === target) continue;
    if (target !== 1) throw new GraphError(op, `cannot fold a gradient of shape ${fmtShape(g.shape)} into ${fmtShape(shape)}`);
    const outer = shapeSize(current.slice(0, axis));
    const inner = shapeSize(current.slice(axis + 1));
    const out = allocate(g.dtype, outer * inner);
    getBackend().reduce('sum', data, out, outer, len, inner);
    data = out;
    current[axis] = 1;
  }
  return new Tensor(data, shape);
}
