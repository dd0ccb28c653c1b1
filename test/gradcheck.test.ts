import { describe, expect, it } from 'vitest';
import {
  add, GRADCHECK_BUG, gradCheck, gradientDescent, matmul, mul, planarFlower, randn, rand, RandomState, Sequential, square, sum, tanh, tensor, Tensor,
  type ActivationName, type LossName,
} from '../src/index.js';
import { GRADCHECK_NOISE_FACTOR } from '../src/autograd/gradcheck.js';
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

// The central difference's rounding: J's last bits over 2ε. For the course's flower network
// (J ≈ 0.69) that is about 1e-9 per element — as large as its smallest gradients.
describe('gradCheck: tiny gradients against the rounding noise of the central differences', () => {
  const u = Number.EPSILON / 2;
  const { X, Y } = planarFlower();
  const flowerNet = (): Sequential => new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'small', rng: new RandomState(2) });
  const verdicts = (r: ReturnType<typeof gradCheck>): Record<string, string> => Object.fromEntries(r.entries.map((e) => [e.name, e.verdict]));

  it('the course\'s flower network: every gradient good at its initial weights, after 300 and after 10000 iterations', () => {
    const net = flowerNet();
    const check = (): ReturnType<typeof gradCheck> => gradCheck(() => net.cost(X, Y), net.parameters());
    for (const [iterations, tiny] of [[0, true], [300, true], [9700, false]] as const) {
      gradientDescent(net, X, Y, { learningRate: 1.2, iterations });
      const report = check();
      expect(verdicts(report)).toEqual({ dW1: 'good', db1: 'good', dW2: 'good', db2: 'good' });
      expect(report.passed).toBe(true);
      for (const e of report.entries) expect(e.difference, e.name).toBeLessThanOrEqual(e.noiseFloor);
      expect(report.difference).toBeLessThanOrEqual(report.noiseFloor);
      // The course's relative difference alone calls these bugs (db1 at the initial weights:
      // ‖grad‖ ≈ 1e-6 and a relative difference ≈ 1e-3): the noise floor is what passes them.
      if (tiny) expect(Math.max(...report.entries.map((e) => e.relativeDifference))).toBeGreaterThan(GRADCHECK_BUG);
    }
  });

  it('reports the noise floor: 8·u·max|J|/ε per element, times √size (J = Σw², w = [1, 2]: grad [2, 4], good)', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const report = gradCheck(() => sum(square(w)), new Map([['w', w]]));
    const e = report.entries[0]!;
    expect(e.name).toBe('dw');
    expect(Array.from(e.analytic)).toEqual([2, 4]);
    expect(e.numeric[0]).toBeCloseTo(2, 7);
    expect(e.numeric[1]).toBeCloseTo(4, 7);
    expect(e.relativeDifference).toBeLessThan(1e-7);
    expect(e.verdict).toBe('good');
    expect(report.passed).toBe(true);
    // max|J| is J(w₂ + ε) = 1 + (2 + 1e-7)².
    expect(GRADCHECK_NOISE_FACTOR).toBe(8);
    expect(e.noiseFloor / ((8 * u * (1 + (2 + 1e-7) ** 2)) / 1e-7 * Math.SQRT2)).toBeCloseTo(1, 12);
    expect(report.noiseFloor).toBe(e.noiseFloor);
    expect(e.difference).toBeCloseTo(Math.hypot(2 - e.numeric[0]!, 4 - e.numeric[1]!), 20);
  });

  it('large gradients are judged by the course\'s relative difference as before: 1.6e-7 suspect, 3.2e-7 bug', () => {
    // J = Σw² + δ·Σw with the δ·Σw term hidden from backprop: the true gradient is 2w + δ,
    // backprop says 2w. δ·√2 = 1.4e-6 is 20 times the floor (6.3e-8), so only the relative
    // difference decides.
    for (const [delta, verdict] of [[1e-6, 'suspect'], [2e-6, 'bug']] as const) {
      const w = tensor([1, 2], { requiresGrad: true });
      const report = gradCheck(() => add(sum(square(w)), mul(sum(w.detach()), delta)), new Map([['w', w]]));
      const e = report.entries[0]!;
      expect(e.difference).toBeGreaterThan(10 * e.noiseFloor);
      expect(e.relativeDifference).toBeCloseTo((delta * Math.SQRT2) / (Math.hypot(2, 4) + Math.hypot(2 + delta, 4 + delta)), 9);
      expect(e.verdict).toBe(verdict);
      expect(report.passed).toBe(false);
    }
  });

  it('a wrong gradient above the floor is still a bug: half of the derivative of an L2-like term missing on W1', () => {
    // J + λ·Σ W1 ⊙ stop(W1): backprop sees λ·W1, the true derivative is 2λ·W1. With λ = 3e-6
    // the error ‖λ·W1‖ ≈ 1e-7 is a relative 1e-5 of dW1 — a few times the floor.
    const net = flowerNet();
    const W1 = net.getParameter('W1');
    const report = gradCheck(() => add(net.cost(X, Y), mul(sum(mul(W1, W1.detach())), 3e-6)), net.parameters());
    const dW1 = report.entries.find((e) => e.name === 'dW1')!;
    expect(dW1.difference).toBeGreaterThan(3 * dW1.noiseFloor);
    expect(dW1.verdict).toBe('bug');
    expect(verdicts(report)).toEqual({ dW1: 'bug', db1: 'good', dW2: 'good', db2: 'good' });
    expect(report.passed).toBe(false);
  });

  it('a wrong gradient on a tiny gradient (db1 ≈ 1e-6) is a bug once it exceeds the floor, and passes as noise below it', () => {
    // J + λ·Σ stop(b1): backprop misses λ in every element of db1. The per-element floor at
    // J ≈ 0.693 is 8·u·J/ε ≈ 6.2e-9; λ is 4 times that, then a quarter of it.
    const perElement = (8 * u * 0.6931) / 1e-7;
    for (const [scale, verdict] of [[4, 'bug'], [0.25, 'good']] as const) {
      const net = flowerNet();
      const b1 = net.getParameter('b1');
      const report = gradCheck(() => add(net.cost(X, Y), mul(sum(b1.detach()), scale * perElement)), net.parameters());
      const db1 = report.entries.find((e) => e.name === 'db1')!;
      expect(Math.hypot(...db1.analytic)).toBeLessThan(2e-6);
      expect(db1.verdict).toBe(verdict);
      expect(report.passed).toBe(verdict === 'good');
    }
  });
});
