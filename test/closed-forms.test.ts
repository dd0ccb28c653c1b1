import { describe, expect, it } from 'vitest';
import { matmul, mul, randn, rand, sub, sum, tensor, traceStep, formatTrace, Sequential, tanh, relu, greater, cast } from '../src/index.js';
import { expectClose } from './helpers.js';

// Seed 003: the vectorized backward pass, written out by hand, against autograd.
describe('autograd equals the seeds’ closed forms', () => {
  const X = randn([4, 6], { seed: 3 });
  const Y = cast(greater(rand([1, 6], { seed: 4 }), 0.5), 'float64');
  const net = new Sequential({ layerSizes: [4, 5, 3, 1], activations: ['tanh', 'relu', 'sigmoid'], seed: 2 });
  const trace = traceStep(net, X, Y);
  const m = 6;
  const [L1, L2, L3] = trace.layers as [typeof trace.layers[0], typeof trace.layers[0], typeof trace.layers[0]];

  it('dZ[L] = A[L] − Y for sigmoid + cross-entropy', () => {
    expectClose(L3.dZ, sub(L3.A, Y).toFlatArray(), 1e-14);
  });

  it('dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ and db[l] = (1/m)·Σ dZ[l]', () => {
    const prev = [X, L1.A, L2.A];
    trace.layers.forEach((t, i) => {
      expectClose(t.dW, mul(matmul(t.dZ, prev[i]!, { transB: true }), 1 / m).toFlatArray(), 1e-14);
      expectClose(t.db, mul(sum(t.dZ, { axis: 1, keepdims: true }), 1 / m).toFlatArray(), 1e-14);
    });
  });

  it('dZ[l] = (W[l+1]ᵀ·dZ[l+1]) * g′(Z[l]) through relu and tanh', () => {
    const dA2 = matmul(L3.W, L3.dZ, { transA: true });
    const reluPrime = greater(L2.Z, 0);
    expectClose(L2.dZ, mul(dA2, reluPrime).toFlatArray(), 1e-14);
    const dA1 = matmul(L2.W, L2.dZ, { transA: true });
    const tanhPrime = sub(1, mul(tanh(L1.Z), tanh(L1.Z)));
    expectClose(L1.dZ, mul(dA1, tanhPrime).toFlatArray(), 1e-14);
    expect(relu(tensor([-1])).item()).toBe(0);
  });

  it('the trace prints every quantity with its shape in the seeds’ notation', () => {
    const text = formatTrace(trace);
    for (const s of ['Z[1]', 'A[3]', 'dZ[3]  (1, 6)', 'dW[1]  (5, 4)', 'db[2]  (3, 1)', 'A[3] − Y', '(1/m)·dZ[2]·A[1]ᵀ']) expect(text).toContain(s);
    expect(trace.cost).toBeCloseTo(net.cost(X, Y).item(), 15);
  });

  it('dZ[L] for softmax with squared error is softmax′(Z[L])ᵀ·2(A[L] − Y) per column, and the trace says so', () => {
    const soft = new Sequential({ layerSizes: [4, 3], activations: ['softmax'], loss: 'squaredError', seed: 5 });
    const Yk = tensor([[1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1]]);
    const t = traceStep(soft, X, Yk).layers[0]!;
    const A = t.A.toArray() as number[][], Yv = Yk.toArray() as number[][];
    // The Jacobian of softmax is diag(a) − a·aᵀ (symmetric): dZ_i = a_i·(g_i − Σ_k a_k·g_k), g = dA.
    const expected: number[][] = [[], [], []];
    for (let j = 0; j < 6; j++) {
      const g = [0, 1, 2].map((i) => 2 * (A[i]![j]! - Yv[i]![j]!));
      const dot = [0, 1, 2].reduce((sum, k) => sum + A[k]![j]! * g[k]!, 0);
      for (let i = 0; i < 3; i++) expected[i]![j] = A[i]![j]! * (g[i]! - dot);
    }
    expectClose(t.dZ, expected.flat(), 1e-14);
    const text = formatTrace(traceStep(soft, X, Yk));
    expect(text).toContain("softmax′(Z[1])ᵀ·2(A[1] − Y), column by column");
    expect(text).not.toContain('2(A[1] − Y) * g′(Z[1])');
  });

  it('tracing leaves parameters and their gradients untouched', () => {
    const before = net.getParameter('W1').toFlatArray();
    traceStep(net, X, Y);
    expect(net.getParameter('W1').toFlatArray()).toEqual(before);
    expect(net.getParameter('W1').grad).toBeNull();
  });
});
