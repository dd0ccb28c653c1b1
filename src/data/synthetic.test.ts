import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.js';
import { blobs, circles, moons, spirals, xor } from './synthetic.js';
import { oneHot } from './labels.js';

/** How many samples carry each label 0..K−1. */
function counts(Y: { data: ArrayLike<number> }, K: number): number[] {
  const c = new Array<number>(K).fill(0);
  for (let j = 0; j < Y.data.length; j++) c[Y.data[j]!] = c[Y.data[j]!]! + 1;
  return c;
}

describe('moons', () => {
  it('two balanced half-moons, X (2, m), Y (1, m) of 0/1', () => {
    const { X, Y } = moons({ m: 200, noise: 0, seed: 3 });
    expect(X.shape).toEqual([2, 200]);
    expect(Y.shape).toEqual([1, 200]);
    expect(counts(Y, 2)).toEqual([100, 100]);
    // Without noise every point lies on its half circle.
    for (let j = 0; j < 200; j++) {
      const [cx, cy] = Y.data[j] === 0 ? [0, 0] : [1, 0.5];
      const x = X.data[j]! - cx, y = X.data[200 + j]! - cy;
      expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
      expect(Y.data[j] === 0 ? y >= 0 : y <= 0).toBe(true);
    }
  });

  it('is reproducible from its seed and changes with it', () => {
    expect(moons({ seed: 7 }).X.toFlatArray()).toEqual(moons({ seed: 7 }).X.toFlatArray());
    expect(moons({ seed: 7 }).X.toFlatArray()).not.toEqual(moons({ seed: 8 }).X.toFlatArray());
  });
});

describe('spirals', () => {
  it('K arms with labels 0..K−1, balanced, radius ≤ 1 without noise', () => {
    const { X, Y, classes } = spirals({ m: 300, classes: 4, noise: 0, seed: 1 });
    expect(classes).toBe(4);
    expect(X.shape).toEqual([2, 300]);
    expect(Y.shape).toEqual([1, 300]);
    expect(counts(Y, 4)).toEqual([75, 75, 75, 75]);
    for (let j = 0; j < 300; j++) expect(Math.hypot(X.data[j]!, X.data[300 + j]!)).toBeLessThanOrEqual(1 + 1e-12);
    // The arms are rotations of each other: at the same radius, arm k's angle is 2πk/K further.
    const k = Y.data[1]!;
    const r = Math.hypot(X.data[1]!, X.data[301]!);
    const angle = Math.atan2(X.data[301]!, X.data[1]!);
    const expected = 2 * Math.PI * (r + k / 4);
    expect(Math.cos(angle)).toBeCloseTo(Math.cos(expected), 10);
    expect(Math.sin(angle)).toBeCloseTo(Math.sin(expected), 10);
  });

  it('defaults to 3 classes; its Y one-hots to (K, m)', () => {
    const { Y, classes } = spirals({ m: 30 });
    expect(classes).toBe(3);
    expect(oneHot(Y, classes).shape).toEqual([3, 30]);
  });

  it('refuses fewer than 2 classes, more classes than samples, bad turns', () => {
    expect(() => spirals({ classes: 1 })).toThrow(ArgumentError);
    expect(() => spirals({ classes: 5, m: 4 })).toThrow(/m must be ≥ K/);
    expect(() => spirals({ turns: 0 })).toThrow(ArgumentError);
  });
});

describe('blobs', () => {
  it('K clusters on the unit circle by default, labels 0..K−1', () => {
    const { X, Y, classes } = blobs({ m: 90, seed: 2 });
    expect(classes).toBe(3);
    expect(X.shape).toEqual([2, 90]);
    expect(counts(Y, 3)).toEqual([30, 30, 30]);
  });

  it('uses given centers of any dimension; the cluster means approach them', () => {
    const centers = [[0, 0, 0], [5, 5, 5], [-5, 5, 0]];
    const m = 3000;
    const { X, Y } = blobs({ centers, m, noise: 0.5, seed: 4 });
    expect(X.shape).toEqual([3, m]);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let sum = 0, n = 0;
        for (let j = 0; j < m; j++) if (Y.data[j] === k) { sum += X.data[i * m + j]!; n++; }
        expect(sum / n).toBeCloseTo(centers[k]![i]!, 1);
      }
    }
  });

  it('noise 0 puts every point on its center', () => {
    const { X, Y } = blobs({ centers: [[1, 2], [3, 4]], m: 4, noise: 0 });
    expect(X.toArray()).toEqual([[1, 3, 1, 3], [2, 4, 2, 4]]);
    expect(Y.toArray()).toEqual([[0, 1, 0, 1]]);
  });

  it('refuses centers of unequal dimension or non-finite coordinates', () => {
    expect(() => blobs({ centers: [[0, 0], [1]] })).toThrow(/same dimension/);
    expect(() => blobs({ centers: [[0, 0], [1, NaN]] })).toThrow(/non-finite/);
    expect(() => blobs({ centers: 1 })).toThrow(ArgumentError);
  });
});

describe('circles and xor still behave', () => {
  it('shapes and default noise unchanged', () => {
    expect(circles({ m: 10 }).X.shape).toEqual([2, 10]);
    expect(xor({ m: 10 }).Y.shape).toEqual([1, 10]);
    expect(() => moons({ noise: -1 })).toThrow(ArgumentError);
  });
});
