import { ArgumentError, NonFiniteError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { expectModel, type Model } from '../nn/model.js';
import type { Optimizer } from '../optim/optimizer.js';
import { GradientDescent } from '../optim/gd.js';
import type { Tensor } from '../tensor/tensor.js';
import { compileRun } from './compiled.js';
import { locateNonFinite } from './diagnose.js';
import { updateCompiled, updateOnBatch, weightsOf, type BatchInfo } from './fit.js';

export interface FitStreamOptions {
  epochs?: number;
  optimizer?: Optimizer;
  learningRate?: number;
  l2?: number;
  clipNorm?: number;
  onBatchEnd?: (info: BatchInfo) => void;
  /** Return false to stop after this epoch. */
  onEpochEnd?: (info: { epoch: number; cost: number; samples: number }) => boolean | void;
}

/**
 * Trains on batches that arrive one at a time — e.g. `streamCSV` over a file larger than
 * memory. `batches()` is called once per epoch and must yield { X, Y } in the seeds' layout;
 * each batch is checked, used for one update, and dropped. Batches come in file order (no
 * shuffling across the file: shuffle the file beforehand if its rows are sorted).
 */
export async function fitStream(
  model: Model,
  batches: () => AsyncIterable<{ X: Tensor; Y: Tensor }>,
  options: FitStreamOptions = {},
): Promise<{ epochs: number; cost: number[]; samples: number }> {
  expectModel(model, 'fitStream');
  checkOptions(options, 'fitStream', optionKeys<FitStreamOptions>()(['epochs', 'optimizer', 'learningRate', 'l2', 'clipNorm', 'onBatchEnd', 'onEpochEnd']));
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError('epochs', `must be a whole number ≥ 1, got ${epochs}`);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0)) throw new ArgumentError('l2', `λ must be ≥ 0, got ${l2}`);
  const optimizer = options.optimizer ?? new GradientDescent({ learningRate: options.learningRate ?? 0.01 });
  const params = model.parameters();
  const ctx = { model, params, weights: weightsOf(params), optimizer, l2, clipNorm: options.clipNorm };
  const cost: number[] = [];
  let samples = 0;
  // The compiled step (./compiled.ts) is sized for the largest batch so far: one program for
  // the whole stream unless a later batch is larger than every earlier one.
  let capacity = 0;
  const wasTraining = model.training;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      optimizer.onEpoch(epoch);
      let total = 0, seen = 0, batch = 0;
      for await (const { X, Y } of batches()) {
        model.checkData(X, Y);
        const size = X.shape[1]!;
        const fail = (what: string): never => {
          model.training = false;
          const where = locateNonFinite(model, X, params);
          throw new NonFiniteError(`epoch ${epoch}, batch ${batch}`, `${what}${where ? ` (first non-finite value: ${where})` : ''} — training diverged; try a smaller learning rate than ${optimizer.learningRate}`);
        };
        capacity = Math.max(capacity, size);
        // As fit does: through the compiled step where the network and backend have one (the
        // same float64 bits as the autograd path), else through autograd.
        const compiled = compileRun(model, X, Y, capacity);
        const J = compiled ? updateCompiled(ctx, compiled, null, 0, size, fail) : updateOnBatch(ctx, X, Y, size, fail);
        total += J * size;
        seen += size;
        options.onBatchEnd?.({ epoch, batch, batchSize: size, cost: J });
        batch++;
      }
      model.training = false;
      if (seen === 0) throw new ArgumentError('batches', 'yielded no samples');
      samples = seen;
      cost.push(total / seen);
      if (options.onEpochEnd?.({ epoch, cost: total / seen, samples: seen }) === false) break;
    }
  } finally {
    model.training = wasTraining ?? false;
  }
  return { epochs: cost.length, cost, samples };
}
