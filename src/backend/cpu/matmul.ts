import type { TypedArray } from '../../tensor/dtype.js';

/*
 * Reference GEMM in plain TypeScript, one kernel for all four transpose cases.
 *
 * op(B) is copied, a block of KC rows at a time, into panels of 4 columns laid out
 * contiguously (p-major), so the inner loop reads it sequentially whatever B's layout.
 * op(A) is read in place through two strides, so transposed operands are never
 * materialized. The inner loop keeps a 4×4 tile of C in local variables: 8 loads feed
 * 16 multiply-adds and nothing is stored until the tile's K-block is done. KC bounds the
 * working set (a panel and four rows of A) to a few kilobytes, so it stays in L1.
 * Sums are kept in JavaScript doubles; float32 results are rounded once per K-block.
 */

const KC = 256;
let packBuffer = new Float64Array(0);

/** out (M×N) = op(a) · op(b); see Backend.matmul. */
export function matmul(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): void {
  out.fill(0, 0, M * N);
  if (M === 0 || N === 0 || K === 0) return;
  // op(A)[i, p] = a[i·ai + p·ap]; op(B)[p, j] = b[p·bp + j·bj].
  const ai = transA ? 1 : K, ap = transA ? M : 1;
  const bp = transB ? 1 : N, bj = transB ? K : 1;
  // A row or two (wᵀX in logistic regression): packing would copy as much as it computes.
  if (M < 4) {
    for (let i = 0; i < M; i++) smallRow(a, b, out, i, N, K, ai, ap, bp, bj);
    return;
  }
  const panels = Math.ceil(N / 4);
  if (packBuffer.length < KC * panels * 4) packBuffer = new Float64Array(KC * panels * 4);
  const packed = packBuffer;

  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    pack(b, packed, k0, kc, N, bp, bj);
    let i = 0;
    for (; i + 4 <= M; i += 4) tile4(a, packed, out, i, k0, kc, N, panels, ai, ap);
    for (; i < M; i++) tile1(a, packed, out, i, k0, kc, N, panels, ai, ap);
  }
}

// Panel q holds op(B)[k0 … k0+kc, 4q … 4q+3] as kc rows of 4; columns past N are zero.
function pack(b: TypedArray, packed: Float64Array, k0: number, kc: number, N: number, bp: number, bj: number): void {
  let o = 0;
  for (let j0 = 0; j0 < N; j0 += 4) {
    const width = Math.min(4, N - j0);
    let row = k0 * bp + j0 * bj;
    if (width === 4) {
      const s1 = bj, s2 = 2 * bj, s3 = 3 * bj;
      for (let p = 0; p < kc; p++, o += 4, row += bp) {
        packed[o] = b[row]!; packed[o + 1] = b[row + s1]!; packed[o + 2] = b[row + s2]!; packed[o + 3] = b[row + s3]!;
      }
    } else {
      for (let p = 0; p < kc; p++, o += 4, row += bp) {
        for (let c = 0; c < 4; c++) packed[o + c] = c < width ? b[row + c * bj]! : 0;
      }
    }
  }
}

function tile4(a: TypedArray, packed: Float64Array, out: TypedArray, i: number, k0: number, kc: number, N: number, panels: number, ai: number, ap: number): void {
  const r0 = i * ai + k0 * ap, r1 = r0 + ai, r2 = r1 + ai, r3 = r2 + ai;
  for (let q = 0; q < panels; q++) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    let o = q * kc * 4;
    let x = 0;
    for (let p = 0; p < kc; p++, o += 4, x += ap) {
      const b0 = packed[o]!, b1 = packed[o + 1]!, b2 = packed[o + 2]!, b3 = packed[o + 3]!;
      const a0 = a[r0 + x]!, a1 = a[r1 + x]!, a2 = a[r2 + x]!, a3 = a[r3 + x]!;
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
      c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    }
    const j = q * 4;
    store(out, i * N + j, N - j, c00, c01, c02, c03);
    store(out, (i + 1) * N + j, N - j, c10, c11, c12, c13);
    store(out, (i + 2) * N + j, N - j, c20, c21, c22, c23);
    store(out, (i + 3) * N + j, N - j, c30, c31, c32, c33);
  }
}

function tile1(a: TypedArray, packed: Float64Array, out: TypedArray, i: number, k0: number, kc: number, N: number, panels: number, ai: number, ap: number): void {
  const r0 = i * ai + k0 * ap;
  for (let q = 0; q < panels; q++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    let o = q * kc * 4;
    let x = 0;
    for (let p = 0; p < kc; p++, o += 4, x += ap) {
      const a0 = a[r0 + x]!;
      c0 += a0 * packed[o]!; c1 += a0 * packed[o + 1]!; c2 += a0 * packed[o + 2]!; c3 += a0 * packed[o + 3]!;
    }
    const j = q * 4;
    store(out, i * N + j, N - j, c0, c1, c2, c3);
  }
}

// C[i, :] = op(A)[i, :] · op(B), streaming op(B) in its stored order. Sums run over the
// same K-blocks, in the same order, as the tiled kernel's, so a result does not depend on
// which path computed it (long runs such as the flower net's 10,000 iterations amplify
// even a last-bit difference).
let rowBuffer = new Float64Array(0);
function smallRow(a: TypedArray, b: TypedArray, out: TypedArray, i: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number): void {
  const c0 = i * N, r0 = i * ai;
  if (rowBuffer.length < N) rowBuffer = new Float64Array(N);
  const acc = rowBuffer;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kEnd = Math.min(K, k0 + KC);
    if (bj === 1) {
      acc.fill(0, 0, N);
      for (let p = k0; p < kEnd; p++) {
        const x = a[r0 + p * ap]!;
        const row = p * bp;
        for (let j = 0; j < N; j++) acc[j]! += x * b[row + j]!;
      }
      for (let j = 0; j < N; j++) out[c0 + j]! += acc[j]!;
    } else {
      for (let j = 0; j < N; j++) {
        const col = j * bj;
        let s = 0;
        for (let p = k0; p < kEnd; p++) s += a[r0 + p * ap]! * b[col + p]!;
        out[c0 + j]! += s;
      }
    }
  }
}

// Adds a row of up to 4 results (fewer at the right edge) to C.
function store(out: TypedArray, at: number, left: number, v0: number, v1: number, v2: number, v3: number): void {
  out[at]! += v0;
  if (left > 1) out[at + 1]! += v1;
  if (left > 2) out[at + 2]! += v2;
  if (left > 3) out[at + 3]! += v3;
}
