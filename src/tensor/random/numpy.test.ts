import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../errors.js';
import { createRandom } from './create.js';
import { RandomState } from './numpy.js';

/**
 * The fixture holds numpy 2.4.6 outputs of `RandomState(seed)`. Per seed it was
 * produced by one generator, in this order: random_sample(10), randn(11), randn(3, 4),
 * permutation(20), randint(0, 10, 15), rand(2, 3); the `course_*` entries each start
 * from a fresh generator.
 *
 * Uniform and integer draws are compared exactly: they involve only integer and exact
 * double arithmetic. Gaussian draws go through Math.log and Math.sqrt, which in JS may
 * differ from C's libm by one ulp, so they are compared with |diff| <= 1e-12 (scaled
 * by 0.01 where the course multiplies them by 0.01).
 */
interface SeedEntry {
  random_sample_10: number[];
  randn_11_then: number[];
  randn_3x4_next: number[][];
  permutation_20: number[];
  randint_0_10_x15: number[];
  rand_2x3: number[][];
}

interface Checksums {
  sum: number;
  sumsq: number;
  first5: number[];
  last5: number[];
}

const fixturePath = new URL('../../../test/fixtures/numpy-rng/legacy_random_state.json', import.meta.url);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as Record<string, unknown>;

const SEEDS = ['0', '1', '2', '3', '42'];
const COURSE_KEYS = [
  'course_seed1_randn_7x5_times_0.01',
  'course_seed2_randn_4x2_times_0.01_then_1x4',
  'course_seed1_randn_20x12288_checksums',
];
const SEED_KEYS: (keyof SeedEntry)[] = [
  'random_sample_10',
  'randn_11_then',
  'randn_3x4_next',
  'permutation_20',
  'randint_0_10_x15',
  'rand_2x3',
];
const GAUSS_TOL = 1e-12;

function seedEntry(seed: string): SeedEntry {
  return fixture[seed] as SeedEntry;
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(diff <= tol)) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| = ${diff} > ${tol})`);
    }
  }
}

describe('fixture coverage', () => {
  it('has a check below for every key in the fixture', () => {
    const keys = Object.keys(fixture).filter((k) => k !== '_about');
    expect(keys.sort()).toEqual([...SEEDS, ...COURSE_KEYS].sort());
    for (const seed of SEEDS) {
      expect(Object.keys(fixture[seed] as object).sort()).toEqual([...SEED_KEYS].sort());
    }
  });
});

describe.each(SEEDS)('RandomState(%s) against numpy', (seedText) => {
  const seed = Number(seedText);
  const expected = seedEntry(seedText);

  // Replays the fixture's call sequence on one generator, as numpy did.
  function replay() {
    const rs = new RandomState(seed);
    const randomSample = rs.randomSampleArray(10);
    const randn11 = rs.randnArray(11);
    const afterRandn11 = rs.getState();
    const randn3x4 = rs.randnArray(12);
    const permutation = rs.permutation(20);
    const randint = Array.from({ length: 15 }, () => rs.randint(0, 10));
    const rand2x3 = rs.randomSampleArray(6);
    return { randomSample, randn11, afterRandn11, randn3x4, permutation, randint, rand2x3 };
  }
  const got = replay();

  it('random_sample(10) exactly', () => {
    expect(Array.from(got.randomSample)).toEqual(expected.random_sample_10);
  });

  it('randn(11) after it', () => {
    expectClose(got.randn11, expected.randn_11_then, GAUSS_TOL);
  });

  it('keeps the 12th normal cached after an odd count, and hands it out first', () => {
    expect(got.afterRandn11.hasGauss).toBe(true);
    const first = expected.randn_3x4_next[0]?.[0] as number;
    expect(Math.abs(got.afterRandn11.gauss - first)).toBeLessThanOrEqual(GAUSS_TOL);
    expect(got.randn3x4[0]).toBe(got.afterRandn11.gauss);
  });

  it('randn(3, 4) next, filled row-major', () => {
    expectClose(got.randn3x4, expected.randn_3x4_next.flat(), GAUSS_TOL);
  });

  it('permutation(20) exactly', () => {
    expect(got.permutation).toEqual(expected.permutation_20);
  });

  it('randint(0, 10, 15) exactly', () => {
    expect(got.randint).toEqual(expected.randint_0_10_x15);
  });

  it('rand(2, 3) exactly, filled row-major', () => {
    expect(Array.from(got.rand2x3)).toEqual(expected.rand_2x3.flat());
  });

  it('shuffle on a copy reproduces permutation', () => {
    const a = new RandomState(seed);
    const b = new RandomState(seed);
    const arr = Array.from({ length: 20 }, (_, i) => `x${i}`);
    a.shuffle(arr);
    expect(arr).toEqual(b.permutation(20).map((i) => `x${i}`));
  });
});

describe('the course initializations', () => {
  it('seed 1: randn(7, 5) * 0.01', () => {
    const expected = fixture['course_seed1_randn_7x5_times_0.01'] as number[][];
    const rs = createRandom(1, 'numpy');
    const got = Array.from({ length: 35 }, () => rs.randn() * 0.01);
    expectClose(got, expected.flat(), GAUSS_TOL * 0.01);
  });

  it('seed 2: randn(4, 2) * 0.01, then randn(1, 4) * 0.01', () => {
    const [w1, w2] = fixture['course_seed2_randn_4x2_times_0.01_then_1x4'] as [number[][], number[][]];
    const rs = new RandomState(2);
    const gotW1 = Array.from(rs.randnArray(8), (x) => x * 0.01);
    const gotW2 = Array.from(rs.randnArray(4), (x) => x * 0.01);
    expectClose(gotW1, w1.flat(), GAUSS_TOL * 0.01);
    expectClose(gotW2, w2.flat(), GAUSS_TOL * 0.01);
  });

  it('seed 1: randn(20, 12288) checksums', () => {
    const expected = fixture['course_seed1_randn_20x12288_checksums'] as Checksums;
    const x = new RandomState(1).randnArray(20 * 12288);
    let sum = 0;
    let sumsq = 0;
    for (const v of x) {
      sum += v;
      sumsq += v * v;
    }
    // numpy sums pairwise and this loop sums left to right, so the totals agree only
    // to rounding; a single wrong draw would move them by far more than this.
    expect(Math.abs(sum - expected.sum)).toBeLessThanOrEqual(1e-9 * Math.abs(expected.sum));
    expect(Math.abs(sumsq - expected.sumsq)).toBeLessThanOrEqual(1e-12 * expected.sumsq);
    expectClose(x.subarray(0, 5), expected.first5, GAUSS_TOL);
    expectClose(x.subarray(x.length - 5), expected.last5, GAUSS_TOL);
  });
});

describe('RandomState beyond the fixture (values from numpy 2.4.6)', () => {
  it('draws ranges above 2**32 from 64-bit words, high word first', () => {
    const rs = new RandomState(5);
    expect(Array.from({ length: 6 }, () => rs.randint(0, 2 ** 40))).toEqual([
      425438759118, 1030067709629, 989404716150, 622681974857, 34745516772, 993841416126,
    ]);
    expect(Array.from({ length: 4 }, () => rs.randint(-7, 2 ** 45 + 3))).toEqual([
      10562845592169, 11675811204809, 33019669147845, 15045746753047,
    ]);
  });

  it('handles the 2**32 boundary and a 53-bit range', () => {
    const rs = new RandomState(5);
    expect(Array.from({ length: 3 }, () => rs.randint(0, 2 ** 32 + 1))).toEqual([
      1562238070, 4206684233, 385778404,
    ]);
    expect(rs.randint(0, 2 ** 32)).toBe(2627419879);
    expect(rs.randint(0, 2 ** 53 - 1)).toBe(4652853030455707);
  });

  it('getState matches numpy get_state() field by field', () => {
    const rs = new RandomState(7);
    rs.randn();
    const s = rs.getState();
    expect(s.key.slice(0, 3)).toEqual([2022286329, 1444425037, 2858264774]);
    expect(s.pos).toBe(8);
    expect(s.hasGauss).toBe(true);
    expect(Math.abs(s.gauss - -0.4659373705408328)).toBeLessThanOrEqual(GAUSS_TOL);
  });

  it('setState resumes the exact stream, including the cached normal', () => {
    const a = new RandomState(7);
    a.randn();
    const saved = a.getState();
    const expected = [a.randn(), a.random(), a.randint(0, 1000), a.randn(), a.randn()];
    const b = new RandomState(123);
    b.setState(saved);
    expect([b.randn(), b.random(), b.randint(0, 1000), b.randn(), b.randn()]).toEqual(expected);
    // The snapshot is a copy: drawing more from `a` must not have changed it.
    const c = new RandomState(0);
    c.setState(saved);
    expect(c.randn()).toBe(expected[0]);
  });

  it('seed() restarts the stream like a fresh generator', () => {
    const rs = new RandomState(3);
    rs.randn();
    rs.seed(0);
    expect(rs.random()).toBe(0.5488135039273248);
  });

  it('rejects seeds numpy rejects', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Infinity]) {
      expect(() => new RandomState(bad)).toThrow(ArgumentError);
      expect(() => createRandom(bad, 'numpy')).toThrow(ArgumentError);
    }
    const thrown = ((): unknown => {
      try {
        createRandom(2 ** 32, 'numpy');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(ArgumentError);
    expect((thrown as ArgumentError).where).toBe('seed');
    expect(new RandomState(2 ** 32 - 1).random()).toBeGreaterThanOrEqual(0);
  });

  it('rejects bad randint bounds, permutation sizes and states', () => {
    const rs = new RandomState(0);
    expect(() => rs.randint(5, 5)).toThrow(ArgumentError);
    expect(() => rs.randint(0, 1.5)).toThrow(ArgumentError);
    expect(() => rs.randint(-(2 ** 53) + 1, 2 ** 53 - 1)).toThrow(ArgumentError);
    expect(() => rs.permutation(-1)).toThrow(ArgumentError);
    expect(() => rs.setState({ key: [1, 2, 3], pos: 0, hasGauss: false, gauss: 0 })).toThrow(ArgumentError);
    expect(rs.randint(3, 4)).toBe(3);
    expect(rs.permutation(0)).toEqual([]);
  });
});
