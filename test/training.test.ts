import { describe, expect, it } from 'vitest';
import { accuracy, cast, gradientDescent, LogisticRegression, Sequential } from '../src/index.js';
import { circles, xor } from '../src/data/synthetic.js';

describe('gradient descent learns what the seeds say it should', () => {
  it('a [2, 4, 1] tanh/sigmoid network learns circles (≥ 95 %), logistic regression cannot (< 70 %)', () => {
    const { X, Y } = circles({ m: 400, noise: 0.08, seed: 1 });
    const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'xavier', seed: 3 });
    const run = gradientDescent(net, X, Y, { learningRate: 1.2, iterations: 3000, recordEvery: 100 });
    expect(run.costs[run.costs.length - 1]!).toBeLessThan(run.costs[0]!);
    expect(accuracy(net, X, Y)).toBeGreaterThanOrEqual(95);

    const lr = new LogisticRegression(2);
    gradientDescent(lr, X, Y, { learningRate: 1.2, iterations: 3000 });
    expect(accuracy(lr, X, Y)).toBeLessThan(70);
  });

  it('and the XOR pattern', () => {
    const { X, Y } = xor({ m: 400, noise: 0.02, seed: 2 });
    const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'xavier', seed: 5 });
    gradientDescent(net, X, Y, { learningRate: 1.2, iterations: 3000 });
    expect(accuracy(net, X, Y)).toBeGreaterThanOrEqual(95);
    const lr = new LogisticRegression(2);
    gradientDescent(lr, X, Y, { learningRate: 1.2, iterations: 3000 });
    expect(accuracy(lr, X, Y)).toBeLessThan(70);
  });

  it('same seed, same weights, same costs: bit-identical runs (float64 and float32)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const run = () => {
        const { X, Y } = circles({ m: 100, seed: 4 });
        const net = new Sequential({ layerSizes: [2, 5, 1], activations: ['relu', 'sigmoid'], seed: 9, dtype });
        const [Xd, Yd] = [cast(X, dtype), cast(Y, dtype)];
        const w0 = net.getParameter('W1').toFlatArray();
        const { costs } = gradientDescent(net, Xd, Yd, { learningRate: 0.5, iterations: 200 });
        return { w0, costs, w: net.getParameter('W2').toFlatArray() };
      };
      const a = run(), b = run();
      expect(a.w0).toEqual(b.w0);
      expect(a.costs).toEqual(b.costs);
      expect(a.w).toEqual(b.w);
    }
  });

  it('records the cost every k iterations and can stop early', () => {
    const { X, Y } = circles({ m: 50, seed: 1 });
    const net = new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    const run = gradientDescent(net, X, Y, { learningRate: 0.1, iterations: 250, recordEvery: 100 });
    expect(run.costIterations).toEqual([0, 100, 200]);
    const stopped = gradientDescent(net, X, Y, { learningRate: 0.1, iterations: 250, onCost: (i) => i < 9 });
    expect(stopped.iterations).toBe(10);
  });
});
