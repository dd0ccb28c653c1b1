import { DTypeError } from '../errors.js';

/** The two element types. float64 matches numpy/PyTorch double to ~1e-12; float32 is faster. */
export type DType = 'float32' | 'float64';

/** Row-major storage of a tensor's elements. */
export type TypedArray = Float32Array | Float64Array;

/** nabla's default, chosen to match numpy: results compare with the course's float64 figures. */
export const DEFAULT_DTYPE: DType = 'float64';

/** A zero-filled buffer of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

/** Checks a user-supplied dtype name; `where` names the argument in the error. */
export function checkDType(dtype: unknown, where = 'dtype'): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(where, `unknown dtype ${JSON.stringify(dtype)}: expected 'float32' or 'float64'`);
}

export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
