import type { TypedArray } from '../../tensor/dtype.js';
import type { BinaryOp, UnaryOp } from '../backend.js';

// One inner loop per op over a run of n elements with strides sa, sb (0 = broadcast).
// The op is chosen once per run, never per element.
type Run = (a: TypedArray, ai: number, sa: number, b: TypedArray, bi: number, sb: number, out: TypedArray, oi: number, n: number) => void;

const RUNS: Record<BinaryOp, Run> = {
  add: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! + b[bi + k * sb]!; },
  sub: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! - b[bi + k * sb]!; },
  mul: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! * b[bi + k * sb]!; },
  div: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! / b[bi + k * sb]!; },
  pow: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = Math.pow(a[ai + k * sa]!, b[bi + k * sb]!); },
  // NaN propagates, as in numpy.maximum/minimum.
  maximum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let k = 0; k < n; k++) { const x = a[ai + k * sa]!, y = b[bi + k * sb]!; o[oi + k] = x !== x || x >= y ? x : y; }
  },
  minimum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let k = 0; k < n; k++) { const x = a[ai + k * sa]!, y = b[bi + k * sb]!; o[oi + k] = x !== x || x <= y ? x : y; }
  },
  eq: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! === b[bi + k * sb]! ? 1 : 0; },
  ne: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! !== b[bi + k * sb]! ? 1 : 0; },
  lt: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! < b[bi + k * sb]! ? 1 : 0; },
  le: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! <= b[bi + k * sb]! ? 1 : 0; },
  gt: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! > b[bi + k * sb]! ? 1 : 0; },
  ge: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * sa]! >= b[bi + k * sb]! ? 1 : 0; },
};

/** Broadcasting binary op; see Backend.binary. */
export function binary(op: BinaryOp, a: TypedArray, as: readonly number[], b: TypedArray, bs: readonly number[], out: TypedArray, shape: readonly number[]): void {
  const run = RUNS[op];
  const rank = shape.length;
  const size = out.length;
  if (size === 0) return;
  if (rank === 0) { run(a, 0, 0, b, 0, 0, out, 0, 1); return; }
  // Same-size contiguous operands (the common case) or scalars: one flat run.
  const aFlat = a.length === size ? 1 : a.length === 1 ? 0 : -1;
  const bFlat = b.length === size ? 1 : b.length === 1 ? 0 : -1;
  if (aFlat >= 0 && bFlat >= 0) { run(a, 0, aFlat, b, 0, bFlat, out, 0, size); return; }

  const last = shape[rank - 1]!;
  const sa = as[rank - 1]!, sb = bs[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let ai = 0, bi = 0;
  for (let o = 0; o < size; o += last) {
    run(a, ai, sa, b, bi, sb, out, o, last);
    for (let d = rank - 2; d >= 0; d--) {
      const dim = shape[d]!;
      idx[d]!++;
      ai += as[d]!;
      bi += bs[d]!;
      if (idx[d]! < dim) break;
      ai -= as[d]! * dim;
      bi -= bs[d]! * dim;
      idx[d] = 0;
    }
  }
}

/** out[i] = f(x[i]); see Backend.unary. */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray, p0: number, p1: number): void {
  const n = x.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]!; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); return;
    case 'sign': for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!); return;
    case 'square': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * v; } return;
    // The course's formula 1/(1 + e^−z): for z ≪ 0, e^−z overflows to +Inf and the result is
    // a clean 0, never NaN, so no branch is needed and the figures match numpy's.
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!)); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); return;
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; } return;
    case 'leakyRelu': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : p0 * v; } return;
    case 'clip': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v < p0 ? p0 : v > p1 ? p1 : v; } return;
    case 'softplus':
      // log(1 + e^x) = max(x, 0) + log1p(e^−|x|): e^−|x| ≤ 1 never overflows.
      for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))); }
      return;
  }
}

/** out[i] = dy[i]·f′(x[i]); see Backend.unaryBackward. */
export function unaryBackward(op: UnaryOp, x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray, p0: number, p1: number): void {
  const n = x.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -dy[i]!; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = dy[i]! * y[i]!; return;
    case 'log': for (let i = 0; i < n; i++) out[i] = dy[i]! / x[i]!; return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = (0.5 * dy[i]!) / y[i]!; return;
    // |x|′ and sign′ at 0: 0 (the subgradient PyTorch picks).
    case 'abs': for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.sign(x[i]!); return;
    case 'sign': for (let i = 0; i < n; i++) out[i] = 0; return;
    case 'square': for (let i = 0; i < n; i++) out[i] = 2 * x[i]! * dy[i]!; return;
    // σ′(z) = a(1 − a), read from the forward output as the seeds write it.
    case 'sigmoid': for (let i = 0; i < n; i++) { const a = y[i]!; out[i] = dy[i]! * a * (1 - a); } return;
    case 'tanh': for (let i = 0; i < n; i++) { const a = y[i]!; out[i] = dy[i]! * (1 - a * a); } return;
    // relu′(0) = 0, as the course's relu_backward (dZ[Z <= 0] = 0) and PyTorch.
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : 0; return;
    case 'leakyRelu': for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : p0 * dy[i]!; return;
    // Inside the bounds (inclusive) the gradient passes; outside it is 0.
    case 'clip': for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v >= p0 && v <= p1 ? dy[i]! : 0; } return;
    case 'softplus': for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + Math.exp(-x[i]!)); return;
  }
}
