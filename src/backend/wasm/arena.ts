import type { TypedArray } from '../../tensor/dtype.js';

const ALIGN = 64; // a cache line: SIMD loads of each operand never straddle two needlessly

export function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

// Below this many elements a plain loop beats creating a subarray view to hand to set().
const SMALL = 64;

export function copyIn(view: TypedArray, at: number, src: TypedArray, n: number): void {
  if (src.length === n) view.set(src, at);
  else if (n > SMALL) view.set(src.subarray(0, n), at);
  else for (let i = 0; i < n; i++) view[at + i] = src[i]!;
}

export function copyOut(view: TypedArray, at: number, dst: TypedArray, n: number): void {
  if (n > SMALL) dst.set(view.subarray(at, at + n));
  else for (let i = 0; i < n; i++) dst[i] = view[at + i]!;
}

/** Where one product's operands, result and scratch areas lie in linear memory (byte offsets). */
export interface Staged {
  view: TypedArray;
  size: number;
  aAt: number;
  bAt: number;
  cAt: number;
  scratchAt: number[];
}

/**
 * The part of linear memory above the module's own data that GEMM operands are copied into,
 * shared by the one-thread and the two-thread backends. Memory only grows, so a run of
 * same-sized steps never allocates; views are rebuilt only when growing detached the old buffer.
 */
export class Arena {
  readonly #memory: WebAssembly.Memory;
  readonly #base: number;
  #buffer: ArrayBufferLike;
  #f32: Float32Array;
  #f64: Float64Array;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.#memory = memory;
    this.#base = alignUp(heapBase);
    this.#buffer = memory.buffer;
    this.#f32 = new Float32Array(this.#buffer);
    this.#f64 = new Float64Array(this.#buffer);
  }

  /**
   * Lays out A (M×K), B (K×N), C (M×N) and `scratch.length` scratch areas, copies A and B in,
   * and returns the offsets — or null when they do not fit what linear memory can hold (4 GiB
   * in wasm32, less where the engine says so); the caller then computes on the cpu.
   */
  stage(a: TypedArray, b: TypedArray, M: number, N: number, K: number, double: boolean, scratch: readonly number[]): Staged | null {
    const staged = this.#layout(M, N, K, K, double, scratch);
    if (!staged) return null;
    copyIn(staged.view, staged.aAt / staged.size, a, M * K);
    copyIn(staged.view, staged.bAt / staged.size, b, K * N);
    return staged;
  }

  /**
   * As stage, but copying nothing: the caller copies A and B in, piece by piece, while another
   * thread already works on the pieces in place (SplitGemm.gemmShared).
   */
  place(M: number, N: number, K: number, double: boolean, scratch: readonly number[]): Staged | null {
    return this.#layout(M, N, K, K, double, scratch);
  }

  /**
   * As stage, but with room for only `rows` rows of B (K×N), which it does not copy: the
   * caller copies B in slices of at most that many rows.
   */
  stageA(a: TypedArray, M: number, N: number, K: number, rows: number, double: boolean, scratch: readonly number[]): Staged | null {
    const staged = this.#layout(M, N, K, rows, double, scratch);
    if (staged) copyIn(staged.view, staged.aAt / staged.size, a, M * K);
    return staged;
  }

  #layout(M: number, N: number, K: number, bRows: number, double: boolean, scratch: readonly number[]): Staged | null {
    const size = double ? 8 : 4;
    const aAt = this.#base, bAt = alignUp(aAt + M * K * size), cAt = alignUp(bAt + bRows * N * size);
    const scratchAt: number[] = [];
    let end = alignUp(cAt + M * N * size);
    for (const bytes of scratch) {
      scratchAt.push(end);
      end = alignUp(end + bytes);
    }
    try {
      this.#ensure(end);
    } catch {
      return null;
    }
    return { view: double ? this.#f64 : this.#f32, size, aAt, bAt, cAt, scratchAt };
  }

  #ensure(bytes: number): void {
    const memory = this.#memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    if (memory.buffer !== this.#buffer) {
      this.#buffer = memory.buffer;
      this.#f32 = new Float32Array(this.#buffer);
      this.#f64 = new Float64Array(this.#buffer);
    }
  }
}
