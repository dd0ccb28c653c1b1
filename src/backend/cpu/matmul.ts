import type { TypedArray } from '../../tensor/dtype.js';

/*
 * Reference GEMM in plain TypeScript. Each transpose case has its own loop order so the
 * innermost loop always walks memory contiguously, and rows are processed four at a time so
 * each element of the streamed matrix is loaded once per four multiply-adds. Sums accumulate
 * in JavaScript doubles, so float32 results are rounded once per output, not per step.
 */

/** out (M×N) = op(a) · op(b); see Backend.matmul. */
export function matmul(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): void {
  if (!transA && !transB) gemmNN(a, b, out, M, N, K);
  else if (!transA && transB) gemmNT(a, b, out, M, N, K);
  else if (transA && !transB) gemmTN(a, b, out, M, N, K);
  else gemmTT(a, b, out, M, N, K);
}

// C[i,j] = Σp A[i,p]·B[p,j]: for 4 rows of C at a time, stream the rows of B.
function gemmNN(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number): void {
  out.fill(0, 0, M * N);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const c0 = i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    const r0 = i * K, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
    for (let p = 0; p < K; p++) {
      const a0 = a[r0 + p]!, a1 = a[r1 + p]!, a2 = a[r2 + p]!, a3 = a[r3 + p]!;
      const bo = p * N;
      for (let j = 0; j < N; j++) {
        const bv = b[bo + j]!;
        out[c0 + j]! += a0 * bv;
        out[c1 + j]! += a1 * bv;
        out[c2 + j]! += a2 * bv;
        out[c3 + j]! += a3 * bv;
      }
    }
  }
  for (; i < M; i++) {
    const c0 = i * N, r0 = i * K;
    for (let p = 0; p < K; p++) {
      const a0 = a[r0 + p]!;
      const bo = p * N;
      for (let j = 0; j < N; j++) out[c0 + j]! += a0 * b[bo + j]!;
    }
  }
}

// C[i,j] = Σp A[i,p]·B[j,p]: dot products of contiguous rows, 2×2 outputs per pass.
function gemmNT(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number): void {
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const r0 = i * K, r1 = r0 + K;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const q0 = j * K, q1 = q0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < K; p++) {
        const x0 = a[r0 + p]!, x1 = a[r1 + p]!, y0 = b[q0 + p]!, y1 = b[q1 + p]!;
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      out[i * N + j] = s00; out[i * N + j + 1] = s01;
      out[(i + 1) * N + j] = s10; out[(i + 1) * N + j + 1] = s11;
    }
    for (; j < N; j++) {
      const q0 = j * K;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < K; p++) { const y = b[q0 + p]!; s0 += a[r0 + p]! * y; s1 += a[r1 + p]! * y; }
      out[i * N + j] = s0; out[(i + 1) * N + j] = s1;
    }
  }
  for (; i < M; i++) {
    const r0 = i * K;
    for (let j = 0; j < N; j++) {
      const q0 = j * K;
      let s = 0;
      for (let p = 0; p < K; p++) s += a[r0 + p]! * b[q0 + p]!;
      out[i * N + j] = s;
    }
  }
}

// C[i,j] = Σp A[p,i]·B[p,j]: A is stored K×M; stream rows of B into 4 rows of C.
function gemmTN(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number): void {
  out.fill(0, 0, M * N);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const c0 = i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    for (let p = 0; p < K; p++) {
      const ao = p * M + i;
      const a0 = a[ao]!, a1 = a[ao + 1]!, a2 = a[ao + 2]!, a3 = a[ao + 3]!;
      const bo = p * N;
      for (let j = 0; j < N; j++) {
        const bv = b[bo + j]!;
        out[c0 + j]! += a0 * bv;
        out[c1 + j]! += a1 * bv;
        out[c2 + j]! += a2 * bv;
        out[c3 + j]! += a3 * bv;
      }
    }
  }
  for (; i < M; i++) {
    const c0 = i * N;
    for (let p = 0; p < K; p++) {
      const a0 = a[p * M + i]!;
      const bo = p * N;
      for (let j = 0; j < N; j++) out[c0 + j]! += a0 * b[bo + j]!;
    }
  }
}

// C[i,j] = Σp A[p,i]·B[j,p]: rare (gradients never need it); a plain triple loop.
function gemmTT(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) s += a[p * M + i]! * b[j * K + p]!;
      out[i * N + j] = s;
    }
  }
}
