import { ArgumentError, DTypeError } from '../errors.js';

/** The two element types. float64 matches numpy/PyTorch double to ~1e-12; float32 is faster. */
export type DType = 'float32' | 'float64';

/** Row-major storage of a tensor's elements. */
export type TypedArray = Float32Array | Float64Array;

/** nabla's default, chosen to match numpy: results compare with the course's float64 figures. */
export const DEFAULT_DTYPE: DType = 'float64';

// The largest single tensor nabla will allocate, in bytes (default 4 GiB, about what a typed
// array may hold). A request above it is refused with a clear error before any memory is taken.
let maxTensorBytes = 4 * 1024 ** 3;

/**
 * Sets the ceiling on a single tensor's size in bytes, so a forged file header or a shape
 * mistake fails with a clear error instead of exhausting memory. Returns the previous value.
 * @example setMaxTensorBytes(256 * 1024 ** 2) // 256 MiB
 */
export function setMaxTensorBytes(bytes: number): number {
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw new ArgumentError('setMaxTensorBytes', `needs a finite number of bytes > 0, got ${bytes}`);
  const previous = maxTensorBytes;
  maxTensorBytes = bytes;
  return previous;
}

/** The current ceiling on a single tensor's size in bytes. */
export function getMaxTensorBytes(): number {
  return maxTensorBytes;
}

/** A zero-filled buffer of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  const bytes = checkSize(dtype, size);
  try {
    return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  } catch (e) {
    throw cannotAllocate(dtype, size, bytes, e);
  }
}

// Node's Buffer.allocUnsafeSlow (absent in browsers): memory handed over without zeroing it.
type UnzeroedAllocator = (bytes: number) => { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: UnzeroedAllocator } }).Buffer?.allocUnsafeSlow;

// Below this many bytes zeroing costs less than the Buffer object that would skip it.
const UNFILLED_MIN_BYTES = 64 * 1024;

/**
 * A buffer of `size` elements of `dtype` whose values are unspecified: only for an output its
 * kernel writes in full (a matmul's C). In Node a large one skips the zero-fill that `allocate`
 * pays for (a 4 MiB output between 1024² products: 0.11 ms against 0.50, its pages touched
 * included, spent before the helper thread gets the product); elsewhere, and for small ones,
 * it is `allocate`.
 */
export function allocateUnfilled(dtype: DType, size: number): TypedArray {
  const bytes = checkSize(dtype, size);
  if (allocUnsafeSlow === undefined || bytes < UNFILLED_MIN_BYTES) return allocate(dtype, size);
  let raw: ReturnType<UnzeroedAllocator>;
  try {
    raw = allocUnsafeSlow(bytes);
  } catch (e) {
    throw cannotAllocate(dtype, size, bytes, e);
  }
  // A Buffer polyfill (a bundler's) may hand back something else: then the zeroed kind.
  if (!(raw.buffer instanceof ArrayBuffer) || raw.byteOffset !== 0 || raw.byteLength !== bytes) return allocate(dtype, size);
  return dtype === 'float32' ? new Float32Array(raw.buffer, 0, size) : new Float64Array(raw.buffer, 0, size);
}

// The size in bytes of a tensor of `size` elements, refused above the ceiling before any memory is taken.
function checkSize(dtype: DType, size: number): number {
  const bytes = size * (dtype === 'float32' ? 4 : 8);
  if (bytes > maxTensorBytes) {
    throw new ArgumentError('allocate', `a ${dtype} tensor of ${size} elements needs ${formatBytes(bytes)}, above the limit of ${formatBytes(maxTensorBytes)} (setMaxTensorBytes to change it)`);
  }
  return bytes;
}

// The engine could not provide the memory: say what was asked instead of a bare RangeError.
function cannotAllocate(dtype: DType, size: number, bytes: number, e: unknown): ArgumentError {
  return new ArgumentError('allocate', `could not allocate ${formatBytes(bytes)} for a ${dtype} tensor of ${size} elements (${(e as Error).message})`);
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** Checks a user-supplied dtype name; `where` names the argument in the error. */
export function checkDType(dtype: unknown, where = 'dtype'): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(where, `unknown dtype ${JSON.stringify(dtype)}: expected 'float32' or 'float64'`);
}

export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}
