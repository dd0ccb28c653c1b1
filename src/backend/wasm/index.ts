import type { TypedArray } from '../../tensor/dtype.js';
import type { Backend, DenseProgram, DenseProgramSpec } from '../backend.js';
import { cpuBackend, referenceElementwise } from '../cpu/index.js';
import { Arena, copyOut } from './arena.js';
import { createDenseProgram, type ProgramKernels } from './dense-program.js';
import { multiplySlices, type SliceKernels } from './slices.js';
import { RELAXED_SIMD_WASM_BASE64, SIMD_WASM_BASE64 } from './kernels.generated.js';

/*
 * The WASM backend: matmul runs in WebAssembly 128-bit SIMD kernels (asm/gemm.ts: packed,
 * cache-blocked GEMM, f32x4 and f64x2 register tiles). The O(n) kernels of single ops —
 * element-wise ops, their backward, reductions — are the cpu reference's: to run them in WASM
 * their operands would have to be copied into linear memory and back, which costs about as
 * much as the op. Training does not pay that: `compileDense` builds a whole dense training step
 * whose buffers live in WASM memory (./dense-program.ts), with SIMD activations (asm/dense.ts).
 *
 * Products keep the cpu backend's summation order. Where relaxed SIMD is available each
 * multiply-add is fused (one rounding, as numpy's BLAS does with FMA): float64 products then
 * agree with the cpu backend's within 1e-12 of Σ|a||b| — bit for bit without relaxed SIMD —
 * and float32 ones (accumulated in float32) to summation-order rounding.
 */

/** What the kernels module exports (checked at instantiation). */
interface Kernels extends SliceKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytes(N: number, double: number): number;
  gemmF32(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, scratch: number): void;
  gemmF64(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, scratch: number): void;
}

export function decode(base64: string): Uint8Array<ArrayBuffer> {
  // atob exists in browsers and Node ≥ 16; Buffer would tie this module to Node.
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

// Smallest modules that validate only with the feature: a function returning
// i32x4.splat(0) (SIMD), and one computing f32x4.relaxed_madd of three zero vectors.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b,
]);
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x13, 0x01, 0x11, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x41, 0x00, 0xfd, 0x11,
  0x41, 0x00, 0xfd, 0x11, 0xfd, 0x85, 0x02, 0x0b,
]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/**
 * Node 20 (V8 11.3) implements relaxed SIMD but ships it behind --experimental-wasm-relaxed-simd;
 * V8 11.4 (Chrome 114, Node 22) turned it on. Without it the float32 GEMM runs at about 70 % of
 * its speed (no fused multiply-add), so in Node we set that one V8 flag before the first
 * compile — wasm feature flags are read when a module is validated, and the probe below then
 * confirms that the engine accepts the instruction. NABLA_WASM_RELAXED=0 in the environment
 * leaves V8's flags alone. Browsers and other engines are never touched.
 */
function enableRelaxedSimdInNode(): void {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function' || proc.env?.['NABLA_WASM_RELAXED'] === '0') return;
  try {
    const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
  } catch {
    // An engine that refuses the flag simply keeps the plain-SIMD kernels.
  }
}

let features: 'relaxed' | 'simd' | null | undefined;

/** Which module this engine can run: 'relaxed' (FMA), 'simd', or null without WASM SIMD. */
export function wasmFeatures(): 'relaxed' | 'simd' | null {
  if (features !== undefined) return features;
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return (features = null);
  if (!validates(SIMD_PROBE)) return (features = null);
  if (!validates(RELAXED_PROBE)) enableRelaxedSimdInNode();
  return (features = validates(RELAXED_PROBE) ? 'relaxed' : 'simd');
}

function kernelsOf(instance: WebAssembly.Instance): Kernels {
  const e = instance.exports;
  const fns = ['heapBase', 'scratchBytes', 'gemmF32', 'gemmF64', 'biasActivateF32', 'activationBackwardF32', 'firstNonFiniteF32', 'firstNonFiniteF64', 'descendF32', 'descendF64', 'packedBytes', 'packBlocking', 'packBF32', 'packBF64', 'gemmF32Packed', 'gemmF64Packed', 'packedTBytes', 'gemmF32PackedT', 'gemmF64PackedT', 'gemmF32Strided', 'gemmF64Strided', 'gemmF32Add', 'gemmF64Add', 'binaryCrossEntropyF32', 'categoricalCrossEntropyF32', 'adamF32', 'adamF64', 'momentumF32', 'momentumF64', 'rmspropF32', 'rmspropF64'] as const;
  if (!(e['memory'] instanceof WebAssembly.Memory) || fns.some((f) => typeof e[f] !== 'function')) {
    throw new Error('the WASM kernels module lacks an expected export: rebuild it with `npm run build:wasm`');
  }
  return e as unknown as Kernels;
}

/**
 * A compiled dense program on an instance of its own (its own linear memory, sized once), or
 * null when that memory cannot be had (4 GiB in wasm32, less where the engine says so).
 */
export function compileDenseOn(module: WebAssembly.Module, spec: DenseProgramSpec): DenseProgram | null {
  try {
    const kernels = new WebAssembly.Instance(module, {}).exports as unknown as ProgramKernels;
    return createDenseProgram(kernels, spec);
  } catch (e) {
    if (e instanceof RangeError || (typeof WebAssembly.RuntimeError === 'function' && e instanceof WebAssembly.RuntimeError)) return null;
    throw e;
  }
}

function makeBackend(kernels: Kernels, variant: 'relaxed' | 'simd', module: WebAssembly.Module): Backend {
  const arena = new Arena(kernels.memory, kernels.heapBase());

  // Products of few rows whose op(B) = B is long (K of several slices) and narrow enough that a
  // slice of KC rows stays in L2 (≤ 256 KiB): (20×12288)·(12288×209), the cat network's first
  // layer as a plain matmul. There B is the bulk of the traffic: copied whole into linear
  // memory and then read back, it went to memory and back twice. Copied a slice of KC rows at
  // a time instead, each slice is multiplied while it is in cache, gemmF*Add adding its part to
  // C — the same K-blocks in the same order, so the same bits.
  const KC = kernels.packBlocking(0, 1);
  const slices = (M: number, N: number, K: number, transB: boolean, size: number): boolean => !transB && M <= 48 && K >= 2 * KC && KC * N * size <= 256 * 1024;

  function matmul(a: TypedArray, b: TypedArray, out: TypedArray, M: number, N: number, K: number, transA: boolean, transB: boolean): void {
    const double = out instanceof Float64Array;
    const size = double ? 8 : 4;
    if (slices(M, N, K, transB, size)) {
      const staged = arena.stageA(a, M, N, K, KC, double, [kernels.scratchBytes(N, double ? 1 : 0)]);
      if (staged) {
        // Every slice goes to the same place: room for one is all this thread needs.
        const { view, aAt, bAt, cAt, scratchAt } = staged;
        multiplySlices(kernels, double, aAt, () => bAt, cAt, M, N, N, K, transA, scratchAt[0]!, (p0, p1) => view.set(b.subarray(p0 * N, p1 * N), bAt / size));
        copyOut(view, cAt / size, out, M * N);
        return;
      }
    }
    const staged = arena.stage(a, b, M, N, K, double, [kernels.scratchBytes(N, double ? 1 : 0)]);
    if (!staged) {
      // Too big for linear memory: the reference computes the same float64 result in place.
      cpuBackend.matmul(a, b, out, M, N, K, transA, transB);
      return;
    }
    const { view, aAt, bAt, cAt, scratchAt } = staged;
    if (double) kernels.gemmF64(aAt, bAt, cAt, M, N, K, transA ? 1 : 0, transB ? 1 : 0, scratchAt[0]!);
    else kernels.gemmF32(aAt, bAt, cAt, M, N, K, transA ? 1 : 0, transB ? 1 : 0, scratchAt[0]!);
    copyOut(view, cAt / size, out, M * N);
  }

  return {
    name: 'wasm',
    description:
      `WebAssembly 128-bit SIMD GEMM (f32x4${variant === 'relaxed' ? ' with relaxed-SIMD FMA' : ''}, f64x2), one thread; ` +
      'compiled dense training steps with SIMD activations; other element-wise ops and reductions run the cpu reference kernels',
    matmul,
    ...referenceElementwise,
    compileDense: (spec) => compileDenseOn(module, spec),
  };
}

function bytesFor(variant: 'relaxed' | 'simd'): Uint8Array<ArrayBuffer> {
  return decode(variant === 'relaxed' ? RELAXED_SIMD_WASM_BASE64 : SIMD_WASM_BASE64);
}

let created: Backend | null = null;

/**
 * The WASM backend, compiled synchronously (Node, workers, small modules in browsers), or null
 * where WebAssembly SIMD is unavailable or synchronous compilation is refused — then
 * `initWasmBackend()` compiles it asynchronously.
 */
export function tryCreateWasmBackend(): Backend | null {
  if (created) return created;
  const variant = wasmFeatures();
  if (!variant) return null;
  try {
    const module = new WebAssembly.Module(bytesFor(variant));
    created = makeBackend(kernelsOf(new WebAssembly.Instance(module, {})), variant, module);
    return created;
  } catch {
    return null;
  }
}

/**
 * The WASM backend, compiled asynchronously (as browsers require on the main thread for all
 * but tiny modules). Rejects, naming the reason, where WebAssembly SIMD is unavailable.
 * Register the result with `registerBackend` to make it selectable by name.
 */
export async function initWasmBackend(): Promise<Backend> {
  if (created) return created;
  const variant = wasmFeatures();
  if (!variant) throw new Error('the wasm backend needs WebAssembly with 128-bit SIMD, which this engine lacks');
  const module = await WebAssembly.compile(bytesFor(variant));
  const instance = await WebAssembly.instantiate(module, {});
  created ??= makeBackend(kernelsOf(instance), variant, module);
  return created;
}
