import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Sequential,
  abs,
  add,
  argmax,
  cast,
  clip,
  div,
  exp,
  getBackend,
  greater,
  leakyRelu,
  listBackends,
  log,
  matmul,
  max,
  maximum,
  mean,
  min,
  mul,
  pow,
  rand,
  randn,
  relu,
  setBackend,
  sigmoid,
  softplus,
  sqrt,
  sub,
  sum,
  tanh,
  type DType,
  type Tensor,
  type TypedArray,
} from '../src/index.js';
import { initWasmBackend, wasmFeatures } from '../src/backend/wasm/index.js';
import { RELAXED_SIMD_SHARED_WASM_BASE64, RELAXED_SIMD_WASM_BASE64, SIMD_SHARED_WASM_BASE64, SIMD_WASM_BASE64 } from '../src/backend/wasm/kernels.generated.js';

// One suite, run against every registered backend: each must compute what the reference (cpu)
// backend computes. Tolerances, relative to Σₚ |op(A)[i,p]|·|op(B)[p,j]| (the scale a summation-
// order change can perturb a dot product by; an element-wise relative error is meaningless where
// the sum cancels): float64 1e-12, float32 1e-5 (float32 kernels may accumulate in float32 and
// fuse multiply-adds; the reference accumulates in doubles).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** op(A)·op(B) by the textbook triple loop in doubles, with the scale of each element's sum. */
function naive(a: TypedArray, b: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): { c: Float64Array; scale: Float64Array } {
  const c = new Float64Array(M * N), scale = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, t = 0;
      for (let p = 0; p < K; p++) {
        const x = a[transA ? p * M + i : i * K + p]!, y = b[transB ? j * K + p : p * N + j]!;
        s += x * y;
        t += Math.abs(x * y);
      }
      c[i * N + j] = s;
      scale[i * N + j] = t;
    }
  }
  return { c, scale };
}

// M×K · K×N, odd sizes on purpose: edges of every tile, thin products (M or N < 4 take the
// streaming path), and K past one 256-deep block.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 7, 5],
  [17, 9, 33],
  [64, 65, 300],
  [2, 30, 700],
  [100, 3, 257],
  [9, 11, 600],
  [4, 4, 1],
];

function gradientsOf(dtype: DType): Map<string, Float64Array> {
  const X = randn([6, 37], { seed: 11, dtype });
  const Y = cast(greater(rand([1, 37], { seed: 12 }), 0.5), dtype);
  const net = new Sequential({ layerSizes: [6, 9, 5, 1], activations: ['tanh', 'leakyRelu', 'sigmoid'], seed: 3, dtype });
  const params = net.parameters();
  for (const p of params.values()) p.zeroGrad();
  net.cost(X, Y).backward();
  return new Map([...params].map(([name, p]) => [name, Float64Array.from(p.grad!.data)]));
}

const backends = listBackends();

describe('the backends', () => {
  it('include cpu, and wasm wherever WebAssembly SIMD is available', () => {
    expect(backends).toContain('cpu');
    if (wasmFeatures()) expect(backends).toContain('wasm');
    if (wasmFeatures() && typeof SharedArrayBuffer === 'function') expect(backends).toContain('wasm-threads');
  });
});

/**
 * A float64 product of backend `name` against the cpu backend's: bit for bit where the kernels
 * keep the reference's summation order and round every product (cpu, and the WASM kernels built
 * without relaxed SIMD); within 1e-12 of Σ|a||b| where relaxed SIMD fuses each multiply-add into
 * one FMA, as numpy's BLAS does (asm/gemm.ts, "Summation order").
 */
function expectFloat64Product(name: string, here: number[], reference: number[], scale: Float64Array, label: string): void {
  if (name === 'cpu' || wasmFeatures() !== 'relaxed') {
    expect(here, label).toEqual(reference);
    return;
  }
  expect(here.length, label).toBe(reference.length);
  here.forEach((v, k) => {
    // Both sides are within 2⁻⁵²·K·Σ|a||b| of the exact sum; 1e-12 allows K up to about 4000.
    if (!(Math.abs(v - reference[k]!) <= 1e-12 * scale[k]!)) throw new Error(`float64 ${label}: element ${k} is ${v}, the cpu backend's ${reference[k]}`);
  });
}

/**
 * For each (M, N, K) and every transpose case, on backend `name` (the current one): the float64
 * product the cpu backend's (expectFloat64Product), the float32 one within 1e-5 of Σ|a||b| of
 * the triple loop.
 */
function agreeWithReference(name: string, shapes: Array<[number, number, number]>, seed: number): void {
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const label = `${M}×${K}·${K}×${N} transA=${transA} transB=${transB}`;
        const A64 = randn(transA ? [K, M] : [M, K], { seed: seed++ }), B64 = randn(transB ? [N, K] : [K, N], { seed: seed++ });
        const here = matmul(A64, B64, { transA, transB }).toFlatArray();
        setBackend('cpu');
        const reference = matmul(A64, B64, { transA, transB }).toFlatArray();
        setBackend(name);
        expectFloat64Product(name, here, reference, naive(A64.data, B64.data, M, N, K, transA, transB).scale, label);
        const A = cast(A64, 'float32'), B = cast(B64, 'float32');
        const C = matmul(A, B, { transA, transB });
        const { c, scale } = naive(A.data, B.data, M, N, K, transA, transB);
        C.data.forEach((v, k) => {
          if (!(Math.abs(v - c[k]!) <= 1e-5 * scale[k]!)) throw new Error(`float32 ${label}: element ${k} is ${v}, expected ${c[k]}`);
        });
      }
    }
  }
}

describe.each(backends)('backend %s', (name) => {
  let previous = getBackend().name;
  beforeEach(() => {
    previous = getBackend().name;
    setBackend(name);
  });
  afterEach(() => {
    setBackend(previous);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float64' ? 1e-12 : 1e-5;
    it(`matmul, ${dtype}: every transpose case on odd sizes agrees with the triple loop to ${tol}`, () => {
      let seed = 100;
      for (const [M, N, K] of SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const A = randn(transA ? [K, M] : [M, K], { seed: seed++, dtype });
            const B = randn(transB ? [N, K] : [K, N], { seed: seed++, dtype });
            const C = matmul(A, B, { transA, transB });
            expect(C.shape).toEqual([M, N]);
            const { c, scale } = naive(A.data, B.data, M, N, K, transA, transB);
            C.data.forEach((v, k) => {
              const err = Math.abs(v - c[k]!);
              if (!(err <= tol * scale[k]!)) throw new Error(`${M}×${K}·${K}×${N} transA=${transA} transB=${transB}: element ${k} is ${v}, expected ${c[k]} (error ${err})`);
            });
          }
        }
      }
    });
  }

  it('matmul of the large cases, float32 and float64: 64×300·300×65 and K > 256 through two blocks', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const A = randn([130, 520], { seed: 1, dtype }), B = randn([520, 67], { seed: 2, dtype });
      const C = matmul(A, B);
      const { c, scale } = naive(A.data, B.data, 130, 67, 520, false, false);
      const tol = dtype === 'float64' ? 1e-12 : 1e-5;
      C.data.forEach((v, k) => expect(Math.abs(v - c[k]!)).toBeLessThanOrEqual(tol * scale[k]!));
    }
  });

  it('matmul, float64: the reference backend\'s, bit for bit where multiply-adds do not fuse (same summation order)', () => {
    let seed = 500;
    for (const [M, N, K] of [...SHAPES, [130, 67, 520] as [number, number, number]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const A = randn(transA ? [K, M] : [M, K], { seed: seed++ }), B = randn(transB ? [N, K] : [K, N], { seed: seed++ });
          const here = matmul(A, B, { transA, transB }).toFlatArray();
          setBackend('cpu');
          const reference = matmul(A, B, { transA, transB }).toFlatArray();
          setBackend(name);
          expectFloat64Product(name, here, reference, naive(A.data, B.data, M, N, K, transA, transB).scale, `${M}×${K}·${K}×${N} transA=${transA} transB=${transB}`);
        }
      }
    }
  });

  it('matmul with few rows (the WASM kernels read op(B) in place) and around that path\'s limits: float64 the reference\'s, float32 to 1e-5', () => {
    // asm/gemm.ts reads op(B) in place when C has at most 48 rows, B is not transposed and its
    // row stride is under 4 KiB and not a multiple of 256 bytes; a last panel narrower than the
    // tile is packed. These shapes take that path (ragged last panels of 1–7 columns, K past a
    // 256-deep block, 48 rows) or just miss it (49 rows; rows of 64 values: 256 or 512 bytes),
    // in every transpose case (transposed B never reads in place).
    agreeWithReference(name, [[20, 209, 600], [5, 13, 257], [48, 37, 300], [49, 37, 300], [7, 64, 300], [4, 8, 3], [12, 33, 513]], 700);
  });

  it('matmul past the 2^22 multiply-add threshold (rows split, columns split, thin): float64 the reference\'s, float32 to 1e-5', () => {
    // The wasm-threads backend splits these between two threads; every backend must agree.
    // 20×4100·4100×209 is split by columns, each thread reading its columns of B in place.
    agreeWithReference(name, [[520, 260, 130], [6, 4200, 700], [2, 10000, 860], [20, 209, 4100]], 900);
  });

  it('matmul writes every element of its output, zeros where K = 0 (ops/matmul.ts hands it over unzeroed)', () => {
    // Shapes on each path: small, rows shared out on two threads (with room for a page-touching
    // pass), columns split over slices of B, and K = 0 at the sizes of those paths.
    const shapes: Array<[number, number, number]> = [[3, 4, 0], [300, 300, 0], [260, 600, 0], [7, 5, 3], [300, 260, 130], [20, 209, 4100], [96, 600, 300]];
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [M, N, K] of shapes) {
        for (const [transA, transB] of [[false, false], [true, true]] as const) {
          const A = randn(transA ? [K, M] : [M, K], { seed: 1, dtype }), B = randn(transB ? [N, K] : [K, N], { seed: 2, dtype });
          const out = dtype === 'float32' ? new Float32Array(M * N).fill(NaN) : new Float64Array(M * N).fill(NaN);
          getBackend().matmul(A.data, B.data, out, M, N, K, transA, transB);
          const { c } = naive(A.data, B.data, M, N, K, transA, transB);
          const tol = dtype === 'float64' ? 1e-12 : 1e-4;
          out.forEach((v, k) => {
            if (!(Math.abs(v - c[k]!) <= tol * (1 + Math.abs(c[k]!)))) throw new Error(`${dtype} ${M}×${K}·${K}×${N} transA=${transA}: element ${k} is ${v}, expected ${c[k]}`);
          });
        }
      }
    }
  });

  it('matmul propagates NaN and Infinity as the reference does', () => {
    const A = randn([5, 6], { seed: 1 }), B = randn([6, 7], { seed: 2 });
    A.data[7] = NaN;
    B.data[3] = Infinity;
    const here = matmul(A, B).toFlatArray();
    setBackend('cpu');
    const reference = matmul(A, B).toFlatArray();
    // The same elements NaN, and the same infinities; the finite ones as any float64 product.
    expect(here.map((v) => (Number.isFinite(v) ? 'finite' : v))).toEqual(reference.map((v) => (Number.isFinite(v) ? 'finite' : v)));
    const finite = (v: number[]): number[] => v.map((x) => (Number.isFinite(x) ? x : 0));
    expectFloat64Product(name, finite(here), finite(reference), naive(A.data.map((x) => (Number.isFinite(x) ? x : 0)), B.data.map((x) => (Number.isFinite(x) ? x : 0)), 5, 7, 6, false, false).scale, 'NaN and Infinity');
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`element-wise ops, their gradients and reductions, ${dtype}: equal to the reference`, () => {
      const run = (): number[][] => {
        const x = randn([5, 8], { seed: 21, dtype, requiresGrad: true });
        const y = add(rand([1, 8], { seed: 22, dtype }), 0.5);
        const outs: Tensor[] = [
          add(x, y), sub(x, y), mul(x, y), div(x, y), pow(y, 1.7), maximum(x, 0.1),
          exp(x), log(y), sqrt(y), abs(x), tanh(x), sigmoid(x), relu(x), leakyRelu(x, 0.1), softplus(x), clip(x, -0.5, 0.5),
          sum(x, { axis: 0 }), sum(x, { axis: 1 }), mean(x), max(x, { axis: 1 }), min(x, { axis: 0 }), argmax(x, 0),
        ];
        sum(add(add(tanh(x), sigmoid(mul(x, y))), add(relu(x), softplus(x)))).backward();
        return [...outs.map((t) => t.toFlatArray()), x.grad!.toFlatArray()];
      };
      const here = run();
      setBackend('cpu');
      expect(here).toEqual(run());
    });

    it(`gradients of a small network [6, 9, 5, 1], ${dtype}: the reference's to 1e-12`, () => {
      const here = gradientsOf(dtype);
      setBackend('cpu');
      const reference = gradientsOf(dtype);
      // float32 gradients round each product to float32: compare at that precision.
      const tol = dtype === 'float64' ? 1e-12 : 1e-5;
      for (const [param, g] of reference) {
        const h = here.get(param)!;
        const size = Math.max(...g.map(Math.abs), 1e-300);
        g.forEach((v, k) => {
          if (!(Math.abs(h[k]! - v) <= tol * size)) throw new Error(`d${param}[${k}]: ${h[k]} vs the reference's ${v}`);
        });
      }
    });
  }
});

// asm/gemm.ts's products and asm/dense.ts's element-wise kernels, in one module.
const KERNEL_EXPORTS = [
  'activateF32', 'activationBackwardF32', 'adamF32', 'adamF64', 'biasActivateF32', 'binaryCrossEntropyF32', 'categoricalCrossEntropyF32', 'descendF32', 'descendF64', 'firstNonFiniteF32', 'firstNonFiniteF64',
  'gemmF32', 'gemmF32Add', 'gemmF32Packed', 'gemmF32PackedT', 'gemmF32Strided', 'gemmF64', 'gemmF64Add', 'gemmF64Packed', 'gemmF64PackedT', 'gemmF64Strided', 'heapBase', 'memory', 'momentumF32', 'momentumF64',
  'packBF32', 'packBF64', 'packBPieceF32', 'packBPieceF64', 'packBlocking', 'packPieces', 'packedBytes', 'packedTBytes', 'rmspropF32', 'rmspropF64', 'scratchBytes',
];

/** The exports of the one-thread kernel builds the tests call directly. */
interface RawKernels {
  memory: WebAssembly.Memory; heapBase(): number; scratchBytes(N: number, d: number): number; packedBytes(N: number, K: number, d: number): number;
  packedTBytes(K: number, d: number): number;
  packBF32(b: number, dst: number, N: number, K: number, t: number): void; packBF64(b: number, dst: number, N: number, K: number, t: number): void;
  packPieces(N: number, K: number, d: number): number;
  packBPieceF32(b: number, dst: number, N: number, K: number, t: number, piece: number): void;
  packBPieceF64(b: number, dst: number, N: number, K: number, t: number, piece: number): void;
  gemmF32(a: number, b: number, c: number, M: number, N: number, K: number, tA: number, tB: number, s: number): void;
  gemmF64(a: number, b: number, c: number, M: number, N: number, K: number, tA: number, tB: number, s: number): void;
  gemmF32Strided(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, s: number): void;
  gemmF64Strided(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, s: number): void;
  gemmF32Add(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, s: number): void;
  gemmF64Add(a: number, b: number, c: number, M: number, N: number, K: number, ai: number, ap: number, bp: number, bj: number, ldc: number, s: number): void;
  gemmF32Packed(a: number, p: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, s: number): void;
  gemmF64Packed(a: number, p: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, s: number): void;
  gemmF32PackedT(a: number, p: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, s: number, buf: number): void;
  gemmF64PackedT(a: number, p: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, s: number, buf: number): void;
}

/** A fresh instance of each one-thread build this engine runs (SIMD, relaxed SIMD), 200 pages grown. */
function kernelBuilds(): Array<['simd' | 'relaxed', RawKernels]> {
  const builds: Array<['simd' | 'relaxed', RawKernels]> = [];
  for (const [variant, b64] of [['simd', SIMD_WASM_BASE64], ['relaxed', RELAXED_SIMD_WASM_BASE64]] as const) {
    if (variant === 'simd' ? !wasmFeatures() : wasmFeatures() !== 'relaxed') continue;
    const k = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))), {}).exports as unknown as RawKernels;
    k.memory.grow(200);
    builds.push([variant, k]);
  }
  return builds;
}

describe('the generated WASM kernels', () => {
  it('decode and instantiate, in both variants this engine supports', () => {
    for (const [variant, b64] of [['simd', SIMD_WASM_BASE64], ['relaxed', RELAXED_SIMD_WASM_BASE64]] as const) {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const usable = variant === 'simd' ? wasmFeatures() !== null : wasmFeatures() === 'relaxed';
      expect(WebAssembly.validate(bytes), variant).toBe(usable);
      if (!usable) continue;
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      expect(Object.keys(exports).sort()).toEqual(KERNEL_EXPORTS);
    }
    // The threaded builds import a shared memory.
    for (const [variant, b64] of [['simd', SIMD_SHARED_WASM_BASE64], ['relaxed', RELAXED_SIMD_SHARED_WASM_BASE64]] as const) {
      const usable = variant === 'simd' ? wasmFeatures() !== null : wasmFeatures() === 'relaxed';
      if (!usable || typeof SharedArrayBuffer !== 'function') continue;
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      const module = new WebAssembly.Module(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
      const { exports } = new WebAssembly.Instance(module, { env: { memory } });
      expect(Object.keys(exports).sort(), variant).toEqual(KERNEL_EXPORTS);
    }
  });

  it('packs op(B) piece by piece (packBPiece*), in any order, into exactly what packBF* writes', () => {
    let checked = 0;
    for (const [, k] of kernelBuilds()) {
      // Past one column block (2048 float32, 1024 float64 columns) and one slice of 256 rows,
      // with ragged last ones, B either way.
      for (const [double, N, K] of [[0, 2050, 300], [1, 1030, 513], [0, 9, 7]] as const) {
        for (const transB of [0, 1]) {
          const size = double ? 8 : 4, bytes = k.packedBytes(N, K, double);
          const base = Math.ceil(k.heapBase() / 64) * 64, b = base, whole = b + K * N * size, pieces = whole + bytes;
          const view = new Uint8Array(k.memory.buffer);
          const values = double ? new Float64Array(k.memory.buffer, b, K * N) : new Float32Array(k.memory.buffer, b, K * N);
          for (let i = 0; i < K * N; i++) values[i] = Math.sin(i) * 3;
          view.fill(0xee, whole, pieces + bytes); // padding must be written, not left over
          (double ? k.packBF64 : k.packBF32)(b, whole, N, K, transB);
          const count = k.packPieces(N, K, double);
          expect(count).toBe(Math.ceil(N / (double ? 1024 : 2048)) * Math.ceil(K / 256));
          for (let piece = count - 1; piece >= 0; piece--) (double ? k.packBPieceF64 : k.packBPieceF32)(b, pieces, N, K, transB, piece);
          expect(Buffer.compare(view.subarray(whole, whole + bytes), view.subarray(pieces, pieces + bytes)), `${double ? 'f64' : 'f32'} ${K}×${N} transB ${transB}`).toBe(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('GEMM with op(B) packed once (packBF*, gemmF*Packed) gives bit for bit what gemmF* gives, in every variant, row blocks included', () => {
    let checked = 0;
    for (const [variant, k] of kernelBuilds()) {
      // Shapes around the tiles' and blocks' edges: M of 1–3 (padded tiles), K past one block of
      // 256, N past one float64 column block of 1024; A plain or transposed, B either way. With
      // few rows and B not transposed gemmF* reads op(B) in place: checked here against packed.
      for (const [M, N, K] of [[20, 209, 300], [7, 13, 5], [2, 9, 3], [13, 1030, 17], [6, 4, 513]] as const) {
        for (const double of [0, 1]) {
          for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
            const size = double ? 8 : 4;
            const base = Math.ceil(k.heapBase() / 64) * 64;
            const aAt = base, bAt = aAt + M * K * size, c1 = bAt + K * N * size, c2 = c1 + M * N * size, c3 = c2 + M * N * size;
            const packed = c3 + M * N * size, scratch = packed + Math.ceil(k.packedBytes(N, K, double) / 64) * 64 + 64;
            const view = double ? new Float64Array(k.memory.buffer) : new Float32Array(k.memory.buffer);
            for (let i = 0; i < M * K + K * N; i++) view[aAt / size + i] = Math.sin(i * 0.37) * 2;
            const ai = tA ? 1 : K, ap = tA ? M : 1;
            (double ? k.gemmF64 : k.gemmF32)(aAt, bAt, c1, M, N, K, tA, tB, scratch);
            (double ? k.packBF64 : k.packBF32)(bAt, packed, N, K, tB);
            (double ? k.gemmF64Packed : k.gemmF32Packed)(aAt, packed, c2, M, N, K, ai, ap, N, scratch);
            // The rows split as two threads split them: 0 … M0 and M0 … M.
            const M0 = Math.min(M, 12);
            (double ? k.gemmF64Packed : k.gemmF32Packed)(aAt, packed, c3, M0, N, K, ai, ap, N, scratch);
            if (M > M0) (double ? k.gemmF64Packed : k.gemmF32Packed)(aAt + M0 * ai * size, packed, c3 + M0 * N * size, M - M0, N, K, ai, ap, N, scratch);
            const first = Array.from(view.subarray(c1 / size, c1 / size + M * N));
            const label = `${variant} ${double ? 'f64' : 'f32'} ${M}×${N}×${K} ${tA}${tB}`;
            for (const c of [c2, c3]) {
              const got = Array.from(view.subarray(c / size, c / size + M * N));
              // A thin float32 product (< 4 rows or columns) is streamed by gemmF32 and tiled
              // here: fused multiply-adds may round differently. Float64's streamed path fuses
              // (or not) exactly as its tiles do (madd64s).
              if (double || (M >= 4 && N >= 4)) expect(got, label).toEqual(first);
              else got.forEach((v, i) => expect(Math.abs(v - first[i]!), label).toBeLessThan(1e-5 * (1 + Math.abs(first[i]!))));
            }
            checked++;
          }
        }
      }
    }
    if (wasmFeatures()) expect(checked).toBeGreaterThan(0);
  });

  it('GEMM of K in slices of 256 (gemmF*Strided, then gemmF*Add for each next slice) is bit for bit the whole product', () => {
    let checked = 0;
    for (const [variant, k] of kernelBuilds()) {
      // What the one-thread backend does with few rows and a long B: thin (1, 3 rows: streamed),
      // tiled (20, 48), B read in place or packed (64 columns: 256 bytes), a last short slice.
      for (const [M, N, K] of [[1, 37, 700], [3, 209, 513], [20, 209, 1000], [48, 13, 600], [20, 64, 520]] as const) {
        for (const double of [0, 1]) {
          for (const tA of [0, 1]) {
            const size = double ? 8 : 4;
            const base = Math.ceil(k.heapBase() / 64) * 64;
            const aAt = base, bAt = aAt + M * K * size + 64, whole = bAt + K * N * size + 64, sliced = whole + M * N * size + 64, scratch = sliced + M * N * size + 64;
            const view = double ? new Float64Array(k.memory.buffer) : new Float32Array(k.memory.buffer);
            for (let i = 0; i < M * K; i++) view[aAt / size + i] = Math.sin(i * 0.53) * 2;
            for (let i = 0; i < K * N; i++) view[bAt / size + i] = Math.cos(i * 0.29);
            view.fill(Number.NaN, sliced / size, sliced / size + M * N);
            const ai = tA ? 1 : K, ap = tA ? M : 1;
            (double ? k.gemmF64Strided : k.gemmF32Strided)(aAt, bAt, whole, M, N, K, ai, ap, N, 1, N, scratch);
            for (let p0 = 0; p0 < K; p0 += 256) {
              const f = p0 === 0 ? (double ? k.gemmF64Strided : k.gemmF32Strided) : double ? k.gemmF64Add : k.gemmF32Add;
              f(aAt + p0 * ap * size, bAt + p0 * N * size, sliced, M, N, Math.min(256, K - p0), ai, ap, N, 1, N, scratch);
            }
            const label = `${variant} ${double ? 'f64' : 'f32'} ${M}×${N}×${K} tA=${tA}`;
            expect(Array.from(view.subarray(sliced / size, sliced / size + M * N)), label).toEqual(Array.from(view.subarray(whole / size, whole / size + M * N)));
            checked++;
          }
        }
      }
    }
    if (wasmFeatures()) expect(checked).toBeGreaterThan(0);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype} GEMM: a row of C has the same bits whatever register tile and row block it falls in, and the right value`, () => {
      const double = dtype === 'float64', size = double ? 8 : 4;
      let checked = 0;
      for (const [variant, k] of kernelBuilds()) {
        // C (150×39) of a 150-row op(A), then of its first M rows: every row's bits must stay
        // whatever tile computes it. float32 cuts M into panels of 6, 5 and 4 rows with relaxed
        // SIMD (20 = four fives, 7 padded), of 4 without; float64 into panels of 6 with relaxed
        // SIMD, of 5 without; M of 1–3 is streamed unpacked. M around the row blocks too. The last
        // columns (39 = 4·8 + 7 = 9·4 + 3) make edge tiles that read both halves of each row.
        // op(A) plain and transposed (the packing's two transposing paths); op(B) = B given as is
        // and given transposed (also the streamed rows' gathered columns), with the same bits
        // either way. K past one block.
        const Mall = 150, N = 39, K = 300;
        const base = Math.ceil(k.heapBase() / 64) * 64;
        const aAt = base, bAt = aAt + Mall * K * size, btAt = bAt + K * N * size, full = btAt + K * N * size, part = full + Mall * N * size, scratch = part + Mall * N * size;
        const view = double ? new Float64Array(k.memory.buffer) : new Float32Array(k.memory.buffer);
        const gemm = double ? k.gemmF64Strided : k.gemmF32Strided;
        const A = (double ? new Float64Array(Mall * K) : new Float32Array(Mall * K)).map((_, i) => Math.sin(i * 0.61) * 3);
        const B = (double ? new Float64Array(K * N) : new Float32Array(K * N)).map((_, i) => Math.cos(i * 0.23));
        view.set(A, aAt / size);
        view.set(B, bAt / size);
        for (let p = 0; p < K; p++) for (let j = 0; j < N; j++) view[btAt / size + j * K + p] = B[p * N + j]!;
        const plainB: number[][] = [];
        for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const ai = tA ? 1 : K, ap = tA ? Mall : 1;
          const [b, bp, bj] = tB ? [btAt, 1, K] : [bAt, N, 1];
          gemm(aAt, b, full, Mall, N, K, ai, ap, bp, bj, N, scratch);
          const expected = Array.from(view.subarray(full / size, full / size + Mall * N));
          if (!tB) plainB[tA ? 1 : 0] = expected;
          else expect(expected, `${variant} tA=${tA}: op(B) = B, given transposed`).toEqual(plainB[tA ? 1 : 0]);
          for (let at = 0; at < Mall * N; at++) {
            const i = Math.floor(at / N), j = at % N;
            let s = 0, bound = 0;
            for (let p = 0; p < K; p++) {
              const x = A[tA ? p * Mall + i : i * K + p]!, y = B[p * N + j]!;
              s += x * y;
              bound += Math.abs(x * y);
            }
            if (!(Math.abs(expected[at]! - s) <= (double ? 1e-12 : 1e-5) * bound)) throw new Error(`${variant} tA=${tA}: C[${i}, ${j}] is ${expected[at]}, Σ in float64 ${s}`);
          }
          for (const M of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 19, 20, 25, 119, 120, 121, 128, 149]) {
            view.fill(Number.NaN, part / size, part / size + Mall * N);
            gemm(aAt, b, part, M, N, K, ai, ap, bp, bj, N, scratch);
            expect(Array.from(view.subarray(part / size, part / size + M * N)), `${variant} tA=${tA} tB=${tB} M=${M}`).toEqual(expected.slice(0, M * N));
            // Nothing written past the M rows.
            expect(Number.isNaN(view[part / size + M * N]!), `${variant} M=${M}`).toBe(true);
            checked++;
          }
        }
      }
      if (wasmFeatures()) expect(checked).toBeGreaterThan(0);
    });
  }

  it('C = A·Xᵀ from X packed for W·X (gemmF*PackedT) is bit for bit C from Xᵀ packed, also with its columns split as two threads split them', () => {
    let checked = 0;
    for (const [variant, k] of kernelBuilds()) {
      // X is N×K (features × samples): N around the 8- and 4-wide panels and the 256-deep
      // slices, K around panels and past one slice (≤ one float64 column block of 1024).
      for (const [M, N, K] of [[20, 600, 209], [5, 13, 7], [4, 256, 300], [7, 517, 4], [13, 9, 513]] as const) {
        for (const double of [0, 1]) {
          const size = double ? 8 : 4;
          const pack = double ? k.packBF64 : k.packBF32;
          const base = Math.ceil(k.heapBase() / 64) * 64;
          const aAt = base, xAt = aAt + M * K * size + 64, c1 = xAt + N * K * size, c2 = c1 + M * N * size, c3 = c2 + M * N * size;
          const forward = c3 + M * N * size, backward = forward + Math.ceil(k.packedBytes(K, N, double) / 64) * 64;
          const buf = backward + Math.ceil(k.packedBytes(N, K, double) / 64) * 64;
          const scratch = buf + Math.ceil(k.packedTBytes(K, double) / 64) * 64;
          const view = double ? new Float64Array(k.memory.buffer) : new Float32Array(k.memory.buffer);
          const A = Float64Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37) * 2);
          const X = Float64Array.from({ length: N * K }, (_, i) => Math.sin((i + M * K) * 0.37) * 2);
          view.set(A, aAt / size);
          view.set(X, xAt / size);
          // NaN in the work area and right past A, so that a value read unset or past A shows.
          view.fill(Number.NaN, buf / size, scratch / size);
          view.fill(Number.NaN, aAt / size + M * K, xAt / size);
          pack(xAt, backward, N, K, 1); // op(B) = Xᵀ, K × N
          (double ? k.gemmF64Packed : k.gemmF32Packed)(aAt, backward, c1, M, N, K, K, 1, N, scratch);
          pack(xAt, forward, K, N, 0); // op(B) = X, N × K: Z = W·X's packing
          const T = double ? k.gemmF64PackedT : k.gemmF32PackedT;
          T(aAt, forward, c2, M, N, K, N, 0, N, scratch, buf);
          // Split as SplitGemm.gemmPackedT splits (at a multiple of the panel width), and at 256.
          const unit = double ? 4 : 8, N0 = Math.min(N, Math.ceil(N / (2 * unit)) * unit), N1 = Math.min(N, 256);
          T(aAt, forward, c3, M, N, K, N, 0, N0, scratch, buf);
          T(aAt, forward, c3, M, N, K, N, N0, N, scratch, buf);
          const c4 = scratch + Math.ceil(k.scratchBytes(N, double) / 64) * 64;
          T(aAt, forward, c4, M, N, K, N, 0, N1, scratch, buf);
          T(aAt, forward, c4, M, N, K, N, N1, N, scratch, buf);
          const label = `${variant} ${double ? 'f64' : 'f32'} ${M}×${N}×${K}`;
          const expected = Array.from(view.subarray(c1 / size, c1 / size + M * N));
          // And against A·Xᵀ summed here in float64 from the values the kernels saw.
          if (!double) { A.set(new Float32Array(A)); X.set(new Float32Array(X)); }
          expected.forEach((v, at) => {
            const i = Math.floor(at / N), j = at % N;
            let s = 0, bound = 0;
            for (let p = 0; p < K; p++) { s += A[i * K + p]! * X[j * K + p]!; bound += Math.abs(A[i * K + p]! * X[j * K + p]!); }
            expect(Math.abs(v - s), label).toBeLessThanOrEqual((double ? 1e-12 : 1e-5) * bound);
          });
          for (const c of [c2, c3, c4]) expect(Array.from(view.subarray(c / size, c / size + M * N)), label).toEqual(expected);
          checked++;
        }
      }
    }
    if (wasmFeatures()) expect(checked).toBeGreaterThan(0);
  });

  it('float64 GEMM of the build without relaxed SIMD is bit for bit the cpu backend\'s (products rounded, ascending p); the relaxed build\'s within 1e-12 of Σ|a||b|', () => {
    let checked = 0;
    for (const [variant, k] of kernelBuilds()) {
      let seed = 900;
      // The tiled path (both edges cut), the few-rows path reading B in place, the streamed thin
      // path, and K past one 256-deep block.
      for (const [M, N, K] of [[23, 37, 300], [20, 209, 600], [2, 50, 70], [64, 3, 257]] as const) {
        for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
          const A = randn(tA ? [K, M] : [M, K], { seed: seed++ }), B = randn(tB ? [N, K] : [K, N], { seed: seed++ });
          const base = Math.ceil(k.heapBase() / 64) * 64;
          const aAt = base, bAt = aAt + M * K * 8, cAt = bAt + K * N * 8, scratch = cAt + M * N * 8;
          const view = new Float64Array(k.memory.buffer);
          view.set(A.data, aAt / 8);
          view.set(B.data, bAt / 8);
          k.gemmF64(aAt, bAt, cAt, M, N, K, tA, tB, scratch);
          const got = Array.from(view.subarray(cAt / 8, cAt / 8 + M * N));
          const previous = getBackend().name;
          setBackend('cpu');
          const reference = matmul(A, B, { transA: tA === 1, transB: tB === 1 }).toFlatArray();
          setBackend(previous);
          const label = `${variant} ${M}×${K}·${K}×${N} ${tA}${tB}`;
          if (variant === 'simd') expect(got, label).toEqual(reference);
          else {
            const { scale } = naive(A.data, B.data, M, N, K, tA === 1, tB === 1);
            got.forEach((v, i) => {
              if (!(Math.abs(v - reference[i]!) <= 1e-12 * scale[i]!)) throw new Error(`${label}: element ${i} is ${v}, the cpu backend's ${reference[i]}`);
            });
          }
          checked++;
        }
      }
    }
    if (wasmFeatures()) expect(checked).toBeGreaterThan(0);
  });

  it('compile asynchronously too (as browsers need): initWasmBackend resolves to the registered backend', async () => {
    if (!wasmFeatures()) {
      await expect(initWasmBackend()).rejects.toThrow(/SIMD/);
      return;
    }
    const backend = await initWasmBackend();
    const previous = getBackend().name;
    setBackend('wasm');
    try {
      expect(getBackend()).toBe(backend);
    } finally {
      setBackend(previous);
    }
  });

  it('are up to date with asm/ (a fresh compile reproduces the committed module)', () => {
    // Throws, with the script's message, if kernels.generated.ts differs from a fresh build.
    execFileSync(process.execPath, [resolve(root, 'scripts/build-wasm.mjs'), '--check'], { cwd: root, stdio: 'pipe' });
  });
});
