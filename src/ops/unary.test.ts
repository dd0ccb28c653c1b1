import { describe, expect, it } from 'vitest';
import { abs, clip, exp, leakyRelu, log, relu, sigmoid, softplus, sqrt, sum, tanh, tensor, ArgumentError } from '../index.js';

describe('element-wise functions', () => {
  it('values', () => {
    expect(sigmoid(tensor([0])).item()).toBe(0.5);
    expect(sigmoid(tensor([-1000, 1000])).toArray()).toEqual([0, 1]);
    expect(tanh(tensor([0])).item()).toBe(0);
    expect(relu(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 2]);
    expect(leakyRelu(tensor([-1, 2]), 0.1).toArray()).toEqual([-0.1, 2]);
    expect(exp(tensor([0, 1])).toArray()).toEqual([1, Math.E]);
    expect(log(tensor([1, Math.E])).toArray()).toEqual([0, 1]);
    expect(sqrt(tensor([4])).item()).toBe(2);
    expect(abs(tensor([-3])).item()).toBe(3);
    expect(clip(tensor([-2, 0.5, 2]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    // softplus stays finite where log(1 + e^z) would overflow.
    expect(softplus(tensor([1000, -1000, 0])).toArray()).toEqual([1000, 0, Math.log(2)]);
  });

  it('local gradients: σ′ = a(1 − a), tanh′ = 1 − a², relu′(0) = 0', () => {
    const z = tensor([0, 2], { requiresGrad: true });
    sum(sigmoid(z)).backward();
    const s2 = 1 / (1 + Math.exp(-2));
    expect(z.grad!.toFlatArray()).toEqual([0.25, s2 * (1 - s2)]);
    const t = tensor([0.5], { requiresGrad: true });
    sum(tanh(t)).backward();
    expect(t.grad!.item()).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 15);
    const r = tensor([-1, 0, 3], { requiresGrad: true });
    sum(relu(r)).backward();
    expect(r.grad!.toArray()).toEqual([0, 0, 1]);
    const c = tensor([-2, 0.5, 2], { requiresGrad: true });
    sum(clip(c, 0, 1)).backward();
    expect(c.grad!.toArray()).toEqual([0, 1, 0]);
  });

  it('rejects nonsensical parameters', () => {
    expect(() => clip(tensor([1]), 2, 1)).toThrow(ArgumentError);
    expect(() => leakyRelu(tensor([1]), -1)).toThrow(ArgumentError);
  });
});
