import { describe, expect, it } from 'vitest';
import { add, gradCheck, matmul, mul, randn, rand, Sequential, sum, tanh, tensor, Tensor, type ActivationName, type LossName } from '../src/index.js';
import { record } from '../src/autograd/record.js';

// Small random networks in float64: central differences (ε = 1e-7) against backprop.
const HIDDEN: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax', 'linear'];
const HEADS: Array<{ output: ActivationName; loss: LossName }> = [
  { output: 'sigmoid', loss: 'binaryCrossEntropy' },
  { output: 'softmax', loss: 'categoricalCrossEntropy' },
  { output: 'sigmoid', loss: 'squaredError' },
  { output: 'tanh', loss: 'squaredError' },
  { output: 'linear', loss: 'squaredError' },
  { output: 'relu', loss: 'squaredError' },
  { output: 'leakyRelu', loss: 'squaredError' },
];

function labels(loss: LossName, k: number, m: number, seed: number): Tensor {
  const u = rand([k, m], { seed });
  if (loss === 'binaryCrossEntropy') return tensor(u.toFlatArray().map((v) => (v > 0.5 ? 1 : 0)), { shape: [k, m] });
  if (loss === 'categoricalCrossEntropy') {
    const y = new Array<number>(k * m).fill(0);
    for (let j = 0; j < m; j++) y[Math.floor(u.data[j]! * k) * m + j] = 1;
    return tensor(y, { shape: [k, m] });
  }
  return randn([k, m], { seed });
}

describe('gradCheck on every activation × loss combination (float64)', () => {
  for (const hidden of HIDDEN) {
    for (const { output, loss } of HEADS) {
      it(`${hidden} hidden, ${output} output, ${loss}`, () => {
        const k = loss === 'binaryCrossEntropy' ? 2 : 3; // K sigmoid outputs (seed 004) too
        const net = new Sequential({ layerSizes: [3, 5, k], activations: [hidden, output], loss, init: 'he', seed: 11 });
        // Random biases, mostly positive: with b = 0, a sample whose relu units are all off
        // gives Z = 0 exactly — the kink, where no gradient agrees with a difference quotient —
        // and a mostly dead network has gradients so small that rounding noise dominates.
        for (const l of [1, 2]) net.setParameter(`b${l}`, add(mul(randn([net.layerSizes[l]!, 1], { seed: 20 + l }), 0.5), 0.5));
        const X = mul(randn([3, 5], { seed: 5 }), 2);
        const Y = labels(loss, k, 5, 9);
        const report = gradCheck(() => net.cost(X, Y), net.parameters());
        expect(report.entries.map((e) => e.name)).toEqual(['dW1', 'db1', 'dW2', 'db2']);
        // The course's criterion, on all parameters together: < 1e-7.
        expect(report.relativeDifference).toBeLessThan(1e-7);
        expect(report.passed).toBe(true);
        // Per parameter, none is flagged as a bug (> 2e-7); most are far below 1e-7. A
        // parameter whose gradient is tiny next to J sits closer to the rounding noise of
        // the difference quotient (about 1e-16·|J| / ε), so it gets the wider bound.
        for (const e of report.entries) expect(e.relativeDifference, e.name).toBeLessThan(2e-7);
      });
    }
  }

  it('flags a deliberately wrong gradient (> 2e-7)', () => {
    // tanh with a local backward that forgets a factor: 1 − a² replaced by 1 − a.
    const wrongTanh = (z: Tensor): Tensor => {
      const y = tanh(z).detach();
      return record(y, 'wrongTanh', [z], (g) => [new Tensor(g.data.map((v, i) => v * (1 - y.data[i]!)), z.shape)]);
    };
    const W = randn([2, 3], { seed: 1, requiresGrad: true });
    const X = randn([3, 4], { seed: 2 });
    const report = gradCheck(() => sum(wrongTanh(matmul(W, X))), new Map([['W', W]]));
    expect(report.entries[0]!.name).toBe('dW');
    expect(report.entries[0]!.relativeDifference).toBeGreaterThan(2e-7);
    expect(report.entries[0]!.verdict).toBe('bug');
    expect(report.passed).toBe(false);
  });
});
