import { describe, expect, it } from 'vitest';
import { ArgumentError, NablaError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adam } from './adam.js';
import type { BaseOptimizer } from './base.js';
import { createOptimizer, OPTIMIZER_NAMES } from './create.js';
import { GradientDescent } from './gd.js';
import { Momentum } from './momentum.js';
import type { OptimizerState } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { inverseTimeDecay } from './schedules.js';

/** The `where` of the NablaError that `fn` throws. */
function whereOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NablaError) return e.where;
    throw e;
  }
  throw new Error('expected an error');
}

/** One scalar parameter w with a constant gradient g, stepped `steps` times; returns w after each. */
function constantGradient(opt: BaseOptimizer, w0: number, g: number, steps: number): number[] {
  const W = tensor([w0], { requiresGrad: true });
  const params = new Map<string, Tensor>([['w', W]]);
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    W.grad = tensor([g]);
    opt.step(params);
    out.push(W.data[0]!);
  }
  return out;
}

// PyTorch reference values. They cannot be produced by running PyTorch here, so they are
// derived from torch.optim's documented algorithms in closed form for a constant gradient
// g = 0.5 on w₀ = 1 (float64), written out below; each closed form is exact in real
// arithmetic and the constants are its value to 17 significant digits.
describe('PyTorch reference values (derived in closed form)', () => {
  it('SGD momentum (β = 0.9): v₁ = g, v₂ = 1.9g, v₃ = 2.71g, so w₃ = 1 − α·g·5.61 = 0.7195 at α = 0.1', () => {
    const w = constantGradient(new Momentum({ learningRate: 0.1, beta: 0.9 }), 1, 0.5, 3);
    expect(w[0]).toBeCloseTo(0.95, 15);
    expect(w[1]).toBeCloseTo(0.95 - 0.1 * 0.5 * 1.9, 15);
    expect(w[2]).toBeCloseTo(0.7195, 15);
    // Course form: v = 0.1g, 0.19g, 0.271g → w₃ = 1 − 0.05·0.561.
    const c = constantGradient(new Momentum({ learningRate: 0.1, beta: 0.9, dampening: 'course' }), 1, 0.5, 3);
    expect(c[2]).toBeCloseTo(0.97195, 15);
  });

  it("momentum's first step equals plain gradient descent's (PyTorch seeds v with dW)", () => {
    const grads = [0.3, -7, 1e-3, 0];
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const b = tensor([1, 2, 3, 4], { requiresGrad: true });
    a.grad = tensor(grads);
    b.grad = tensor(grads);
    new Momentum({ learningRate: 0.05, beta: 0.9 }).step(new Map([['W', a]]));
    new GradientDescent({ learningRate: 0.05 }).step(new Map([['W', b]]));
    expect(a.toFlatArray()).toEqual(b.toFlatArray());
  });

  it('RMSprop (ρ = 0.99, ε = 1e-8): s_t = (1 − ρ^t)·g², so each step is α/(√(1 − ρ^t) + 2ε) at g = 0.5', () => {
    // Step 1 is α/√(1 − ρ) = 10α: PyTorch's RMSprop has no bias correction.
    const w = constantGradient(new RMSprop({ learningRate: 0.01 }), 1, 0.5, 3);
    expect(w[0]).toBeCloseTo(0.90000001999999600, 15);
    expect(w[1]).toBeCloseTo(0.82911190954941224, 15);
    expect(w[2]).toBeCloseTo(0.77108700780671407, 15);
  });

  it('Adam: with a constant gradient m̂ = g and v̂ = g² at every t, so each step is α·g/(|g| + ε)', () => {
    // w₃ = 1 − 3·0.1·0.5/(0.5 + 1e-8)
    const w = constantGradient(new Adam({ learningRate: 0.1 }), 1, 0.5, 3);
    expect(w[0]).toBeCloseTo(1 - 0.05 / (0.5 + 1e-8), 15);
    expect(w[2]).toBeCloseTo(0.70000000599999988, 14);
  });

  it("Adam's first step moves every weight by ≈ α·sign(g), whatever the gradient's scale", () => {
    const grads = [1e-3, -50, 2, -1e-6, 0];
    const W = tensor([0, 0, 0, 0, 0], { requiresGrad: true });
    W.grad = tensor(grads);
    const lr = 0.01;
    new Adam({ learningRate: lr }).step(new Map([['W', W]]));
    grads.forEach((g, i) => {
      const moved = W.data[i]!;
      // Exactly −α·g/(|g| + ε) (m̂ = g, v̂ = g² at t = 1) …
      expect(moved).toBeCloseTo((-lr * g) / (Math.abs(g) + 1e-8), 16);
      // … which is −α·sign(g) up to α·ε/|g|.
      if (g !== 0) expect(Math.abs(moved + lr * Math.sign(g))).toBeLessThanOrEqual((lr * 1e-8) / Math.abs(g) + 1e-17);
      else expect(moved).toBe(0);
    });
  });

  it('a parameter with no gradient is skipped, and its own t starts when it first gets one (as in PyTorch)', () => {
    const opt = new Adam({ learningRate: 0.1 });
    const A = tensor([1], { requiresGrad: true });
    const B = tensor([1], { requiresGrad: true });
    const params = new Map<string, Tensor>([['A', A], ['B', B]]);
    A.grad = tensor([0.5]);
    opt.step(params); // B has no gradient: untouched, no state
    expect(B.data[0]).toBe(1);
    expect(opt.buffersOf('B')).toBeUndefined();
    B.grad = tensor([-2]);
    A.grad = tensor([0.5]);
    opt.step(params);
    // B's first update is bias-corrected with t = 1: it moves by α·2/(2 + ε).
    expect(B.data[0]).toBeCloseTo(1 + 0.2 / (2 + 1e-8), 15);
    expect(opt.state().parameterSteps).toEqual({ A: 2, B: 1 });
    expect(opt.stepCount).toBe(2);
  });
});

describe('float32 parameters', () => {
  for (const make of [
    () => new GradientDescent({ learningRate: 0.1 }),
    () => new Momentum({ learningRate: 0.1 }),
    () => new RMSprop({ learningRate: 0.01 }),
    () => new Adam({ learningRate: 0.01 }),
  ]) {
    it(`${make().name}: float32 buffers, float32 data, results within float32 precision of float64`, () => {
      const run = (dtype: DType): Tensor => {
        const opt = make();
        const W = tensor([0.5, -1.25, 2, 0.75], { requiresGrad: true, dtype });
        const params = new Map<string, Tensor>([['W', W]]);
        for (let k = 0; k < 5; k++) {
          W.grad = tensor([0.125 * (k + 1), -0.5, 0.25 - 0.125 * k, 1], { dtype });
          opt.step(params);
        }
        for (const b of Object.values(opt.buffersOf('W') ?? {})) expect(b).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        return W;
      };
      const f32 = run('float32');
      const f64 = run('float64');
      expect(f32.data).toBeInstanceOf(Float32Array);
      f64.toFlatArray().forEach((x, i) => expect(Math.abs(f32.data[i]! - x)).toBeLessThan(1e-6));
    });
  }
});

describe('state() / loadState()', () => {
  const makers: Record<string, () => BaseOptimizer> = {
    gd: () => new GradientDescent({ learningRate: 0.1 }),
    momentum: () => new Momentum({ learningRate: 0.1, beta: 0.8 }),
    momentumCourse: () => new Momentum({ learningRate: 0.1, dampening: 'course' }),
    rmsprop: () => new RMSprop({ learningRate: 0.01 }),
    adam: () => new Adam({ learningRate: 0.01, schedule: inverseTimeDecay({ decayRate: 1 }) }),
  };
  const grad = (k: number, i: number): number => Math.sin(1 + 3 * k + i) * (i + 1);

  for (const [label, make] of Object.entries(makers)) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${label} (${dtype}): a JSON round trip continues bit for bit`, () => {
        const W = tensor([0.3, -0.7, 1.1], { requiresGrad: true, dtype });
        const b = tensor([0.05], { requiresGrad: true, dtype });
        const params = new Map<string, Tensor>([['W', W], ['b', b]]);
        const stepWith = (opt: BaseOptimizer, p: Map<string, Tensor>, k: number): void => {
          for (const t of p.values()) t.grad = tensor(Array.from({ length: t.size }, (_, i) => grad(k, i)), { dtype });
          opt.step(p);
        };
        const first = make();
        first.onEpoch(1);
        for (let k = 0; k < 3; k++) stepWith(first, params, k);

        const saved = JSON.parse(JSON.stringify(first.state())) as OptimizerState;
        const second = make();
        second.loadState(saved);
        expect(second.stepCount).toBe(3);
        expect(second.learningRate).toBe(first.learningRate);
        const copies = new Map<string, Tensor>([...params].map(([n, t]) => [n, t.clone()]));

        for (let k = 3; k < 6; k++) {
          stepWith(first, params, k);
          stepWith(second, copies, k);
        }
        for (const [n, t] of params) expect(Array.from(copies.get(n)!.data)).toEqual(Array.from(t.data));
        expect(second.state()).toEqual(first.state());
      });
    }
  }

  it('refuses a state from another optimizer, unknown or ragged buffers, and leaves itself unchanged', () => {
    const opt = new Adam();
    const W = tensor([1, 2], { requiresGrad: true });
    W.grad = tensor([0.1, 0.2]);
    opt.step(new Map([['W', W]]));
    const before = opt.state();
    expect(whereOf(() => opt.loadState(new RMSprop().state()))).toBe('state');
    expect(whereOf(() => opt.loadState({ step: 1, buffers: { W: { m: [0, 0], v: [0] } } }))).toBe('state.buffers.W.v');
    expect(whereOf(() => opt.loadState({ step: 1, buffers: { W: { m: [0], v: [0], s: [0] } } }))).toBe('state.buffers.W.s');
    expect(whereOf(() => opt.loadState({ step: -1, buffers: {} }))).toBe('state.step');
    expect(opt.state()).toEqual(before);
  });

  it('a loaded buffer that does not fit the parameter is a ShapeError naming it', () => {
    const opt = new Momentum({ learningRate: 0.1 });
    opt.loadState({ step: 1, buffers: { W: { v: [0, 0, 0] } } });
    const W = tensor([1, 2], { requiresGrad: true });
    W.grad = tensor([0.1, 0.2]);
    expect(() => opt.step(new Map([['W', W]]))).toThrow(ShapeError);
  });

  it('reset() forgets the state and restores the initial learning rate', () => {
    const opt = new Adam({ learningRate: 0.1, schedule: inverseTimeDecay({ decayRate: 1 }) });
    opt.onEpoch(3);
    const W = tensor([1], { requiresGrad: true });
    W.grad = tensor([1]);
    opt.step(new Map([['W', W]]));
    opt.reset();
    expect(opt.stepCount).toBe(0);
    expect(opt.learningRate).toBe(0.1);
    expect(opt.buffersOf('W')).toBeUndefined();
    expect(opt.state()).toEqual({ name: 'adam', step: 0, learningRate: 0.1, buffers: {}, parameterSteps: {} });
  });
});

describe('buffers are allocated once', () => {
  for (const opt of [new Momentum({ learningRate: 0.1 }), new RMSprop(), new Adam()]) {
    it(`${opt.name}: the same buffer objects after 10 steps`, () => {
      const W = tensor([[1, 2], [3, 4]], { requiresGrad: true });
      const params = new Map<string, Tensor>([['W', W]]);
      const data = W.data;
      W.grad = tensor([[0.1, 0.2], [0.3, 0.4]]);
      opt.step(params);
      const first = { ...opt.buffersOf('W') };
      expect(Object.keys(first).length).toBeGreaterThan(0);
      for (let k = 0; k < 10; k++) {
        W.grad = tensor([[0.1, -0.2], [0.3, k]]);
        opt.step(params);
      }
      const after = opt.buffersOf('W') ?? {};
      for (const [name, buffer] of Object.entries(first)) expect(after[name]).toBe(buffer);
      expect(W.data).toBe(data);
    });
  }
});

describe('onEpoch applies the schedule', () => {
  it('learningRate = schedule(epoch, α₀), and the next step uses it', () => {
    const opt = new GradientDescent({ learningRate: 0.1, schedule: inverseTimeDecay({ decayRate: 1 }) });
    opt.onEpoch(0);
    expect(opt.learningRate).toBe(0.1);
    opt.onEpoch(1);
    expect(opt.learningRate).toBe(0.05);
    const W = tensor([1], { requiresGrad: true });
    W.grad = tensor([2]);
    opt.step(new Map([['W', W]]));
    expect(W.data[0]).toBe(1 - 0.05 * 2);
    opt.onEpoch(3);
    expect(opt.learningRate).toBe(0.025);
    expect(opt.initialLearningRate).toBe(0.1);
  });

  it('without a schedule the rate stays; a bad epoch or a schedule returning ≤ 0 is an error', () => {
    const plain = new Adam({ learningRate: 0.02 });
    plain.onEpoch(7);
    expect(plain.learningRate).toBe(0.02);
    expect(whereOf(() => plain.onEpoch(-1))).toBe('epoch');
    expect(whereOf(() => plain.onEpoch(1.5))).toBe('epoch');
    const broken = new RMSprop({ schedule: (epoch) => 0.1 - epoch * 0.05 });
    broken.onEpoch(1);
    expect(whereOf(() => broken.onEpoch(2))).toBe('schedule');
    expect(broken.learningRate).toBe(0.05);
  });
});

describe('validation', () => {
  it('names the bad hyper-parameter', () => {
    expect(whereOf(() => new GradientDescent({ learningRate: -0.1 }))).toBe('learningRate');
    expect(whereOf(() => new GradientDescent({ learningRate: 0 }))).toBe('learningRate');
    expect(whereOf(() => new GradientDescent({ learningRate: Number.NaN }))).toBe('learningRate');
    expect(whereOf(() => new Momentum({ learningRate: Infinity }))).toBe('learningRate');
    expect(whereOf(() => new Adam({ learningRate: -1 }))).toBe('learningRate');
    expect(whereOf(() => new Adam({ beta1: 1 }))).toBe('beta1');
    expect(whereOf(() => new Adam({ beta2: -0.1 }))).toBe('beta2');
    expect(whereOf(() => new Adam({ epsilon: 0 }))).toBe('epsilon');
    expect(whereOf(() => new RMSprop({ rho: 1 }))).toBe('rho');
    expect(whereOf(() => new RMSprop({ epsilon: -1e-8 }))).toBe('epsilon');
    expect(whereOf(() => new Momentum({ learningRate: 0.1, beta: 1 }))).toBe('beta');
    expect(whereOf(() => new Momentum({ learningRate: 0.1, dampening: 'nesterov' as 'none' }))).toBe('dampening');
    expect(whereOf(() => new Adam({ schedule: 0.5 as unknown as () => number }))).toBe('schedule');
    // A misspelt option is an error, not a silently ignored setting.
    expect(whereOf(() => new Adam({ lr: 0.1 } as unknown as { learningRate: number }))).toBe('lr');
    expect(() => new Adam({ beta1: 1 })).toThrow(ArgumentError);
  });

  it('a gradient of the wrong size is a ShapeError naming the parameter', () => {
    const W = tensor([1, 2, 3], { requiresGrad: true });
    W.grad = tensor([1, 2]);
    expect(whereOf(() => new Adam().step(new Map([['W1', W]])))).toBe('W1');
  });
});

describe('createOptimizer', () => {
  it('builds each optimizer by name with its options', () => {
    expect(OPTIMIZER_NAMES).toEqual(['gd', 'momentum', 'rmsprop', 'adam']);
    expect(createOptimizer('gd', { learningRate: 0.1 })).toBeInstanceOf(GradientDescent);
    expect(createOptimizer('momentum', { learningRate: 0.1, beta: 0.5 })).toBeInstanceOf(Momentum);
    expect(createOptimizer('rmsprop', {})).toBeInstanceOf(RMSprop);
    const adam = createOptimizer('adam', { learningRate: 0.0007 });
    expect(adam).toBeInstanceOf(Adam);
    expect(adam.name).toBe('adam');
    expect(adam.learningRate).toBe(0.0007);
  });

  it('an unknown name is an ArgumentError listing the choices; bad options are checked too', () => {
    let error: unknown;
    try {
      createOptimizer('sgd' as 'gd', { learningRate: 0.1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).where).toBe('name');
    expect((error as ArgumentError).message).toMatch(/gd, momentum, rmsprop, adam/);
    expect(whereOf(() => createOptimizer('adam', { beta1: 1 }))).toBe('beta1');
  });
});
