import { describe, expect, it } from 'vitest';
import { ArgumentError, getMaxTensorBytes, setMaxTensorBytes, Sequential, transpose, accuracy, labelAccuracy, planarFlower, randn, sliceColumns, tensor, NonFiniteError, useCompiledSteps } from '../src/index.js';
import { fit, fitAsync } from '../src/train/fit.js';
import { Adam } from '../src/optim/adam.js';
import { GradientDescent } from '../src/optim/gd.js';
import { circles } from '../src/data/synthetic.js';

function passesToReach(target: number, options: Parameters<typeof fit>[3], maxEpochs: number): number {
  const { X, Y } = planarFlower();
  const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'xavier', seed: 2 });
  let reached = -1;
  fit(net, X, Y, {
    ...options,
    epochs: maxEpochs,
    onEpochEnd: (info) => {
      if ((info.accuracy ?? 0) >= target) {
        reached = info.epoch + 1;
        return false;
      }
    },
  });
  return reached;
}

describe('fit: mini-batches, optimizers, validation, early stopping', () => {
  it('on the flower data, Adam with batches of 64 reaches 90 % in fewer passes than full-batch gradient descent', () => {
    const adam = passesToReach(90, { batchSize: 64, optimizer: new Adam({ learningRate: 0.05 }), seed: 1 }, 2000);
    const gd = passesToReach(90, { optimizer: new GradientDescent({ learningRate: 1.2 }) }, 20000);
    console.log(`passes over the flower data to reach 90 %: Adam, batch 64: ${adam}; full-batch GD (α = 1.2): ${gd}`);
    expect(adam).toBeGreaterThan(0);
    expect(gd).toBeGreaterThan(0);
    expect(adam).toBeLessThan(gd);
  });

  it('early stopping restores the weights of the best validation epoch', () => {
    // A wide net on few noisy points overfits: the validation cost turns up.
    const { X, Y } = circles({ m: 120, noise: 0.35, seed: 3 });
    const net = new Sequential({ layerSizes: [2, 40, 40, 1], activations: ['relu', 'relu', 'sigmoid'], init: 'he', seed: 4 });
    const snapshots: number[][] = [];
    const history = fit(net, X, Y, {
      epochs: 400,
      batchSize: 16,
      optimizer: new Adam({ learningRate: 0.01 }),
      validationSplit: 0.4,
      earlyStopping: { patience: 20 },
      onEpochEnd: () => void snapshots.push(net.getParameter('W2').toFlatArray()),
    });
    expect(history.stoppedEarly).toBe(true);
    const best = history.valCost.indexOf(Math.min(...history.valCost));
    expect(history.bestEpoch).toBe(best);
    expect(best).toBeLessThan(history.epochs - 1);
    expect(net.getParameter('W2').toFlatArray()).toEqual(snapshots[best]);
    expect(net.getParameter('W2').toFlatArray()).not.toEqual(snapshots[history.epochs - 1]);
  });

  it('same seed, same batches, same history; fitAsync gives the same as fit', async () => {
    const { X, Y } = circles({ m: 100, seed: 5 });
    const make = () => new Sequential({ layerSizes: [2, 6, 1], activations: ['tanh', 'sigmoid'], seed: 6, dropout: 0.1 });
    const opts = () => ({ epochs: 5, batchSize: 10, seed: 7, optimizer: new Adam({ learningRate: 0.01 }), l2: 0.01 });
    const a = fit(make(), X, Y, opts());
    const b = fit(make(), X, Y, opts());
    const c = await fitAsync(make(), X, Y, { ...opts(), yieldEveryMs: 0 });
    expect(a.cost).toEqual(b.cost);
    expect(c.cost).toEqual(a.cost);
  });

  it("layout: 'rows' takes samples as rows and trains the same as columns", () => {
    const { X, Y } = circles({ m: 40, seed: 8 });
    const make = () => new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 2 });
    const a = fit(make(), X, Y, { epochs: 3, learningRate: 0.1 });
    const b = fit(make(), transpose(X), transpose(Y), { epochs: 3, learningRate: 0.1, layout: 'rows' });
    expect(b.cost).toEqual(a.cost);
    // Shuffled mini-batches with a held-out tail: on the WASM backends the compiled step
    // gathers the batches from the rows as given (their first 30), from columns via a copy.
    const mini = { epochs: 3, learningRate: 0.1, batchSize: 7, validationSplit: 0.25, seed: 3 };
    const c = fit(make(), X, Y, mini);
    const d = fit(make(), transpose(X), transpose(Y), { ...mini, layout: 'rows' });
    expect(d.cost).toEqual(c.cost);
    expect(d.valCost).toEqual(c.valCost);
    expect(c.cost).not.toEqual(a.cost);
    // A tensor-size limit set below X's size after X was made: no copy of X (it would break
    // the limit), the batches are gathered from X itself, with the same results.
    const limit = getMaxTensorBytes();
    try {
      const shuffled = { epochs: 3, learningRate: 0.1, batchSize: 7, seed: 3 };
      const expected = fit(make(), X, Y, shuffled).cost;
      setMaxTensorBytes(X.data.byteLength - 1);
      expect(fit(make(), X, Y, shuffled).cost).toEqual(expected);
    } finally {
      setMaxTensorBytes(limit);
    }
    // Without the layout, the transposed input is named as such.
    expect(() => fit(make(), transpose(X), transpose(Y), { epochs: 1 })).toThrow(/looks transposed/);
  });

  it('L2 adds λ/(2m)·Σ‖W‖² to the cost', () => {
    const X = randn([2, 8], { seed: 1 });
    const Y = tensor([[1, 0, 1, 0, 1, 0, 1, 0]]);
    const net = new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    const J = net.cost(X, Y).item();
    const w2 = ['W1', 'W2'].reduce((s, n) => s + net.getParameter(n).toFlatArray().reduce((t, v) => t + v * v, 0), 0);
    const h = fit(net, X, Y, { epochs: 1, l2: 0.5, learningRate: 1e-12 });
    expect(h.cost[0]).toBeCloseTo(J + (0.5 / (2 * 8)) * w2, 12);
  });

  it('a run that diverges with L2 on names l2 beside the learning rate', () => {
    const X = randn([2, 8], { seed: 1 });
    const Y = tensor([[1, 0, 1, 0, 1, 0, 1, 0]]);
    const net = new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    expect(() => fit(net, X, Y, { epochs: 50, l2: 1e9, learningRate: 0.5 })).toThrow(/training diverged; try a smaller learning rate than 0\.5 or a smaller l2 than 1000000000 or clipNorm/);
  });

  it('rejects bad settings, naming the argument', () => {
    const { X, Y } = circles({ m: 20, seed: 1 });
    const net = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    expect(() => fit(net, X, Y, { batchSize: 0 })).toThrow(ArgumentError);
    expect(() => fit(net, X, Y, { batchSize: 0 })).toThrow('batchSize');
    expect(() => fit(net, X, Y, { epochs: 0 })).toThrow('epochs');
    expect(() => fit(net, X, Y, { learningRate: -1 })).toThrow('learningRate');
    expect(() => fit(net, X, Y, { validationSplit: 1 })).toThrow('validationSplit');
    expect(() => fit(net, X, Y, { earlyStopping: { patience: 0 } })).toThrow('earlyStopping.patience');
    expect(() => new Sequential({ layerSizes: [2, 3, 1], dropout: 1 })).toThrow('dropout');
    const regression = new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'linear'], seed: 1 });
    expect(() => fit(regression, X, Y, { learningRate: 1e9, epochs: 50 })).toThrow(NonFiniteError);
    expect(() => fit(regression, X, Y, { learningRate: 1e9, epochs: 50 })).toThrow(/^epoch \d+, batch 0: the cost became/);
  });

  it('full-batch fit with plain gradient descent equals gradientDescent', async () => {
    const { gradientDescent } = await import('../src/index.js');
    const { X, Y } = circles({ m: 60, seed: 2 });
    const a = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 3 });
    const b = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 3 });
    const h = fit(a, X, Y, { epochs: 30, optimizer: new GradientDescent({ learningRate: 0.5 }) });
    const r = gradientDescent(b, X, Y, { learningRate: 0.5, iterations: 30 });
    expect(h.cost).toEqual(r.costs);
    expect(accuracy(a, X, Y)).toBe(accuracy(b, X, Y));
  });
});

describe("fit: trainAccuracy 'running'", () => {
  it("is each batch's accuracy before its update, weighted by the batch's size: 60 samples in batches of 16, 16, 16 and 12", () => {
    // Unshuffled batches, so the next batch is known: its accuracy is measured independently in
    // the callback after the batch before it (by the weights its update will start from).
    const { X, Y } = circles({ m: 60, noise: 0.2, seed: 8 });
    const starts = [0, 16, 32, 48];
    const batchAccuracy = (net: Sequential, b: number): number => {
      const size = Math.min(16, 60 - starts[b]!);
      return labelAccuracy(net.predict(sliceColumns(X, starts[b]!, starts[b]! + size)), sliceColumns(Y, starts[b]!, starts[b]! + size)) * size;
    };
    const settings = [
      { label: 'compiled', compiled: true, dropout: 0 },
      { label: 'autograd', compiled: false, dropout: 0 },
      // With dropout the prediction is the network's (no mask), and it must not draw from the
      // dropout generator, on either path.
      { label: 'dropout', compiled: true, dropout: 0.2 },
      { label: 'dropout, autograd', compiled: false, dropout: 0.2 },
    ];
    for (const { label, compiled, dropout } of settings) {
      useCompiledSteps(compiled);
      try {
        const make = (): Sequential => new Sequential({ layerSizes: [2, 8, 1], activations: ['tanh', 'sigmoid'], seed: 9, dropout });
        const options = { epochs: 4, batchSize: 16, shuffle: false, optimizer: new GradientDescent({ learningRate: 0.3 }) };
        const net = make();
        const expected: number[] = [];
        let scored = 0;
        const check = make();
        let next = batchAccuracy(check, 0);
        fit(check, X, Y, {
          ...options,
          onBatchEnd: ({ batch }) => {
            check.training = false;
            scored += next;
            next = batchAccuracy(check, (batch + 1) % 4);
            if (batch === 3) {
              expected.push(scored / 60);
              scored = 0;
            }
          },
        });
        const history = fit(net, X, Y, { ...options, trainAccuracy: 'running' });
        expect(history.accuracy, label).toEqual(expected);
        // Training is not changed by measuring it.
        expect(history.cost, label).toEqual(fit(make(), X, Y, options).cost);
        expect(net.getParameter('W1').toFlatArray(), label).toEqual(check.getParameter('W1').toFlatArray());
      } finally {
        useCompiledSteps(true);
      }
    }
  });

  it('with one batch per epoch it is the accuracy the epoch before ended with', () => {
    const { X, Y } = circles({ m: 50, noise: 0.2, seed: 10 });
    const make = (): Sequential => new Sequential({ layerSizes: [2, 5, 1], activations: ['tanh', 'sigmoid'], seed: 11 });
    const start = accuracy(make(), X, Y);
    const ended = fit(make(), X, Y, { epochs: 30, learningRate: 0.5 }).accuracy;
    const running = fit(make(), X, Y, { epochs: 30, learningRate: 0.5, trainAccuracy: 'running' }).accuracy;
    expect(running).toEqual([start, ...ended.slice(0, -1)]);
    // The run learns: the figures are not all the same.
    expect(new Set(ended).size).toBeGreaterThan(1);
  });

  it('rejects any other value, naming the option', () => {
    const { X, Y } = circles({ m: 20, seed: 1 });
    const net = new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    expect(() => fit(net, X, Y, { trainAccuracy: 'batch' as never })).toThrow(ArgumentError);
    expect(() => fit(net, X, Y, { trainAccuracy: 'batch' as never })).toThrow(/trainAccuracy: must be 'epoch-end' or 'running', got "batch"/);
  });
});
