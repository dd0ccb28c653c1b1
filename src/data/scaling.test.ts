import { describe, expect, it } from 'vitest';
import { ArgumentError, DataError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { applyScaler, checkScaler, fitScaler, invertScaler } from './scaling.js';
import { expectClose } from '../../test/helpers.js';

// Two features (rows), four samples (columns).
const X = tensor([
  [1, 2, 3, 4],
  [10, 10, 30, 30],
]);

describe('fitScaler / applyScaler', () => {
  it('standardize: per-row mean and population deviation; scaled rows have mean 0, variance 1', () => {
    const s = fitScaler(X, 'standardize');
    expect(s.kind).toBe('standardize');
    expectClose(s.offset, [2.5, 20], 1e-12);
    expectClose(s.scale, [Math.sqrt(1.25), 10], 1e-12);
    const Z = applyScaler(s, X);
    expect(Z.shape).toEqual([2, 4]);
    for (let i = 0; i < 2; i++) {
      const row = Z.toFlatArray().slice(i * 4, i * 4 + 4);
      const mean = row.reduce((a, b) => a + b) / 4;
      expect(mean).toBeCloseTo(0, 12);
      expect(row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4).toBeCloseTo(1, 12);
    }
  });

  it('minmax: rows mapped onto [0, 1]', () => {
    const s = fitScaler(X, 'minmax');
    expect(s.offset).toEqual([1, 10]);
    expect(s.scale).toEqual([3, 20]);
    expectClose(applyScaler(s, X), [[0, 1 / 3, 2 / 3, 1], [0, 0, 1, 1]], 1e-12);
  });

  it('a constant feature gets scale 1 and maps to 0, not NaN', () => {
    const C = tensor([[5, 5, 5], [1, 2, 3]]);
    for (const kind of ['standardize', 'minmax'] as const) {
      const s = fitScaler(C, kind);
      expect(s.scale[0]).toBe(1);
      expect(applyScaler(s, C).toFlatArray().slice(0, 3)).toEqual([0, 0, 0]);
    }
  });

  it('is plain data: survives JSON and applies to new samples with the training statistics', () => {
    const s = fitScaler(X, 'standardize');
    const back = checkScaler(JSON.parse(JSON.stringify(s)));
    expect(back).toEqual(s);
    const test = tensor([[2.5], [20]]);
    expect(applyScaler(back, test).toFlatArray()).toEqual([0, 0]);
  });

  it('invertScaler undoes applyScaler; X is not modified; dtype kept', () => {
    const before = X.toFlatArray();
    const s = fitScaler(X, 'minmax');
    expectClose(invertScaler(s, applyScaler(s, X)), before, 1e-12);
    expect(X.toFlatArray()).toEqual(before);
    expect(applyScaler(s, tensor([[1], [2]], { dtype: 'float32' })).dtype).toBe('float32');
  });

  it('refuses a mismatched number of features, non-finite data, no samples, non-matrices', () => {
    const s = fitScaler(X, 'minmax');
    expect(() => applyScaler(s, tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => fitScaler(tensor([[1, NaN]]), 'minmax')).toThrow(DataError);
    expect(() => fitScaler(tensor([[1, NaN]]), 'minmax')).toThrow(/X\[0, 1\]/);
    expect(() => fitScaler(tensor([1, 2]), 'minmax')).toThrow(ShapeError);
    expect(() => fitScaler(X, 'zscore' as 'minmax')).toThrow(ArgumentError);
  });

  it('values too large to scale in float64 are refused, naming the feature, rather than becoming NaN', () => {
    const huge = tensor([[1, 2, 3], [1e308, 1e308, -1e308]]);
    expect(() => fitScaler(huge, 'standardize')).toThrow(DataError);
    expect(() => fitScaler(huge, 'standardize')).toThrow('feature 1 (row 1 of X) has values too large to standardize');
    expect(() => fitScaler(huge, 'minmax')).toThrow('too large to min-max scale');
    expect(fitScaler(tensor([[1e300, -1e300]]), 'minmax').scale[0]).toBe(2e300);
  });

  it('checkScaler refuses malformed metadata', () => {
    expect(() => checkScaler({ kind: 'minmax', offset: [0], scale: [0] })).toThrow(/scale\[0\]/);
    expect(() => checkScaler({ kind: 'minmax', offset: [0, 1], scale: [1] })).toThrow(ArgumentError);
    expect(() => checkScaler({ kind: 'other', offset: [], scale: [] })).toThrow(ArgumentError);
    expect(() => checkScaler(null)).toThrow(ArgumentError);
  });
});
