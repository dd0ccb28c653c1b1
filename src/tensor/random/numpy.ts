/**
 * numpy's legacy generator, `numpy.random.RandomState(seed)`, reproduced bit for bit.
 *
 * The course draws its initial weights and its "flower" dataset from numpy's legacy
 * RandomState, so re-creating its printed costs requires the very same stream:
 * MT19937 seeded the legacy way, 53-bit doubles built from two 32-bit words, the
 * polar Gaussian with its one cached value, and numpy's masked-rejection integer
 * sampling. Every detail that changes the order or number of 32-bit draws matters.
 *
 * @example
 * const rs = new RandomState(1);
 * rs.randn(); // 1.6243453636632417, as np.random.seed(1); np.random.randn()
 */
import { ArgumentError } from '../../errors.js';
import type { RandomSource } from './source.js';

/** Number of 32-bit words in the Mersenne Twister state. */
const N = 624;
/** Offset of the word mixed into each twist step. */
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_POW_32 = 4294967296;

/**
 * A snapshot of the generator, the same fields numpy's `get_state()` returns
 * (`('MT19937', key, pos, has_gauss, cached_gaussian)`), so a training run can
 * checkpoint it and a numpy state can be loaded here.
 */
export interface RandomStateSnapshot {
  /** The 624 words of the MT19937 state, each an unsigned 32-bit integer. */
  readonly key: readonly number[];
  /** Index of the next word to temper, 0..624 (624 means "twist before the next draw"). */
  readonly pos: number;
  /** Whether a second polar-method Gaussian is waiting to be returned. */
  readonly hasGauss: boolean;
  /** The waiting Gaussian (0 when there is none, as numpy keeps it). */
  readonly gauss: number;
}

/** An array-like whose elements can be swapped in place (arrays and typed arrays). */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

function isUint32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < TWO_POW_32;
}

/** Smallest all-ones bit pattern covering `max`, so rejection wastes < half the draws. */
function maskFor32(max: number): number {
  let mask = max >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

export class RandomState implements RandomSource {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /**
   * @param seed an integer in [0, 2**32), the range numpy accepts for an integer seed.
   * @throws ArgumentError (where = 'seed') otherwise.
   */
  constructor(seed: number) {
    if (!isUint32(seed)) {
      throw new ArgumentError(
        'seed',
        `numpy's RandomState needs an integer seed with 0 <= seed < 2**32, got ${seed}`,
      );
    }
    this.seed(seed);
  }

  /**
   * Re-seeds in place, like `np.random.seed(seed)`.
   *
   * numpy's legacy path for a plain integer seed is Matsumoto–Nishimura's
   * `init_genrand` (not `init_by_array`); the fixture (RandomState(0) → 0.5488135…)
   * only matches this one.
   */
  seed(seed: number): void {
    if (!isUint32(seed)) {
      throw new ArgumentError(
        'seed',
        `numpy's RandomState needs an integer seed with 0 <= seed < 2**32, got ${seed}`,
      );
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      // Math.imul keeps the 32-bit wrap-around of the C multiplication exact.
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.pos = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** Regenerates all 624 words at once, as the reference implementation does. */
  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
      mt[kk] = (mt[kk + M] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
      mt[kk] = (mt[kk + M - N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = ((mt[N - 1] as number) & UPPER_MASK) | ((mt[0] as number) & LOWER_MASK);
    mt[N - 1] = (mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** The next raw 32-bit output of MT19937, as an unsigned integer. */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's `random_sample()`: a double in [0, 1) with all 53 mantissa bits random. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * numpy's legacy `standard_normal` / `randn()`: the polar method, which yields two
   * independent normals per accepted pair; the second is kept for the next call, and
   * numpy returns f·x2 first and caches f·x1, so this order is what matches it.
   *
   * JS `Math.log` / `Math.sqrt` may differ from C's libm by one ulp, so a rare draw can
   * differ from numpy's in its last bit; the uniform stream itself is always exact.
   */
  randn(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * numpy's legacy `randint(low, high)` with the default int64 dtype: a uniform integer
   * in [low, high), by masked rejection on 32-bit draws (or on 64-bit draws, high word
   * first, when the range needs more than 32 bits).
   *
   * @throws ArgumentError (where = 'randint') unless low < high are safe integers whose
   * difference is itself a safe integer.
   */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new ArgumentError('randint', `low and high must be safe integers, got ${low} and ${high}`);
    }
    if (low >= high) {
      throw new ArgumentError('randint', `low >= high (${low} >= ${high})`);
    }
    if (!Number.isSafeInteger(high - low)) {
      throw new ArgumentError('randint', `the range high - low is too large to be exact: ${low}..${high}`);
    }
    return low + this.boundedMasked(high - low - 1);
  }

  /**
   * A uniform integer in [0, max] by numpy's masked rejection. The masked and the
   * interval samplers of numpy draw identically for a given max, so both randint
   * and shuffle use this one.
   */
  private boundedMasked(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = maskFor32(max);
      let value: number;
      do {
        value = (this.nextUint32() & mask) >>> 0;
      } while (value > max);
      return value;
    }
    // Here max < 2**53, so splitting the 64-bit mask in two words keeps every
    // product below 2**53 and therefore exact in a double.
    const maxHi = Math.floor(max / TWO_POW_32);
    const maskHi = maskFor32(maxHi);
    let value: number;
    do {
      // numpy builds a 64-bit MT19937 draw as (first << 32) | second.
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      value = hi * TWO_POW_32 + lo;
    } while (value > max);
    return value;
  }

  /**
   * numpy's legacy `shuffle(x)` on a 1-D array, in place: Fisher–Yates from the last
   * element down, the partner index drawn by numpy's `random_interval`.
   */
  shuffle<T>(array: MutableArrayLike<T>): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.boundedMasked(i);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
  }

  /** numpy's `permutation(n)`: `arange(n)` shuffled. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ArgumentError('permutation', `n must be a non-negative integer, got ${n}`);
    }
    const out = Array.from({ length: n }, (_, i) => i);
    this.shuffle(out);
    return out;
  }

  /** `count` draws of `randn()`, in the row-major order numpy fills `randn(d0, d1, …)`. */
  randnArray(count: number): Float64Array {
    const out = new Float64Array(checkCount(count, 'randnArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.randn();
    return out;
  }

  /** `count` draws of `random()`, in the row-major order numpy fills `rand(d0, d1, …)`. */
  randomSampleArray(count: number): Float64Array {
    const out = new Float64Array(checkCount(count, 'randomSampleArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.random();
    return out;
  }

  /** A copy of the full state; mutating the generator afterwards leaves it untouched. */
  getState(): RandomStateSnapshot {
    return { key: Array.from(this.mt), pos: this.pos, hasGauss: this.hasGauss, gauss: this.gauss };
  }

  /**
   * Restores a state from `getState()` or from numpy's `get_state()`.
   * @throws ArgumentError (where = 'setState') if the snapshot is malformed.
   */
  setState(state: RandomStateSnapshot): void {
    if (state.key.length !== N || !state.key.every(isUint32)) {
      throw new ArgumentError('setState', `key must hold ${N} unsigned 32-bit integers`);
    }
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > N) {
      throw new ArgumentError('setState', `pos must be an integer in [0, ${N}], got ${state.pos}`);
    }
    if (!Number.isFinite(state.gauss)) {
      throw new ArgumentError('setState', `gauss must be finite, got ${state.gauss}`);
    }
    this.mt.set(state.key);
    this.pos = state.pos;
    this.hasGauss = state.hasGauss;
    this.gauss = state.hasGauss ? state.gauss : 0;
  }
}

function checkCount(count: number, where: string): number {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new ArgumentError(where, `count must be a non-negative integer, got ${count}`);
  }
  return count;
}
