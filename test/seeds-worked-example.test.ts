import { describe, expect, it } from 'vitest';
import { add, mul, scalar } from '../src/index.js';

// Seed 001 §2.7–2.8: J = 3(a + b·c) with u = b·c, v = a + u, J = 3v.
describe('the seeds’ computation graph', () => {
  it('J = 3(a + b·c) at a = 5, b = 3, c = 2: J = 33, dJ/da = 3, dJ/db = 6, dJ/dc = 9', () => {
    const a = scalar(5, { requiresGrad: true });
    const b = scalar(3, { requiresGrad: true });
    const c = scalar(2, { requiresGrad: true });
    const u = mul(b, c).retainGrad();
    const v = add(a, u).retainGrad();
    const J = mul(v, 3);
    J.backward();
    expect(u.item()).toBe(6);
    expect(v.item()).toBe(11);
    expect(J.item()).toBe(33);
    expect(v.grad?.item()).toBe(3);
    expect(u.grad?.item()).toBe(3);
    expect(a.grad?.item()).toBe(3);
    expect(b.grad?.item()).toBe(6);
    expect(c.grad?.item()).toBe(9);
  });
});
