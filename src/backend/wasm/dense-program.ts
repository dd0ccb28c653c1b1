import type { TypedArray } from '../../tensor/dtype.js';
import type { DenseProgram, DenseProgramSpec, ProgramActivation, ProgramRule } from '../backend.js';
import { alignUp } from './arena.js';

/*
 * A compiled training step for a network of dense layers: the WASM backend's answer to "a
 * training step reuses its buffers". Everything one step touches — the batch X and Y, W[l] and
 * b[l], Z[l], A[l], dZ[l], dW[l], db[l] and the GEMM scratch — is laid out once, in a linear
 * memory of the program's own (its own instance of the kernels module), sized for the largest
 * batch. A step then only copies the batch's columns and the current parameters in, and runs:
 *
 *   forward   Z[l] = W[l]·A[l−1] + b[l], A[l] = g(Z[l])        GEMM, then bias + activation
 *   cost      J and dZ[L] from Z[L] (or A[L]) and Y               the from-logits forms
 *   backward  dW[l] = dZ[l]·A[l−1]ᵀ, db[l] = Σ_j dZ[l],           GEMM (transposes read in place)
 *             dA[l−1] = W[l]ᵀ·dZ[l], dZ[l−1] = dA[l−1] ⊙ g′
 *
 * with no allocation at all: the memory never grows after construction, so the typed-array
 * views over it, made once, stay valid. The garbage collector reclaims the whole program with
 * its last reference — there is nothing to dispose.
 *
 * Results. Each formula is the autograd graph's own, in its order of operations: float64 steps
 * are bit for bit those of the generic path on the same backend (the same GEMM kernels, whose
 * results depend on neither shape nor blocking; the element-wise float64 work runs here in JavaScript with the cpu backend's expressions — the
 * module has no float64 exp). Float32 hidden layers run SIMD kernels (asm/dense.ts) whose
 * exp/tanh are polynomials within 2 ulp, and the GEMMs may fuse multiply-adds: float32 agrees
 * with the generic path to float32 rounding, not bit for bit.
 */

/** The exports of the kernels module a program calls. */
export interface ProgramKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytes(N: number, double: number): number;
  gemmF32(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, scratch: number): void;
  gemmF64(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, scratch: number): void;
  biasActivateF32(z: number, b: number, a: number, rows: number, cols: number, act: number, slope: number): void;
  activationBackwardF32(dA: number, z: number, a: number, dZ: number, n: number, act: number, slope: number): void;
  binaryCrossEntropyF32(z: number, y: number, terms: number, dZ: number, n: number, inv: number): void;
  categoricalCrossEntropyF32(z: number, y: number, a: number, dZ: number, rows: number, m: number, inv: number): void;
  firstNonFiniteF32(x: number, n: number): number;
  firstNonFiniteF64(x: number, n: number): number;
  /** Returns 1 if some dw is non-finite, plus 2 if some new w is. */
  descendF32(w: number, dw: number, n: number, learningRate: number): number;
  descendF64(w: number, dw: number, n: number, learningRate: number): number;
  adamF32(w: number, dw: number, m: number, v: number, n: number, stepSize: number, beta2: number, c2: number, bc2: number, eps: number, cs: number, small: number): void;
  adamF64(w: number, dw: number, m: number, v: number, n: number, stepSize: number, beta2: number, c2: number, bc2: number, eps: number, cs: number, small: number): void;
  momentumF32(w: number, dw: number, v: number, n: number, learningRate: number, beta: number, keep: number, initialize: number): void;
  momentumF64(w: number, dw: number, v: number, n: number, learningRate: number, beta: number, keep: number, initialize: number): void;
  rmspropF32(w: number, dw: number, s: number, n: number, learningRate: number, rho: number, c: number, eps: number): void;
  rmspropF64(w: number, dw: number, s: number, n: number, learningRate: number, rho: number, c: number, eps: number): void;
  packedBytes(N: number, K: number, double: number): number;
  packedTBytes(K: number, double: number): number;
  packBlocking(double: number, what: number): number;
  packBF32(b: number, dst: number, N: number, K: number, transB: number): void;
  packBF64(b: number, dst: number, N: number, K: number, transB: number): void;
  gemmF32Packed(a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number): void;
  gemmF64Packed(a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number): void;
  gemmF32PackedT(a: number, packed: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, scratch: number, buf: number): void;
  gemmF64PackedT(a: number, packed: number, c: number, M: number, N: number, K: number, ldc: number, c0: number, c1: number, scratch: number, buf: number): void;
}

const CODE: Record<Exclude<ProgramActivation, 'softmax'>, number> = { linear: 0, sigmoid: 1, tanh: 2, relu: 3, leakyRelu: 4 };
const SLOPE = 0.01; // leakyRelu's, as in ops/unary.ts

/** One buffer: its byte address and a view over it. */
interface Buffer {
  at: number;
  view: TypedArray;
}

interface Layer {
  units: number;
  inputs: number;
  activation: ProgramActivation;
  W: Buffer;
  b: Buffer;
  dW: Buffer;
  db: Buffer;
  Z: Buffer;
  A: Buffer;
  /** dA[l], overwritten in place by dZ[l]. */
  dZ: Buffer;
  /**
   * Hidden layers of a program built with dropout: D[l], the caller's mask, and A[l]·D[l], what
   * the next layer reads in a masked step (A[l] itself is kept for g′). Null otherwise.
   */
  D: Buffer | null;
  AD: Buffer | null;
  /**
   * An optimizer's two state buffers for W[l] and for b[l] (Adam's m and v), in this memory so
   * that its update runs here. Laid out with the rest but never touched unless an optimizer
   * uses them: pages never written take no memory.
   */
  stateW: [Buffer, Buffer];
  stateB: [Buffer, Buffer];
}

/**
 * A product C = op(A)·op(B) over byte addresses, given two scratch areas (the second for a
 * helper thread): how a threaded backend hands a program its split GEMM.
 */
export interface ProgramThreads {
  gemm(double: boolean, a: number, b: number, c: number, M: number, N: number, K: number, transA: boolean, transB: boolean, scratch0: number, scratch1: number): void;
  /** C = op(A)·op(B) with op(B) pre-packed (gemmF*Packed), C's rows split between the threads. */
  gemmPacked(double: boolean, a: number, packed: number, c: number, M: number, N: number, K: number, transA: boolean, scratch0: number, scratch1: number): void;
  /**
   * C (M×N) = A·Bᵀ with B (N×K) packed as op(B) of a product N deep (gemmF*PackedT), C's
   * columns split between the threads; buf0 and buf1 are their transposition areas.
   */
  gemmPackedT(double: boolean, a: number, packed: number, c: number, M: number, N: number, K: number, scratch0: number, scratch1: number, buf0: number, buf1: number): void;
}

export function createDenseProgram(kernels: ProgramKernels, spec: DenseProgramSpec, threads?: ProgramThreads): DenseProgram {
  return new WasmDenseProgram(kernels, spec, threads ?? null);
}

class WasmDenseProgram implements DenseProgram {
  readonly capacity: number;
  readonly #k: ProgramKernels;
  readonly #double: boolean;
  readonly #size: number;
  readonly #loss: DenseProgramSpec['loss'];
  readonly #layers: Layer[];
  readonly #X: Buffer;
  readonly #Y: Buffer;
  readonly #scratch: number;
  readonly #scratch1: number;
  readonly #split: ProgramThreads | null;
  /**
   * X packed for Z[1] = W[1]·X and for dW[1] = dZ[1]·Xᵀ (0: that product packs as usual). With
   * slabs (below) there is no second copy unless the spec asks for one (transposedCopy): dW[1]
   * is computed from the forward copy, a block of its columns at a time transposed into
   * #transposed (one area per thread).
   */
  readonly #packedForward: number;
  readonly #packedBackward: number;
  readonly #transposed: readonly [number, number];
  /**
   * Where the packed copy is made from slabs of X's rows staged here, KC rows (the packing's
   * slice depth) at a time; null where X is copied whole and packed from that.
   */
  readonly #slabs: { staging: Buffer; rows: number } | null;
  /** Whether the last load packed #packedBackward too (a forward-only load does not). */
  #backwardPacked = false;
  /** The cost's column sums (JavaScript memory: only JavaScript reads them). */
  readonly #columnSums: TypedArray;
  /** The L2 term's, made at its first use: as many as the widest W has columns. */
  #weightSums: TypedArray | null = null;
  /** `evaluate`'s column sums, one per sample, made at its first call (and for more samples). */
  #evaluated: TypedArray | null = null;
  #m = 0;

  constructor(kernels: ProgramKernels, spec: DenseProgramSpec, split: ProgramThreads | null) {
    const { sizes, activations, loss, dtype, capacity } = spec;
    this.#k = kernels;
    this.#split = split;
    this.#double = dtype === 'float64';
    this.#size = this.#double ? 8 : 4;
    this.#loss = loss;
    this.capacity = capacity;
    const size = this.#size;
    // Lay everything out first, then grow the memory once and make the views.
    let end = alignUp(kernels.heapBase());
    const plan: { at: number; n: number }[] = [];
    const reserve = (n: number): number => {
      const at = end;
      plan.push({ at, n });
      end = alignUp(end + Math.max(n, 1) * size);
      return plan.length - 1;
    };
    const L = sizes.length - 1;
    // The first layer's two products with X pack it once per batch instead of once per
    // product (the packing pass is as costly as the arithmetic when n[1] is small). Thin
    // products (fewer than 4 rows or columns) stream X unpacked instead.
    const n0 = sizes[0]!, n1 = sizes[1]!;
    const double = this.#double ? 1 : 0;
    const packs = n1 >= 4 && n0 >= 4;
    // Packing needs X in this memory, but not all of it at once: where the batch fits one block
    // of the packed layout's columns (≤ NC), slabs of KC rows of X are staged and packed in turn
    // into their places, and dW[1] = dZ[1]·Xᵀ reads that one packed copy (gemmF*PackedT). That
    // saves two copies of X (20 MiB of the cat network's float32 training), and X's own buffer
    // is then only needed for batches too small to pack, which borrow the packed copy's space.
    const NC = kernels.packBlocking(double, 0), KC = kernels.packBlocking(double, 1);
    const slabbed = packs && capacity <= NC;
    // With a transposed copy too, a slab is NC rows of X: a whole block of the columns of
    // op(B) = Xᵀ, which packs into its own place in that copy as KC-deep slices do in the other.
    const copied = slabbed && spec.transposedCopy === true;
    const slabRows = copied ? NC : KC;
    const x = slabbed ? -1 : reserve(n0 * capacity);
    const staging = slabbed ? reserve(Math.min(n0, slabRows) * capacity) : -1;
    const y = reserve(sizes[L]! * capacity);
    const slots = activations.map((_, i) => {
      const units = sizes[i + 1]!, inputs = sizes[i]!;
      const masked = spec.dropout === true && i < L - 1;
      return {
        W: reserve(units * inputs), b: reserve(units), dW: reserve(units * inputs), db: reserve(units),
        Z: reserve(units * capacity), A: reserve(units * capacity), dZ: reserve(units * capacity),
        D: masked ? reserve(units * capacity) : -1, AD: masked ? reserve(units * capacity) : -1,
        stateW: [reserve(units * inputs), reserve(units * inputs)] as const, stateB: [reserve(units), reserve(units)] as const,
      };
    });
    // The widest product: N is m for W·A and Wᵀ·dZ, n[l−1] for dZ·A_prevᵀ.
    const widest = Math.max(capacity, ...sizes);
    this.#packedForward = packs ? end : 0;
    if (packs) end = alignUp(end + kernels.packedBytes(capacity, n0, double));
    this.#packedBackward = packs && (!slabbed || copied) ? end : 0;
    if (this.#packedBackward) end = alignUp(end + kernels.packedBytes(n0, capacity, double));
    // dW[1]'s transposition areas: KC columns of Xᵀ, packed (a few hundred KiB, not a copy of X).
    const transposedBytes = packs && slabbed && !copied ? kernels.packedTBytes(capacity, double) : 0;
    const t0 = end;
    end = alignUp(end + transposedBytes);
    const t1 = end;
    if (split) end = alignUp(end + transposedBytes);
    this.#transposed = [t0, t1];
    const scratchBytes = kernels.scratchBytes(widest, this.#double ? 1 : 0);
    this.#scratch = end;
    end = alignUp(end + scratchBytes);
    this.#scratch1 = end;
    if (split) end = alignUp(end + scratchBytes);
    const memory = kernels.memory;
    if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    const heap = memory.buffer;
    const buffer = (slot: number): Buffer => {
      const { at, n } = plan[slot]!;
      return { at, view: this.#double ? new Float64Array(heap, at, n) : new Float32Array(heap, at, n) };
    };
    this.#columnSums = this.#double ? new Float64Array(capacity) : new Float32Array(capacity);
    // Unpacked X: its own buffer, or (slabbed) the forward copy's space, which holds at least as
    // many values (packedBytes rounds columns up) and is not packed into while X is used raw.
    this.#X = x >= 0 ? buffer(x) : { at: this.#packedForward, view: this.#double ? new Float64Array(heap, this.#packedForward, n0 * capacity) : new Float32Array(heap, this.#packedForward, n0 * capacity) };
    this.#slabs = staging >= 0 ? { staging: buffer(staging), rows: slabRows } : null;
    this.#Y = buffer(y);
    this.#layers = slots.map((s, i) => ({
      units: sizes[i + 1]!, inputs: sizes[i]!, activation: activations[i]!,
      W: buffer(s.W), b: buffer(s.b), dW: buffer(s.dW), db: buffer(s.db), Z: buffer(s.Z), A: buffer(s.A), dZ: buffer(s.dZ),
      D: s.D >= 0 ? buffer(s.D) : null, AD: s.AD >= 0 ? buffer(s.AD) : null,
      stateW: [buffer(s.stateW[0]), buffer(s.stateW[1])], stateB: [buffer(s.stateB[0]), buffer(s.stateB[1])],
    }));
  }

  /** dW[l] and db[l] (l counted from 1), as views: valid for the program's lifetime. */
  gradients(l: number): { dW: TypedArray; db: TypedArray } {
    const layer = this.#layers[l - 1]!;
    return { dW: layer.dW.view, db: layer.db.view };
  }

  loadParameters(l: number, W: TypedArray, b: TypedArray): void {
    const layer = this.#layers[l - 1]!;
    layer.W.view.set(W);
    layer.b.view.set(b);
  }

  descend(l: number, learningRate: number, W: TypedArray, b: TypedArray): void {
    const layer = this.#layers[l - 1]!;
    const f = this.#double ? this.#k.descendF64 : this.#k.descendF32;
    f(layer.W.at, layer.dW.at, layer.W.view.length, learningRate);
    f(layer.b.at, layer.db.at, layer.b.view.length, learningRate);
    W.set(layer.W.view);
    b.set(layer.b.view);
  }

  descendChecked(learningRate: number, params: readonly { W: TypedArray; b: TypedArray }[]): number {
    const f = this.#double ? this.#k.descendF64 : this.#k.descendF32;
    const layers = this.#layers;
    // One pass per tensor updates it and finds whether its gradient, or the result, is
    // non-finite: the first of each, in the order W1, b1, W2, …
    let badGradient = -1, badParameter = -1;
    for (let i = 0; i < layers.length; i++) {
      const { W, dW, b, db } = layers[i]!;
      const codeW = f(W.at, dW.at, W.view.length, learningRate);
      const codeB = f(b.at, db.at, b.view.length, learningRate);
      if (badGradient < 0 && (codeW & 1)) badGradient = 2 * i;
      if (badGradient < 0 && (codeB & 1)) badGradient = 2 * i + 1;
      if (badParameter < 0 && (codeW & 2)) badParameter = 2 * i;
      if (badParameter < 0 && (codeB & 2)) badParameter = 2 * i + 1;
    }
    if (badGradient >= 0) {
      // The step is refused whole: the program's copies go back to the callers' values, which
      // are those it was loaded with (or wrote back at the last descent).
      for (let i = 0; i < layers.length; i++) this.loadParameters(i + 1, params[i]!.W, params[i]!.b);
      return 2 * badGradient;
    }
    for (let i = 0; i < layers.length; i++) {
      params[i]!.W.set(layers[i]!.W.view);
      params[i]!.b.set(layers[i]!.b.view);
    }
    return badParameter < 0 ? -1 : 2 * badParameter + 1;
  }

  optimizerState(k: number): readonly [TypedArray, TypedArray] {
    const layer = this.#layers[k >> 1]!;
    const [first, second] = k % 2 === 0 ? layer.stateW : layer.stateB;
    return [first.view, second.view];
  }

  update(k: number, rule: ProgramRule, out: TypedArray): void {
    const layer = this.#layers[k >> 1]!;
    const [param, grad, [first, second]] = k % 2 === 0 ? [layer.W, layer.dW, layer.stateW] : [layer.b, layer.db, layer.stateB];
    const kernels = this.#k, double = this.#double, n = param.view.length;
    switch (rule.kind) {
      case 'adam': {
        // lerp's two forms as one: base + (g − m)·cs (asm/dense.ts says why the bits are the same).
        const cs = rule.small ? rule.weight : -rule.complement;
        (double ? kernels.adamF64 : kernels.adamF32)(param.at, grad.at, first.at, second.at, n, rule.stepSize, rule.beta2, rule.c2, rule.biasCorrection2Sqrt, rule.epsilon, cs, rule.small ? 1 : 0);
        break;
      }
      case 'momentum':
        (double ? kernels.momentumF64 : kernels.momentumF32)(param.at, grad.at, first.at, n, rule.learningRate, rule.beta, rule.keep, rule.initialize ? 1 : 0);
        break;
      case 'rmsprop':
        (double ? kernels.rmspropF64 : kernels.rmspropF32)(param.at, grad.at, first.at, n, rule.learningRate, rule.rho, rule.c, rule.epsilon);
        break;
    }
    out.set(param.view);
  }

  loadBatch(X: TypedArray, Y: TypedArray, totalColumns: number, columns: ArrayLike<number> | null, start: number, size: number, forwardOnly = false, XbyRow: TypedArray | null = null): void {
    this.#m = size;
    // The second copy exists only where X is packed (n[0], n[1] ≥ 4); a batch of fewer than 4
    // samples is not packed at all.
    this.#backwardPacked = !forwardOnly && this.#packedBackward !== 0 && size >= 4;
    gather(Y, this.#Y.view, totalColumns, columns, start, size, 0, Y.length / totalColumns);
    const n0 = this.#layers[0]!.inputs;
    const packs = this.#packedForward !== 0 && size >= 4;
    const slabs = this.#slabs;
    // From samples as rows where the caller has them for shuffled batches (no closure here: a
    // step allocates nothing).
    const byRow = columns !== null ? XbyRow : null;
    if (!packs || !slabs) {
      if (byRow) gatherByRow(byRow, this.#X.view, n0, columns!, start, size, 0, n0);
      else gather(X, this.#X.view, totalColumns, columns, start, size, 0, n0);
    }
    if (!packs) return;
    const k = this.#k;
    const double = this.#double ? 1 : 0;
    const pack = double ? k.packBF64 : k.packBF32;
    if (!slabs) {
      pack(this.#X.at, this.#packedForward, size, n0, 0);
      if (this.#backwardPacked) pack(this.#X.at, this.#packedBackward, n0, size, 1);
      return;
    }
    // op(B) = X (n0 × m) for Z[1] = W[1]·X: slices of KC rows, each packedBytes(m, KC) long.
    // With the transposed copy, op(B) = Xᵀ (m × n0) for dW[1] = dZ[1]·Xᵀ: blocks of NC columns
    // (a slab's rows of X), each after r0·m values of the blocks before it.
    const { staging, rows } = slabs;
    for (let r0 = 0; r0 < n0; r0 += rows) {
      const r1 = Math.min(n0, r0 + rows);
      if (byRow) gatherByRow(byRow, staging.view, n0, columns!, start, size, r0, r1);
      else gather(X, staging.view, totalColumns, columns, start, size, r0, r1);
      pack(staging.at, this.#packedForward + k.packedBytes(size, r0, double), size, r1 - r0, 0);
      if (this.#backwardPacked) pack(staging.at, this.#packedBackward + r0 * size * this.#size, r1 - r0, size, 1);
    }
    // Without it, dW[1] = dZ[1]·Xᵀ reads the forward copy too (#backward).
  }

  regularize(J: number, c: number, shapes: readonly (readonly [number, number])[]): number {
    // The graph: J := J + sum(square(W))·c per weight in turn, dW += c·2·W (square's backward of
    // sum's c); the products by 2 are exact, so each dW gains round(2c·W) whatever the grouping.
    // The shapes are the model's, the same at every step: the column sums' buffer is made once.
    if (!this.#weightSums) {
      const widest = Math.max(...shapes.map(([, cols]) => cols));
      this.#weightSums = this.#double ? new Float64Array(widest) : new Float32Array(widest);
    }
    const double = this.#double;
    const twoC = 2 * c;
    for (let i = 0; i < this.#layers.length; i++) {
      const { W, dW } = this.#layers[i]!;
      const [rows, cols] = shapes[i]!;
      const term = sumAll(W.view, rows, cols, this.#weightSums, true) * c;
      J = double ? J + term : Math.fround(J + Math.fround(term));
      const w = W.view, dw = dW.view;
      for (let k = 0; k < w.length; k++) dw[k] = dw[k]! + twoC * w[k]!;
    }
    return J;
  }

  forward(): TypedArray {
    this.#forward();
    const output = this.#layers[this.#layers.length - 1]!;
    return output.Z.view.subarray(0, output.units * this.#m);
  }

  evaluate(X: TypedArray, Y: TypedArray, total: number, each: ((Z: TypedArray, start: number, size: number) => void) | null = null): number {
    // One column sum per sample, as step's J for one batch of all of them sums them.
    if (!this.#evaluated || this.#evaluated.length < total) this.#evaluated = this.#double ? new Float64Array(total) : new Float32Array(total);
    const sums = this.#evaluated;
    for (let start = 0; start < total; start += this.capacity) {
      const size = Math.min(this.capacity, total - start);
      this.loadBatch(X, Y, total, null, start, size, true);
      this.#forward();
      this.#costAndOutputGradient(sums, start);
      each?.(this.output(), start, size);
    }
    const inv = 1 / total;
    const J = sumOfColumns(sums, total) * (this.#loss === 'categoricalCrossEntropy' ? -inv : inv);
    return this.#double ? J : Math.fround(J);
  }

  output(): TypedArray {
    // The cost and the backward pass write A[L] and dZ[L], never Z[L].
    return this.#layers[this.#layers.length - 1]!.Z.view;
  }

  step(masked = false): number {
    if (masked && this.#layers.length > 1 && !this.#layers[0]!.D) throw new Error('internal: a masked step on a program built without dropout');
    this.#forward(masked);
    const J = this.#costAndOutputGradient();
    this.#backward(masked);
    return J;
  }

  dropoutMask(l: number): TypedArray {
    const D = l >= 1 && l < this.#layers.length ? this.#layers[l - 1]!.D : null;
    if (!D) throw new Error(`internal: layer ${l} of this program has no dropout mask`);
    return D.view;
  }

  firstNonFiniteGradient(): number {
    for (let i = 0; i < this.#layers.length; i++) {
      const { dW, db } = this.#layers[i]!;
      if (this.#firstNonFinite(dW) >= 0) return 2 * i;
      if (this.#firstNonFinite(db) >= 0) return 2 * i + 1;
    }
    return -1;
  }

  firstNonFiniteParameter(): number {
    for (let i = 0; i < this.#layers.length; i++) {
      const { W, b } = this.#layers[i]!;
      if (this.#firstNonFinite(W) >= 0) return 2 * i;
      if (this.#firstNonFinite(b) >= 0) return 2 * i + 1;
    }
    return -1;
  }

  #firstNonFinite(buf: Buffer): number {
    const n = buf.view.length;
    return this.#double ? this.#k.firstNonFiniteF64(buf.at, n) : this.#k.firstNonFiniteF32(buf.at, n);
  }

  // C = op(A)·op(B) with op(B) packed (row-major A, C rows N apart).
  #gemmPacked(a: number, packed: number, c: number, M: number, N: number, K: number, transA: boolean): void {
    if (this.#split) this.#split.gemmPacked(this.#double, a, packed, c, M, N, K, transA, this.#scratch, this.#scratch1);
    else if (this.#double) this.#k.gemmF64Packed(a, packed, c, M, N, K, transA ? 1 : K, transA ? M : 1, N, this.#scratch);
    else this.#k.gemmF32Packed(a, packed, c, M, N, K, transA ? 1 : K, transA ? M : 1, N, this.#scratch);
  }

  // C (M×N) = A·Xᵀ from the forward copy of X (N×K), a KC-wide block of C's columns at a time.
  #gemmPackedT(a: number, c: number, M: number, N: number, K: number): void {
    const [t0, t1] = this.#transposed;
    if (this.#split) this.#split.gemmPackedT(this.#double, a, this.#packedForward, c, M, N, K, this.#scratch, this.#scratch1, t0, t1);
    else (this.#double ? this.#k.gemmF64PackedT : this.#k.gemmF32PackedT)(a, this.#packedForward, c, M, N, K, N, 0, N, this.#scratch, t0);
  }

  #gemm(a: number, b: number, c: number, M: number, N: number, K: number, transA: boolean, transB: boolean): void {
    if (this.#split) this.#split.gemm(this.#double, a, b, c, M, N, K, transA, transB, this.#scratch, this.#scratch1);
    else if (this.#double) this.#k.gemmF64(a, b, c, M, N, K, transA ? 1 : 0, transB ? 1 : 0, this.#scratch);
    else this.#k.gemmF32(a, b, c, M, N, K, transA ? 1 : 0, transB ? 1 : 0, this.#scratch);
  }

  #forward(masked = false): void {
    const m = this.#m;
    const L = this.#layers.length;
    let prev = this.#X.at;
    for (let l = 1; l <= L; l++) {
      const layer = this.#layers[l - 1]!;
      const { units, inputs, activation } = layer;
      if (l === 1 && this.#packedForward && m >= 4) this.#gemmPacked(layer.W.at, this.#packedForward, layer.Z.at, units, m, inputs, false);
      else this.#gemm(layer.W.at, prev, layer.Z.at, units, m, inputs, false, false);
      // The output layer's A is not needed by the losses' from-logits forms, except squared
      // error's (and softmax's log-softmax, which the loss writes into A itself).
      const output = l === L;
      const act = output && this.#loss !== 'squaredError' ? 'linear' : activation;
      if (!this.#double && act !== 'softmax') {
        this.#k.biasActivateF32(layer.Z.at, layer.b.at, layer.A.at, units, m, CODE[act], SLOPE);
      } else {
        addBias(layer.Z.view, layer.b.view, units, m);
        activate64(act, layer.Z.view, layer.A.view, units * m);
      }
      prev = layer.A.at;
      if (masked && !output) {
        // A[l]·D[l] elementwise, as mul() rounds it (the product of two float32s is exact in a
        // double, so one rounding to float32 here): the next layer's input and its dW's A_prev.
        multiply(layer.A.view, layer.D!.view, layer.AD!.view, units * m);
        prev = layer.AD!.at;
      }
    }
  }

  // Σ(terms)·scale in sumAll's order (each column down the rows, then the column sums), or
  // with `into` only the column sums, stored there (0 returned).
  #sum(x: TypedArray, rows: number, scale: number, squares: boolean, into: TypedArray | null, at: number): number {
    if (into) {
      sumColumns(x, rows, this.#m, into, at, squares);
      return 0;
    }
    return sumAll(x, rows, this.#m, this.#columnSums, squares) * scale;
  }

  /**
   * J of the loaded batch and dZ[L], the way the autograd graph of each loss computes them
   * (nn/losses.ts). With `into`, the batch's column sums of the loss terms go to into[at …]
   * instead, and J (their reduction, over however many batches) is left to the caller:
   * `evaluate`'s batches add up to the J of one batch of all their columns.
   */
  #costAndOutputGradient(into: TypedArray | null = null, at = 0): number {
    const m = this.#m;
    const out = this.#layers[this.#layers.length - 1]!;
    const n = out.units * m;
    const Z = out.Z.view, A = out.A.view, Y = this.#Y.view, dZ = out.dZ.view;
    const inv = 1 / m;
    const terms = out.A.view; // reused as the per-element terms of the sum
    let J: number;
    switch (this.#loss) {
      case 'binaryCrossEntropy': {
        // J = (1/m)·Σ [softplus(Z) − Y·Z];  dZ = (1/m)·σ(Z) − (1/m)·Y.
        if (!this.#double) {
          // float32: the terms and dZ by SIMD polynomials (asm/dense.ts), summed here as below.
          this.#k.binaryCrossEntropyF32(out.Z.at, this.#Y.at, out.A.at, out.dZ.at, n, inv);
          J = this.#sum(terms, out.units, inv, false, into, at);
          break;
        }
        const negInv = -inv;
        for (let k = 0; k < n; k++) {
          const z = Z[k]!, y = Y[k]!;
          terms[k] = (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
          dZ[k] = inv / (1 + Math.exp(-z)) + negInv * y;
        }
        J = this.#sum(terms, out.units, inv, false, into, at);
        break;
      }
      case 'categoricalCrossEntropy': {
        // A := log softmax(Z) per column; J = −(1/m)·Σ Y·A; dZ = g − e^A·Σ_col g, g = −(1/m)·Y.
        // The terms Y·A are left in A. float32: four columns at a time in SIMD (asm/dense.ts),
        // the last m mod 4 here; float64: all here, the cpu backend's expressions.
        const j0 = this.#double ? 0 : m - (m % 4);
        if (j0 > 0) this.#k.categoricalCrossEntropyF32(out.Z.at, this.#Y.at, out.A.at, out.dZ.at, out.units, m, inv);
        logSoftmaxColumns(Z, A, out.units, m, j0);
        const negInv = -inv;
        for (let j = j0; j < m; j++) {
          let s = 0;
          for (let r = 0; r < out.units; r++) s += negInv * Y[r * m + j]!;
          for (let r = 0; r < out.units; r++) {
            const k = r * m + j;
            dZ[k] = negInv * Y[k]! - Math.exp(A[k]!) * s;
            A[k] = Y[k]! * A[k]!;
          }
        }
        J = this.#sum(A, out.units, negInv, false, into, at);
        break;
      }
      case 'squaredError': {
        // J = (1/m)·Σ (A − Y)²; dA = 2·(A − Y)·(1/m), then through g′ of the output layer.
        for (let k = 0; k < n; k++) {
          const d = A[k]! - Y[k]!;
          dZ[k] = d;
        }
        J = this.#sum(dZ, out.units, inv, true, into, at);
        for (let i = 0; i < n; i++) dZ[i] = 2 * dZ[i]! * inv;
        backward64(out.activation, Z, A, dZ, n);
        break;
      }
    }
    return this.#double ? J : Math.fround(J);
  }

  #backward(masked = false): void {
    const m = this.#m;
    for (let l = this.#layers.length; l >= 1; l--) {
      const layer = this.#layers[l - 1]!;
      const { units, inputs } = layer;
      const prevA = l > 1 ? (masked ? this.#layers[l - 2]!.AD! : this.#layers[l - 2]!.A).at : this.#X.at;
      // dW = dZ·A_prevᵀ and, below, dA_prev = Wᵀ·dZ: the operand order of matmul's backward.
      if (l === 1 && this.#backwardPacked && m >= 4) this.#gemmPacked(layer.dZ.at, this.#packedBackward, layer.dW.at, units, inputs, m, false);
      else if (l === 1 && this.#slabs && this.#packedForward && m >= 4) this.#gemmPackedT(layer.dZ.at, layer.dW.at, units, inputs, m);
      else this.#gemm(layer.dZ.at, prevA, layer.dW.at, units, inputs, m, false, true);
      rowSums(layer.dZ.view, layer.db.view, units, m);
      if (l === 1) break;
      const below = this.#layers[l - 2]!;
      this.#gemm(layer.W.at, layer.dZ.at, below.dZ.at, inputs, m, units, true, false);
      const n = below.units * m;
      // dA[l−1] of mul(A, D) is dA·D: the mask's backward, before g′'s.
      if (masked) multiply(below.dZ.view, below.D!.view, below.dZ.view, n);
      if (!this.#double) {
        const act = below.activation === 'softmax' ? 'linear' : below.activation;
        this.#k.activationBackwardF32(below.dZ.at, below.Z.at, below.A.at, below.dZ.at, n, CODE[act], SLOPE);
      } else {
        backward64(below.activation, below.Z.view, below.A.view, below.dZ.view, n);
      }
    }
  }
}

/**
 * Copies rows r0 … r1−1 of src (rows of `total` columns) into dst as rows of `size` columns:
 * columns start … start+size−1, or the columns those positions of `columns` name.
 *
 * A mini-batch of samples-as-columns data is a short run from each of n[0] rows a whole row of
 * samples apart (240 KB for MNIST), each run in lines of its own: the copy waits on memory
 * more than it computes. Four rows are copied side by side (eight for shuffled columns), so
 * that their misses overlap and each column index is read once for all of them; runs are
 * unrolled by four. On the MNIST batch (784 rows × 64 of 60,000 columns) in order, this took
 * 70–115 µs against 130–180 µs row by row.
 */
function gather(src: TypedArray, dst: TypedArray, total: number, columns: ArrayLike<number> | null, start: number, size: number, r0: number, r1: number): void {
  if (columns === null && size === total) {
    dst.set(r0 === 0 && r1 * total === src.length ? src : src.subarray(r0 * total, r1 * total));
    return;
  }
  // Long runs are copied by set(), whose cost per call (a subarray view) is then small.
  if (columns === null && size >= 256) {
    for (let r = r0; r < r1; r++) dst.set(src.subarray(r * total + start, r * total + start + size), (r - r0) * size);
    return;
  }
  let r = r0;
  if (columns !== null) {
    // Shuffled columns: every value its own line and, rows apart, its own page; eight rows side
    // by side keep more misses in flight (MNIST batch: 0.9–1.3 ms, four rows 1.4–1.5, one 2.8–3.8).
    for (; r + 8 <= r1; r += 8) {
      const t0 = (r - r0) * size;
      for (let j = 0; j < size; j++) {
        const f = r * total + columns[start + j]!, t = t0 + j;
        dst[t] = src[f]!; dst[t + size] = src[f + total]!;
        dst[t + 2 * size] = src[f + 2 * total]!; dst[t + 3 * size] = src[f + 3 * total]!;
        dst[t + 4 * size] = src[f + 4 * total]!; dst[t + 5 * size] = src[f + 5 * total]!;
        dst[t + 6 * size] = src[f + 6 * total]!; dst[t + 7 * size] = src[f + 7 * total]!;
      }
    }
  }
  for (; r + 4 <= r1; r += 4) {
    const f0 = r * total, f1 = f0 + total, f2 = f1 + total, f3 = f2 + total;
    const t0 = (r - r0) * size, t1 = t0 + size, t2 = t1 + size, t3 = t2 + size;
    if (columns === null) {
      const g0 = f0 + start, g1 = f1 + start, g2 = f2 + start, g3 = f3 + start;
      let j = 0;
      for (; j + 4 <= size; j += 4) {
        dst[t0 + j] = src[g0 + j]!; dst[t0 + j + 1] = src[g0 + j + 1]!; dst[t0 + j + 2] = src[g0 + j + 2]!; dst[t0 + j + 3] = src[g0 + j + 3]!;
        dst[t1 + j] = src[g1 + j]!; dst[t1 + j + 1] = src[g1 + j + 1]!; dst[t1 + j + 2] = src[g1 + j + 2]!; dst[t1 + j + 3] = src[g1 + j + 3]!;
        dst[t2 + j] = src[g2 + j]!; dst[t2 + j + 1] = src[g2 + j + 1]!; dst[t2 + j + 2] = src[g2 + j + 2]!; dst[t2 + j + 3] = src[g2 + j + 3]!;
        dst[t3 + j] = src[g3 + j]!; dst[t3 + j + 1] = src[g3 + j + 1]!; dst[t3 + j + 2] = src[g3 + j + 2]!; dst[t3 + j + 3] = src[g3 + j + 3]!;
      }
      for (; j < size; j++) {
        dst[t0 + j] = src[g0 + j]!; dst[t1 + j] = src[g1 + j]!; dst[t2 + j] = src[g2 + j]!; dst[t3 + j] = src[g3 + j]!;
      }
    } else {
      for (let j = 0; j < size; j++) {
        const col = columns[start + j]!;
        dst[t0 + j] = src[f0 + col]!; dst[t1 + j] = src[f1 + col]!; dst[t2 + j] = src[f2 + col]!; dst[t3 + j] = src[f3 + col]!;
      }
    }
  }
  for (; r < r1; r++) {
    const from = r * total, to = (r - r0) * size;
    if (columns === null) for (let j = 0; j < size; j++) dst[to + j] = src[from + start + j]!;
    else for (let j = 0; j < size; j++) dst[to + j] = src[from + columns[start + j]!]!;
  }
}

/**
 * gather's shuffled case from X stored with its samples as rows (total × n0): rows r0 … r1 of
 * the batch's columns into dst (rows × size). Each sample is one contiguous run of the source,
 * so a batch costs a few cache misses per sample, not one per value (MNIST batch: see
 * compiled.ts). Four samples at a time, so that each of dst's lines is written four values at
 * once.
 */
function gatherByRow(src: TypedArray, dst: TypedArray, n0: number, columns: ArrayLike<number>, start: number, size: number, r0: number, r1: number): void {
  let j = 0;
  for (; j + 4 <= size; j += 4) {
    const f0 = columns[start + j]! * n0, f1 = columns[start + j + 1]! * n0, f2 = columns[start + j + 2]! * n0, f3 = columns[start + j + 3]! * n0;
    for (let r = r0, t = j; r < r1; r++, t += size) {
      dst[t] = src[f0 + r]!; dst[t + 1] = src[f1 + r]!; dst[t + 2] = src[f2 + r]!; dst[t + 3] = src[f3 + r]!;
    }
  }
  for (; j < size; j++) {
    const f = columns[start + j]! * n0;
    for (let r = r0, t = j; r < r1; r++, t += size) dst[t] = src[f + r]!;
  }
}

function multiply(a: TypedArray, b: TypedArray, out: TypedArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
}

function addBias(Z: TypedArray, b: TypedArray, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const bi = b[i]!;
    for (let j = i * cols, end = j + cols; j < end; j++) Z[j] = Z[j]! + bi;
  }
}

// The cpu backend's forward formulas (backend/cpu/elementwise.ts), for float64.
function activate64(act: ProgramActivation, Z: TypedArray, A: TypedArray, n: number): void {
  switch (act) {
    case 'sigmoid': for (let i = 0; i < n; i++) A[i] = 1 / (1 + Math.exp(-Z[i]!)); return;
    case 'tanh': for (let i = 0; i < n; i++) A[i] = Math.tanh(Z[i]!); return;
    case 'relu': for (let i = 0; i < n; i++) { const v = Z[i]!; A[i] = v > 0 ? v : 0; } return;
    case 'leakyRelu': for (let i = 0; i < n; i++) { const v = Z[i]!; A[i] = v > 0 ? v : SLOPE * v; } return;
    case 'linear': case 'softmax': A.set(Z.subarray(0, n)); return;
  }
}

// And their backward: dZ := dA·g′, in place.
function backward64(act: ProgramActivation, Z: TypedArray, A: TypedArray, dZ: TypedArray, n: number): void {
  switch (act) {
    case 'sigmoid': for (let i = 0; i < n; i++) { const a = A[i]!; dZ[i] = dZ[i]! * a * (1 - a); } return;
    case 'tanh': for (let i = 0; i < n; i++) { const a = A[i]!; dZ[i] = dZ[i]! * (1 - a * a); } return;
    case 'relu': for (let i = 0; i < n; i++) dZ[i] = Z[i]! > 0 ? dZ[i]! : 0; return;
    case 'leakyRelu': for (let i = 0; i < n; i++) dZ[i] = Z[i]! > 0 ? dZ[i]! : SLOPE * dZ[i]!; return;
    case 'linear': case 'softmax': return;
  }
}

// Σ of a (rows, m) matrix as ops/reduce.ts's sum() computes it: each column down the rows
// (in doubles, stored in the dtype), then the m column sums with four partial sums.
// With `squares`, Σ of the squared values (A is still needed, so the squares are not stored).
function sumAll(x: TypedArray, rows: number, m: number, columnSums: TypedArray, squares = false): number {
  sumColumns(x, rows, m, columnSums, 0, squares);
  return sumOfColumns(columnSums, m);
}

// sumAll's first half: the m column sums into out[at …].
function sumColumns(x: TypedArray, rows: number, m: number, out: TypedArray, at: number, squares: boolean): void {
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * m + j]!;
      s += squares ? v * v : v;
    }
    out[at + j] = s;
  }
}

// And its second: the m column sums with four partial sums.
function sumOfColumns(columnSums: TypedArray, m: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, r = 0;
  for (; r + 4 <= m; r += 4) { s0 += columnSums[r]!; s1 += columnSums[r + 1]!; s2 += columnSums[r + 2]!; s3 += columnSums[r + 3]!; }
  for (; r < m; r++) s0 += columnSums[r]!;
  return (s0 + s1) + (s2 + s3);
}

function rowSums(x: TypedArray, out: TypedArray, rows: number, cols: number): void {
  for (let o = 0; o < rows; o++) {
    const base = o * cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, r = 0;
    for (; r + 4 <= cols; r += 4) { s0 += x[base + r]!; s1 += x[base + r + 1]!; s2 += x[base + r + 2]!; s3 += x[base + r + 3]!; }
    for (; r < cols; r++) s0 += x[base + r]!;
    out[o] = (s0 + s1) + (s2 + s3);
  }
}

// The stable log softmax of columns j0 … m − 1 (ops/softmax.ts): z − (max + log Σ e^(z − max)).
function logSoftmaxColumns(Z: TypedArray, out: TypedArray, rows: number, m: number, j0: number): void {
  for (let j = j0; j < m; j++) {
    let mx = -Infinity;
    for (let r = 0; r < rows; r++) mx = Math.max(mx, Z[r * m + j]!);
    let s = 0;
    for (let r = 0; r < rows; r++) s += Math.exp(Z[r * m + j]! - mx);
    const lse = mx + Math.log(s);
    for (let r = 0; r < rows; r++) out[r * m + j] = Z[r * m + j]! - lse;
  }
}
