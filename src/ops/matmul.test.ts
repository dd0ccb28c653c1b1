import { describe, expect, it } from 'vitest';
import { matmul, randn, reshape, sliceColumns, sum, transpose, ShapeError, type Tensor } from '../index.js';

function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}
const asMatrix = (t: Tensor): number[][] => t.toArray() as number[][];

describe('matmul', () => {
  it('matches a naive product for every transpose combination and odd sizes', () => {
    for (const [M, K, N] of [[1, 1, 1], [1, 300, 7], [2, 9, 5], [3, 6, 1], [5, 7, 3], [9, 4, 6], [4, 13, 8], [8, 600, 9]] as const) {
      const A = randn([M, K], { seed: M * 100 + K });
      const B = randn([K, N], { seed: N * 7 + 1 });
      const expected = naive(asMatrix(A), asMatrix(B));
      const At = transpose(A), Bt = transpose(B);
      for (const [a, b, opts] of [
        [A, B, {}],
        [At, B, { transA: true }],
        [A, Bt, { transB: true }],
        [At, Bt, { transA: true, transB: true }],
      ] as const) {
        const C = matmul(a, b, opts).toFlatArray();
        expected.flat().forEach((v, i) => expect(Math.abs(C[i]! - v)).toBeLessThan(1e-12));
      }
    }
  });

  it('backward: dA = dC·Bᵀ, dB = Aᵀ·dC, for every transpose combination', () => {
    const A = randn([3, 4], { seed: 1 }), B = randn([4, 2], { seed: 2 });
    const ref = { A: [] as number[], B: [] as number[] };
    {
      const a = A.clone(), b = B.clone();
      a.requiresGrad = b.requiresGrad = true;
      sum(matmul(a, b)).backward();
      ref.A = a.grad!.toFlatArray();
      ref.B = b.grad!.toFlatArray();
    }
    const a = transpose(A).clone(), b = transpose(B).clone();
    a.requiresGrad = b.requiresGrad = true;
    sum(matmul(a, b, { transA: true, transB: true })).backward();
    transpose(a.grad!).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(ref.A[i]!, 12));
    transpose(b.grad!).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(ref.B[i]!, 12));
  });

  it('a row computed alone equals the same row computed in a tile, bit for bit', () => {
    // Small products skip packing; their sums must still run in the same order.
    const A = randn([4, 700], { seed: 8 }), B = randn([700, 6], { seed: 9 }), Bt = transpose(B);
    const first = reshape(sliceColumns(transpose(A), 0, 1), [1, 700]);
    const tiled = matmul(A, B).toFlatArray().slice(0, 6);
    expect(matmul(first, B).toFlatArray()).toEqual(tiled);
    expect(matmul(first, Bt, { transB: true }).toFlatArray()).toEqual(tiled);
  });

  it('names both shapes when columns and rows differ', () => {
    const W = randn([7, 20], { seed: 0 }), A = randn([12, 209], { seed: 0 });
    expect(() => matmul(W, A)).toThrow(ShapeError);
    expect(() => matmul(W, A)).toThrow('matmul: cannot multiply (7, 20) by (12, 209): the left has 20 columns but the right has 12 rows');
  });

  it('float32 products are rounded once', () => {
    const a = randn([8, 300], { seed: 5, dtype: 'float32' }), b = randn([300, 4], { seed: 6, dtype: 'float32' });
    const c = matmul(a, b);
    expect(c.dtype).toBe('float32');
    const exact = naive(asMatrix(a), asMatrix(b)).flat();
    c.toFlatArray().forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(exact[i]!))));
  });
});
