import { describe, expect, it } from 'vitest';
import { transposeMatrix } from './transpose.js';
import { cast, concat, logSoftmax, mul, reshape, sliceColumns, softmax, sum, takeColumns, tensor, transpose, ArgumentError, ShapeError } from '../index.js';

describe('reshape, transpose, columns, concat, cast, softmax', () => {
  it('reshape shares data and infers −1', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const r = reshape(x, [3, -1]);
    expect(r.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(r.data).toBe(x.data);
    expect(() => reshape(x, [4, -1])).toThrow(ShapeError);
  });
  it('transposeMatrix: across its 16 × 256 blocks and their ragged ends, in the input\'s type', () => {
    const [rows, cols] = [37, 300];
    const data = Float64Array.from({ length: rows * cols }, (_, k) => k);
    const out = transposeMatrix(data, rows, cols);
    expect(out).toBeInstanceOf(Float64Array);
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [15, 255], [16, 256], [36, 299], [20, 7]] as const) expect(out[j * rows + i]).toBe(i * cols + j);
    expect(Array.from(out).sort((a, b) => a - b)).toEqual(Array.from(data));
    expect(transposeMatrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)).toEqual(Float32Array.from([1, 4, 2, 5, 3, 6]));
  });

  it('transpose of a matrix and a permutation of 3 axes', () => {
    expect(transpose(tensor([[1, 2, 3]])).toArray()).toEqual([[1], [2], [3]]);
    const t = tensor([[[1, 2], [3, 4], [5, 6]]]); // (1, 3, 2)
    expect(transpose(t, [2, 0, 1]).toArray()).toEqual([[[1, 3, 5]], [[2, 4, 6]]]);
    expect(() => transpose(t, [0, 0, 1])).toThrow(ArgumentError);
  });
  it('sliceColumns takes a mini-batch of samples; gradients go back to those columns', () => {
    const X = tensor([[1, 2, 3, 4], [5, 6, 7, 8]], { requiresGrad: true });
    const batch = sliceColumns(X, 1, 3);
    expect(batch.toArray()).toEqual([[2, 3], [6, 7]]);
    sum(mul(batch, 2)).backward();
    expect(X.grad!.toArray()).toEqual([[0, 2, 2, 0], [0, 2, 2, 0]]);
    expect(takeColumns(X, [3, 0]).toArray()).toEqual([[4, 1], [8, 5]]);
    expect(() => sliceColumns(X, 2, 5)).toThrow(ArgumentError);
  });
  it('takeColumns: runs of 16 or more consecutive columns (copied a row at a time) and scattered ones give the same values', () => {
    const [rows, cols] = [5, 70];
    const X = tensor(Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => i * 1000 + j)), { dtype: 'float32' });
    const expected = (indices: number[]): number[][] => Array.from({ length: rows }, (_, i) => indices.map((j) => i * 1000 + j));
    const run = Array.from({ length: 20 }, (_, c) => 37 + c);
    expect(takeColumns(X, run).toArray()).toEqual(expected(run));
    expect(takeColumns(X, run).dtype).toBe('float32');
    // Consecutive but for the last, and a short run: element by element.
    const almost = [...run.slice(0, 19), 3];
    expect(takeColumns(X, almost).toArray()).toEqual(expected(almost));
    expect(takeColumns(X, [5, 6, 7]).toArray()).toEqual(expected([5, 6, 7]));
    expect(takeColumns(X, []).shape).toEqual([rows, 0]);
    // The run's gradient still goes back to its columns.
    const W = tensor([[1, 2, 3]].map(() => Array.from({ length: cols }, (_, j) => j)), { requiresGrad: true });
    sum(takeColumns(W, run)).backward();
    expect(Array.from(W.grad!.data).map((g, j) => (g === 1) === run.includes(j))).toEqual(Array(cols).fill(true));
  });
  it('concat along samples and along features', () => {
    const a = tensor([[1], [2]]), b = tensor([[3, 4], [5, 6]]);
    expect(concat([a, b], 1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => concat([a, tensor([[1, 2, 3]])], 1)).toThrow(ShapeError);
  });
  it('cast rounds to float32', () => {
    const c = cast(tensor([0.1]), 'float32');
    expect(c.dtype).toBe('float32');
    expect(c.item()).toBe(Math.fround(0.1));
  });
  it('softmax columns sum to 1 and stay finite for logits of 1000', () => {
    const s = softmax(tensor([[1, 1000], [2, -1000], [3, 0]]));
    const cols = sum(s, { axis: 0 }).toFlatArray();
    cols.forEach((v) => expect(v).toBeCloseTo(1, 14));
    expect(s.toFlatArray().every(Number.isFinite)).toBe(true);
    const ls = logSoftmax(tensor([[1000], [0]]));
    expect(ls.toFlatArray()).toEqual([0, -1000]);
  });
});
