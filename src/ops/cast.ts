import { record } from '../autograd/record.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The same values in another dtype (float64 → float32 rounds to nearest). Gradients flow
 * back converted to the input's dtype.
 * @example cast(X, 'float32')
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  const target = checkDType(dtype, 'cast');
  if (target === x.dtype) return x;
  const out = allocate(target, x.size);
  out.set(x.data);
  return record(new Tensor(out, x.shape), 'cast', [x], (g) => {
    const d = allocate(x.dtype, x.size);
    d.set(g.data);
    return [new Tensor(d, x.shape)];
  });
}
