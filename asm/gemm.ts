// AssemblyScript source of the WASM backend's GEMM kernels (compiled by scripts/build-wasm.mjs
// into src/backend/wasm/kernels.generated.ts). Not part of the TypeScript build: it uses
// AssemblyScript's types (f32, usize, v128) and builtins.
//
// C (M×N) = op(A) · op(B), all operands in linear memory at byte addresses given by the caller,
// row-major. op(A)[i, p] = A[i·ai + p·ap] and op(B)[p, j] = B[p·bp + j·bj]: a transposed
// operand is read through swapped strides, never materialized.
//
// Layout of the work (GotoBLAS): for each NC-wide column block of C and each KC-deep slice of
// K, op(B) is packed into NR-column panels (kc rows of NR contiguous values), then for each
// MC-high row block op(A) is packed into MR-row panels (kc columns of MR contiguous values),
// and an MR×NR tile of C is computed in SIMD registers from one A panel and one B panel. The B
// panel (kc·NR values, 8 KiB) stays in L1 while A panels stream from L2 (MC·KC values,
// 128 KiB). Packing makes the inner loop's reads sequential whatever the transposes were.
//
// Few rows of A (M ≤ SMALL_M) and op(B) = B (rows contiguous): packing B would be a pass over
// all of B, as costly as the arithmetic it feeds (each packed panel serves only ⌈M/MR⌉ tiles).
// There the kernel reads full NR-wide panels of B in place, kc rows a row stride apart; only a
// last panel narrower than NR is packed. See `readsBInPlace`. The kernels, and so the order of
// every element's sum, are those of the packed path: only where B's values are read changes.
//
// Summation order. Every element of C is the sum, over K-blocks of KC = 256 in ascending
// order, of a partial sum that starts at 0 and adds op(A)[i, p]·op(B)[p, j] for ascending p.
// That is the order of the reference kernel (src/backend/cpu/matmul.ts). SIMD lanes run across
// columns j (independent outputs), never across p, and every path (tiled, streamed, in place,
// packed, a thread's half) makes the same operations per element, so a product's value never
// depends on its shape, its blocking or the threads. Each step is a multiply-add: with relaxed
// SIMD the engine fuses it into one FMA (one rounding) where the CPU has one, as numpy's BLAS
// does; float64 results then differ from the reference's (which rounds each product) in the
// last bits, within 1e-12 of Σ|a||b| (test/conformance.test.ts). The build without relaxed
// SIMD rounds each product, and its float64 results are bit for bit the reference's. Fusing
// is worth it: float64 GEMM went from 38 % to 49 % of float32's speed (bench, 1024²), and the
// course's float64 figures are the same to 1e-16 (the L-layer cat network's cost after 2,499
// iterations, 0.08843994344170203 against numpy's …202).

const KC: i32 = 256;

// float32: with relaxed SIMD a 6×8 tile is 12 f32x4 accumulators + 2 B vectors + 1 splatted A
// value, 15 of the 16 SIMD registers V8 has on x64 (it keeps xmm15 as scratch): 12 independent
// fused multiply-add chains hide the FMA latency, which a 4×8 tile's 8 do not. Without fusion
// each multiply-add needs a temporary register, so the tile is 4×8 (8 accumulators) there; a
// bigger one spills. With relaxed SIMD, rows that do not make whole 6-row panels are cut into
// 5- and 4-row ones (panelEnds32); a last panel of fewer than 4 rows is padded to 4.
// The tile shape changes no element's summation order (each is still its own chain over p).
const MR32: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
const NR32: i32 = 8;
const MC32: i32 = ASC_FEATURE_RELAXED_SIMD ? 120 : 128; // the tallest row block (blockRows32)
const NC32: i32 = 2048;

// Products with at most this many rows of C read op(B) in place when they can (see
// `readsBInPlace`). Measured on (M×K)·(K×209): in place is 20–50 % faster for M ≤ 40, about
// 10 % at 48, and no faster from 64 rows on (float64 10 % slower), where each B panel serves
// enough tiles that reading it packed, from L1, pays for the packing.
const SMALL_M: i32 = 48;

// float64: a 5×4 tile is 10 f64x2 accumulators + 2 B vectors + 1 splatted A value (+ 1 product
// temporary where multiply-adds do not fuse) = 13–14 registers; its 7 loads per 10 multiply-adds
// (4×4: 6 per 8) made it about 5 % faster than 4×4 unfused. Bigger tiles spilled unfused: 6×4
// or 4×6 (12 accumulators) need 16 registers with the temporary and ran 30 % slower, 3×8
// likewise. Unrolling the p loop by two did not help either: Binaryen merges the two steps'
// updates of each accumulator into one expression, which keeps both steps' loads live at once
// and spills. Where multiply-adds fuse (relaxed SIMD) there is no temporary, and the tile is 6×4
// as float32's is 6×8: 12 accumulators, 15 registers, 8 loads per 12 multiply-adds. Its peak on
// data in L1 is the 5×4 tile's (24 GFLOP/s here: both run at the FMA units' rate), but the
// 1024² product's median went up 3–9 % on one thread and on two, in one process against 5×4.
// With it, rows that do not make whole 6-row panels are cut into 5- and 4-row ones, as float32's
// are (panelEnds64): the float64 cat step 11.2 → 10.4 ms on two threads, 14.1 → 12.5 on one.
const MR64: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
const NR64: i32 = 4;
const MC64: i32 = 120; // a multiple of MR64 (5 or 6): whole panels
const NC64: i32 = 1024;

/** First byte the caller may use: the module keeps no data of its own above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of scratch (packed panels and an edge tile) a product with N columns needs. */
export function scratchBytes(N: i32, double: i32): i32 {
  if (double) return (MC64 * KC + KC * min(NC64, roundUp(N, NR64)) + MR64 * NR64) * 8;
  return (MC32 * KC + KC * min(NC32, roundUp(N, NR32)) + MR32 * NR32) * 4;
}

// Whether a product reads op(B) in place instead of packing it: few rows (the cat network's
// Z1 = W1·X, 20×12288 · 12288×209), op(B)'s rows contiguous (bj = 1), and a row stride that
// neither sends consecutive rows of a panel to a few L1 sets nor spreads the kc rows over too
// many pages (under 4 KiB). A stride that is a multiple of 256 bytes maps the kc rows of a
// panel to at most 16 of L1's 64 sets (a stride of 4 KiB, to one), so the panel is evicted
// before the next panel reuses the other half of its cache lines: such strides (rows of 64 or
// 1024 float32s) measured 10–30 % slower in place than packed. Pre-packed products never do.
// @ts-ignore: decorator
@inline function readsBInPlace(M: i32, bp: i32, bj: i32, size: i32, packed: usize): bool {
  const rowBytes = bp * size;
  return !packed && bj == 1 && M <= SMALL_M && (rowBytes & 255) != 0 && rowBytes < 4096;
}

// Reads one 4-byte word per 64 bytes of a K-block of B (kc rows of `bytes` bytes, `step`
// apart) in address order, before the kernels read it in place a panel at a time. Read that
// way — one line per row, rows far apart — the hardware prefetchers barely help and the first
// tile over each panel waits on memory; this sequential pass lets them stream the block into
// L2 (about 200 KiB for 256 rows of 209 float32s), where the tiles then find it: float32 20 %
// faster on (20×12288)·(12288×209) than without it, float64 5 %. The words' OR is stored to
// `sink` so that the loads are not optimized away.
function touch(src: usize, kc: i32, bytes: usize, step: usize, sink: usize): void {
  let acc: i32 = 0;
  for (let p = 0; p < kc; p++, src += step) {
    for (let o: usize = 0; o < bytes; o += 64) acc |= load<i32>(src + o);
  }
  store<i32>(sink, acc);
}

// @ts-ignore: decorator
@inline function roundUp(n: i32, m: i32): i32 {
  return ((n + m - 1) / m) * m;
}

// a·b + c. With relaxed SIMD the engine may fuse it into one FMA (one rounding); the build
// compiles this file twice, with and without the feature, and the loader picks one.
// @ts-ignore: decorator
@inline function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// Float64 likewise: fused where relaxed SIMD is (see "Summation order" above).
// @ts-ignore: decorator
@inline function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

// One float32 a·b + c, rounded exactly as a lane of madd32: the streamed paths' last columns.
// @ts-ignore: decorator
@inline function madd32s(a: f32, b: f32, c: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
  return c + a * b;
}

// One float64 a·b + c, rounded exactly as a lane of madd64 (WebAssembly has no scalar FMA), so
// that the streamed paths' scalar columns equal the tiled paths' bit for bit in either build.
// @ts-ignore: decorator
@inline function madd64s(a: f64, b: f64, c: f64): f64 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.extract_lane(f64x2.relaxed_madd(f64x2.splat(a), f64x2.splat(b), f64x2.splat(c)), 0);
  return c + a * b;
}

// Adds the lanes of v to 4 (float32) or 2 (float64) elements `stride` elements apart.
// @ts-ignore: decorator
@inline function add32(at: usize, stride: i32, v: v128): void {
  if (stride == 1) {
    v128.store(at, f32x4.add(v128.load(at), v));
  } else {
    const s = <usize>stride << 2;
    store<f32>(at, load<f32>(at) + f32x4.extract_lane(v, 0));
    store<f32>(at + s, load<f32>(at + s) + f32x4.extract_lane(v, 1));
    store<f32>(at + 2 * s, load<f32>(at + 2 * s) + f32x4.extract_lane(v, 2));
    store<f32>(at + 3 * s, load<f32>(at + 3 * s) + f32x4.extract_lane(v, 3));
  }
}

// @ts-ignore: decorator
@inline function add64(at: usize, stride: i32, v: v128): void {
  if (stride == 1) {
    v128.store(at, f64x2.add(v128.load(at), v));
  } else {
    const s = <usize>stride << 3;
    store<f64>(at, load<f64>(at) + f64x2.extract_lane(v, 0));
    store<f64>(at + s, load<f64>(at + s) + f64x2.extract_lane(v, 1));
  }
}

// Transposed packing: four float32 rows of four (v0 … v3, one per column of the panel) become
// four rows across the panel, for operands whose panel runs along their contiguous axis.
// @ts-ignore: decorator
@inline function transpose4x4(v0: v128, v1: v128, v2: v128, v3: v128, d: usize, rowBytes: usize): void {
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d + rowBytes, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(d + rowBytes * 2, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(d + rowBytes * 3, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

// The float64 counterpart: four vectors of two (one per column) become two rows of four.
// @ts-ignore: decorator
@inline function transpose4x2(v0: v128, v1: v128, v2: v128, v3: v128, d: usize): void {
  v128.store(d, v128.shuffle<f64>(v0, v1, 0, 2));
  v128.store(d, v128.shuffle<f64>(v2, v3, 0, 2), 16);
  v128.store(d, v128.shuffle<f64>(v0, v1, 1, 3), 32);
  v128.store(d, v128.shuffle<f64>(v2, v3, 1, 3), 48);
}

// ---------------------------------------------------------------------------------------------
// Pre-packed B. A product whose B is the same matrix step after step — X, in the first layer's
// Z = W·X and dW = dZ·Xᵀ of a full-batch training run — can pack op(B) once and skip the
// packing (a pass over all of B, as costly as the arithmetic when A has few rows) in every
// later product. The packed layout is the one the products build block by block, stored whole;
// the summation order is unchanged, so results are bit for bit those of gemmF32 / gemmF64.

/** Bytes op(B) (K×N) takes packed. */
export function packedBytes(N: i32, K: i32, double: i32): i32 {
  const NC = double ? NC64 : NC32, NR = double ? NR64 : NR32;
  let cols = 0;
  for (let jc = 0; jc < N; jc += NC) cols += roundUp(min(NC, N - jc), NR);
  return K * cols * (double ? 8 : 4);
}

/**
 * The blocking of the packed layout: NC (columns of op(B) per block) when `what` is 0, KC (rows
 * per slice) when 1. The layout is, for each NC-wide block of columns, for each KC-deep slice of
 * rows, that sub-matrix's panels; so packing a sub-matrix of whole blocks and slices, at its
 * byte offset, writes exactly its part of the whole. A compiled program packs X that way from
 * a small staging area instead of keeping a copy of X to pack from.
 */
export function packBlocking(double: i32, what: i32): i32 {
  if (what) return KC;
  return double ? NC64 : NC32;
}

/**
 * How many pieces packBPieceF32 / packBPieceF64 cut the packing of op(B) (K×N) into: one per
 * NC-wide block of columns and KC-deep slice of rows, each written at its own place in the
 * packed layout, so that two threads can pack one op(B) side by side.
 */
export function packPieces(N: i32, K: i32, double: i32): i32 {
  const NC = double ? NC64 : NC32;
  return ((N + NC - 1) / NC) * ((K + KC - 1) / KC);
}

/** Packs piece `piece` (of packPieces(N, K, 0)) of op(B) (K×N; B read transposed when transB) into its place in `dst`. */
export function packBPieceF32(b: usize, dst: usize, N: i32, K: i32, transB: i32, piece: i32): void {
  const bp = transB ? 1 : N, bj = transB ? K : 1;
  const slices = (K + KC - 1) / KC;
  const jc = (piece / slices) * NC32, pc = (piece % slices) * KC;
  const nc = min(NC32, N - jc), kc = min(KC, K - pc);
  // Blocks before column jc are whole (NC32 columns, a multiple of NR32): jc·K values in all.
  const at = dst + (<usize>jc * <usize>K + <usize>(pc * roundUp(nc, NR32))) * 4;
  packB32(b + <usize>(pc * bp + jc * bj) * 4, at, kc, nc, bp, bj);
}

/** The float64 counterpart of packBPieceF32 (pieces of packPieces(N, K, 1)). */
export function packBPieceF64(b: usize, dst: usize, N: i32, K: i32, transB: i32, piece: i32): void {
  const bp = transB ? 1 : N, bj = transB ? K : 1;
  const slices = (K + KC - 1) / KC;
  const jc = (piece / slices) * NC64, pc = (piece % slices) * KC;
  const nc = min(NC64, N - jc), kc = min(KC, K - pc);
  const at = dst + (<usize>jc * <usize>K + <usize>(pc * roundUp(nc, NR64))) * 8;
  packB64(b + <usize>(pc * bp + jc * bj) * 8, at, kc, nc, bp, bj);
}

/** Packs op(B) (K×N; B read transposed when transB) into `dst` (packedBytes(N, K) bytes). */
export function packBF32(b: usize, dst: usize, N: i32, K: i32, transB: i32): void {
  const pieces = packPieces(N, K, 0);
  for (let piece = 0; piece < pieces; piece++) packBPieceF32(b, dst, N, K, transB, piece);
}

/** The float64 counterpart of packBF32. */
export function packBF64(b: usize, dst: usize, N: i32, K: i32, transB: i32): void {
  const pieces = packPieces(N, K, 1);
  for (let piece = 0; piece < pieces; piece++) packBPieceF64(b, dst, N, K, transB, piece);
}

/**
 * C (M×N, rows ldc apart) = op(A)·op(B) with op(B) packed by packBF32, op(A)[i, p] =
 * A[i·ai + p·ap]. Any M and N (thin products, which gemmF32 streams unpacked, run padded
 * tiles here). A block of C's rows is the same call with A and C advanced, which is how two threads share it.
 */
export function gemmF32Packed(a: usize, packed: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, ldc: i32, scratch: usize): void {
  gemm32(a, 0, c, M, N, K, ai, ap, 0, 0, ldc, scratch, packed);
}

/** The float64 counterpart of gemmF32Packed. */
export function gemmF64Packed(a: usize, packed: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, ldc: i32, scratch: usize): void {
  gemm64(a, 0, c, M, N, K, ai, ap, 0, 0, ldc, scratch, packed);
}

// ---------------------------------------------------------------------------------------------
// The transposed product from the same packing. A training step needs X twice: Z = W·X reads
// op(B) = X, and dW = dZ·Xᵀ reads op(B) = Xᵀ. Keeping both packed costs a second copy of X
// (10 MiB of the cat network's float32 training: the difference between 96 and 108 MiB of RSS
// on two threads). Instead, dW is computed a KC-wide block of its columns at a time: that
// block's rows of X, packed for Z = W·X, are transposed into a small buffer in the packing
// dW's product expects, and the packed product runs on it. The products and their blocking are
// those of the product from a packed Xᵀ, so the results are bit for bit the same. The cost is
// the transposition (8×8 or 4×4 blocks, contiguous on both sides): about 25 % of the cat
// network's dW[1] (2.8 → 3.5 ms on one thread), where the packed Xᵀ read streamed with the
// arithmetic. Reading the forward panels in place instead (lanes across the samples) was
// slower still: a tile reads one line from each panel, pages apart, which no prefetcher follows.

/** Bytes of gemmF*PackedT's work area `buf` for K samples: a transposed block, K rows of KC. */
export function packedTBytes(K: i32, double: i32): i32 {
  return K * KC * (double ? 8 : 4); // KC is a multiple of NR32 and NR64: no padding
}

/**
 * Columns c0 … c1 of C (M×N, rows ldc apart) = A·Bᵀ, A (M×K) row-major, where B (N×K) was packed
 * by packBF32(b, packed, K, N, 0) (as op(B) of a product N deep and K wide: X for Z = W·X) and
 * K ≤ packBlocking(0, 0); c0 is a multiple of NR32 (8), `buf` packedTBytes(K, 0) bytes. A block
 * of columns is the same call with c0, c1 (how two threads share it): each element is computed
 * alike whatever the block.
 */
export function gemmF32PackedT(a: usize, packed: usize, c: usize, M: i32, N: i32, K: i32, ldc: i32, c0: i32, c1: i32, scratch: usize, buf: usize): void {
  const width = roundUp(K, NR32); // B's packed rows hold K values padded to whole panels
  for (let f = c0; f < c1; ) {
    // Columns f … e of C: rows f … e of B, within one KC slice of its packing (s … s + rows).
    const s = f - f % KC, rows = min(KC, N - s), e = min(c1, s + rows);
    transposePanels32(packed + (<usize>(s * width + (f - s) * NR32) << 2), rows, buf, e - f, K);
    gemm32(a, 0, c + (<usize>f << 2), M, e - f, K, K, 1, 0, 0, ldc, scratch, buf);
    f = e;
  }
}

/** The float64 counterpart of gemmF32PackedT (B packed by packBF64; K ≤ packBlocking(1, 0); c0 a multiple of NR64, 4). */
export function gemmF64PackedT(a: usize, packed: usize, c: usize, M: i32, N: i32, K: i32, ldc: i32, c0: i32, c1: i32, scratch: usize, buf: usize): void {
  const width = roundUp(K, NR64);
  for (let f = c0; f < c1; ) {
    const s = f - f % KC, rows = min(KC, N - s), e = min(c1, s + rows);
    transposePanels64(packed + (<usize>(s * width + (f - s) * NR64) << 3), rows, buf, e - f, K);
    gemm64(a, 0, c + (<usize>f << 3), M, e - f, K, K, 1, 0, 0, ldc, scratch, buf);
    f = e;
  }
}

// `src`: kc rows of B, within a KC slice of its packing (panels q of panelRows rows × NR32
// columns of B's K, zero past K; src points at the first row's place in panel 0). `dst`: the
// same values as op(B) = those rows transposed (K × kc), packed as
// packBF32 packs it: for each KC-deep slice of K, panels r of NR32 of the kc columns (zero past
// kc), each slice-depth rows × NR32. Element (row p of B, column j) goes from panel j/8, row p,
// lane j%8 to panel p/8, row j (of its slice), lane p%8: whole 8×8 blocks are contiguous in both.
function transposePanels32(src: usize, panelRows: i32, dst: usize, kc: i32, K: i32): void {
  const kw = roundUp(kc, NR32), kFull = kc & ~(NR32 - 1);
  for (let pc = 0; pc < K; pc += KC) {
    const ks = min(KC, K - pc);
    const slice = dst + <usize>(pc * kw) * 4;
    const panelBytes = <usize>ks << 5; // a destination panel: ks rows of 8
    for (let j = 0; j < ks; j += NR32) {
      const from = src + <usize>(((pc + j) >> 3) * panelRows) * 32; // B's packed panel holding columns pc + j …
      const to = slice + (<usize>j << 5); // row j of destination panel 0
      if (j + NR32 <= ks) {
        let f = from, d = to;
        for (let r = 0; r < kFull; r += NR32, f += 256, d += panelBytes) {
          transpose4x4(v128.load(f), v128.load(f, 32), v128.load(f, 64), v128.load(f, 96), d, 32);
          transpose4x4(v128.load(f, 128), v128.load(f, 160), v128.load(f, 192), v128.load(f, 224), d + 16, 32);
          transpose4x4(v128.load(f, 16), v128.load(f, 48), v128.load(f, 80), v128.load(f, 112), d + 128, 32);
          transpose4x4(v128.load(f, 144), v128.load(f, 176), v128.load(f, 208), v128.load(f, 240), d + 144, 32);
        }
        if (kFull < kw) transposeEdge32(from + (<usize>kFull << 5), to + <usize>(kFull / NR32) * panelBytes, kc - kFull, NR32);
      } else {
        for (let r = 0; r < kw; r += NR32) {
          transposeEdge32(from + (<usize>r << 5), to + <usize>(r / NR32) * panelBytes, min(NR32, kc - r), ks - j);
        }
      }
    }
  }
}

// One 8×8 block of transposePanels32 element by element: `cols` source rows (the rest of the
// destination's columns zero) and `rows` destination rows.
function transposeEdge32(f: usize, d: usize, cols: i32, rows: i32): void {
  for (let l = 0; l < rows; l++) {
    for (let t = 0; t < NR32; t++) {
      const v: f32 = t < cols ? load<f32>(f + <usize>(t * NR32 + l) * 4) : 0;
      store<f32>(d + <usize>(l * NR32 + t) * 4, v);
    }
  }
}

// The float64 counterpart: panels of NR64 = 4, so 4×4 blocks of two vectors per row.
function transposePanels64(src: usize, panelRows: i32, dst: usize, kc: i32, K: i32): void {
  const kw = roundUp(kc, NR64);
  for (let pc = 0; pc < K; pc += KC) {
    const ks = min(KC, K - pc);
    const slice = dst + <usize>(pc * kw) * 8;
    for (let j = 0; j < ks; j += NR64) {
      const q = (pc + j) >> 2;
      const from = src + <usize>(q * panelRows * NR64) * 8;
      const full = j + NR64 <= ks;
      for (let r = 0; r < kw; r += NR64) {
        const d = slice + <usize>(r * ks + j * NR64) * 8;
        const f = from + <usize>(r * NR64) * 8;
        if (full && r + NR64 <= kc) {
          // Rows t of the source block (4 values: lanes l) become rows l of the destination.
          const a0 = v128.load(f), a1 = v128.load(f, 16), b0 = v128.load(f, 32), b1 = v128.load(f, 48);
          const c0 = v128.load(f, 64), c1 = v128.load(f, 80), e0 = v128.load(f, 96), e1 = v128.load(f, 112);
          v128.store(d, v128.shuffle<f64>(a0, b0, 0, 2));
          v128.store(d, v128.shuffle<f64>(c0, e0, 0, 2), 16);
          v128.store(d, v128.shuffle<f64>(a0, b0, 1, 3), 32);
          v128.store(d, v128.shuffle<f64>(c0, e0, 1, 3), 48);
          v128.store(d, v128.shuffle<f64>(a1, b1, 0, 2), 64);
          v128.store(d, v128.shuffle<f64>(c1, e1, 0, 2), 80);
          v128.store(d, v128.shuffle<f64>(a1, b1, 1, 3), 96);
          v128.store(d, v128.shuffle<f64>(c1, e1, 1, 3), 112);
        } else {
          const rows = min(NR64, ks - j);
          for (let l = 0; l < rows; l++) {
            for (let t = 0; t < NR64; t++) {
              const v: f64 = r + t < kc ? load<f64>(f + <usize>(t * NR64 + l) * 8) : 0;
              store<f64>(d + <usize>(l * NR64 + t) * 8, v);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float32

export function gemmF32(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, scratch: usize): void {
  gemm32(a, b, c, M, N, K, transA ? 1 : K, transA ? M : 1, transB ? 1 : N, transB ? K : 1, N, scratch);
}

/**
 * A block of a larger product, for the threaded backend: C (M×N, rows ldc apart) = op(A)·op(B)
 * with op(A)[i, p] = A[i·ai + p·ap] and op(B)[p, j] = B[p·bp + j·bj]. Each element's summation
 * order is that of the whole product, so splitting C's rows or columns changes no bit.
 */
export function gemmF32Strided(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize): void {
  gemm32(a, b, c, M, N, K, ai, ap, bp, bj, ldc, scratch);
}

/**
 * C += op(A)·op(B), strided as gemmF32Strided: the product of a slice of K added to C. Slices
 * that start at multiples of KC (256), added in ascending order to a C the first one wrote,
 * give the whole product's bits (each element is a sum of K-block partial sums, in order).
 * The one-thread backend copies op(B) in such slices, each computed while it is in cache.
 */
export function gemmF32Add(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize): void {
  gemm32(a, b, c, M, N, K, ai, ap, bp, bj, ldc, scratch, 0, false);
}

// Not inlined into its five entry points: the copies made a fifth of the module (28 against
// 22 KB), which the playground's worker carries as base64, for no measurable speed (the
// branches it would fold are per block, not per multiply-add).
function gemm32(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize, packed: usize = 0, zero: bool = true): void {
  if (!zero) {
    // C += op(A)·op(B): every path adds each K-block's partial sums to C.
  } else if (ldc == N) memory.fill(c, 0, (<usize>M * <usize>N) << 2);
  else for (let i = 0; i < M; i++) memory.fill(c + ((<usize>i * <usize>ldc) << 2), 0, <usize>N << 2);
  if (M == 0 || N == 0 || K == 0) return;
  // A row or two (wᵀX) or a column or two (X·dzᵀ): a padded tile would waste most of its
  // lanes and packing would copy as much as it computes, so stream the operands instead.
  // A thin C is computed as its transpose, Cᵀ = op(B)ᵀ·op(A)ᵀ, written through C's strides.
  if (M < 4 && !packed) {
    rows32(a, b, c, M, N, K, ai, ap, bp, bj, ldc, 1);
    return;
  }
  if (N < 4 && !packed) {
    rows32(b, a, c, N, M, K, bj, bp, ap, ai, 1, ldc);
    return;
  }
  const inPlace = readsBInPlace(M, bp, bj, 4, packed);
  const pa = scratch;
  let pb = pa + <usize>(MC32 * KC) * 4;
  const tile = pb + <usize>(KC * min(NC32, roundUp(N, NR32))) * 4;
  // Pre-packed op(B) (packBF32): its blocks follow one another in this loop's order.
  let next = packed;
  for (let jc = 0; jc < N; jc += NC32) {
    const nc = min(NC32, N - jc);
    // In place, full panels are read from B; a last panel narrower than NR32 is packed (at pb):
    // a row of NR32 values read in place would run past the row, and past B at its last row.
    const full = inPlace ? nc - nc % NR32 : 0;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const src = b + <usize>(pc * bp + jc * bj) * 4;
      if (packed) {
        pb = next;
        next += <usize>(kc * roundUp(nc, NR32)) * 4;
      } else if (inPlace) {
        if (full < nc) packB32(src + <usize>full * 4, pb, kc, nc - full, bp, bj);
        touch(src, kc, <usize>full << 2, <usize>bp << 2, tile);
      } else {
        packB32(src, pb, kc, nc, bp, bj);
      }
      for (let ic = 0; ic < M; ) {
        const mc = blockRows32(M, ic);
        const ends = panelEnds32(mc);
        packA32(a + <usize>(ic * ai + pc * ap) * 4, pa, mc, kc, ai, ap, ends);
        for (let jr = 0; jr < nc; jr += NR32) {
          const nr = min(NR32, nc - jr);
          // The panel's first row and the step from one row to the next.
          let panelB = pb + <usize>(jr * kc) * 4, bs: usize = NR32 * 4;
          if (inPlace) {
            if (jr < full) {
              panelB = src + (<usize>jr << 2);
              bs = <usize>bp << 2;
            } else {
              panelB = pb;
            }
          }
          for (let ir = 0; ir < mc; ) {
            const at = c + (<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) * 4;
            const h = panelHeight32(ir, mc, ends);
            const mr = min(h, mc - ir);
            if (h == MR32) kernel32(pa + <usize>(ir * kc) * 4, panelB, bs, kc, at, ldc, mr, nr, tile);
            else if (h == 5) kernel32x5(pa + <usize>(ir * kc) * 4, panelB, bs, kc, at, ldc, mr, nr, tile);
            else kernel32x4(pa + <usize>(ir * kc) * 4, panelB, bs, kc, at, ldc, mr, nr, tile);
            ir += h;
          }
        }
        ic += mc;
      }
    }
  }
}

// Panel q of the packed B holds op(B)[0 … kc, q·NR … q·NR + NR) as kc rows of NR values;
// columns past nc are zero (their products land in tile lanes that are never stored).
function packB32(src: usize, dst: usize, kc: i32, nc: i32, bp: i32, bj: i32): void {
  const rowStep = <usize>bp << 2, colStep = <usize>bj << 2;
  for (let jr = 0; jr < nc; jr += NR32) {
    const w = min(NR32, nc - jr);
    let col = src + <usize>jr * colStep;
    let d = dst + <usize>(jr * kc) * 4;
    if (w == NR32 && bj == 1) {
      for (let p = 0; p < kc; p++, col += rowStep, d += 32) {
        v128.store(d, v128.load(col));
        v128.store(d, v128.load(col, 16), 16);
      }
    } else if (w == NR32 && bp == 1) {
      // op(B) = Bᵀ: each panel column is contiguous; transpose 4 rows at a time.
      let p = 0;
      for (; p + 4 <= kc; p += 4, col += 16, d += 128) {
        transpose4x4(v128.load(col), v128.load(col + colStep), v128.load(col + colStep * 2), v128.load(col + colStep * 3), d, 32);
        const c4 = col + colStep * 4;
        transpose4x4(v128.load(c4), v128.load(c4 + colStep), v128.load(c4 + colStep * 2), v128.load(c4 + colStep * 3), d + 16, 32);
      }
      for (; p < kc; p++, col += 4, d += 32) {
        for (let q = 0; q < NR32; q++) store<f32>(d + (<usize>q << 2), load<f32>(col + <usize>q * colStep));
      }
    } else {
      for (let p = 0; p < kc; p++, col += rowStep, d += 32) {
        for (let q = 0; q < NR32; q++) store<f32>(d + (<usize>q << 2), q < w ? load<f32>(col + <usize>q * colStep) : 0);
      }
    }
  }
}

// How an mc-row block of op(A) is cut into panels (with relaxed SIMD): 6-row panels, then
// 5-row ones, then 4-row ones, with as few of the smaller as make exactly mc rows. Every mc ≥ 4
// but 7 is such a sum, so no panel computes rows of padding: 20 rows (the cat network's
// n[1] = 20 units) are four 5-row panels, not three 6-row ones and a 4-row one half padding,
// and 128 rows in one block would be twenty 6-row panels and two 4-row ones. Per row, a 5×8
// tile (10 accumulators, 13 registers) runs within a few per cent of the 6×8 one, a 4×8 one
// about 10 % slower (its 8 chains do not hide the FMA latency): 46.5, 47.7 and 42.3 GFLOP/s
// at best on 2048 columns packed, 256 deep, hence fives before fours. Where no exact sum exists (1, 2, 3 or 7 rows),
// 4-row panels, the last padded. Returns the end of the sixes | the end of the fives << 16.
// Without relaxed SIMD every panel is 4 rows (MR32), the last padded. Which tile computes an
// element changes no bit of it: each is its own multiply-add chain over p.
function panelEnds32(mc: i32): i32 {
  return MR32 == 4 ? 0 : panelEnds(mc);
}

// Float64 cuts its blocks the same way where its tile is 6 rows (relaxed SIMD): the cat
// network's 20 rows are four 5-row panels, not three 6-row ones and a 6-row one of 2 rows and 4
// of padding (a sixth of its W[1]·X and dZ[1]·Xᵀ computed for nothing). Without relaxed SIMD
// every panel is 5 rows (MR64), the last padded.
function panelEnds64(mc: i32): i32 {
  return MR64 == 5 ? 0 : panelEnds(mc);
}

function panelEnds(mc: i32): i32 {
  for (let fours = 0; fours < 6; fours++) {
    for (let fives = 0; fives < 6; fives++) {
      const sixes = mc - 4 * fours - 5 * fives;
      if (sixes >= 0 && sixes % 6 == 0) return sixes | ((sixes + 5 * fives) << 16);
    }
  }
  return 0;
}

// The rows of the row block that starts at row ic of M. With relaxed SIMD, M is cut into
// ⌈M / MC32⌉ blocks of as equal a height as can be (1024 rows: 114 or 113, not eight of 120
// and one of 64; 128: two of 64, not 120 and 8), so that no block is left with a few rows for
// 4-row panels. Without it, blocks of MC32 (a multiple of the 4-row panel) and the rest.
// @ts-ignore: decorator
@inline function blockRows32(M: i32, ic: i32): i32 {
  if (MR32 == 4) return min(MC32, M - ic);
  const blocks = (M + MC32 - 1) / MC32, base = M / blocks, taller = M % blocks;
  // Blocks 0 … taller − 1 have base + 1 rows, the rest base.
  return ic < taller * (base + 1) ? base + 1 : base;
}

// The height of the panel that starts at row ir of a block cut as `ends` (panelEnds32) says.
// @ts-ignore: decorator
@inline function panelHeight32(ir: i32, mc: i32, ends: i32): i32 {
  return ir < (ends & 0xffff) ? 6 : ir < (ends >>> 16) ? 5 : 4;
}

// The float64 counterpart (panelEnds64): always MR64 rows without relaxed SIMD.
// @ts-ignore: decorator
@inline function panelHeight64(ir: i32, ends: i32): i32 {
  if (MR64 == 5) return 5;
  return ir < (ends & 0xffff) ? 6 : ir < (ends >>> 16) ? 5 : 4;
}

// Panel r of the packed A holds its h rows of op(A)[·, 0 … kc) as kc columns of h values, h
// as panelHeight32 says; a last panel of fewer than 4 rows holds kc columns of 4 (zero padded).
function packA32(src: usize, dst: usize, mc: i32, kc: i32, ai: i32, ap: i32, ends: i32): void {
  const rowStep = <usize>ai << 2, colStep = <usize>ap << 2;
  for (let ir = 0; ir < mc; ) {
    const R = panelHeight32(ir, mc, ends), h = min(R, mc - ir);
    let col = src + <usize>ir * rowStep;
    let d = dst + <usize>(ir * kc) * 4;
    if (h == 6) packA32Full(col, d, kc, rowStep, colStep, ai, ap, 6);
    else if (h == 5) packA32Full(col, d, kc, rowStep, colStep, ai, ap, 5);
    else if (h == 4) packA32Full(col, d, kc, rowStep, colStep, ai, ap, 4);
    else {
      const step = <usize>R << 2;
      for (let p = 0; p < kc; p++, col += colStep, d += step) {
        for (let r = 0; r < R; r++) store<f32>(d + (<usize>r << 2), r < h ? load<f32>(col + <usize>r * rowStep) : 0);
      }
    }
    ir += R;
  }
}

// A full panel of R rows (4, 5 or 6).
// @ts-ignore: decorator
@inline function packA32Full(col: usize, d: usize, kc: i32, rowStep: usize, colStep: usize, ai: i32, ap: i32, R: i32): void {
  const step = <usize>R << 2;
  if (ai == 1) {
    for (let p = 0; p < kc; p++, col += colStep, d += step) {
      v128.store(d, v128.load(col));
      if (R == 5) store<f32>(d, load<f32>(col, 16), 16);
      if (R == 6) store<u64>(d, load<u64>(col, 16), 16);
    }
  } else if (ap == 1) {
    // op(A) = A: each panel row is contiguous; transpose 4 columns at a time (rows 0 … 3 as a
    // 4×4 block, then rows 4 and 5).
    const r1 = rowStep, r2 = rowStep * 2, r3 = rowStep * 3, r4 = rowStep * 4, r5 = rowStep * 5;
    let p = 0;
    for (; p + 4 <= kc; p += 4, col += 16, d += step * 4) {
      transpose4x4(v128.load(col), v128.load(col + r1), v128.load(col + r2), v128.load(col + r3), d, step);
      if (R == 5) {
        const v4 = v128.load(col + r4);
        v128.store32_lane(d, v4, 0, 16);
        v128.store32_lane(d, v4, 1, 36);
        v128.store32_lane(d, v4, 2, 56);
        v128.store32_lane(d, v4, 3, 76);
      }
      if (R == 6) {
        const v4 = v128.load(col + r4), v5 = v128.load(col + r5);
        const lo = v128.shuffle<f32>(v4, v5, 0, 4, 1, 5), hi = v128.shuffle<f32>(v4, v5, 2, 6, 3, 7);
        v128.store64_lane(d, lo, 0, 16);
        v128.store64_lane(d, lo, 1, 40);
        v128.store64_lane(d, hi, 0, 64);
        v128.store64_lane(d, hi, 1, 88);
      }
    }
    for (; p < kc; p++, col += 4, d += step) {
      for (let r = 0; r < R; r++) store<f32>(d + (<usize>r << 2), load<f32>(col + <usize>r * rowStep));
    }
  } else {
    for (let p = 0; p < kc; p++, col += colStep, d += step) {
      for (let r = 0; r < R; r++) store<f32>(d + (<usize>r << 2), load<f32>(col + <usize>r * rowStep));
    }
  }
}

// C[0 … mr, 0 … nr) += A panel · B panel over kc, for panels of R rows (4, 5 or 6; R is a
// constant where this is inlined). The B panel's rows of NR32 values are bs bytes apart: 32
// packed, B's row stride when read in place. The full tile is always computed (padding is
// zero); only its valid part is added to C, through `tile` when the tile is cut by an edge.
// @ts-ignore: decorator
@inline function micro32(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, R: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const step = <usize>R << 2;
  for (let p = 0; p < kc; p++, pa += step, pb += bs) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    {
      const x = v128.load32_splat(pa, 0);
      c00 = madd32(x, b0, c00); c01 = madd32(x, b1, c01);
    }
    {
      const x = v128.load32_splat(pa, 4);
      c10 = madd32(x, b0, c10); c11 = madd32(x, b1, c11);
    }
    {
      const x = v128.load32_splat(pa, 8);
      c20 = madd32(x, b0, c20); c21 = madd32(x, b1, c21);
    }
    {
      const x = v128.load32_splat(pa, 12);
      c30 = madd32(x, b0, c30); c31 = madd32(x, b1, c31);
    }
    if (R > 4) {
      const x = v128.load32_splat(pa, 16);
      c40 = madd32(x, b0, c40); c41 = madd32(x, b1, c41);
    }
    if (R > 5) {
      const x = v128.load32_splat(pa, 20);
      c50 = madd32(x, b0, c50); c51 = madd32(x, b1, c51);
    }
  }
  const ld = <usize>ldc << 2;
  if (mr == R && nr == NR32) {
    add32(c, 1, c00); add32(c + 16, 1, c01); c += ld;
    add32(c, 1, c10); add32(c + 16, 1, c11); c += ld;
    add32(c, 1, c20); add32(c + 16, 1, c21); c += ld;
    add32(c, 1, c30); add32(c + 16, 1, c31);
    if (R > 4) { c += ld; add32(c, 1, c40); add32(c + 16, 1, c41); }
    if (R > 5) { c += ld; add32(c, 1, c50); add32(c + 16, 1, c51); }
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  if (R > 4) { v128.store(tile, c40, 128); v128.store(tile, c41, 144); }
  if (R > 5) { v128.store(tile, c50, 160); v128.store(tile, c51, 176); }
  for (let r = 0; r < mr; r++, c += ld) {
    const t = tile + <usize>(r * NR32) * 4;
    for (let j = 0; j < nr; j++) {
      const at = c + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(t + (<usize>j << 2)));
    }
  }
}

function kernel32(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro32(pa, pb, bs, kc, c, ldc, mr, nr, tile, MR32);
}

function kernel32x5(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro32(pa, pb, bs, kc, c, ldc, mr, nr, tile, 5);
}

function kernel32x4(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro32(pa, pb, bs, kc, c, ldc, mr, nr, tile, 4);
}

// R rows of C (R < 4) streamed without packing; row r of C starts at c + r·crs and its
// columns are ccs apart, so the transposed call for a thin C writes straight into C.
function rows32(a: usize, b: usize, c: usize, R: i32, J: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, crs: i32, ccs: i32): void {
  const aStep = <usize>ap << 2, bStep = <usize>bp << 2, cStep = <usize>ccs << 2;
  for (let r = 0; r < R; r++) {
    const ra = a + (<usize>(r * ai) << 2);
    const cr = c + (<usize>(r * crs) << 2);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kEnd = min(K, k0 + KC);
      const a0 = ra + <usize>k0 * aStep, b0 = b + <usize>k0 * bStep;
      let j = 0;
      if (bj == 1) {
        // Rows of op(B) are contiguous: 16 columns in 4 accumulators, a row of B per p.
        for (; j + 16 <= J; j += 16) {
          let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
          let x = a0, y = b0 + (<usize>j << 2);
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) {
            const v = v128.load32_splat(x);
            s0 = madd32(v, v128.load(y), s0);
            s1 = madd32(v, v128.load(y, 16), s1);
            s2 = madd32(v, v128.load(y, 32), s2);
            s3 = madd32(v, v128.load(y, 48), s3);
          }
          const o = cr + <usize>j * cStep;
          add32(o, ccs, s0); add32(o + 4 * cStep, ccs, s1); add32(o + 8 * cStep, ccs, s2); add32(o + 12 * cStep, ccs, s3);
        }
        for (; j + 4 <= J; j += 4) {
          let s0 = f32x4.splat(0);
          let x = a0, y = b0 + (<usize>j << 2);
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) s0 = madd32(v128.load32_splat(x), v128.load(y), s0);
          add32(cr + <usize>j * cStep, ccs, s0);
        }
      } else {
        // Columns of op(B) are bj apart: four at a time, their values gathered into one vector
        // per p, so that each is a lane of madd32 as in the tiles (the same bits).
        const colStep = <usize>bj << 2;
        for (; j + 4 <= J; j += 4) {
          let s0 = f32x4.splat(0);
          let x = a0, y = b0 + <usize>j * colStep;
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) {
            let b = v128.load32_zero(y);
            b = v128.load32_lane(y + colStep, b, 1);
            b = v128.load32_lane(y + 2 * colStep, b, 2);
            b = v128.load32_lane(y + 3 * colStep, b, 3);
            s0 = madd32(v128.load32_splat(x), b, s0);
          }
          add32(cr + <usize>j * cStep, ccs, s0);
        }
      }
      const colStep = <usize>bj << 2;
      for (; j < J; j++) {
        let s: f32 = 0;
        let x = a0, y = b0 + <usize>j * colStep;
        for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) s = madd32s(load<f32>(x), load<f32>(y), s);
        const o = cr + <usize>j * cStep;
        store<f32>(o, load<f32>(o) + s);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float64: the same structure with f64x2 vectors.

export function gemmF64(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, scratch: usize): void {
  gemm64(a, b, c, M, N, K, transA ? 1 : K, transA ? M : 1, transB ? 1 : N, transB ? K : 1, N, scratch);
}

/**
 * A block of a larger product, for the threaded backend: C (M×N, rows ldc apart) = op(A)·op(B)
 * with op(A)[i, p] = A[i·ai + p·ap] and op(B)[p, j] = B[p·bp + j·bj]. Each element's summation
 * order is that of the whole product, so splitting C's rows or columns changes no bit.
 */
export function gemmF64Strided(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize): void {
  gemm64(a, b, c, M, N, K, ai, ap, bp, bj, ldc, scratch);
}

/** The float64 counterpart of gemmF32Add. */
export function gemmF64Add(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize): void {
  gemm64(a, b, c, M, N, K, ai, ap, bp, bj, ldc, scratch, 0, false);
}

function gemm64(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, ldc: i32, scratch: usize, packed: usize = 0, zero: bool = true): void {
  if (!zero) {
    // C += op(A)·op(B): every path adds each K-block's partial sums to C.
  } else if (ldc == N) memory.fill(c, 0, (<usize>M * <usize>N) << 3);
  else for (let i = 0; i < M; i++) memory.fill(c + ((<usize>i * <usize>ldc) << 3), 0, <usize>N << 3);
  if (M == 0 || N == 0 || K == 0) return;
  if (M < 4 && !packed) {
    rows64(a, b, c, M, N, K, ai, ap, bp, bj, ldc, 1);
    return;
  }
  if (N < 4 && !packed) {
    rows64(b, a, c, N, M, K, bj, bp, ap, ai, 1, ldc);
    return;
  }
  const inPlace = readsBInPlace(M, bp, bj, 8, packed);
  const pa = scratch;
  let pb = pa + <usize>(MC64 * KC) * 8;
  const tile = pb + <usize>(KC * min(NC64, roundUp(N, NR64))) * 8;
  // Pre-packed op(B) (packBF64): its blocks follow one another in this loop's order.
  let next = packed;
  for (let jc = 0; jc < N; jc += NC64) {
    const nc = min(NC64, N - jc);
    const full = inPlace ? nc - nc % NR64 : 0;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const src = b + <usize>(pc * bp + jc * bj) * 8;
      if (packed) {
        pb = next;
        next += <usize>(kc * roundUp(nc, NR64)) * 8;
      } else if (inPlace) {
        if (full < nc) packB64(src + <usize>full * 8, pb, kc, nc - full, bp, bj);
        touch(src, kc, <usize>full << 3, <usize>bp << 3, tile);
      } else {
        packB64(src, pb, kc, nc, bp, bj);
      }
      for (let ic = 0; ic < M; ic += MC64) {
        const mc = min(MC64, M - ic);
        const ends = panelEnds64(mc);
        packA64(a + <usize>(ic * ai + pc * ap) * 8, pa, mc, kc, ai, ap, ends);
        for (let jr = 0; jr < nc; jr += NR64) {
          const nr = min(NR64, nc - jr);
          let panelB = pb + <usize>(jr * kc) * 8, bs: usize = NR64 * 8;
          if (inPlace) {
            if (jr < full) {
              panelB = src + (<usize>jr << 3);
              bs = <usize>bp << 3;
            } else {
              panelB = pb;
            }
          }
          for (let ir = 0; ir < mc; ) {
            const at = c + (<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) * 8;
            const h = panelHeight64(ir, ends);
            const mr = min(h, mc - ir);
            if (h == MR64) kernel64(pa + <usize>(ir * kc) * 8, panelB, bs, kc, at, ldc, mr, nr, tile);
            else if (h == 5) kernel64x5(pa + <usize>(ir * kc) * 8, panelB, bs, kc, at, ldc, mr, nr, tile);
            else kernel64x4(pa + <usize>(ir * kc) * 8, panelB, bs, kc, at, ldc, mr, nr, tile);
            ir += h;
          }
        }
      }
    }
  }
}

function packB64(src: usize, dst: usize, kc: i32, nc: i32, bp: i32, bj: i32): void {
  const rowStep = <usize>bp << 3, colStep = <usize>bj << 3;
  for (let jr = 0; jr < nc; jr += NR64) {
    const w = min(NR64, nc - jr);
    let col = src + <usize>jr * colStep;
    let d = dst + <usize>(jr * kc) * 8;
    if (w == NR64 && bj == 1) {
      for (let p = 0; p < kc; p++, col += rowStep, d += 32) {
        v128.store(d, v128.load(col));
        v128.store(d, v128.load(col, 16), 16);
      }
    } else if (w == NR64 && bp == 1) {
      let p = 0;
      for (; p + 2 <= kc; p += 2, col += 16, d += 64) {
        transpose4x2(v128.load(col), v128.load(col + colStep), v128.load(col + colStep * 2), v128.load(col + colStep * 3), d);
      }
      for (; p < kc; p++, col += 8, d += 32) {
        for (let q = 0; q < NR64; q++) store<f64>(d + (<usize>q << 3), load<f64>(col + <usize>q * colStep));
      }
    } else {
      for (let p = 0; p < kc; p++, col += rowStep, d += 32) {
        for (let q = 0; q < NR64; q++) store<f64>(d + (<usize>q << 3), q < w ? load<f64>(col + <usize>q * colStep) : 0);
      }
    }
  }
}

// Panel r of the packed A holds its R rows of op(A)[·, 0 … kc) as kc columns of R values, R as
// panelHeight64 says (4, 5 or 6: 32, 40 or 48 bytes); rows of a last panel past mc are zero.
function packA64(src: usize, dst: usize, mc: i32, kc: i32, ai: i32, ap: i32, ends: i32): void {
  const rowStep = <usize>ai << 3, colStep = <usize>ap << 3;
  for (let ir = 0; ir < mc; ) {
    const R = panelHeight64(ir, ends), h = min(R, mc - ir);
    const col = src + <usize>ir * rowStep;
    const d = dst + <usize>(ir * kc) * 8;
    if (h == R && R == 6) packA64Full(col, d, kc, rowStep, colStep, ai, ap, 6);
    else if (h == R && R == 5) packA64Full(col, d, kc, rowStep, colStep, ai, ap, 5);
    else if (h == R) packA64Full(col, d, kc, rowStep, colStep, ai, ap, 4);
    else {
      const width = <usize>R << 3;
      let c = col, e = d;
      for (let p = 0; p < kc; p++, c += colStep, e += width) {
        for (let r = 0; r < R; r++) store<f64>(e + (<usize>r << 3), r < h ? load<f64>(c + <usize>r * rowStep) : 0);
      }
    }
    ir += R;
  }
}

// A full panel of R rows (4, 5 or 6).
// @ts-ignore: decorator
@inline function packA64Full(col: usize, d: usize, kc: i32, rowStep: usize, colStep: usize, ai: i32, ap: i32, R: i32): void {
  const width = <usize>R << 3;
  if (ai == 1) {
    // op(A) = Aᵀ: a panel column is R contiguous values.
    for (let p = 0; p < kc; p++, col += colStep, d += width) {
      v128.store(d, v128.load(col));
      v128.store(d, v128.load(col, 16), 16);
      if (R == 6) v128.store(d, v128.load(col, 32), 32);
      if (R == 5) store<f64>(d, load<f64>(col, 32), 32);
    }
  } else if (ap == 1) {
    // op(A) = A: each panel row is contiguous; two columns at a time, rows 0 … 3 (and 4, 5)
    // as 2×2 transposes, a fifth row lane by lane.
    const r1 = rowStep, r2 = rowStep * 2, r3 = rowStep * 3, r4 = rowStep * 4, r5 = rowStep * 5;
    let p = 0;
    for (; p + 2 <= kc; p += 2, col += 16, d += width << 1) {
      const v0 = v128.load(col), v1 = v128.load(col + r1), v2 = v128.load(col + r2), v3 = v128.load(col + r3);
      v128.store(d, v128.shuffle<f64>(v0, v1, 0, 2));
      v128.store(d, v128.shuffle<f64>(v2, v3, 0, 2), 16);
      const next = d + width;
      v128.store(next, v128.shuffle<f64>(v0, v1, 1, 3));
      v128.store(next, v128.shuffle<f64>(v2, v3, 1, 3), 16);
      if (R == 6) {
        const v4 = v128.load(col + r4), v5 = v128.load(col + r5);
        v128.store(d, v128.shuffle<f64>(v4, v5, 0, 2), 32);
        v128.store(next, v128.shuffle<f64>(v4, v5, 1, 3), 32);
      }
      if (R == 5) {
        const v4 = v128.load(col + r4);
        v128.store64_lane(d, v4, 0, 32);
        v128.store64_lane(next, v4, 1, 32);
      }
    }
    for (; p < kc; p++, col += 8, d += width) {
      for (let r = 0; r < R; r++) store<f64>(d + (<usize>r << 3), load<f64>(col + <usize>r * rowStep));
    }
  } else {
    for (let p = 0; p < kc; p++, col += colStep, d += width) {
      for (let r = 0; r < R; r++) store<f64>(d + (<usize>r << 3), load<f64>(col + <usize>r * rowStep));
    }
  }
}

// C[0 … mr, 0 … nr) += A panel (R rows: 4, 5 or 6, a constant where this is inlined) · B panel
// (4 columns, rows bs bytes apart: 32 packed, B's row stride in place) over kc; as micro32,
// through `tile` when cut by an edge. Each accumulator lane is one element of C, summed over
// ascending p.
// @ts-ignore: decorator
@inline function micro64(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, R: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let c40 = f64x2.splat(0), c41 = f64x2.splat(0);
  let c50 = f64x2.splat(0), c51 = f64x2.splat(0);
  const step = <usize>R << 3;
  for (let p = 0; p < kc; p++, pa += step, pb += bs) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    {
      const x = v128.load64_splat(pa);
      c00 = madd64(x, b0, c00); c01 = madd64(x, b1, c01);
    }
    {
      const x = v128.load64_splat(pa, 8);
      c10 = madd64(x, b0, c10); c11 = madd64(x, b1, c11);
    }
    {
      const x = v128.load64_splat(pa, 16);
      c20 = madd64(x, b0, c20); c21 = madd64(x, b1, c21);
    }
    {
      const x = v128.load64_splat(pa, 24);
      c30 = madd64(x, b0, c30); c31 = madd64(x, b1, c31);
    }
    if (R > 4) {
      const x = v128.load64_splat(pa, 32);
      c40 = madd64(x, b0, c40); c41 = madd64(x, b1, c41);
    }
    if (R > 5) {
      const x = v128.load64_splat(pa, 40);
      c50 = madd64(x, b0, c50); c51 = madd64(x, b1, c51);
    }
  }
  const ld = <usize>ldc << 3;
  if (mr == R && nr == NR64) {
    add64(c, 1, c00); add64(c + 16, 1, c01); c += ld;
    add64(c, 1, c10); add64(c + 16, 1, c11); c += ld;
    add64(c, 1, c20); add64(c + 16, 1, c21); c += ld;
    add64(c, 1, c30); add64(c + 16, 1, c31);
    if (R > 4) { c += ld; add64(c, 1, c40); add64(c + 16, 1, c41); }
    if (R > 5) { c += ld; add64(c, 1, c50); add64(c + 16, 1, c51); }
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  if (R > 4) { v128.store(tile, c40, 128); v128.store(tile, c41, 144); }
  if (R > 5) { v128.store(tile, c50, 160); v128.store(tile, c51, 176); }
  for (let r = 0; r < mr; r++, c += ld) {
    const t = tile + <usize>(r * NR64) * 8;
    for (let j = 0; j < nr; j++) {
      const at = c + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + load<f64>(t + (<usize>j << 3)));
    }
  }
}

function kernel64(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro64(pa, pb, bs, kc, c, ldc, mr, nr, tile, MR64);
}

function kernel64x5(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro64(pa, pb, bs, kc, c, ldc, mr, nr, tile, 5);
}

function kernel64x4(pa: usize, pb: usize, bs: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  micro64(pa, pb, bs, kc, c, ldc, mr, nr, tile, 4);
}

function rows64(a: usize, b: usize, c: usize, R: i32, J: i32, K: i32, ai: i32, ap: i32, bp: i32, bj: i32, crs: i32, ccs: i32): void {
  const aStep = <usize>ap << 3, bStep = <usize>bp << 3, cStep = <usize>ccs << 3;
  for (let r = 0; r < R; r++) {
    const ra = a + (<usize>(r * ai) << 3);
    const cr = c + (<usize>(r * crs) << 3);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kEnd = min(K, k0 + KC);
      const a0 = ra + <usize>k0 * aStep, b0 = b + <usize>k0 * bStep;
      let j = 0;
      if (bj == 1) {
        for (; j + 8 <= J; j += 8) {
          let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
          let x = a0, y = b0 + (<usize>j << 3);
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) {
            const v = v128.load64_splat(x);
            s0 = madd64(v, v128.load(y), s0);
            s1 = madd64(v, v128.load(y, 16), s1);
            s2 = madd64(v, v128.load(y, 32), s2);
            s3 = madd64(v, v128.load(y, 48), s3);
          }
          const o = cr + <usize>j * cStep;
          add64(o, ccs, s0); add64(o + 2 * cStep, ccs, s1); add64(o + 4 * cStep, ccs, s2); add64(o + 6 * cStep, ccs, s3);
        }
        for (; j + 2 <= J; j += 2) {
          let s0 = f64x2.splat(0);
          let x = a0, y = b0 + (<usize>j << 3);
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) s0 = madd64(v128.load64_splat(x), v128.load(y), s0);
          add64(cr + <usize>j * cStep, ccs, s0);
        }
      } else {
        const colStep = <usize>bj << 3;
        for (; j + 4 <= J; j += 4) {
          let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
          let x = a0, y = b0 + <usize>j * colStep;
          for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) {
            const v = load<f64>(x);
            s0 = madd64s(v, load<f64>(y), s0);
            s1 = madd64s(v, load<f64>(y + colStep), s1);
            s2 = madd64s(v, load<f64>(y + 2 * colStep), s2);
            s3 = madd64s(v, load<f64>(y + 3 * colStep), s3);
          }
          const o = cr + <usize>j * cStep;
          store<f64>(o, load<f64>(o) + s0);
          store<f64>(o + cStep, load<f64>(o + cStep) + s1);
          store<f64>(o + 2 * cStep, load<f64>(o + 2 * cStep) + s2);
          store<f64>(o + 3 * cStep, load<f64>(o + 3 * cStep) + s3);
        }
      }
      const colStep = <usize>bj << 3;
      for (; j < J; j++) {
        let s: f64 = 0;
        let x = a0, y = b0 + <usize>j * colStep;
        for (let p = k0; p < kEnd; p++, x += aStep, y += bStep) s = madd64s(load<f64>(x), load<f64>(y), s);
        const o = cr + <usize>j * cStep;
        store<f64>(o, load<f64>(o) + s);
      }
    }
  }
}
