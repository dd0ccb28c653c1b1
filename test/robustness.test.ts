import { describe, expect, it } from 'vitest';
import {
  NonFiniteError, Sequential, binaryCrossEntropyWithLogits, categoricalCrossEntropyWithLogits, fit, gradientDescent, randn, sum, tensor,
} from '../src/index.js';

describe('numerical robustness', () => {
  it('from-logits costs stay finite for |z| = 1000, with the right gradients', () => {
    const Z = tensor([[1000, -1000, 1000, -1000]], { requiresGrad: true });
    const Y = tensor([[1, 0, 0, 1]]);
    const J = binaryCrossEntropyWithLogits(Z, Y);
    expect(J.item()).toBe((1000 + 1000) / 4); // two confident mistakes cost 1000 each
    J.backward();
    expect(Z.grad!.toArray()).toEqual([[0, 0, 0.25, -0.25]]);
    const S = tensor([[1000, 0], [0, 1000], [-1000, 0]], { requiresGrad: true });
    const C = categoricalCrossEntropyWithLogits(S, tensor([[1, 0], [0, 0], [0, 1]]));
    expect(Number.isFinite(C.item())).toBe(true);
    C.backward();
    expect(S.grad!.toFlatArray().every(Number.isFinite)).toBe(true);
    expect(sum(S.grad!).item()).toBeCloseTo(0, 12);
  });

  it('a diverging run stops naming the iteration, the layer and the quantity', () => {
    const net = new Sequential({ layerSizes: [3, 8, 1], activations: ['relu', 'linear'], seed: 1 });
    const X = randn([3, 30], { seed: 2 }), Y = randn([1, 30], { seed: 3 });
    let message = '';
    try {
      fit(net, X, Y, { epochs: 100, learningRate: 5 });
    } catch (e) {
      expect(e).toBeInstanceOf(NonFiniteError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^epoch \d+, batch 0: .*first non-finite value: (layer \d, (Z|A|dW|db|the cost of A)\[?\d|parameter W\d)/);
    expect(message).toMatch(/smaller learning rate than 5/);

    const course = new Sequential({ layerSizes: [3, 8, 1], activations: ['relu', 'linear'], seed: 1 });
    expect(() => gradientDescent(course, X, Y, { learningRate: 5, iterations: 100 })).toThrow(/^iteration \d+: the cost became (NaN|Infinity) \(first non-finite value: layer \d, (Z|A|the cost of A)\[\d\]/);
  });

  it('clipNorm keeps that run finite', () => {
    const net = new Sequential({ layerSizes: [3, 8, 1], activations: ['relu', 'linear'], seed: 1 });
    const X = randn([3, 30], { seed: 2 }), Y = randn([1, 30], { seed: 3 });
    const history = fit(net, X, Y, { epochs: 100, learningRate: 0.5, clipNorm: 1 });
    expect(history.cost.every(Number.isFinite)).toBe(true);
    expect(() => fit(net, X, Y, { clipNorm: 0 })).toThrow('clipNorm');
  });
});

describe('resource bounds', () => {
  it('a tensor above the memory ceiling is refused with a clear error, before allocating', async () => {
    const { setMaxTensorBytes, zeros, ArgumentError } = await import('../src/index.js');
    const previous = setMaxTensorBytes(1024 * 1024);
    try {
      expect(() => zeros([1000, 1000])).toThrow(ArgumentError);
      expect(() => zeros([1000, 1000])).toThrow('allocate: a float64 tensor of 1000000 elements needs 7.6 MiB, above the limit of 1.0 MiB');
      expect(zeros([100, 100]).size).toBe(10000);
    } finally {
      setMaxTensorBytes(previous);
    }
    expect(() => zeros([1e6, 1e6])).toThrow(/above the limit of 4\.0 GiB/);
  });
});
