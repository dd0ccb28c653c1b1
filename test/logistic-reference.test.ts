import { describe, expect, it } from 'vitest';
import { LogisticRegression, gradientDescent, tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

// ../shared/REFERENCE-RESULTS.md, "Small check of one propagation step".
describe('logistic regression reproduces the course’s small check (float64)', () => {
  const setup = () => {
    const model = new LogisticRegression(2);
    model.w.data.set([1, 2]);
    model.b.data[0] = 2;
    return { model, X: tensor([[1, 2], [3, 4]]), Y: tensor([[1, 0]]) };
  };

  it('one propagation: dw, db and the cost', () => {
    const { model, X, Y } = setup();
    const J = model.cost(X, Y);
    J.backward();
    expect(model.w.grad?.shape).toEqual([2, 1]);
    expectClose(model.w.grad!, [[0.99993216], [1.99980262]], 1e-8);
    expect(Math.abs(model.b.grad!.item() - 0.49993523062470574)).toBeLessThan(1e-9);
    expect(Math.abs(J.item() - 6.000064773192205)).toBeLessThan(1e-9);
  });

  it('100 iterations at learning rate 0.009: w and b', () => {
    const { model, X, Y } = setup();
    gradientDescent(model, X, Y, { learningRate: 0.009, iterations: 100 });
    expectClose(model.w, [[0.1124579], [0.23106775]], 1e-8);
    expect(Math.abs(model.b.item() - 1.5593049248448891)).toBeLessThan(1e-9);
  });

  it('dw equals the closed form (1/m)·X·(A − Y)ᵀ and db = (1/m)·Σ(A − Y)', () => {
    const { model, X, Y } = setup();
    model.cost(X, Y).backward();
    const A = model.predictProba(X).toFlatArray();
    const dZ = A.map((a, j) => a - Y.data[j]!);
    const m = 2;
    const dw = [0, 1].map((i) => (X.data[i * m]! * dZ[0]! + X.data[i * m + 1]! * dZ[1]!) / m);
    expectClose(model.w.grad!, dw, 1e-15);
    expect(model.b.grad!.item()).toBeCloseTo((dZ[0]! + dZ[1]!) / m, 15);
  });
});
