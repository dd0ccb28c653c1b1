import type { TypedArray } from '../../tensor/dtype.js';
import type { ReduceOp } from '../backend.js';

/** Reduces the middle axis of an (outer, len, inner) view; see Backend.reduce. */
export function reduce(op: ReduceOp, x: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void {
  if (op === 'sum') { sum(x, out, outer, len, inner); return; }
  if (op === 'argmax' || op === 'argmin') { argExtreme(op === 'argmax', x, out, outer, len, inner); return; }
  extreme(op === 'max', x, out, outer, len, inner);
}

function sum(x: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void {
  if (inner === 1) {
    // Contiguous runs (db = Σ over the columns of dZ): four partial sums, in doubles.
    for (let o = 0; o < outer; o++) {
      const base = o * len;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, r = 0;
      for (; r + 4 <= len; r += 4) { s0 += x[base + r]!; s1 += x[base + r + 1]!; s2 += x[base + r + 2]!; s3 += x[base + r + 3]!; }
      for (; r < len; r++) s0 += x[base + r]!;
      out[o] = (s0 + s1) + (s2 + s3);
    }
    return;
  }
  // Strided: accumulate whole rows in a double buffer so float32 output is rounded once.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * len * inner;
    for (let r = 0; r < len; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
    }
    out.set(acc, o * inner);
  }
}

function extreme(isMax: boolean, x: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = x[base]!;
      for (let r = 1; r < len && m === m; r++) {
        const v = x[base + r * inner]!;
        // NaN wins, as in numpy.max.
        if (v !== v || (isMax ? v > m : v < m)) m = v;
      }
      out[o * inner + i] = m;
    }
  }
}

function argExtreme(isMax: boolean, x: TypedArray, out: TypedArray, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = x[base]!, at = 0;
      for (let r = 1; r < len && m === m; r++) {
        const v = x[base + r * inner]!;
        // First occurrence wins ties; the first NaN wins outright (numpy.argmax).
        if (v !== v || (isMax ? v > m : v < m)) { m = v; at = r; }
      }
      out[o * inner + i] = at;
    }
  }
}
