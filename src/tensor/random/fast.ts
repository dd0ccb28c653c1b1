/**
 * nabla's default seeded generator: xoshiro128** (Blackman & Vigna).
 *
 * Chosen because it needs only 32-bit integer arithmetic (`Math.imul`, shifts), which
 * JS engines run without allocating, yet passes the standard statistical batteries;
 * MT19937 (see `RandomState`) is kept only for reproducing numpy's numbers.
 *
 * - Seeding: the numeric seed's low and high 32-bit halves are chained through
 *   splitmix32-style steps (golden-ratio increment + murmur3 finalizer). That finalizer
 *   is a bijection, so distinct seeds always give distinct states, and the state can
 *   never be all zero (the one state xoshiro cannot leave).
 * - `random()`: 53-bit doubles from two 32-bit outputs, so every double in [0, 1) on
 *   the 2^-53 grid is reachable (one 32-bit output would leave 21 mantissa bits zero).
 * - `randn()`: the Marsaglia polar method, whose second normal is cached for the next
 *   call; it avoids trigonometric functions, and the cache halves the uniform draws.
 *
 * @example
 * const rng = new FastRandom(42);
 * rng.randn(); // same value on every run and every platform
 */
import { ArgumentError } from '../../errors.js';
import type { RandomSource } from './source.js';
import type { MutableArrayLike } from './numpy.js';

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

/** A snapshot of `FastRandom`, plain numbers so it serializes to JSON for checkpoints. */
export interface FastRandomState {
  /** The four 32-bit words of xoshiro128**, unsigned. */
  readonly s: readonly [number, number, number, number];
  /** Whether a second polar-method Gaussian is waiting to be returned. */
  readonly hasGauss: boolean;
  /** The waiting Gaussian (0 when there is none). */
  readonly gauss: number;
}

/** murmur3's 32-bit finalizer: invertible, with full avalanche. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function isUint32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < TWO_POW_32;
}

export class FastRandom implements RandomSource {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private hasGauss = false;
  private gauss = 0;

  /**
   * @param seed a non-negative safe integer (0 <= seed <= 2**53 - 1).
   * @throws ArgumentError (where = 'seed') otherwise.
   */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seeds in place; afterwards the stream is exactly that of `new FastRandom(seed)`. */
  seed(seed: number): void {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ArgumentError('seed', `the seed must be a non-negative safe integer, got ${seed}`);
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // A chain of bijections: s0 determines lo, and s0 with s1 determines hi, so distinct
    // seeds give distinct states. Each of s1..s3 depends on both halves; that matters
    // because xoshiro's first output is a function of s1 alone.
    this.s0 = fmix32(lo + GOLDEN_GAMMA);
    this.s1 = fmix32((hi ^ this.s0) + 2 * GOLDEN_GAMMA);
    // When s0 = s1 = 0 the input here is a non-zero constant, and fmix32 maps only 0 to
    // 0, so s2 is then non-zero: the state is never all zero.
    this.s2 = fmix32((this.s0 ^ this.s1) + 3 * GOLDEN_GAMMA);
    this.s3 = fmix32((this.s2 ^ this.s0) + 4 * GOLDEN_GAMMA);
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal draw (polar method; every other call returns the cached one). */
  randn(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gauss;
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
   * A uniform integer in [low, high), without modulo bias.
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
    return low + this.below(high - low);
  }

  /** A uniform integer in [0, n), n >= 1. */
  private below(n: number): number {
    if (n <= TWO_POW_32) {
      // Rejecting the top `2**32 mod n` values makes every residue equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x: number;
      do {
        x = this.nextUint32();
      } while (x >= limit);
      return x % n;
    }
    // n < 2**53: draw 53-bit integers, exact in a double, and reject the biased tail.
    const TWO_POW_53 = 9007199254740992;
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x: number;
    do {
      x = (this.nextUint32() >>> 11) * TWO_POW_32 + this.nextUint32();
    } while (x >= limit);
    return x % n;
  }

  /** Fisher–Yates shuffle in place, from the last element down. */
  shuffle<T>(array: MutableArrayLike<T>): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
  }

  /** 0, 1, …, n − 1 in random order. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ArgumentError('permutation', `n must be a non-negative integer, got ${n}`);
    }
    const out = Array.from({ length: n }, (_, i) => i);
    this.shuffle(out);
    return out;
  }

  /**
   * out[i] := `value` if random() < `p`, else 0, for i = 0 … n − 1: the same draws as that loop
   * (dropout's masks), with the state in locals for the whole run instead of read and written
   * back twice per draw, which made the loop about ten times slower.
   */
  bernoulli(out: MutableArrayLike<number>, n: number, p: number, value: number): void {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let i = 0; i < n; i++) {
      // nextUint32 twice, as random() does.
      const a = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const b = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      out[i] = (a * 67108864 + b) / 9007199254740992 < p ? value : 0;
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
  }

  /** `count` draws of `randn()`. */
  randnArray(count: number): Float64Array {
    const out = new Float64Array(checkCount(count, 'randnArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.randn();
    return out;
  }

  /** `count` draws of `random()`. */
  randomSampleArray(count: number): Float64Array {
    const out = new Float64Array(checkCount(count, 'randomSampleArray'));
    for (let i = 0; i < out.length; i++) out[i] = this.random();
    return out;
  }

  /** A copy of the full state, plain numbers so it can go into a JSON checkpoint. */
  getState(): FastRandomState {
    return {
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      hasGauss: this.hasGauss,
      gauss: this.gauss,
    };
  }

  /**
   * Restores a state from `getState()`.
   * @throws ArgumentError (where = 'setState') if the snapshot is malformed.
   */
  setState(state: FastRandomState): void {
    const [a, b, c, d] = state.s;
    if (state.s.length !== 4 || !state.s.every(isUint32)) {
      throw new ArgumentError('setState', 's must hold 4 unsigned 32-bit integers');
    }
    if (a === 0 && b === 0 && c === 0 && d === 0) {
      throw new ArgumentError('setState', 'the all-zero state would only ever produce zeros');
    }
    if (!Number.isFinite(state.gauss)) {
      throw new ArgumentError('setState', `gauss must be finite, got ${state.gauss}`);
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
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
