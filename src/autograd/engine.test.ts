import { describe, expect, it } from 'vitest';
import { add, mul, noGrad, scalar, sum, tanh, tensor, GraphError, isGradEnabled } from '../index.js';

describe('the autograd engine', () => {
  it('accumulates where a value feeds several paths: d(x·x + x)/dx = 2x + 1', () => {
    const x = scalar(3, { requiresGrad: true });
    add(mul(x, x), x).backward();
    expect(x.grad!.item()).toBe(7);
  });

  it('accumulates into .grad across backward calls until zeroGrad', () => {
    const x = scalar(2, { requiresGrad: true });
    mul(x, 5).backward();
    mul(x, 5).backward();
    expect(x.grad!.item()).toBe(10);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('walks a 10,000-op chain without overflowing the stack', () => {
    const x = scalar(0.5, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = add(y, 1e-4);
    y = tanh(y);
    y.backward();
    const v = 0.5 + 10_000 * 1e-4;
    expect(x.grad!.item()).toBeCloseTo(1 - Math.tanh(v) ** 2, 10);
  });

  it('noGrad records nothing and restores the mode', () => {
    const x = scalar(1, { requiresGrad: true });
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    expect(() => y.backward()).toThrow(GraphError);
  });

  it('a non-scalar root needs dOut of its shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 3);
    expect(() => y.backward()).toThrow(GraphError);
    y.backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([3, 30]);
  });

  it('does not compute gradients for inputs that do not need them', () => {
    const X = tensor([[1, 2]]);
    const w = tensor([[3]], { requiresGrad: true });
    sum(mul(w, X)).backward();
    expect(X.grad).toBeNull();
    expect(w.grad!.item()).toBe(3);
  });
});

describe('gradient ownership', () => {
  it('a summed gradient passed on by add to two inputs is not corrupted by later accumulation', () => {
    // x feeds y twice (so dy is an accumulated sum), y = x + x; then z = y + y and w = z + y:
    // add hands the same dOut to both of its inputs, and y then receives a second contribution.
    const x = scalar(2, { requiresGrad: true });
    const y = add(mul(x, 3), mul(x, 4)); // dy/dx = 7
    const z = add(y, y); // dz/dy = 2
    const w = add(z, y); // dw/dy = 3
    const v = add(w, mul(w, 0)); // an extra add on top, so dOut of w is shared
    v.backward();
    expect(x.grad!.item()).toBe(21);
  });
});
