import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Adam,
  fit,
  GradientDescent,
  LogisticRegression,
  getBackend,
  gradientDescent,
  listBackends,
  Sequential,
  setBackend,
  Tensor,
  useCompiledSteps,
  type ActivationName,
  type DType,
  type LossName,
} from '../src/index.js';
import { decode, tryCreateWasmBackend, wasmFeatures } from '../src/backend/wasm/index.js';
import { helperJobs } from '../src/backend/wasm/threads.js';
import type { ProgramRule } from '../src/backend/backend.js';
import { adamUpdate, BaseOptimizer, momentumUpdate, Momentum, rmspropUpdate, RMSprop, type OptimizerState } from '../src/optim/index.js';
import { adamScalars } from '../src/optim/rules.js';
import { transposeMatrix } from '../src/ops/transpose.js';
import type { TypedArray } from '../src/tensor/dtype.js';
import { SIMD_WASM_BASE64 } from '../src/backend/wasm/kernels.generated.js';

// The compiled dense step (src/backend/wasm/dense-program.ts, src/train/compiled.ts) against the
// autograd path it replaces: float64 bit for bit, float32 to rounding; its SIMD activations
// against Math; and its one promise about memory — steps do not allocate.

const programBackends = listBackends().filter((name) => {
  setBackend(name);
  return typeof getBackend().compileDense === 'function';
});
setBackend('cpu');
const initial = listBackends().includes('wasm') ? 'wasm' : 'cpu';

afterEach(() => {
  useCompiledSteps(true);
  setBackend(initial);
});

/** A small seeded problem: X uniform in [−2, 2), Y random 0/1 labels or one-hot columns. */
function problem(n0: number, nL: number, m: number, oneHot: boolean, dtype: DType): { X: Tensor; Y: Tensor } {
  let s = 12345;
  const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const X = new Float64Array(n0 * m).map(() => r() * 4 - 2);
  const Y = new Float64Array(nL * m);
  for (let j = 0; j < m; j++) {
    if (oneHot) Y[Math.floor(r() * nL) * m + j] = 1;
    else for (let i = 0; i < nL; i++) Y[i * m + j] = r() > 0.5 ? 1 : 0;
  }
  const make = (a: Float64Array, shape: number[]): Tensor => new Tensor(dtype === 'float32' ? Float32Array.from(a) : a, shape);
  return { X: make(X, [n0, m]), Y: make(Y, [nL, m]) };
}

interface Case {
  sizes: number[];
  activations: ActivationName[];
  loss?: LossName;
}

const CASES: Case[] = [
  { sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'] },
  { sizes: [5, 7, 6, 3], activations: ['relu', 'leakyRelu', 'softmax'] },
  { sizes: [3, 5, 4, 2], activations: ['sigmoid', 'linear', 'sigmoid'] },
  { sizes: [3, 6, 2], activations: ['tanh', 'linear'], loss: 'squaredError' },
  { sizes: [3, 6, 2], activations: ['relu', 'sigmoid'], loss: 'squaredError' },
  // Wide enough that X is packed from several staged slabs of rows (dense-program.ts): 2300 rows
  // are 9 slices of 256, the last one partial.
  { sizes: [2300, 6, 1], activations: ['relu', 'sigmoid'] },
  // dW[1] = dZ[1]·Xᵀ from the one packed copy, its 16 slices of 256 columns transposed in turn
  // (asm/gemm.ts, gemmF*PackedT), and, at 30·4000·37 ≥ 2^22 multiply-adds, split between the
  // threads on wasm-threads, which take its columns in blocks from a shared counter.
  { sizes: [4000, 30, 1], activations: ['relu', 'sigmoid'] },
  // Z[1] = W[1]·X of 64 rows (64·37·2000 ≥ 2^22): on wasm-threads its rows are taken in blocks.
  { sizes: [2000, 64, 3], activations: ['tanh', 'softmax'] },
];

/**
 * Costs and final parameters of a gradient-descent run, of an Adam mini-batch fit, and of a
 * shuffled plain-GD mini-batch fit (whose update the program makes itself).
 */
function train(c: Case, dtype: DType, compiled: boolean): { costs: number[]; params: number[][]; fitCosts: number[]; fitParams: number[][]; adamState: OptimizerState; gdParams: number[][]; accuracy: number[]; running: { cost: number[]; accuracy: number[]; valCost: number[]; valAccuracy: number[] } } {
  useCompiledSteps(compiled);
  const oneHot = c.activations[c.activations.length - 1] === 'softmax';
  const { X, Y } = problem(c.sizes[0]!, c.sizes[c.sizes.length - 1]!, 37, oneHot, dtype);
  const options = { layerSizes: c.sizes, activations: c.activations, seed: 3, dtype, ...(c.loss ? { loss: c.loss } : {}) };
  const net = new Sequential(options);
  const { costs } = gradientDescent(net, X, Y, { learningRate: 0.1, iterations: 40 });
  const net2 = new Sequential(options);
  const adam = new Adam({ learningRate: 0.01 });
  const history = fit(net2, X, Y, { batchSize: 8, epochs: 3, optimizer: adam, seed: 2 });
  const net3 = new Sequential(options);
  const gd = fit(net3, X, Y, { batchSize: 10, epochs: 2, optimizer: new GradientDescent({ learningRate: 0.05 }), seed: 4 });
  const values = (n: Sequential): number[][] => [...n.parameters().values()].map((p) => Array.from(p.data));
  // fit's training accuracy at each epoch's end (the compiled path computes it by the program's
  // forward pass in batches, autograd by predict on all of X).
  const accuracy = [...history.accuracy, ...gd.accuracy];
  // The same Adam run with the running training accuracy: each batch's (37 = 4·8 + 5, shuffled),
  // on the compiled path from the step's own output. And validation data of 23 samples, which
  // the compiled path evaluates in batches of 8, 8 and 7.
  const validationData = problem(c.sizes[0]!, c.sizes[c.sizes.length - 1]!, 23, oneHot, dtype);
  const running = fit(new Sequential(options), X, Y, { batchSize: 8, epochs: 3, optimizer: new Adam({ learningRate: 0.01 }), seed: 2, trainAccuracy: 'running', validationData });
  return { costs, params: values(net), fitCosts: history.cost, fitParams: values(net2), adamState: adam.state(), gdParams: values(net3), accuracy, running };
}

const costs32Close = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 2e-6 * Math.max(1, Math.abs(v)));

describe('compiled dense steps', () => {
  it('are offered by the WASM backends', () => {
    if (tryCreateWasmBackend()) expect(programBackends).toContain('wasm');
  });

  for (const name of programBackends) {
    describe(`on ${name}`, () => {
      for (const c of CASES) {
        const label = `[${c.sizes.join(', ')}] ${c.activations.join('/')}${c.loss ? ` ${c.loss}` : ''}`;

        it(`float64 ${label}: bit for bit the autograd path (gradient descent and Adam mini-batches)`, () => {
          setBackend(name);
          const graph = train(c, 'float64', false);
          const fast = train(c, 'float64', true);
          expect(fast.costs).toEqual(graph.costs);
          expect(fast.params).toEqual(graph.params);
          expect(fast.fitCosts).toEqual(graph.fitCosts);
          expect(fast.fitParams).toEqual(graph.fitParams);
          // Adam's m and v, kept in the program's memory on the compiled path, and its step counts.
          expect(fast.adamState).toEqual(graph.adamState);
          expect(fast.gdParams).toEqual(graph.gdParams);
          expect(fast.accuracy).toEqual(graph.accuracy);
          // fit measures accuracy for the classification losses.
          expect(fast.accuracy.length > 0).toBe(c.loss !== 'squaredError');
          // Measuring the running accuracy changes nothing in the training, and both paths
          // measure the same.
          expect(fast.running.cost).toEqual(fast.fitCosts);
          expect(fast.running.accuracy).toEqual(graph.running.accuracy);
          expect(fast.running.valCost).toEqual(graph.running.valCost);
          expect(fast.running.valAccuracy).toEqual(graph.running.valAccuracy);
          expect(fast.running.valCost).toHaveLength(3);
          expect(fast.running.accuracy.length).toBe(fast.accuracy.length === 0 ? 0 : 3);
        });

        it(`float32 ${label}: the autograd path's figures to float32 rounding`, () => {
          setBackend(name);
          const graph = train(c, 'float32', false);
          const fast = train(c, 'float32', true);
          fast.costs.forEach((v, i) => expect(Math.abs(v - graph.costs[i]!)).toBeLessThan(2e-6 * Math.max(1, Math.abs(v))));
          // The largest difference per parameter (one expect per array: [4000, 30, 1] has 120,000).
          const worst = (a: number[][], b: number[][]): number[] => a.map((w, i) => w.reduce((m, v, k) => Math.max(m, Math.abs(v - b[i]![k]!)), 0));
          for (const d of [...worst(fast.params, graph.params), ...worst(fast.fitParams, graph.fitParams), ...worst(fast.gdParams, graph.gdParams)]) {
            expect(d).toBeLessThan(2e-6);
          }
          // At most one of the 37 samples on the other side of the threshold.
          fast.accuracy.forEach((v, i) => expect(Math.abs(v - graph.accuracy[i]!)).toBeLessThanOrEqual(100 / 37 + 1e-9));
          expect(fast.running.cost).toEqual(fast.fitCosts);
          fast.running.accuracy.forEach((v, i) => expect(Math.abs(v - graph.running.accuracy[i]!)).toBeLessThanOrEqual(100 / 37 + 1e-9));
          expect(costs32Close(fast.running.valCost, graph.running.valCost)).toBe(true);
          fast.running.valAccuracy.forEach((v, i) => expect(Math.abs(v - graph.running.valAccuracy[i]!)).toBeLessThanOrEqual(100 / 23 + 1e-9));
        });
      }

      it('LogisticRegression: the one-layer program, float64 bit for bit the autograd path, float32 to rounding', () => {
        setBackend(name);
        const run = (compiled: boolean, dtype: DType): { costs: number[]; w: number[]; b: number[]; fitCosts: number[]; accuracy: number[]; grad: Tensor | null } => {
          useCompiledSteps(compiled);
          const { X, Y } = problem(700, 1, 41, false, dtype);
          const lr = new LogisticRegression(700, { dtype });
          const { costs } = gradientDescent(lr, X, Y, { learningRate: 0.01, iterations: 30 });
          const lr2 = new LogisticRegression(700, { dtype });
          const history = fit(lr2, X, Y, { batchSize: 16, epochs: 3, optimizer: new Adam({ learningRate: 0.01 }), seed: 5 });
          return { costs, w: Array.from(lr.w.data), b: Array.from(lr.b.data), fitCosts: history.cost, accuracy: history.accuracy, grad: lr.w.grad };
        };
        const graph = run(false, 'float64');
        const fast = run(true, 'float64');
        expect(fast.costs).toEqual(graph.costs);
        expect(fast.w).toEqual(graph.w);
        expect(fast.b).toEqual(graph.b);
        expect(fast.fitCosts).toEqual(graph.fitCosts);
        expect(fast.accuracy).toEqual(graph.accuracy);
        // The program really ran: dw is a view of its gradient buffer, shaped as w, the same
        // tensor after another step (the autograd path makes a new one every step).
        expect(fast.grad?.shape).toEqual([700, 1]);
        useCompiledSteps(true);
        const { X, Y } = problem(700, 1, 41, false, 'float64');
        const lr = new LogisticRegression(700);
        gradientDescent(lr, X, Y, { learningRate: 0.01, iterations: 1 });
        const dw = lr.w.grad;
        gradientDescent(lr, X, Y, { learningRate: 0.01, iterations: 1 });
        expect(lr.w.grad).toBe(dw);
        expect(costs32Close(run(true, 'float32').costs, run(false, 'float32').costs)).toBe(true);
      });

      it('descendChecked: the update of descend, and in the same pass the first non-finite gradient (nothing changed) or result', () => {
        setBackend(name);
        for (const dtype of ['float32', 'float64'] as const) {
          const sizes = [37, 6, 3, 1];
          const program = getBackend().compileDense!({ sizes, activations: ['relu', 'tanh', 'sigmoid'], loss: 'binaryCrossEntropy', dtype, capacity: 11 })!;
          const { X, Y } = problem(37, 1, 11, false, dtype);
          const make = (n: number, f: (k: number) => number): Float32Array | Float64Array => {
            const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
            for (let k = 0; k < n; k++) a[k] = f(k);
            return a;
          };
          const initial = [1, 2, 3].map((l) => ({
            W: make(sizes[l]! * sizes[l - 1]!, (k) => Math.sin(k + l) * 0.5),
            b: make(sizes[l]!, (k) => Math.cos(k * l) * 0.1),
          }));
          const fresh = (): { W: Float32Array | Float64Array; b: Float32Array | Float64Array }[] => initial.map(({ W, b }) => ({ W: W.slice(), b: b.slice() }));
          const stepFrom = (params: ReturnType<typeof fresh>): void => {
            params.forEach(({ W, b }, i) => program.loadParameters(i + 1, W, b));
            program.loadBatch(X.data, Y.data, 11, null, 0, 11);
            program.step();
          };
          // Finite: exactly descend's update, written back; −1.
          const plain = fresh();
          stepFrom(plain);
          plain.forEach(({ W, b }, i) => program.descend(i + 1, 0.3, W, b));
          const checked = fresh();
          stepFrom(checked);
          expect(program.descendChecked(0.3, checked)).toBe(-1);
          expect(checked).toEqual(plain);
          expect(checked[0]!.W).not.toEqual(initial[0]!.W);
          // A NaN in db2 (k = 3) and an Inf in dW3 (k = 4): 2·3, nothing changed, in the arrays
          // or in the program (the next step's gradients are those of the initial parameters).
          for (const [l, which, value] of [[2, 'db', Number.NaN], [3, 'dW', Infinity], [1, 'dW', -Infinity]] as const) {
            const params = fresh();
            stepFrom(params);
            const expectedGradients = [1, 2, 3].map((m) => Array.from(program.gradients(m).dW));
            program.gradients(l)[which][1] = value;
            const k = 2 * (l - 1) + (which === 'db' ? 1 : 0);
            expect(program.descendChecked(0.3, params), `${dtype} ${which}${l}`).toBe(2 * k);
            expect(params).toEqual(initial);
            program.loadBatch(X.data, Y.data, 11, null, 0, 11);
            program.step();
            expect([1, 2, 3].map((m) => Array.from(program.gradients(m).dW))).toEqual(expectedGradients);
          }
          // A finite gradient whose update overflows W2: 2·2 + 1, the update made and written back.
          const params = fresh();
          stepFrom(params);
          params[1]!.W[4] = dtype === 'float32' ? 3e38 : 1.7e308;
          program.loadParameters(2, params[1]!.W, params[1]!.b);
          program.gradients(2).dW[4] = dtype === 'float32' ? -3e38 : -1.7e308;
          expect(program.descendChecked(1, params), dtype).toBe(2 * 2 + 1);
          expect(params[1]!.W[4]).toBe(Infinity);
          expect(params[0]!.W).not.toEqual(initial[0]!.W);
        }
      });

      it('a shuffled batch gathered from X with its samples as rows: the same step, bit for bit, as from X itself', () => {
        setBackend(name);
        // 37 rows unpacked into X's buffer, 2300 staged in slabs of 256 rows; batches of 4k + 3
        // columns (the four-at-a-time loop and its tail) and a batch of 2 (too small to pack).
        for (const [n0, m, capacity] of [[37, 50, 23], [2300, 40, 11]] as const) {
          for (const dtype of ['float32', 'float64'] as const) {
            const sizes = [n0, 5, 1];
            const program = getBackend().compileDense!({ sizes, activations: ['tanh', 'sigmoid'], loss: 'binaryCrossEntropy', dtype, capacity })!;
            const { X, Y } = problem(n0, 1, m, false, dtype);
            const byRow = transposeMatrix(X.data, n0, m);
            const values = (n: number, f: (k: number) => number): TypedArray => {
              const a = Array.from({ length: n }, (_, k) => f(k));
              return dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a);
            };
            program.loadParameters(1, values(5 * n0, (k) => Math.sin(k) * 0.1), values(5, (k) => k * 0.01));
            program.loadParameters(2, values(5, (k) => Math.cos(k)), values(1, () => 0.2));
            const columns = Array.from({ length: m }, (_, j) => (j * 17 + 5) % m);
            const run = (rows: TypedArray | null, start: number, size: number): number[][] => {
              program.loadBatch(X.data, Y.data, m, columns, start, size, false, rows);
              const J = program.step();
              return [[J], ...[1, 2].map((l) => Array.from(program.gradients(l).dW))];
            };
            for (const [start, size] of [[0, capacity], [capacity, 2], [m - 4, 4]] as const) {
              expect(run(byRow, start, size), `${n0} ${dtype} ${start}+${size}`).toEqual(run(null, start, size));
            }
          }
        }
      });

      it('float64: a last mini-batch too small to pack (3 columns) after packed ones, bit for bit the autograd path', () => {
        setBackend(name);
        const run = (compiled: boolean): number[][] => {
          useCompiledSteps(compiled);
          const { X, Y } = problem(600, 1, 39, false, 'float64');
          const net = new Sequential({ layerSizes: [600, 5, 1], activations: ['tanh', 'sigmoid'], seed: 7 });
          const { cost } = fit(net, X, Y, { batchSize: 12, epochs: 3, optimizer: new GradientDescent({ learningRate: 0.05 }), seed: 1 });
          return [cost, ...[...net.parameters().values()].map((p) => Array.from(p.data))];
        };
        expect(run(true)).toEqual(run(false));
      });

      it('really runs the program: its gradients are views that persist across steps', () => {
        setBackend(name);
        const { X, Y } = problem(2, 1, 50, false, 'float32');
        const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1, dtype: 'float32' });
        gradientDescent(net, X, Y, { learningRate: 0.5, iterations: 2 });
        const first = net.getParameter('W1').grad;
        gradientDescent(net, X, Y, { learningRate: 0.5, iterations: 2 });
        expect(net.getParameter('W1').grad).toBe(first);
        expect(first!.data.buffer).not.toBe(net.getParameter('W1').data.buffer);
      });

      it('names the layer when training diverges', () => {
        setBackend(name);
        const { X, Y } = problem(2, 1, 50, false, 'float64');
        // (relu would hide a NaN: max(NaN, 0) is 0 in the course's formula, as in the reference.)
        const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
        net.getParameter('W1').data[0] = Number.NaN;
        expect(() => gradientDescent(net, X, Y, { learningRate: 0.5, iterations: 3 })).toThrow(/iteration 0.*NaN.*layer 1/);
        const net2 = new Sequential({ layerSizes: [2, 4, 1], activations: ['relu', 'sigmoid'], seed: 1 });
        net2.getParameter('b2').data[0] = Number.POSITIVE_INFINITY;
        expect(() => fit(net2, X, Y, { batchSize: 10, epochs: 1 })).toThrow(/epoch 0, batch 0/);
      });
    });
  }

  it('float32 and float64 on two threads: bit for bit the one-thread program (the split products sum each element as one thread does)', () => {
    if (!programBackends.includes('wasm') || !programBackends.includes('wasm-threads')) return;
    // float64's full batches keep X packed for dW[1] too (transposedCopy), whose product the
    // threads split by rows; float32's transpose a block of the forward copy at a time.
    const c = CASES[CASES.length - 1]!;
    for (const dtype of ['float32', 'float64'] as const) {
      setBackend('wasm');
      const one = train(c, dtype, true);
      setBackend('wasm-threads');
      const two = train(c, dtype, true);
      expect(two.costs, dtype).toEqual(one.costs);
      expect(two.fitCosts, dtype).toEqual(one.fitCosts);
      expect(two.params, dtype).toEqual(one.params);
      expect(two.gdParams, dtype).toEqual(one.gdParams);
    }
  });

  it('float32 on two threads, MNIST\'s shapes: bit for bit one thread where Z[1]\'s rows go out a tile at a time', async () => {
    // Z[1] = W[1]·X of 128×784·784×64 (≥ 2^22 multiply-adds) with X packed in 200 KiB, which
    // stays in L2: the threads take its rows in blocks as small as one 6-row tile, the last
    // partial tile (128 = 21·6 + 2) with the block before it (SplitGemm.gemmPacked, takeRows).
    if (!programBackends.includes('wasm') || !programBackends.includes('wasm-threads')) return;
    const { X, Y } = problem(784, 10, 200, true, 'float32');
    // The program starts its helper at its first large product: a first fit starts it, and the
    // one compared comes after the worker has had time to boot.
    const run = async (): Promise<{ params: number[][]; helped: boolean }> => {
      const net = new Sequential({ layerSizes: [784, 128, 10], activations: ['relu', 'softmax'], seed: 3, dtype: 'float32' });
      const options = { batchSize: 64, epochs: 2, optimizer: new GradientDescent({ learningRate: 0.1 }), seed: 2 };
      fit(net, X, Y, options);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const jobs = helperJobs();
      fit(net, X, Y, options);
      return { params: [...net.parameters().values()].map((p) => Array.from(p.data)), helped: helperJobs() > jobs };
    };
    useCompiledSteps(true);
    setBackend('wasm');
    const one = await run();
    setBackend('wasm-threads');
    const two = await run();
    expect(two.helped).toBe(true);
    // The first element that differs, if any (vitest's diff of 100,000 numbers would take minutes).
    const differs = two.params.flatMap((p, i) => {
      const at = p.findIndex((v, k) => !Object.is(v, one.params[i]![k]));
      return at < 0 ? [] : [`parameter ${i}, element ${at}: ${p[at]}, not ${one.params[i]![at]}`];
    });
    expect(differs).toEqual([]);
  });

  it('float64 full batch deeper than one packed slice (m = 300 > 256) over two slabs of X (1100 rows): bit for bit the autograd path', () => {
    // The second packed copy of X (transposedCopy) is then several 256-deep slices per block of
    // 1024 of Xᵀ's columns, each slab's block packed in its own place.
    if (!programBackends.includes('wasm')) return;
    const { X, Y } = problem(1100, 1, 300, false, 'float64');
    const run = (compiled: boolean): { costs: number[]; params: number[][] } => {
      useCompiledSteps(compiled);
      const net = new Sequential({ layerSizes: [1100, 5, 1], activations: ['relu', 'sigmoid'], seed: 7 });
      const { costs } = gradientDescent(net, X, Y, { learningRate: 0.05, iterations: 6 });
      return { costs, params: [...net.parameters().values()].map((p) => Array.from(p.data)) };
    };
    for (const name of programBackends) {
      setBackend(name);
      const fast = run(true), graph = run(false);
      expect(fast.costs, name).toEqual(graph.costs);
      expect(fast.params, name).toEqual(graph.params);
    }
  });

  it('L2 regularization and gradient clipping in fit: float64 bit for bit the autograd path, float32 to rounding, on the program', () => {
    if (!programBackends.includes('wasm')) return;
    setBackend('wasm');
    for (const dtype of ['float64', 'float32'] as const) {
      const { X, Y } = problem(300, 1, 37, false, dtype);
      const run = (compiled: boolean): { costs: number[]; params: number[][]; viewed: boolean } => {
        useCompiledSteps(compiled);
        const net = new Sequential({ layerSizes: [300, 6, 3, 1], activations: ['relu', 'tanh', 'sigmoid'], seed: 5, dtype });
        const lr = new LogisticRegression(300, { dtype });
        const costs = [
          ...fit(net, X, Y, { batchSize: 8, epochs: 3, l2: 0.7, seed: 3 }).cost,
          ...fit(net, X, Y, { batchSize: 37, epochs: 4, l2: 0.3, clipNorm: 0.05, optimizer: new GradientDescent({ learningRate: 0.1 }) }).cost,
          ...fit(net, X, Y, { batchSize: 10, epochs: 2, clipNorm: 0.01, optimizer: new Adam({ learningRate: 0.01 }), seed: 4 }).cost,
          ...fit(lr, X, Y, { batchSize: 16, epochs: 3, l2: 0.5, clipNorm: 0.2, seed: 6 }).cost,
        ];
        const params = [...net.parameters().values(), ...lr.parameters().values()];
        // On the program, the gradients are views of its memory (larger than any one of them).
        const viewed = params.every((p) => p.grad !== null && p.grad.data.buffer.byteLength > p.grad.data.byteLength);
        return { costs, params: params.map((p) => Array.from(p.data)), viewed };
      };
      const graph = run(false), fast = run(true);
      expect(fast.viewed && !graph.viewed, dtype).toBe(true);
      if (dtype === 'float64') {
        expect(fast.costs).toEqual(graph.costs);
        expect(fast.params).toEqual(graph.params);
      } else {
        fast.costs.forEach((v, i) => expect(Math.abs(v - graph.costs[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
        fast.params.forEach((w, i) => expect(Math.max(...w.map((v, k) => Math.abs(v - graph.params[i]![k]!)))).toBeLessThan(1e-5));
      }
      // The penalty is really there: a larger λ gives a larger cost on the same step.
      useCompiledSteps(true);
      const J = (l2: number): number => fit(new Sequential({ layerSizes: [300, 6, 3, 1], activations: ['relu', 'tanh', 'sigmoid'], seed: 5, dtype }), X, Y, { batchSize: 37, epochs: 1, l2, shuffle: false }).cost[0]!;
      expect(J(5) - J(0), dtype).toBeGreaterThan(0.01);
    }
  });

  it('leaves networks it does not cover (softmax hidden layers) to autograd, with the same results either way', () => {
    const { X, Y } = problem(3, 2, 30, true, 'float64');
    const run = (compiled: boolean): number[] => {
      useCompiledSteps(compiled);
      const b = new Sequential({ layerSizes: [3, 5, 2], activations: ['softmax', 'softmax'], seed: 4 });
      const c = new Sequential({ layerSizes: [3, 5, 2], activations: ['tanh', 'softmax'], seed: 4 });
      return [
        ...gradientDescent(b, X, Y, { learningRate: 0.1, iterations: 5 }).costs,
        ...fit(c, X, Y, { batchSize: 10, epochs: 2, l2: 0.1, clipNorm: 0.5 }).cost,
      ];
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe('dropout in a compiled step', () => {
  // Each hidden activation once (sigmoid and tanh take g′ from A, so the step must keep A[l]
  // apart from A[l]·D[l]), and a first layer wide enough that X is packed from staged slabs.
  const cases: Case[] = [
    { sizes: [5, 7, 6, 3], activations: ['relu', 'sigmoid', 'softmax'] },
    { sizes: [4, 6, 5, 1], activations: ['tanh', 'leakyRelu', 'sigmoid'] },
    { sizes: [1500, 40, 2], activations: ['relu', 'linear'], loss: 'squaredError' },
  ];
  const run = (c: Case, dtype: DType, compiled: boolean) => {
    useCompiledSteps(compiled);
    const oneHot = c.activations[c.activations.length - 1] === 'softmax';
    const nL = c.sizes[c.sizes.length - 1]!;
    const { X, Y } = problem(c.sizes[0]!, nL, 37, oneHot, dtype);
    const validationData = problem(c.sizes[0]!, nL, 23, oneHot, dtype);
    const make = (): Sequential => new Sequential({ layerSizes: c.sizes, activations: c.activations, seed: 3, dtype, dropout: 0.3, ...(c.loss ? { loss: c.loss } : {}) });
    const values = (n: Sequential): number[][] => [...n.parameters().values()].map((p) => Array.from(p.data));
    // Shuffled mini-batches with Adam and L2, validation, the training accuracy at each epoch's end.
    const a = make();
    const adam = fit(a, X, Y, { batchSize: 8, epochs: 3, optimizer: new Adam({ learningRate: 0.01 }), seed: 2, validationData, l2: 0.05 });
    // Plain gradient descent in order with clipping, and the running accuracy: predicted before
    // each step without dropout, as the autograd path measures it.
    const b = make();
    const learningRate = c.sizes[0]! > 100 ? 0.001 : 0.05;
    const gd = fit(b, X, Y, { batchSize: 10, epochs: 2, shuffle: false, learningRate, trainAccuracy: 'running', clipNorm: 0.5 });
    const grad = b.layers[0]!.W.grad;
    fit(b, X, Y, { batchSize: 10, epochs: 1, learningRate });
    // Full-batch gradient descent (the course's loop) with training mode switched on by hand:
    // masks on every iteration, as the graph draws them.
    const d = make();
    d.training = true;
    const full = gradientDescent(d, X, Y, { learningRate, iterations: 6 }).costs;
    return { adam, gd, full, params: [...values(a), ...values(b), ...values(d)], sameGrad: b.layers[0]!.W.grad === grad };
  };

  for (const name of programBackends) {
    for (const c of cases) {
      const label = `on ${name}, [${c.sizes.join(', ')}] ${c.activations.join('/')}`;
      it(`${label}: the masks of the autograd path, float64 bit for bit, float32 to rounding`, () => {
        setBackend(name);
        for (const dtype of ['float64', 'float32'] as const) {
          const graph = run(c, dtype, false);
          const fast = run(c, dtype, true);
          // The program really ran (its gradient buffers are the same tensors step after step),
          // and the autograd path did not.
          expect(fast.sameGrad, dtype).toBe(true);
          expect(graph.sameGrad, dtype).toBe(false);
          // The largest difference between the two runs' parameters (not toEqual: a failure's
          // diff of 60,000 numbers takes minutes to print).
          const apart = Math.max(...fast.params.map((w, i) => Math.max(...w.map((v, k) => Math.abs(v - graph.params[i]![k]!)))));
          if (dtype === 'float64') {
            expect(apart).toBe(0);
            expect(fast.full).toEqual(graph.full);
            for (const k of ['adam', 'gd'] as const) {
              expect(fast[k].cost).toEqual(graph[k].cost);
              expect(fast[k].accuracy).toEqual(graph[k].accuracy);
              expect(fast[k].valCost).toEqual(graph[k].valCost);
            }
          } else {
            expect(costs32Close(fast.adam.cost, graph.adam.cost)).toBe(true);
            expect(costs32Close(fast.gd.cost, graph.gd.cost)).toBe(true);
            expect(apart).toBeLessThan(1e-5);
          }
        }
      });
    }

    it(`on ${name}: a masked step, by hand — D of ones is no mask; a unit dropped from every sample gets no gradient in or out`, () => {
      setBackend(name);
      for (const dtype of ['float64', 'float32'] as const) {
        const sizes = [6, 5, 4, 2];
        const program = getBackend().compileDense!({ sizes, activations: ['tanh', 'sigmoid', 'softmax'], loss: 'categoricalCrossEntropy', dtype, capacity: 9, dropout: true })!;
        const { X, Y } = problem(6, 2, 9, true, dtype);
        const array = (n: number, f: (k: number) => number): Float32Array | Float64Array => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)).map((_, k) => f(k));
        for (let l = 1; l <= 3; l++) program.loadParameters(l, array(sizes[l]! * sizes[l - 1]!, (k) => Math.sin(k + l)), array(sizes[l]!, (k) => Math.cos(k * l) * 0.1));
        const gradients = (): number[][] => [1, 2, 3].flatMap((l) => [Array.from(program.gradients(l).dW), Array.from(program.gradients(l).db)]);
        program.loadBatch(X.data, Y.data, 9, null, 0, 9);
        const J = program.step();
        const plain = gradients();
        program.dropoutMask(1).fill(1);
        program.dropoutMask(2).fill(1);
        expect(program.step(true), dtype).toBe(J);
        expect(gradients(), dtype).toEqual(plain);
        // Unit 3 of layer 1 dropped for all 9 samples, the rest scaled by 2 (keep = 1/2):
        // row 3 of dW1 and db1[3] are 0, and so is column 3 of dW2 (its A_prev row is 0).
        program.dropoutMask(1).fill(2);
        program.dropoutMask(1).fill(0, 3 * 9, 4 * 9);
        const J2 = program.step(true);
        expect(J2, dtype).not.toBe(J);
        const dW1 = program.gradients(1).dW, db1 = program.gradients(1).db, dW2 = program.gradients(2).dW;
        expect(Array.from(dW1.subarray(3 * 6, 4 * 6)), dtype).toEqual([0, 0, 0, 0, 0, 0]);
        expect(db1[3], dtype).toBe(0);
        for (let r = 0; r < 4; r++) expect(dW2[r * 5 + 3], dtype).toBe(0);
        expect(Array.from(dW1.subarray(0, 6)).some((v) => v !== 0), dtype).toBe(true);
        // The unmasked forward pass and evaluate ignore the masks: the same J as before.
        expect(program.evaluate(X.data, Y.data, 9), dtype).toBe(J);
        expect(() => program.dropoutMask(3)).toThrow(/no dropout mask/);
      }
    });
  }
});

describe('optimizers in a compiled step', () => {
  for (const name of programBackends) {
    it(`on ${name}: the program's kernels give the rules' bits (Adam, momentum, RMSprop), float32 and float64, ragged lengths`, () => {
      setBackend(name);
      let s = 99;
      const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
      // Each case: the program's rule and the same update by optim/rules.ts on copies.
      type Arrays = { w: TypedArray; dw: TypedArray; a: TypedArray; b: TypedArray };
      const cases: Array<[string, ProgramRule, (x: Arrays) => void]> = [];
      // Adam, β1 = 0.9: lerp's m + w·(g − m) form; β1 = 0.3 (weight 0.7): its g − (g − m)·(1 − w) form.
      for (const [beta1, beta2, t] of [[0.9, 0.999, 1], [0.3, 0.95, 7]] as const) {
        cases.push([`Adam β1 ${beta1} t ${t}`, { kind: 'adam', ...adamScalars(0.01, beta1, beta2, t), beta2, epsilon: 1e-8 }, ({ w, dw, a, b }) => adamUpdate(w, dw, a, b, 0.01, beta1, beta2, 1e-8, t)]);
      }
      // Momentum: PyTorch's first step (v := dW), its later ones, and the course's dampening.
      for (const [dampening, initialize] of [[0, true], [0, false], [0.9, false]] as const) {
        cases.push([`momentum d ${dampening} initialize ${initialize}`, { kind: 'momentum', learningRate: 0.05, beta: 0.9, keep: 1 - dampening, initialize }, ({ w, dw, a }) => momentumUpdate(w, dw, a, 0.05, 0.9, dampening, initialize)]);
      }
      cases.push(['RMSprop', { kind: 'rmsprop', learningRate: 0.01, rho: 0.99, c: 1 - 0.99, epsilon: 1e-8 }, ({ w, dw, a }) => rmspropUpdate(w, dw, a, 0.01, 0.99, 1e-8)]);
      for (const dtype of ['float32', 'float64'] as const) {
        // [3, 7, 5]: W1 has 21 values, b1 7 — odd lengths reach the kernels' one-lane tails.
        const program = getBackend().compileDense!({ sizes: [3, 7, 5], activations: ['relu', 'sigmoid'], loss: 'binaryCrossEntropy', dtype, capacity: 4 })!;
        const make = (n: number): Float32Array | Float64Array => (dtype === 'float32' ? Float32Array.from({ length: n }, r) : Float64Array.from({ length: n }, r));
        for (const [label, rule, reference] of cases) {
          for (const k of [0, 1, 2, 3]) {
            const l = (k >> 1) + 1, n = k % 2 === 0 ? [21, 35][l - 1]! : [7, 5][l - 1]!;
            const w = make(n), dw = make(n), a = make(n), b = make(n).map(Math.abs);
            // The program's copies: the parameter (and the other one of its layer), gradient, state.
            const other = make(k % 2 === 0 ? [7, 5][l - 1]! : [21, 35][l - 1]!);
            if (k % 2 === 0) program.loadParameters(l, w, other);
            else program.loadParameters(l, other, w);
            const { dW: gW, db: gb } = program.gradients(l);
            (k % 2 === 0 ? gW : gb).set(dw);
            const [pa, pb] = program.optimizerState(k);
            pa.set(a);
            pb.set(b);
            const out = make(n);
            program.update(k, rule, out);
            const copies = { w: w.slice(), dw, a: a.slice(), b: b.slice() };
            reference(copies);
            const where = `${dtype} ${label} parameter ${k}`;
            expect(Array.from(out), where).toEqual(Array.from(copies.w));
            expect(Array.from(pa), where).toEqual(Array.from(copies.a));
            if (rule.kind === 'adam') expect(Array.from(pb), where).toEqual(Array.from(copies.b));
          }
        }
      }
    });

    it(`on ${name}: an optimizer's state stays its own — two optimizers on one network, a loaded state — float64 bit for bit the autograd path`, () => {
      setBackend(name);
      const makers: Array<[string, () => BaseOptimizer]> = [
        ['Adam', () => new Adam({ learningRate: 0.01 })],
        ['Adam β1 0.2', () => new Adam({ learningRate: 0.02, beta1: 0.2 })],
        ['momentum', () => new Momentum({ learningRate: 0.05 })],
        ['momentum, the course\'s', () => new Momentum({ learningRate: 0.05, dampening: 'course' })],
        ['RMSprop', () => new RMSprop({ learningRate: 0.01 })],
      ];
      for (let i = 0; i < makers.length; i++) {
        const [labelA, makeA] = makers[i]!, [labelB, makeB] = makers[(i + 1) % makers.length]!;
        const run = (compiled: boolean): { params: number[][]; states: OptimizerState[] } => {
          useCompiledSteps(compiled);
          const { X, Y } = problem(5, 3, 37, true, 'float64');
          const net = new Sequential({ layerSizes: [5, 6, 3], activations: ['tanh', 'softmax'], seed: 3, dtype: 'float64' });
          const a = makeA(), b = makeB();
          fit(net, X, Y, { batchSize: 8, epochs: 2, optimizer: a, seed: 1 });
          const afterA = a.state();
          // b takes the program's state buffers over; a must keep its own values.
          fit(net, X, Y, { batchSize: 8, epochs: 1, optimizer: b, seed: 2 });
          expect(a.state()).toEqual(afterA);
          fit(net, X, Y, { batchSize: 8, epochs: 1, optimizer: a, seed: 3 });
          // A fresh optimizer resumed from b's state continues exactly as b would.
          const c = makeB();
          c.loadState(b.state());
          fit(net, X, Y, { batchSize: 8, epochs: 1, optimizer: c, seed: 4 });
          return { params: [...net.parameters().values()].map((p) => Array.from(p.data)), states: [a.state(), b.state(), c.state()] };
        };
        const graph = run(false);
        const fast = run(true);
        expect(fast.params, `${labelA}, then ${labelB}`).toEqual(graph.params);
        expect(fast.states, `${labelA}, then ${labelB}`).toEqual(graph.states);
      }
    });
  }
});

describe('the float32 SIMD activations (asm/dense.ts)', () => {
  it('are within 3e-7 of sigmoid and tanh, saturate for huge |z|, and keep NaN', () => {
    if (!wasmFeatures()) return;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(SIMD_WASM_BASE64)), {});
    const k = instance.exports as unknown as { memory: WebAssembly.Memory; heapBase(): number; activateF32(z: number, a: number, n: number, act: number, slope: number): void };
    const values = [-1000, -88, -20, -5, -1, -0.3, -1e-8, 0, 1e-8, 0.3, 0.7, 1, 5, 20, 88, 1000, Number.NaN];
    for (let i = -4001; i <= 4001; i++) values.push(i / 200);
    const n = values.length; // odd: the 1–3 value tail goes through the same polynomial
    k.memory.grow(Math.ceil((n * 8) / 65536) + 1);
    const at = Math.ceil(k.heapBase() / 64) * 64;
    const z = new Float32Array(k.memory.buffer, at, n), a = new Float32Array(k.memory.buffer, at + n * 4, n);
    for (const [code, f] of [[1, (x: number) => 1 / (1 + Math.exp(-x))], [2, Math.tanh]] as const) {
      z.set(values);
      k.activateF32(at, at + n * 4, n, code, 0);
      for (let i = 0; i < n; i++) {
        const exact = f(z[i]!);
        if (Number.isNaN(exact)) expect(a[i]).toBeNaN();
        else expect(Math.abs(a[i]! - exact)).toBeLessThanOrEqual(3e-7 * Math.abs(exact) + 1e-38);
      }
    }
  });
});

describe('the float32 SIMD binary cross-entropy (asm/dense.ts)', () => {
  it('gives each sample\'s term and dZ within a few float32 ulps of the float64 formulas, also where they are tiny', () => {
    if (!wasmFeatures()) return;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(SIMD_WASM_BASE64)), {});
    const k = instance.exports as unknown as { memory: WebAssembly.Memory; heapBase(): number; binaryCrossEntropyF32(z: number, y: number, terms: number, dZ: number, n: number, inv: number): void };
    const zs = [-100, -30, -17, -9, -1, -0.3, -1e-8, 0, 1e-8, 0.3, 0.7, 1, 5, 9, 17, 30, 100];
    for (let i = -2001; i <= 2001; i++) zs.push(i / 100);
    const cases: [number, number][] = [];
    for (const y of [0, 1, 0.3]) for (const z of zs) cases.push([z, y]);
    cases.push([Number.NaN, 1]);
    const n = cases.length; // not a multiple of 4: the tail goes through the same polynomials
    expect(n % 4).not.toBe(0);
    k.memory.grow(Math.ceil((n * 16) / 65536) + 1);
    const at = Math.ceil(k.heapBase() / 64) * 64;
    const view = (i: number): Float32Array => new Float32Array(k.memory.buffer, at + i * n * 4, n);
    const [z, y, terms, dZ] = [view(0), view(1), view(2), view(3)];
    z.set(cases.map(([v]) => v));
    y.set(cases.map(([, v]) => v));
    const inv = Math.fround(1 / 7);
    k.binaryCrossEntropyF32(at, at + n * 4, at + 2 * n * 4, at + 3 * n * 4, n, inv);
    for (let i = 0; i < n; i++) {
      const zi = z[i]!, yi = y[i]!;
      // In float64, grouped so that nothing cancels: max(z, 0) − y·z as z·([z > 0] − y), and
      // σ(z) − y over the denominator 1 + e^−|z|.
      const e = Math.exp(-Math.abs(zi));
      const term = zi * ((zi > 0 ? 1 : 0) - yi) + Math.log1p(e);
      const dz = (inv * (zi >= 0 ? 1 - yi - yi * e : e * (1 - yi) - yi)) / (1 + e);
      if (Number.isNaN(zi)) {
        expect(terms[i]).toBeNaN();
        expect(dZ[i]).toBeNaN();
        continue;
      }
      // Relative to the value itself (a label 1 at z = 17 has a term and dZ near 4e-8), except
      // where a soft label's own difference cancels: there relative to its parts. Below
      // e^−87 (1.6e-38) the exponential stops: a term of e^−100 comes out as 1.6e-38.
      const soft = yi !== 0 && yi !== 1;
      const scale = soft ? Math.abs(zi) + 1 : Math.abs(term);
      expect(Math.abs(terms[i]! - term), `term z=${zi} y=${yi}`).toBeLessThanOrEqual(6e-7 * scale + 2e-38);
      const dzScale = soft ? inv : Math.abs(dz);
      expect(Math.abs(dZ[i]! - dz), `dZ z=${zi} y=${yi}`).toBeLessThanOrEqual(6e-7 * dzScale + 2e-38);
    }
  });
});

describe('the float32 SIMD categorical cross-entropy (asm/dense.ts)', () => {
  it('gives Y·log softmax(Z) and dZ within a few float32 ulps of the float64 formulas, confident columns included', () => {
    if (!wasmFeatures()) return;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(SIMD_WASM_BASE64)), {});
    const k = instance.exports as unknown as { memory: WebAssembly.Memory; heapBase(): number; categoricalCrossEntropyF32(z: number, y: number, a: number, dZ: number, rows: number, m: number, inv: number): void };
    const rows = 10, m = 43; // the kernel takes 40 columns, four at a time
    let seed = 7;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const Z = new Float32Array(rows * m), Y = new Float32Array(rows * m);
    for (let j = 0; j < m; j++) {
      const spread = [0.01, 1, 10, 80][j % 4]!; // near-uniform to nearly one-hot softmaxes
      for (let r = 0; r < rows; r++) Z[r * m + j] = (rand() * 2 - 1) * spread;
      if (j % 5 === 4) for (let r = 0; r < rows; r++) Y[r * m + j] = 1 / rows; // soft labels
      else if (j % 3 === 0) {
        // Labelled at its largest logit: σ near 1 for the wide spreads, dZ near 0.
        let best = 0;
        for (let r = 1; r < rows; r++) if (Z[r * m + j]! > Z[best * m + j]!) best = r;
        Y[best * m + j] = 1;
      } else Y[Math.floor(rand() * rows) * m + j] = 1;
    }
    k.memory.grow(1);
    const at = Math.ceil(k.heapBase() / 64) * 64, size = rows * m * 4;
    new Float32Array(k.memory.buffer, at, rows * m).set(Z);
    new Float32Array(k.memory.buffer, at + size, rows * m).set(Y);
    const inv = Math.fround(1 / m);
    k.categoricalCrossEntropyF32(at, at + size, at + 2 * size, at + 3 * size, rows, m, inv);
    const A = new Float32Array(k.memory.buffer, at + 2 * size, rows * m), dZ = new Float32Array(k.memory.buffer, at + 3 * size, rows * m);
    for (let j = 0; j < 40; j++) {
      let mx = -Infinity, sum = 0, ys = 0;
      for (let r = 0; r < rows; r++) mx = Math.max(mx, Z[r * m + j]!);
      for (let r = 0; r < rows; r++) { sum += Math.exp(Z[r * m + j]! - mx); ys += Y[r * m + j]!; }
      const lse = mx + Math.log(sum);
      let spread = 0;
      for (let r = 0; r < rows; r++) spread = Math.max(spread, mx - Z[r * m + j]!);
      for (let r = 0; r < rows; r++) {
        const i = r * m + j, logp = Z[i]! - lse;
        // σ·ΣY − y over Σ, with Σ − e_r summed without e_r: a confident column's true class
        // then keeps its digits (1 − σ would be 0 in float64 too).
        let rest = 0;
        for (let q = 0; q < rows; q++) if (q !== r) rest += Math.exp(Z[q * m + j]! - mx);
        const er = Math.exp(Z[i]! - mx);
        const term = Y[i]! * logp, dz = (inv * (er * (ys - Y[i]!) - Y[i]! * rest)) / sum;
        expect(Math.abs(A[i]! - term), `term ${r}, ${j}`).toBeLessThanOrEqual(6e-7 * (Math.abs(Y[i]! * Z[i]!) + Math.abs(Y[i]! * lse)) + 1e-30);
        // Relative to dZ itself, also for the true class of a confident column (σ near 1, dZ
        // near 0). Each e^(z − max) carries the float32 rounding of z − max: a relative
        // 6e-8·|z − max| more, for the column's largest |z − max| at worst.
        // Soft labels' own difference σ·ΣY − y may cancel: there relative to its parts.
        const rel = 6e-7 + 1.2e-7 * spread;
        const size = j % 5 === 4 ? inv * (Math.exp(logp) * ys + Y[i]!) : Math.abs(dz);
        expect(Math.abs(dZ[i]! - dz), `dZ ${r}, ${j}`).toBeLessThanOrEqual(rel * size + 1e-30);
      }
    }
  });
});

describe('allocation-free steps', () => {
  it('the heap stays flat over 10,000 compiled iterations', () => {
    if (!tryCreateWasmBackend()) return;
    setBackend('wasm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { X, Y } = problem(2, 1, 400, false, 'float32');
    const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1, dtype: 'float32' });
    gradientDescent(net, X, Y, { learningRate: 0.5, iterations: 100 });
    gc();
    const before = process.memoryUsage().heapUsed;
    // recordEvery keeps the result's cost array small: what is measured is the steps.
    gradientDescent(net, X, Y, { learningRate: 0.5, iterations: 10_000, recordEvery: 10_000 });
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // The autograd path allocates ~40 tensors per step (several MB over 10,000 steps, all
    // collected); a leak of one small object per step would show as ≥ 500 kB here.
    expect(grown).toBeLessThan(256 * 1024);
  });
});

describe('parameters set between compiled steps', () => {
  it('a setParameter or a layer assignment between steps is what the next step computes with, as on the autograd path', async () => {
    const { makeGradientDescentStep, planarFlower, zeros, full } = await import('../src/index.js');
    const { X, Y } = planarFlower();
    const run = (compiled: boolean): number[] => {
      useCompiledSteps(compiled);
      const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
      const step = makeGradientDescentStep(net, X, Y, 0.5);
      const costs = [step(), step()];
      net.setParameter('W2', zeros([1, 4]));
      net.setParameter('b2', zeros([1, 1]));
      costs.push(step());
      net.layers[0]!.W = full([4, 2], 0.25);
      costs.push(step(), step());
      return costs;
    };
    expect(programBackends.length).toBeGreaterThan(0);
    for (const name of programBackends) {
      setBackend(name);
      const compiled = run(true);
      const autograd = run(false);
      useCompiledSteps(true);
      // W2 = 0 and b2 = 0: every A[2] is ½, so J = ln 2 whatever X.
      expect(compiled[2], name).toBeCloseTo(Math.LN2, 14);
      expect(compiled, name).toEqual(autograd);
      // Logistic regression (a one-layer program) too.
      const lr = new LogisticRegression(2);
      const step = makeGradientDescentStep(lr, X, Y, 0.5);
      step();
      lr.setParameter('w', zeros([2, 1]));
      lr.setParameter('b', zeros([1, 1]));
      expect(step(), name).toBeCloseTo(Math.LN2, 14);
    }
  });
});
