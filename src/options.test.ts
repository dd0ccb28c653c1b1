import { describe, expect, it } from 'vitest';
import { ArgumentError } from './errors.js';
import { checkOptions } from './options.js';
import {
  Adam, LogisticRegression, Sequential, blobs, fit, fitAsync, fitStream, formatTrace, gradientDescent, linspace, matmul, moons,
  parseCSV, planarFlower, randn, spirals, sum, tensor, traceStep, zeros, mean, eye,
} from './index.js';
import { saveModel } from './io/model-file.js';

// A misspelt option from JavaScript must be an error naming it, never a silently ignored setting.
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return (e as Error).message;
  }
  return 'no error';
};
const typo = (value: unknown): never => value as never; // hides the misspelling from the compiler, as JavaScript would

describe('checkOptions', () => {
  it('names the unknown key, the nearest allowed one and the list', () => {
    expect(message(() => checkOptions({ learningrate: 1 }, 'f', ['learningRate', 'epochs']))).toBe(
      "learningrate: unknown option for f (did you mean 'learningRate'?); expected one of learningRate, epochs",
    );
    expect(message(() => checkOptions({ epoch: 1 }, 'f', ['learningRate', 'epochs']))).toContain("(did you mean 'epochs'?)");
    // Nothing close: no guess.
    expect(message(() => checkOptions({ zz: 1 }, 'f', ['learningRate', 'epochs']))).toBe('zz: unknown option for f; expected one of learningRate, epochs');
  });

  it('refuses what is not an options object, and passes undefined only where options are optional', () => {
    expect(message(() => checkOptions(1, 'sum', ['axis']))).toBe('sum: options must be an object { axis }, got number');
    expect(message(() => checkOptions([1], 'sum', ['axis']))).toContain('got an array');
    expect(message(() => checkOptions(null, 'sum', ['axis']))).toContain('got null');
    expect(message(() => checkOptions(undefined, 'sum', ['axis']))).toContain('got undefined');
    expect(checkOptions(undefined, 'sum', ['axis'], true)).toEqual({});
    expect(checkOptions({ axis: 1 }, 'sum', ['axis'])).toEqual({ axis: 1 });
  });
});

describe('every public function with options refuses a misspelt one', () => {
  const net = () => new Sequential({ layerSizes: [2, 3, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
  const { X, Y } = planarFlower({ m: 20 });

  it('the network, the training loops and the optimizers', async () => {
    expect(message(() => new Sequential(typo({ layerSizes: [2, 1], dropuot: 0.5 })))).toContain("dropuot: unknown option for Sequential (did you mean 'dropout'?)");
    expect(message(() => new LogisticRegression(2, typo({ dtpye: 'float32' })))).toContain("dtpye: unknown option for LogisticRegression (did you mean 'dtype'?)");
    expect(message(() => fit(net(), X, Y, typo({ epoch: 3 })))).toContain("epoch: unknown option for fit (did you mean 'epochs'?)");
    expect(message(() => fit(net(), X, Y, typo({ batchsize: 3 })))).toContain("(did you mean 'batchSize'?)");
    expect(message(() => fit(net(), X, Y, typo({ epochs: 1, earlyStopping: { patience: 2, restoreBest: true } })))).toContain('restoreBest: unknown option for earlyStopping');
    expect(message(() => fit(net(), X, Y, typo({ epochs: 1, yieldEveryMs: 5 })))).toContain('yieldEveryMs: unknown option for fit');
    await expect(fitAsync(net(), X, Y, { epochs: 1, yieldEveryMs: 5 })).resolves.toBeDefined();
    await expect(fitAsync(net(), X, Y, typo({ epochs: 1, yieldEvery: 5 }))).rejects.toThrow("(did you mean 'yieldEveryMs'?)");
    expect(message(() => gradientDescent(net(), X, Y, typo({ learningrate: 0.5, iterations: 1 })))).toContain("learningrate: unknown option for gradientDescent (did you mean 'learningRate'?)");
    expect(message(() => gradientDescent(net(), X, Y, typo(undefined)))).toContain('gradientDescent: options must be an object');
    await expect(fitStream(net(), async function* () { yield { X, Y }; }, typo({ epoch: 1 }))).rejects.toThrow("(did you mean 'epochs'?)");
    expect(message(() => new Adam(typo({ lr: 0.1 })))).toContain('lr: unknown option for Adam');
  });

  it('fit says what an optimizer must be when given a name', () => {
    expect(message(() => fit(net(), X, Y, typo({ optimizer: 'adam' })))).toBe(
      "optimizer: must be an optimizer object such as new Adam({ learningRate: 0.001 }), got 'adam'",
    );
  });

  it('tensors, ops, datasets, files and traces', () => {
    expect(message(() => sum(tensor([[1, 2]]), typo({ axes: 1 })))).toContain("axes: unknown option for sum (did you mean 'axis'?)");
    expect(message(() => mean(tensor([[1, 2]]), typo({ keepdim: true })))).toContain("(did you mean 'keepdims'?)");
    expect(message(() => sum(tensor([[1, 2]]), typo(1)))).toBe('sum: options must be an object { axis, keepdims }, got number');
    expect(message(() => matmul(eye(2), eye(2), typo({ transposeA: true })))).toContain('transposeA: unknown option for matmul');
    expect(message(() => zeros([2], typo({ dtyp: 'float32' })))).toContain("dtyp: unknown option for zeros (did you mean 'dtype'?)");
    expect(message(() => linspace(0, 1, 3, typo({ dype: 'float32' })))).toContain('unknown option for linspace');
    expect(message(() => tensor([1, 2], typo({ shap: [2] })))).toContain("(did you mean 'shape'?)");
    expect(message(() => randn([2], typo({ sed: 1 })))).toContain("sed: unknown option for randn (did you mean 'seed'?)");
    expect(message(() => randn([2], typo({ rng: 'nump' })))).toBe("rng: must be a generator (new RandomState(seed)) or 'fast' or 'numpy', got \"nump\"");
    expect(message(() => moons(typo({ samples: 10 })))).toContain('samples: unknown option for moons');
    expect(message(() => spirals(typo({ class: 3 })))).toContain("(did you mean 'classes'?)");
    expect(message(() => blobs(typo({ center: 3 })))).toContain("(did you mean 'centers'?)");
    expect(message(() => planarFlower(typo({ n: 3 })))).toContain('n: unknown option for planarFlower');
    expect(message(() => parseCSV('a,b\n1,0\n', typo({ label: 'b', scal: 'standardize' })))).toContain("scal: unknown option for CSV options (did you mean 'scale'?)");
    expect(message(() => saveModel(net(), typo({ scalar: {} })))).toContain("scalar: unknown option for saveModel (did you mean 'scaler'?)");
    const n = net();
    expect(message(() => formatTrace(traceStep(n, X, Y), typo({ maxValue: 3 })))).toContain("(did you mean 'maxValues'?)");
  });

  it('a huge m for a dataset is the size limit’s clear error, not a RangeError', () => {
    expect(() => moons({ m: 1e12 })).toThrow(/GiB|too large|limit/);
  });
});
