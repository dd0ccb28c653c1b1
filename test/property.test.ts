import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, div, exp, gradCheck, matmul, max, maximum, mean, mul, sigmoid, softplus, square, sub, sum, tanh, tensor, Tensor,
  Sequential, type ActivationName,
} from '../src/index.js';
import { loadModel, saveModel } from '../src/io/model-file.js';

// Seeded, bounded property tests: fast-check draws shapes and values, a naive reference
// written with plain loops says what the answer must be.
const SEED = 20261121;
const params = { seed: SEED, numRuns: 300 };

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 3 });
const finite = fc.double({ min: -10, max: 10, noNaN: true });

function filled(shape: number[], values: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, (_, i) => values[i % values.length] ?? 0.5), { shape });
}

/** Two shapes that broadcast: each dimension of b is a's or 1, and b may have fewer dims. */
const broadcastPair = shapeArb.chain((a) =>
  fc.tuple(fc.constant(a), fc.tuple(...a.map((d) => fc.constantFrom(d, 1))).chain((b) => fc.integer({ min: 0, max: b.length }).map((drop) => b.slice(drop)))),
);

function naiveBroadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number): number[] {
  const rank = Math.max(a.rank, b.rank);
  const shape = Array.from({ length: rank }, (_, i) => Math.max(a.shape[a.rank - rank + i] ?? 1, b.shape[b.rank - rank + i] ?? 1));
  const size = shape.reduce((p, q) => p * q, 1);
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    const idx: number[] = [];
    let r = flat;
    for (let d = rank - 1; d >= 0; d--) { idx[d] = r % shape[d]!; r = Math.floor(r / shape[d]!); }
    const read = (t: Tensor): number => {
      let off = 0, stride = 1;
      for (let d = t.rank - 1; d >= 0; d--) {
        const i = t.shape[d] === 1 ? 0 : idx[d + rank - t.rank]!;
        off += i * stride; stride *= t.shape[d]!;
      }
      return t.data[off]!;
    };
    out.push(f(read(a), read(b)));
  }
  return out;
}

describe('properties (fast-check, seeded)', () => {
  it('broadcasting add/sub/mul/maximum equal a naive index-by-index reference', () => {
    fc.assert(fc.property(broadcastPair, fc.array(finite, { minLength: 1, maxLength: 20 }), ([sa, sb], values) => {
      const a = filled(sa, values), b = filled(sb, values.slice().reverse());
      expect(add(a, b).toFlatArray()).toEqual(naiveBroadcast(a, b, (x, y) => x + y));
      expect(sub(b, a).toFlatArray()).toEqual(naiveBroadcast(b, a, (x, y) => x - y));
      expect(mul(a, b).toFlatArray()).toEqual(naiveBroadcast(a, b, (x, y) => x * y));
      expect(maximum(a, b).toFlatArray()).toEqual(naiveBroadcast(a, b, (x, y) => Math.max(x, y)));
    }), params);
  });

  it('sum, mean and max over any axis equal loops', () => {
    fc.assert(fc.property(fc.array(dim, { minLength: 1, maxLength: 3 }), fc.array(finite, { minLength: 1, maxLength: 30 }), fc.nat(), (shape, values, pick) => {
      const x = filled(shape, values);
      const axis = pick % shape.length;
      const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1), len = shape[axis]!, inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const sums: number[] = [], maxes: number[] = [];
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
        let s = 0, m = -Infinity;
        for (let r = 0; r < len; r++) { const v = x.data[(o * len + r) * inner + i]!; s += v; m = Math.max(m, v); }
        sums.push(s); maxes.push(m);
      }
      sum(x, { axis }).toFlatArray().forEach((v, k) => expect(v).toBeCloseTo(sums[k]!, 10));
      mean(x, { axis }).toFlatArray().forEach((v, k) => expect(v).toBeCloseTo(sums[k]! / len, 10));
      expect(max(x, { axis }).toFlatArray()).toEqual(maxes);
    }), params);
  });

  it('matmul with any transposes equals the triple loop', () => {
    const sizes = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 9 }));
    fc.assert(fc.property(sizes, fc.boolean(), fc.boolean(), fc.array(finite, { minLength: 1, maxLength: 50 }), ([M, K, N], tA, tB, values) => {
      const A = filled([M, K], values), B = filled([K, N], values.slice().reverse());
      const expected: number[] = [];
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let s = 0; for (let p = 0; p < K; p++) s += A.data[i * K + p]! * B.data[p * N + j]!; expected.push(s); }
      const a = tA ? tensor(Array.from({ length: K * M }, (_, q) => A.data[(q % M) * K + Math.floor(q / M)]!), { shape: [K, M] }) : A;
      const b = tB ? tensor(Array.from({ length: N * K }, (_, q) => B.data[(q % K) * N + Math.floor(q / K)]!), { shape: [N, K] }) : B;
      matmul(a, b, { transA: tA, transB: tB }).toFlatArray().forEach((v, k) => expect(Math.abs(v - expected[k]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(expected[k]!))));
    }), { ...params, numRuns: 200 });
  });

  it('autograd on random expression graphs agrees with central differences (float64)', () => {
    type Node = (x: Tensor, y: Tensor) => Tensor;
    const ops: Node[] = [
      (x, y) => add(x, y), (x, y) => sub(x, y), (x, y) => mul(x, y), (x, y) => div(x, add(square(y), 1)),
      (x) => tanh(x), (x) => sigmoid(x), (x) => softplus(x), (x, y) => mul(exp(mul(x, 0.1)), y),
    ];
    fc.assert(fc.property(fc.array(fc.nat({ max: ops.length - 1 }), { minLength: 1, maxLength: 8 }), fc.array(finite, { minLength: 6, maxLength: 6 }), (program, values) => {
      const a = tensor([values.slice(0, 3).map((v) => v / 5)], { requiresGrad: true });
      const b = tensor([[values[3]! / 5], [values[4]! / 5]], { requiresGrad: true }); // (2, 1) broadcasts against (1, 3)
      const f = (): Tensor => {
        let x: Tensor = a, y: Tensor = b;
        for (const k of program) [x, y] = [ops[k]!(x, y), x];
        return sum(mul(x, 1.5));
      };
      const report = gradCheck(f, new Map([['a', a], ['b', b]]));
      // Random graphs saturate (sigmoid of 10) and make gradients tiny next to J, where the
      // relative difference only measures the difference quotient's rounding (≈ 1e-16·|J|/ε).
      // So compare element-wise against that noise scale: a wrong rule misses by orders more.
      const J = Math.abs(f().item());
      for (const e of report.entries) {
        e.analytic.forEach((g, i) => expect(Math.abs(g - e.numeric[i]!), e.name).toBeLessThanOrEqual(1e-6 * (1 + J)));
      }
    }), { ...params, numRuns: 200 });
  });

  it('save → load round trips random networks bit for bit', () => {
    const acts: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }), fc.constantFrom<'float32' | 'float64'>('float32', 'float64'), fc.nat(), fc.nat({ max: 4 }), (sizes, dtype, seed, act) => {
      const L = sizes.length - 1;
      const net = new Sequential({ layerSizes: sizes, activations: [...Array<ActivationName>(L - 1).fill(acts[act]!), 'sigmoid'], dtype, seed });
      const { model } = loadModel(saveModel(net));
      const X = filled([sizes[0]!, 5], [0.3, -1.2, 2.5, 0.7]);
      const Xd = dtype === 'float32' ? tensor(X.data, { shape: X.shape, dtype }) : X;
      expect(model.predictProba(Xd).toFlatArray()).toEqual(net.predictProba(Xd).toFlatArray());
    }), { ...params, numRuns: 100 });
  });
});
