import { describe, expect, it } from 'vitest';
import { add, div, equal, greater, maximum, minimum, mul, pow, sub, sum, tensor, DTypeError, ShapeError } from '../index.js';

describe('element-wise ops with numpy broadcasting', () => {
  it('adds (n, 1) across m columns, and (1, m) down n rows', () => {
    const Z = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(add(Z, tensor([[10], [20]])).toArray()).toEqual([[11, 12, 13], [24, 25, 26]]);
    expect(add(Z, tensor([[100, 200, 300]])).toArray()).toEqual([[101, 202, 303], [104, 205, 306]]);
    expect(add(tensor([[1], [2]]), tensor([10, 20, 30])).shape).toEqual([2, 3]);
  });

  it('broadcasts scalars and 3-D shapes', () => {
    expect(sub(10, tensor([1, 2])).toArray()).toEqual([9, 8]);
    expect(mul(tensor([[1, 2]]), 3).toArray()).toEqual([[3, 6]]);
    const a = tensor([[[1], [2]]]); // (1, 2, 1)
    const b = tensor([[1, 2, 3]]); // (1, 3)
    expect(add(a, b).toArray()).toEqual([[[2, 3, 4], [3, 4, 5]]]);
  });

  it('div, pow, maximum, minimum, comparisons', () => {
    expect(div(tensor([1, 3]), tensor([2, 4])).toArray()).toEqual([0.5, 0.75]);
    expect(pow(tensor([2, 3]), 2).toArray()).toEqual([4, 9]);
    expect(maximum(tensor([1, 5, NaN]), tensor([3, 2, 0])).toFlatArray()).toEqual([3, 5, NaN]);
    expect(minimum(tensor([1, 5]), 2).toArray()).toEqual([1, 2]);
    expect(greater(tensor([0.2, 0.7, 0.5]), 0.5).toArray()).toEqual([0, 1, 0]);
    expect(equal(tensor([1, 2]), tensor([1, 3])).toArray()).toEqual([1, 0]);
  });

  it('names both shapes when they do not broadcast', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => add(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow('add: cannot broadcast (1, 3) with (1, 2)');
  });

  it('refuses to mix float32 and float64', () => {
    expect(() => add(tensor([1], { dtype: 'float32' }), tensor([1]))).toThrow(DTypeError);
  });

  it('sums the gradient of a broadcast input back to its shape', () => {
    const Z = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const b = tensor([[0], [0]], { requiresGrad: true });
    sum(mul(add(Z, b), 2)).backward();
    expect(b.grad?.toArray()).toEqual([[6], [6]]);
    expect(Z.grad?.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });

  it('gradients of mul, div, pow and maximum', () => {
    const a = tensor([2, 3], { requiresGrad: true });
    const b = tensor([4, 5], { requiresGrad: true });
    sum(add(add(mul(a, b), div(a, b)), pow(a, b))).backward();
    // d/da: b + 1/b + b·a^(b−1); d/db: a − a/b² + a^b·ln a
    expect(a.grad!.toFlatArray()[0]).toBeCloseTo(4 + 0.25 + 4 * 8, 12);
    expect(b.grad!.toFlatArray()[1]).toBeCloseTo(3 - 3 / 25 + 243 * Math.log(3), 10);
    const x = tensor([1, 2, 3], { requiresGrad: true });
    sum(maximum(x, 2)).backward();
    expect(x.grad?.toArray()).toEqual([0, 0.5, 1]);
  });
});
