import { record } from '../autograd/record.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { shapeSize } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The same elements in a new shape (one dimension may be −1, inferred). No copy: the
 * result shares the data, as numpy's reshape of a contiguous array does.
 * @example reshape(images, [12288, -1]) // each image a column
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new ArgumentError('reshape', `only one dimension may be -1, got ${fmtShape(shape)}`);
  for (const d of shape) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new ArgumentError('reshape', `invalid dimension ${d} in ${fmtShape(shape)}`);
  }
  const known = shapeSize(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (shapeSize(resolved) !== x.size || resolved.some((d) => !Number.isInteger(d))) {
    throw new ShapeError('reshape', `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
  }
  const out = new Tensor(x.data, resolved);
  return record(out, 'reshape', [x], (g) => [new Tensor(g.data, x.shape)]);
}
