import { record } from '../autograd/record.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Permutes the axes (reverses them by default: Aᵀ for a matrix). This copies; to multiply by
 * a transpose use `matmul(a, b, { transB: true })`, which reads it in place.
 * @example transpose(tensor([[1, 2, 3]])).shape // [3, 1]
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const perm = axes ?? x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== x.rank || sorted.some((a, i) => a !== i)) {
    throw new ArgumentError('transpose', `axes ${fmtShape(perm)} are not a permutation of the ${x.rank} axes of ${fmtShape(x.shape)}`);
  }
  const out = new Tensor(permute(x, perm), perm.map((a) => x.shape[a]!));
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return record(out, 'transpose', [x], (g) => [new Tensor(permute(g, inverse), x.shape)]);
}

function permute(x: Tensor, perm: readonly number[]): Float32Array | Float64Array {
  const out = allocate(x.dtype, x.size);
  if (x.rank === 2 && perm[0] === 1) {
    // The common case, a matrix: blocked so both sides stay in cache.
    const [r, c] = [x.shape[0]!, x.shape[1]!];
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const iEnd = Math.min(i0 + B, r), jEnd = Math.min(j0 + B, c);
        for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * r + i] = x.data[i * c + j]!;
      }
    }
    return out;
  }
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((a) => x.shape[a]!);
  const readStrides = perm.map((a) => inStrides[a]!);
  const idx = new Array<number>(x.rank).fill(0);
  let src = 0;
  for (let o = 0; o < x.size; o++) {
    out[o] = x.data[src]!;
    for (let d = x.rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += readStrides[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= readStrides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
