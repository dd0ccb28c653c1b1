import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../errors.js';
import { createRandom } from './create.js';
import { FastRandom } from './fast.js';
import { RandomState } from './numpy.js';

function draws(rng: FastRandom, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('FastRandom', () => {
  it('is xoshiro128** (reference outputs for the state 1, 2, 3, 4)', () => {
    const rng = new FastRandom(0);
    rng.setState({ s: [1, 2, 3, 4], hasGauss: false, gauss: 0 });
    expect(draws(rng, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the same sequence for the same seed, and another for another seed', () => {
    const run = (seed: number) => {
      const r = new FastRandom(seed);
      return [r.random(), r.randn(), r.randn(), r.randint(0, 100), r.random(), ...r.permutation(8)];
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    // The high half of a seed above 2**32 must matter too.
    expect(run(7)).not.toEqual(run(7 + 2 ** 32));
    expect(run(Number.MAX_SAFE_INTEGER)).toEqual(run(Number.MAX_SAFE_INTEGER));
  });

  it('bernoulli draws what the loop over random() draws, and leaves the stream where that loop does', () => {
    for (const p of [0.3, 0.5, 0.9]) {
      const a = new FastRandom(17), b = new FastRandom(17);
      a.random(); // not at a fresh seed's state
      b.random();
      const fast = new Float32Array(1001);
      a.bernoulli(fast, 1000, p, 1 / p);
      const loop = Array.from({ length: 1000 }, () => (b.random() < p ? Math.fround(1 / p) : 0));
      expect(Array.from(fast.subarray(0, 1000))).toEqual(loop);
      expect(fast[1000]).toBe(0); // n values, no more
      const kept = loop.filter((v) => v !== 0).length;
      expect(Math.abs(kept / 1000 - p)).toBeLessThan(0.06);
      expect(a.getState()).toEqual(b.getState());
      expect(a.random()).toBe(b.random());
    }
  });

  it('gives distinct first outputs for consecutive small seeds', () => {
    const firsts = new Set(Array.from({ length: 1000 }, (_, s) => new FastRandom(s).nextUint32()));
    expect(firsts.size).toBe(1000);
  });

  it('random() stays in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const rng = new FastRandom(1);
    const n = 100_000;
    let sum = 0;
    let sumsq = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sumsq += u * u;
    }
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sumsq / n - mean * mean - 1 / 12)).toBeLessThan(0.005);
  });

  it('randn() has mean ≈ 0 and variance ≈ 1 over 100k draws', () => {
    const x = new FastRandom(2024).randnArray(100_000);
    let sum = 0;
    let sumsq = 0;
    for (const v of x) {
      expect(Number.isFinite(v)).toBe(true);
      sum += v;
      sumsq += v * v;
    }
    const mean = sum / x.length;
    const variance = sumsq / x.length - mean * mean;
    // Standard errors are about 0.003 for the mean and 0.0045 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('randint(low, high) stays in [low, high) and hits every value', () => {
    const rng = new FastRandom(5);
    const counts = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const k = rng.randint(-3, 7);
      expect(Number.isInteger(k) && k >= -3 && k < 7).toBe(true);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(300);
    expect(rng.randint(9, 10)).toBe(9);
    for (let i = 0; i < 1000; i++) {
      const big = rng.randint(0, 2 ** 40 + 5);
      expect(Number.isSafeInteger(big) && big >= 0 && big < 2 ** 40 + 5).toBe(true);
      const full = rng.randint(0, 2 ** 32);
      expect(full >= 0 && full < 2 ** 32).toBe(true);
    }
  });

  it('permutation and shuffle rearrange without losing elements', () => {
    const rng = new FastRandom(9);
    const p = rng.permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const typed = Float64Array.from({ length: 10 }, (_, i) => i * 1.5);
    rng.shuffle(typed);
    expect([...typed].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i * 1.5));
  });

  it('getState / setState resume the exact stream, including the cached normal', () => {
    const a = new FastRandom(11);
    a.randn();
    const saved = a.getState();
    expect(saved.hasGauss).toBe(true);
    // The snapshot is plain data and survives a JSON round trip (checkpoints).
    const restored = JSON.parse(JSON.stringify(saved)) as typeof saved;
    const expected = [a.randn(), a.random(), a.randint(0, 1000), a.randn()];
    const b = new FastRandom(0);
    b.setState(restored);
    expect([b.randn(), b.random(), b.randint(0, 1000), b.randn()]).toEqual(expected);
  });

  it('seed() restarts the stream like a fresh generator', () => {
    const a = new FastRandom(3);
    const first = a.random();
    a.randn();
    a.seed(3);
    expect(a.random()).toBe(first);
  });

  it('rejects bad seeds, bounds and states with ArgumentError', () => {
    for (const bad of [-1, 0.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => new FastRandom(bad)).toThrow(ArgumentError);
      expect(() => createRandom(bad)).toThrow(ArgumentError);
    }
    const rng = new FastRandom(0);
    expect(() => rng.randint(3, 3)).toThrow(ArgumentError);
    expect(() => rng.randint(0, 2.5)).toThrow(ArgumentError);
    expect(() => rng.setState({ s: [0, 0, 0, 0], hasGauss: false, gauss: 0 })).toThrow(ArgumentError);
    expect(() => rng.randnArray(-1)).toThrow(ArgumentError);
  });
});

describe('createRandom', () => {
  it("defaults to FastRandom and builds numpy's RandomState on request", () => {
    expect(createRandom(1)).toBeInstanceOf(FastRandom);
    expect(createRandom(1, 'fast')).toBeInstanceOf(FastRandom);
    const np = createRandom(1, 'numpy');
    expect(np).toBeInstanceOf(RandomState);
    expect(np.randn()).toBe(1.6243453636632417);
    // Seeds numpy cannot take are still fine for the fast generator.
    expect(createRandom(2 ** 40)).toBeInstanceOf(FastRandom);
  });

  it('rejects an unknown kind from untyped callers', () => {
    const kind = 'mersenne' as unknown as 'fast';
    expect(() => createRandom(1, kind)).toThrow(ArgumentError);
  });
});
