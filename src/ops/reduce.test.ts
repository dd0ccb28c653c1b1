import { describe, expect, it } from 'vitest';
import { argmax, argmin, max, mean, min, sum, tensor, ArgumentError } from '../index.js';

describe('reductions with axis and keepdims', () => {
  const x = tensor([[1, 5, 3], [4, 2, 6]]);
  it('sum', () => {
    expect(sum(x).item()).toBe(21);
    expect(sum(x, { axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, { axis: 1 }).toArray()).toEqual([9, 12]);
    expect(sum(x, { axis: 1, keepdims: true }).toArray()).toEqual([[9], [12]]);
    expect(sum(x, { axis: -1 }).shape).toEqual([2]);
    expect(sum(x, { axis: [0, 1], keepdims: true }).toArray()).toEqual([[21]]);
  });
  it('mean, max, min, argmax, argmin', () => {
    expect(mean(x).item()).toBe(3.5);
    expect(mean(x, { axis: 0 }).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(max(x, { axis: 1 }).toArray()).toEqual([5, 6]);
    expect(min(x, { axis: 0, keepdims: true }).toArray()).toEqual([[1, 2, 3]]);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 1]);
    expect(argmax(x, 1).toArray()).toEqual([1, 2]);
    expect(argmin(x, 1).toArray()).toEqual([0, 1]);
    expect(argmax(tensor([3, 7, 7]), 0).item()).toBe(1);
  });
  it('3-D, middle axis', () => {
    const t = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(sum(t, { axis: 1 }).toArray()).toEqual([[4, 6], [12, 14]]);
  });
  it('gradients', () => {
    const a = tensor([[1, 5, 3], [4, 2, 6]], { requiresGrad: true });
    sum(mean(a, { axis: 1 })).backward();
    expect(a.grad!.toFlatArray().map((v) => v * 3)).toEqual([1, 1, 1, 1, 1, 1]);
    const b = tensor([[1, 5, 5]], { requiresGrad: true });
    max(b).backward();
    expect(b.grad!.toArray()).toEqual([[0, 0.5, 0.5]]);
  });
  it('rejects an axis out of range', () => {
    expect(() => sum(x, { axis: 2 })).toThrow(ArgumentError);
  });
});
