import { describe, expect, it } from 'vitest';
import { ArgumentError, DataError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { argmaxLabels, fromOneHot, oneHot } from './labels.js';

describe('oneHot', () => {
  it('(1, m) indices → (K, m), one 1 per column', () => {
    expect(oneHot(tensor([[2, 0, 1, 2]]), 3).toArray()).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 1],
    ]);
  });

  it('accepts (m,) and keeps float32', () => {
    const Y = oneHot(tensor([1, 0], { dtype: 'float32' }), 2);
    expect(Y.shape).toEqual([2, 2]);
    expect(Y.dtype).toBe('float32');
  });

  it('refuses labels outside 0..K−1 or not whole, naming the sample', () => {
    expect(() => oneHot(tensor([[0, 3]]), 3)).toThrow(DataError);
    expect(() => oneHot(tensor([[0, 3]]), 3)).toThrow(/sample 1 has label 3/);
    expect(() => oneHot(tensor([[0.5]]), 3)).toThrow(DataError);
    expect(() => oneHot(tensor([[0, 1], [1, 0]]), 2)).toThrow(ShapeError);
    expect(() => oneHot(tensor([[0]]), 0)).toThrow(ArgumentError);
  });
});

describe('argmaxLabels', () => {
  it('the row of the largest value per column; ties to the lower index', () => {
    const A = tensor([
      [0.1, 0.7, 0.3],
      [0.6, 0.2, 0.3],
      [0.3, 0.1, 0.3],
    ]);
    expect(argmaxLabels(A).toArray()).toEqual([[1, 0, 0]]);
  });

  it('round-trips oneHot', () => {
    const labels = tensor([[3, 1, 4, 1, 0, 2]]);
    expect(argmaxLabels(oneHot(labels, 5)).toArray()).toEqual(labels.toArray());
  });

  it('refuses a single (sigmoid) row and NaN', () => {
    expect(() => argmaxLabels(tensor([[0.2, 0.9]]))).toThrow(/A > 0.5/);
    expect(() => argmaxLabels(tensor([[NaN], [1]]))).toThrow(DataError);
  });
});

describe('fromOneHot', () => {
  it('inverts oneHot', () => {
    const labels = tensor([[0, 2, 1, 1]]);
    expect(fromOneHot(oneHot(labels, 3)).toArray()).toEqual(labels.toArray());
  });

  it('refuses columns that are not one-hot, naming the column', () => {
    expect(() => fromOneHot(tensor([[1, 0.6], [0, 0.4]]))).toThrow(/column 1 is not one-hot/);
    expect(() => fromOneHot(tensor([[1, 0], [0, 0]]))).toThrow(/column 1 is not one-hot: it is all zeros/);
    expect(() => fromOneHot(tensor([[1, 1], [1, 0]]))).toThrow(/column 0/);
  });
});
