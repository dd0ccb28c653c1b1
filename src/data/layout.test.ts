import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors.js';
import { tensor, zeros } from '../tensor/create.js';
import { toColumns } from './layout.js';

describe('toColumns', () => {
  it("'rows' transposes (m, n_x) into (n_x, m)", () => {
    // Three samples of two features, scikit-learn style.
    const rows = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const X = toColumns(rows, 'rows');
    expect(X.shape).toEqual([2, 3]);
    expect(X.toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
  });

  it("'columns' returns the tensor itself", () => {
    const X = tensor([[1, 2, 3]]);
    expect(toColumns(X, 'columns')).toBe(X);
  });

  it('vectors: (m,) rows → (1, m); (n,) columns → (n, 1)', () => {
    expect(toColumns(tensor([0, 1, 1]), 'rows').shape).toEqual([1, 3]);
    expect(toColumns(tensor([0, 1, 1]), 'columns').shape).toEqual([3, 1]);
  });

  it('nested arrays and float32 keep working', () => {
    expect(toColumns([[1, 2], [3, 4], [5, 6]], 'rows').toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(toColumns(tensor([[1, 2]], { dtype: 'float32' }), 'rows').dtype).toBe('float32');
  });

  it('refuses unknown layouts, rank 3, ragged arrays', () => {
    expect(() => toColumns(tensor([[1]]), 'samples' as 'rows')).toThrow(ArgumentError);
    expect(() => toColumns(zeros([2, 2, 2]), 'rows')).toThrow(ShapeError);
    expect(() => toColumns([[1, 2], [3]], 'rows')).toThrow(/row 1 has 1 values/);
  });
});
