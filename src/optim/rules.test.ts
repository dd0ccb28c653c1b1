import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adam } from './adam.js';
import { GradientDescent } from './gd.js';
import { Momentum } from './momentum.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { adamUpdate, gradientDescentUpdate, momentumUpdate, rmspropUpdate } from './rules.js';

// Three steps on a small float64 parameter, checked against the textbook formulas written
// out here element by element on plain numbers — independent of rules.ts (which follows
// PyTorch's evaluation order, so agreement is to rounding, hence the 1e-13 tolerance).

const W0 = [0.5, -1.2, 2.0, 0.0];
// Mixed signs, scales and one zero gradient, different at every step.
const GRADS = [
  [0.1, -0.3, 0.05, 0.0],
  [-0.2, 0.4, 0.0, 1e-4],
  [0.3, 0.1, -0.5, -2.0],
];
const TOL = 1e-13;

function expectNear(actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) throw new Error(`element ${i}: ${a} vs expected ${e}`);
  }
}

/** Hand-computed weights after each step, one function per rule (textbook form). */
function handGD(lr: number): number[][] {
  const w = W0.slice();
  return GRADS.map((g) => w.map((_, i) => (w[i] = w[i]! - lr * g[i]!)));
}

function handMomentum(lr: number, beta: number, form: 'pytorch' | 'course'): number[][] {
  const w = W0.slice();
  const v = W0.map(() => 0);
  return GRADS.map((g, step) => {
    for (let i = 0; i < w.length; i++) {
      if (form === 'pytorch') v[i] = step === 0 ? g[i]! : beta * v[i]! + g[i]!;
      else v[i] = beta * v[i]! + (1 - beta) * g[i]!;
      w[i] = w[i]! - lr * v[i]!;
    }
    return w.slice();
  });
}

function handRMSprop(lr: number, rho: number, eps: number): number[][] {
  const w = W0.slice();
  const s = W0.map(() => 0);
  return GRADS.map((g) => {
    for (let i = 0; i < w.length; i++) {
      s[i] = rho * s[i]! + (1 - rho) * g[i]! ** 2;
      w[i] = w[i]! - (lr * g[i]!) / (Math.sqrt(s[i]!) + eps);
    }
    return w.slice();
  });
}

function handAdam(lr: number, b1: number, b2: number, eps: number): number[][] {
  const w = W0.slice();
  const m = W0.map(() => 0);
  const v = W0.map(() => 0);
  return GRADS.map((g, step) => {
    const t = step + 1;
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** t);
      const vHat = v[i]! / (1 - b2 ** t);
      w[i] = w[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    return w.slice();
  });
}

/** Runs an optimizer class for the three steps on a fresh float64 tensor W. */
function runClass(opt: Optimizer): number[][] {
  const W = tensor(W0, { requiresGrad: true });
  const params = new Map<string, Tensor>([['W', W]]);
  return GRADS.map((g) => {
    W.grad = tensor(g);
    opt.step(params);
    return W.toFlatArray();
  });
}

describe('update rules against hand computation (3 steps, float64)', () => {
  it('gradient descent: W := W − α·dW', () => {
    const expected = handGD(0.1);
    const w = Float64Array.from(W0);
    GRADS.forEach((g, k) => {
      gradientDescentUpdate(w, Float64Array.from(g), 0.1);
      expectNear(w, expected[k]!);
    });
    runClass(new GradientDescent({ learningRate: 0.1 })).forEach((w, k) => expectNear(w, expected[k]!));
  });

  it('momentum, PyTorch form: v := dW on step 1, then v := β·v + dW; W := W − α·v', () => {
    const expected = handMomentum(0.1, 0.9, 'pytorch');
    const w = Float64Array.from(W0);
    const v = new Float64Array(W0.length);
    GRADS.forEach((g, k) => {
      momentumUpdate(w, Float64Array.from(g), v, 0.1, 0.9, 0, k === 0);
      expectNear(w, expected[k]!);
    });
    runClass(new Momentum({ learningRate: 0.1, beta: 0.9 })).forEach((w, k) => expectNear(w, expected[k]!));
  });

  it("momentum, course form: v from 0, v := β·v + (1 − β)·dW; W := W − α·v", () => {
    const expected = handMomentum(0.1, 0.9, 'course');
    const w = Float64Array.from(W0);
    const v = new Float64Array(W0.length);
    GRADS.forEach((g, k) => {
      momentumUpdate(w, Float64Array.from(g), v, 0.1, 0.9, 0.9, false);
      expectNear(w, expected[k]!);
    });
    runClass(new Momentum({ learningRate: 0.1, beta: 0.9, dampening: 'course' })).forEach((w, k) => expectNear(w, expected[k]!));
  });

  it('RMSprop: s := ρ·s + (1 − ρ)·dW²; W := W − α·dW/(√s + ε)', () => {
    const expected = handRMSprop(0.01, 0.99, 1e-8);
    const w = Float64Array.from(W0);
    const s = new Float64Array(W0.length);
    GRADS.forEach((g, k) => {
      rmspropUpdate(w, Float64Array.from(g), s, 0.01, 0.99, 1e-8);
      expectNear(w, expected[k]!);
    });
    runClass(new RMSprop({ learningRate: 0.01 })).forEach((w, k) => expectNear(w, expected[k]!));
  });

  it('Adam: bias-corrected m̂, v̂; W := W − α·m̂/(√v̂ + ε)', () => {
    const expected = handAdam(0.01, 0.9, 0.999, 1e-8);
    const w = Float64Array.from(W0);
    const m = new Float64Array(W0.length);
    const v = new Float64Array(W0.length);
    GRADS.forEach((g, k) => {
      adamUpdate(w, Float64Array.from(g), m, v, 0.01, 0.9, 0.999, 1e-8, k + 1);
      expectNear(w, expected[k]!);
    });
    runClass(new Adam({ learningRate: 0.01 })).forEach((w, k) => expectNear(w, expected[k]!));
    // Non-default hyper-parameters, including β1 ≤ 0.5 (the other branch of torch's lerp).
    const other = handAdam(0.05, 0.3, 0.8, 1e-6);
    runClass(new Adam({ learningRate: 0.05, beta1: 0.3, beta2: 0.8, epsilon: 1e-6 })).forEach((w, k) => expectNear(w, other[k]!));
  });

  it('rules refuse buffers of the wrong length, and Adam a step count below 1', () => {
    const w = new Float64Array(3);
    expect(() => gradientDescentUpdate(w, new Float64Array(2), 0.1)).toThrow(ShapeError);
    expect(() => momentumUpdate(w, new Float64Array(3), new Float64Array(4), 0.1, 0.9, 0, false)).toThrow(ShapeError);
    expect(() => rmspropUpdate(w, new Float64Array(3), new Float64Array(2), 0.1, 0.9, 1e-8)).toThrow(ShapeError);
    expect(() => adamUpdate(w, new Float64Array(3), new Float64Array(3), new Float64Array(3), 0.1, 0.9, 0.999, 1e-8, 0)).toThrow(ArgumentError);
  });
});
