/*
 * A product of few rows whose B is long, computed as B is copied in: each slice of KC rows of B
 * is multiplied while it is still in cache, instead of copying all of B into linear memory and
 * reading it back. Used by the one-thread backend's matmul and by each thread of the threaded
 * one's (SplitGemm.gemmSliced).
 */

/** The kernels' exports a sliced product calls. */
export interface SliceKernels {
  packBlocking(double: number, what: number): number;
  gemmF32Strided(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, scratch: number): void;
  gemmF64Strided(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, scratch: number): void;
  gemmF32Add(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, scratch: number): void;
  gemmF64Add(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, scratch: number): void;
}

/**
 * The first `columns` columns of C (M×N at cAt, rows N apart) = op(A)·B, B (K×N) not yet in
 * memory: for each slice of KC rows, `copy(p0, p1)` puts rows p0 … p1 of B at `sliceAt(p0)`,
 * `copied(p1)` (if given) says so to whoever waits for it, and the slice's product is added to
 * C (gemmF*Add; the first one writes it). Slices start at multiples of KC and are added in
 * order: each element's bits are the whole product's (asm/gemm.ts, gemmF32Add).
 */
export function multiplySlices(
  k: SliceKernels, double: boolean, aAt: number, sliceAt: (p0: number) => number, cAt: number,
  M: number, N: number, columns: number, K: number, transA: boolean, scratch: number,
  copy: (p0: number, p1: number) => void, copied?: (p1: number) => void,
): void {
  const size = double ? 8 : 4, ai = transA ? 1 : K, ap = transA ? M : 1;
  const slice = k.packBlocking(double ? 1 : 0, 1);
  const first = double ? k.gemmF64Strided : k.gemmF32Strided, add = double ? k.gemmF64Add : k.gemmF32Add;
  for (let p0 = 0; p0 < K; p0 += slice) {
    const p1 = Math.min(K, p0 + slice);
    copy(p0, p1);
    copied?.(p1);
    (p0 === 0 ? first : add)(aAt + p0 * ap * size, sliceAt(p0), cAt, M, columns, p1 - p0, ai, ap, N, 1, N, scratch);
  }
}
