import { describe, expect, it } from 'vitest';
import { arange, eye, full, linspace, ones, rand, randn, tensor, zeros, ArgumentError, RandomState } from '../index.js';

describe('tensor creation and access', () => {
  it('from nested arrays, with shape, size, rank, at, item', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.dtype).toBe('float64');
    expect(t.at(1, -1)).toBe(6);
    expect(tensor(3).item()).toBe(3);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'float32' }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => tensor([[1, 2], [3]])).toThrow(ArgumentError);
    expect(() => t.item()).toThrow(ArgumentError);
  });
  it('zeros, ones, full, eye, arange, linspace', () => {
    expect(zeros([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(ones([2]).toArray()).toEqual([1, 1]);
    expect(full([1, 2], 7).toArray()).toEqual([[7, 7]]);
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => zeros([2, -1])).toThrow(ArgumentError);
  });
  it('rand and randn are seeded: same seed, same values; numpy’s generator gives numpy’s numbers', () => {
    expect(randn([3, 3], { seed: 7 }).toFlatArray()).toEqual(randn([3, 3], { seed: 7 }).toFlatArray());
    expect(rand([4], { seed: 1 }).toFlatArray()).not.toEqual(rand([4], { seed: 2 }).toFlatArray());
    // np.random.seed(1); np.random.rand(1) → 0.417022004702574
    expect(rand([1], { rng: new RandomState(1) }).item()).toBe(0.417022004702574);
    expect(() => randn([2], {} as { seed: number })).toThrow(ArgumentError);
  });
  it('prints like numpy', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('array([[1., 2.],\n       [3., 4.]], dtype=float64)');
    expect(tensor([0.5, 0.25]).toString()).toBe('array([0.50, 0.25], dtype=float64)');
    expect(tensor(2.5).toString()).toBe('array(2.5, dtype=float64)');
    // Long rows wrap at 75 characters like numpy's, continuing under the first element.
    const row = tensor([Array.from({ length: 12 }, (_, i) => i + 0.5)]).toString();
    expect(row.split('\n').every((line) => line.length <= 75)).toBe(true);
    expect(row.split('\n')[1]).toMatch(/^ {8}\d/);
    const big = zeros([100, 100]).toString();
    expect(big).toContain('...');
    expect(big.split('\n').length).toBeLessThan(12);
  });
});

describe("rng: 'numpy'", () => {
  it('draws from numpy’s legacy generator with the given seed', () => {
    // np.random.seed(1); np.random.randn() → 1.6243453636632417
    expect(randn([1], { seed: 1, rng: 'numpy' }).item()).toBeCloseTo(1.6243453636632417, 15);
  });
});
