import { noGrad } from '../autograd/mode.js';
import { ArgumentError, NonFiniteError, ShapeError, fmtShape, restated } from '../errors.js';
import { checkLabels } from '../nn/check-data.js';
import { expectModel, type Model } from '../nn/model.js';
import { Sequential } from '../nn/sequential.js';
import { add, mul } from '../ops/binary.js';
import { takeColumns } from '../ops/columns.js';
import { transpose } from '../ops/transpose.js';
import { sum } from '../ops/reduce.js';
import { square } from '../ops/unary.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import { GradientDescent } from '../optim/gd.js';
import { FastRandom, type FastRandomState } from '../tensor/random/fast.js';
import { assertFinite } from '../tensor/create.js';
import { expectTensor, type Tensor } from '../tensor/tensor.js';
import { checkOptions as checkKeys, optionKeys } from '../options.js';
import { compileRun, runsInProgram, type CompiledRun } from './compiled.js';
import { clipGradNorm, firstNonFinite, locateNonFinite } from './diagnose.js';
import { labelAccuracy } from './metrics.js';

/** What a callback learns after each mini-batch. */
export interface BatchInfo {
  epoch: number;
  batch: number;
  batchSize: number;
  cost: number;
}

/** What a callback learns after each epoch (validation figures when there is validation data). */
export interface EpochInfo {
  epoch: number;
  cost: number;
  valCost?: number;
  accuracy?: number;
  valAccuracy?: number;
  learningRate: number;
}

/** Stop when the monitored cost has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingOptions {
  patience: number;
  minDelta?: number;
  /** Default: `valCost` when there is validation data, else `cost`. */
  monitor?: 'cost' | 'valCost';
  /** Put back the weights of the best epoch at the end (default true). */
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  /**
   * How X and Y hold their samples: `columns` (default, the seeds' (n_x, m)) or `rows`
   * ((m, n_x), as CSV files and scikit-learn have them); rows are transposed once, up front.
   */
  layout?: 'columns' | 'rows';
  /** Passes over the training data (default 100). */
  epochs?: number;
  /** Samples per update; default: all of them (full-batch gradient descent). */
  batchSize?: number;
  /** Reshuffle the samples every epoch (default: true when mini-batching). */
  shuffle?: boolean;
  /** Seed of the shuffling generator (default 0): same seed, same batches. */
  seed?: number;
  /** How to update; default plain gradient descent at `learningRate`. */
  optimizer?: Optimizer;
  /** Used when no optimizer is given (default 0.01). */
  learningRate?: number;
  /** λ of L2 regularization: J + λ/(2m)·Σ‖W[l]‖² over the weights (not the biases). */
  l2?: number;
  /** Rescale the gradients when their global L2 norm exceeds this (PyTorch's clip_grad_norm_). */
  clipNorm?: number;
  /**
   * How a classifier's training accuracy (History.accuracy) is measured each epoch:
   * - `'epoch-end'` (default): over every training sample with the weights the epoch ended
   *   with — the course's "train accuracy", at the cost of one more forward pass over X.
   * - `'running'`: each batch's accuracy by the weights before its update, averaged over the
   *   epoch's samples — what Keras and TensorFlow.js report. It lags the weights by up to an
   *   epoch, and costs nothing on the compiled steps (the prediction comes from the step's own
   *   forward pass); elsewhere one forward pass per batch.
   */
  trainAccuracy?: 'epoch-end' | 'running';
  validationData?: { X: Tensor; Y: Tensor };
  /** Hold out this fraction of the samples — the last columns, before shuffling — for validation. */
  validationSplit?: number;
  earlyStopping?: EarlyStoppingOptions;
  /** Call `save` with the training state every `every` epochs (write it with `writeCheckpoint`). */
  checkpoint?: { every: number; save: (state: TrainingState) => void };
  /** Continue a run from a saved state (the model must hold the weights saved with it). */
  resumeFrom?: TrainingState;
  /** Checked after each epoch: true ends training there (e.g. after Ctrl-C), with `interrupted` set. */
  shouldStop?: () => boolean;
  onBatchEnd?: (info: BatchInfo) => void;
  /** Return `false` to stop training after this epoch. */
  onEpochEnd?: (info: EpochInfo) => boolean | void;
}

/** Per-epoch figures of a run. */
export interface History {
  epochs: number;
  cost: number[];
  valCost: number[];
  accuracy: number[];
  valAccuracy: number[];
  /** The epoch whose weights the model holds at the end when early stopping restored them. */
  bestEpoch?: number;
  stoppedEarly: boolean;
  /** True when `shouldStop` ended the run. */
  interrupted?: boolean;
  /** The state after the last epoch: enough, with the weights, to resume exactly. */
  state?: TrainingState;
}

/**
 * Everything besides the weights that a run needs to continue exactly where it stopped:
 * the next epoch, the shuffling generator and order, the optimizer's state, the history,
 * the early-stopping bookkeeping and, for a network with dropout, its dropout generator (a
 * network read back from a checkpoint starts its own from the seed). Plain data, so it can be
 * stored as JSON.
 */
export interface TrainingState {
  epoch: number;
  rng: FastRandomState;
  order: number[];
  optimizer: OptimizerState;
  history: Omit<History, 'state'>;
  early?: { best: number; bestEpoch: number; waited: number; snapshot: number[][] | null };
  /** Sequential's dropout generator, where the network has dropout. */
  dropout?: FastRandomState;
}

/**
 * Trains `model` on (X, Y) with mini-batch (or full-batch) gradient descent and any
 * optimizer: per epoch, shuffle the columns, and for each batch compute J (+ the L2 term),
 * backprop, and let the optimizer update every parameter. Validates everything at the front.
 * X and Y must not change while it runs (with `fitAsync`, between its pauses): on the WASM
 * backends a full batch is loaded once, and shuffled batches are read from a copy of X with its
 * samples as rows (for X up to 256 MiB and the tensor-size limit; with `layout: 'rows'`, from
 * the data as given). After each epoch it records the epoch's cost, a classifier's training
 * accuracy (see `trainAccuracy`) and, with validation data, its cost and accuracy — on the
 * WASM backends by one forward pass of the compiled step over it, the same figures as
 * `model.cost` and `labelAccuracy(model.predict(…))` (float64 bit for bit).
 *
 * @example
 * const history = fit(net, X, Y, { epochs: 50, batchSize: 64, optimizer: new Adam({ learningRate: 0.01 }), validationSplit: 0.2,
 *   earlyStopping: { patience: 5 } });
 */
export function fit(model: Model, X: Tensor, Y: Tensor, options: FitOptions = {}): History {
  const run = training(model, X, Y, options);
  let next = run.next();
  while (!next.done) next = run.next();
  return next.value;
}

/**
 * `fit` that yields to the event loop every `yieldEveryMs` (default 16 ms) so a page stays
 * responsive while training; same results as `fit` for the same options.
 */
export async function fitAsync(model: Model, X: Tensor, Y: Tensor, options: FitOptions & { yieldEveryMs?: number } = {}): Promise<History> {
  const budget = options.yieldEveryMs ?? 16;
  const run = training(model, X, Y, options, true);
  let last = Date.now();
  let next = run.next();
  while (!next.done) {
    if (Date.now() - last >= budget) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
    next = run.next();
  }
  return next.value;
}

// The training loop as a generator that pauses after every batch: `fit` drains it,
// `fitAsync` drains it with pauses — one loop, two schedules.
function* training(model: Model, Xin: Tensor, Yin: Tensor, options: FitOptions, isAsync = false): Generator<void, History, void> {
  expectModel(model, isAsync ? 'fitAsync' : 'fit');
  const settings = checkOptions(options, isAsync);
  const rows = options.layout === 'rows';
  // Checked as the user gave them: with layout 'rows', in their shapes and positions, before
  // the transposition; validation data under its own name.
  checkUserData(model, Xin, Yin, rows, '');
  if (options.validationData) checkUserData(model, options.validationData.X, options.validationData.Y, rows, 'validationData.');
  const Xall = rows ? transpose(Xin) : Xin;
  const Yall = rows ? transpose(Yin) : Yin;
  if (rows && options.validationData) {
    options = { ...options, validationData: { X: transpose(options.validationData.X), Y: transpose(options.validationData.Y) } };
  }
  const { X, Y, validation } = splitValidation(Xall, Yall, options);
  const m = X.shape[1]!;
  const batchSize = Math.min(settings.batchSize ?? m, m);
  const shuffle = options.shuffle ?? batchSize < m;
  const rng = new FastRandom(options.seed ?? 0);
  const optimizer = options.optimizer ?? new GradientDescent({ learningRate: options.learningRate ?? 0.01 });
  const params = model.parameters();
  const weights = weightsOf(params);
  const classifies = model.loss !== 'squaredError';
  const running = classifies && options.trainAccuracy === 'running';
  const early = options.earlyStopping;
  const monitor = early?.monitor ?? (validation ? 'valCost' : 'cost');
  if (early && monitor === 'valCost' && !validation) {
    throw new ArgumentError('earlyStopping.monitor', "'valCost' needs validationData or validationSplit");
  }

  // Training stops at the first NaN or ±Inf, naming where it appeared (layer and quantity).
  const nonFinite = (what: string, epoch: number, batch: number, Xb: Tensor): never => {
    model.training = false;
    const where = locateNonFinite(model, Xb, params);
    throw new NonFiniteError(
      `epoch ${epoch}, batch ${batch}`,
      `${what}${where ? ` (first non-finite value: ${where})` : ''} — training diverged; try a smaller learning rate than ${optimizer.learningRate}${settings.l2 > 0 ? ` or a smaller l2 than ${settings.l2}` : ''}${settings.clipNorm === undefined ? ' or clipNorm' : ''}`,
    );
  };

  // One update on a batch: J (+ the L2 term), backprop, optional clipping, the optimizer's
  // step — with a check for NaN/Inf after each stage, so the error can say where it began.
  const step = (Xb: Tensor, Yb: Tensor, size: number, epoch: number, batch: number): number =>
    updateOnBatch({ model, params, weights, optimizer, l2: settings.l2, clipNorm: settings.clipNorm }, Xb, Yb, size, (what) => nonFinite(what, epoch, batch, Xb));

  // The compiled fast path (./compiled.ts) where it applies.
  // Data given as rows is already what shuffled batches gather best from: its first m rows are
  // the training samples (validationSplit holds out the last ones).
  const compiled = compileRun(model, X, Y, batchSize, rows ? Xin.data.subarray(0, X.size) : undefined);
  if (compiled && running) compiled.scoreBatches();
  let inOrder = false;
  const compiledStep = (compiled: CompiledRun, start: number, size: number, full: boolean, epoch: number, batch: number): number =>
    updateCompiled({ model, params, optimizer, l2: settings.l2, clipNorm: settings.clipNorm }, compiled, full ? null : inOrder ? null : order, start, size, (what) =>
      nonFinite(what, epoch, batch, full ? X : takeColumns(X, order.slice(start, start + size))));

  let history: History = { epochs: 0, cost: [], valCost: [], accuracy: [], valAccuracy: [], stoppedEarly: false };
  let best = Infinity, bestEpoch = -1, waited = 0;
  let snapshot: Float64Array[] | null = null;
  let order = Array.from({ length: m }, (_, j) => j);
  let firstEpoch = 0;
  const resume = options.resumeFrom;
  if (resume) {
    if (resume.order.length !== m) throw new ArgumentError('resumeFrom', `the saved state is for ${resume.order.length} training samples, this data has ${m}`);
    firstEpoch = resume.epoch;
    rng.setState(resume.rng);
    order = resume.order.slice();
    optimizer.loadState(resume.optimizer);
    if (resume.dropout && model instanceof Sequential && model.dropout > 0) model.loadDropoutState(resume.dropout);
    history = { ...structuredClone(resume.history) };
    delete history.interrupted;
    if (resume.early) {
      ({ best, bestEpoch, waited } = resume.early);
      snapshot = resume.early.snapshot?.map((w) => Float64Array.from(w)) ?? null;
    }
  }
  const stateNow = (nextEpoch: number): TrainingState => {
    const { state: _omit, ...plain } = history;
    const out: TrainingState = { epoch: nextEpoch, rng: rng.getState(), order: order.slice(), optimizer: optimizer.state(), history: structuredClone(plain) };
    if (early) out.early = { best, bestEpoch, waited, snapshot: snapshot?.map((w) => Array.from(w)) ?? null };
    if (model instanceof Sequential && model.dropout > 0) out.dropout = model.dropoutState();
    return out;
  };
  const wasTraining = model.training;

  try {
    for (let epoch = firstEpoch; epoch < settings.epochs; epoch++) {
      optimizer.onEpoch(epoch);
      if (shuffle) rng.shuffle(order);
      // Unshuffled batches are runs of columns, copied row by row into the compiled step.
      inOrder = order.every((j, k) => j === k);
      // Callbacks and early stopping may have changed the parameters since the last step.
      compiled?.invalidate();
      let total = 0;
      // Σ of each batch's accuracy × its size, for the running training accuracy.
      let scored = 0;
      let batches = 0;
      let firstCost = 0;
      for (let start = 0, batch = 0; start < m; start += batchSize, batch++) {
        batches++;
        const size = Math.min(batchSize, m - start);
        const full = size === m && !shuffle;
        let cost: number;
        if (compiled) {
          cost = compiledStep(compiled, start, size, full, epoch, batch);
          if (running) scored += compiled.batchAccuracy(full || inOrder ? null : order, start, size) * size;
        } else {
          const Xb = full ? X : takeColumns(X, order.slice(start, start + size));
          const Yb = full ? Y : takeColumns(Y, order.slice(start, start + size));
          if (running) {
            // Before the update, and out of training mode: dropout would draw from its generator.
            model.training = false;
            scored += labelAccuracy(model.predict(Xb), Yb) * size;
          }
          cost = step(Xb, Yb, size, epoch, batch);
        }
        total += cost * size;
        if (batches === 1) firstCost = cost;
        if (options.onBatchEnd) {
          options.onBatchEnd({ epoch, batch, batchSize: size, cost });
          compiled?.invalidate();
        }
        yield;
      }
      model.training = false;
      // The epoch's cost: the size-weighted mean of its batch costs (for one batch, that cost
      // itself — J before the update, as the course records it).
      const info: EpochInfo = { epoch, cost: batches === 1 ? firstCost : total / m, learningRate: optimizer.learningRate };
      history.cost.push(info.cost);
      if (classifies) {
        info.accuracy = running ? scored / m : compiled ? compiled.accuracy() : labelAccuracy(model.predict(X), Y);
        history.accuracy.push(info.accuracy);
      }
      if (validation) {
        // On the compiled path one forward pass over the validation data gives both figures.
        const checked = compiled?.evaluate(validation.X, validation.Y);
        history.valCost.push((info.valCost = checked ? checked.cost : noGrad(() => model.cost(validation.X, validation.Y).item())));
        if (classifies) history.valAccuracy.push((info.valAccuracy = checked ? checked.accuracy : labelAccuracy(model.predict(validation.X), validation.Y)));
      }
      history.epochs = epoch + 1;
      const stopAsked = options.onEpochEnd?.(info) === false;

      if (early) {
        const value = monitor === 'valCost' ? info.valCost! : info.cost;
        if (value < best - (early.minDelta ?? 0)) {
          best = value;
          bestEpoch = epoch;
          waited = 0;
          snapshot = [...params.values()].map((p) => Float64Array.from(p.data));
        } else if (++waited >= early.patience) {
          history.stoppedEarly = true;
          break;
        }
      }
      if (options.checkpoint && (epoch + 1) % options.checkpoint.every === 0) options.checkpoint.save(stateNow(epoch + 1));
      if (stopAsked) break;
      if (options.shouldStop?.()) {
        history.interrupted = true;
        break;
      }
    }
  } finally {
    model.training = wasTraining ?? false;
  }

  history.state = stateNow(history.epochs);
  // Weights go back to the best epoch only when training is over, not when it was interrupted
  // (the run will resume from the weights it had).
  if (early && (early.restoreBestWeights ?? true) && snapshot && !history.interrupted) {
    [...params.values()].forEach((p, k) => p.data.set(snapshot![k]!));
    history.bestEpoch = bestEpoch;
  }
  return history;
}

const FIT_KEYS = optionKeys<FitOptions>()([
  'layout', 'epochs', 'batchSize', 'shuffle', 'seed', 'optimizer', 'learningRate', 'l2', 'clipNorm', 'trainAccuracy',
  'validationData', 'validationSplit', 'earlyStopping', 'checkpoint', 'resumeFrom', 'shouldStop', 'onBatchEnd', 'onEpochEnd',
]);
const EARLY_STOPPING_KEYS = optionKeys<EarlyStoppingOptions>()(['patience', 'minDelta', 'monitor', 'restoreBestWeights']);

/**
 * X and Y (or validationData's, under `prefix`) checked as the user passed them. With layout
 * 'rows' the shapes, the non-finite values and the labels are checked before the transposition,
 * so that every message quotes the user's own shapes and (row, column) positions.
 */
function checkUserData(model: Model, X: Tensor, Y: Tensor, rows: boolean, prefix: string): void {
  try {
    expectTensor(X, 'X');
    expectTensor(Y, 'Y');
    if (!rows) {
      model.checkData(X, Y);
      return;
    }
    const { inputSize: nx, outputSize: ny } = model;
    if (X.rank !== 2 || (nx !== undefined && X.shape[1] !== nx)) {
      const hint = X.rank === 2 && X.shape[0] === nx ? ": it looks like samples are columns already (n_x, m): drop layout: 'rows'" : '';
      throw new ShapeError('X', `X is ${fmtShape(X.shape)} but with layout: 'rows' it must be (m, n_x) = (m, ${nx ?? 'n_x'}): one row per sample${hint}`);
    }
    const m = X.shape[0]!;
    if (Y.rank !== 2 || Y.shape[0] !== m || (ny !== undefined && Y.shape[1] !== ny)) {
      const hint = Y.rank === 2 && Y.shape[1] === m ? ": it looks like a row of labels (n_y, m): with layout: 'rows' give one row per sample" : '';
      throw new ShapeError('Y', `Y is ${fmtShape(Y.shape)} but with layout: 'rows' it must be (m, n_y) = (${m}, ${ny ?? 'n_y'}) to match X ${fmtShape(X.shape)}${hint}`);
    }
    assertFinite(X, 'X');
    assertFinite(Y, 'Y');
    checkLabels(model.loss === 'binaryCrossEntropy' ? 'binary' : model.loss === 'categoricalCrossEntropy' ? 'one-hot' : 'any', Y, true);
    // What is left (m = 0, dtypes) reads the same either way round.
    model.checkData(transpose(X), transpose(Y));
  } catch (e) {
    throw restated(e, prefix);
  }
}

function checkOptions(options: FitOptions, isAsync: boolean): { epochs: number; batchSize: number | undefined; l2: number; clipNorm: number | undefined } {
  if (isAsync) checkKeys(options, 'fitAsync', [...FIT_KEYS, 'yieldEveryMs']);
  else checkKeys(options, 'fit', FIT_KEYS);
  if (options.earlyStopping !== undefined) checkKeys(options.earlyStopping, 'earlyStopping', EARLY_STOPPING_KEYS);
  if (options.checkpoint !== undefined) checkKeys(options.checkpoint, 'checkpoint', ['every', 'save']);
  if (options.validationData !== undefined) checkKeys(options.validationData, 'validationData', ['X', 'Y']);
  const { optimizer } = options;
  if (optimizer !== undefined && (typeof optimizer !== 'object' || optimizer === null || typeof (optimizer as Partial<Optimizer>).step !== 'function')) {
    throw new ArgumentError('optimizer', `must be an optimizer object such as new Adam({ learningRate: 0.001 }), got ${typeof optimizer === 'string' ? `'${optimizer}'` : String(optimizer)}`);
  }
  const epochs = options.epochs ?? 100;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError('epochs', `must be a whole number ≥ 1, got ${epochs}`);
  const { batchSize } = options;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new ArgumentError('batchSize', `must be a whole number ≥ 1, got ${batchSize}`);
  }
  const l2 = options.l2 ?? 0;
  if (!Number.isFinite(l2) || l2 < 0) throw new ArgumentError('l2', `λ must be a finite number ≥ 0, got ${l2}`);
  if (options.learningRate !== undefined && !(options.learningRate > 0 && Number.isFinite(options.learningRate))) {
    throw new ArgumentError('learningRate', `must be a finite number > 0, got ${options.learningRate}`);
  }
  const split = options.validationSplit;
  if (split !== undefined && !(split > 0 && split < 1)) throw new ArgumentError('validationSplit', `must be a fraction in (0, 1), got ${split}`);
  if (split !== undefined && options.validationData) throw new ArgumentError('validationSplit', 'give validationData or validationSplit, not both');
  if (options.layout !== undefined && options.layout !== 'columns' && options.layout !== 'rows') {
    throw new ArgumentError('layout', `must be 'columns' or 'rows', got ${JSON.stringify(options.layout)}`);
  }
  if (options.checkpoint && !(Number.isInteger(options.checkpoint.every) && options.checkpoint.every >= 1)) {
    throw new ArgumentError('checkpoint.every', `must be a whole number of epochs ≥ 1, got ${options.checkpoint.every}`);
  }
  if (options.earlyStopping) {
    const { patience, minDelta } = options.earlyStopping;
    if (!Number.isInteger(patience) || patience < 1) throw new ArgumentError('earlyStopping.patience', `must be a whole number ≥ 1, got ${patience}`);
    if (minDelta !== undefined && !(minDelta >= 0)) throw new ArgumentError('earlyStopping.minDelta', `must be ≥ 0, got ${minDelta}`);
  }
  const { trainAccuracy } = options;
  if (trainAccuracy !== undefined && trainAccuracy !== 'epoch-end' && trainAccuracy !== 'running') {
    throw new ArgumentError('trainAccuracy', `must be 'epoch-end' or 'running', got ${JSON.stringify(trainAccuracy)}`);
  }
  const { clipNorm } = options;
  if (clipNorm !== undefined && !(clipNorm > 0 && Number.isFinite(clipNorm))) throw new ArgumentError('clipNorm', `must be a finite number > 0, got ${clipNorm}`);
  return { epochs, batchSize, l2, clipNorm };
}

function splitValidation(X: Tensor, Y: Tensor, options: FitOptions): { X: Tensor; Y: Tensor; validation?: { X: Tensor; Y: Tensor } } {
  if (options.validationData) return { X, Y, validation: options.validationData };
  if (options.validationSplit === undefined) return { X, Y };
  const m = X.shape[1]!;
  const held = Math.round(m * options.validationSplit);
  if (held < 1 || held >= m) throw new ArgumentError('validationSplit', `${options.validationSplit} of ${m} samples leaves ${held} for validation and ${m - held} for training`);
  const train = Array.from({ length: m - held }, (_, j) => j);
  const val = Array.from({ length: held }, (_, j) => m - held + j);
  return { X: takeColumns(X, train), Y: takeColumns(Y, train), validation: { X: takeColumns(X, val), Y: takeColumns(Y, val) } };
}

/** What one update needs; shared by `fit` and `fitStream`. @internal */
export interface UpdateContext {
  model: Model;
  params: Map<string, Tensor>;
  weights: Tensor[];
  optimizer: Optimizer;
  l2: number;
  clipNorm: number | undefined;
}

/** One optimizer update on a batch; returns J before the update. @internal */
export function updateOnBatch(ctx: UpdateContext, Xb: Tensor, Yb: Tensor, size: number, fail: (what: string) => never): number {
  const { model, params, weights, optimizer } = ctx;
  model.training = true;
  for (const p of params.values()) p.zeroGrad();
  let J = model.cost(Xb, Yb);
  if (ctx.l2 > 0) {
    // λ/(2m)·Σ‖W‖², with m the samples in this batch, as the course writes it.
    for (const W of weights) J = add(J, mul(sum(square(W)), ctx.l2 / (2 * size)));
  }
  const cost = J.item();
  if (!Number.isFinite(cost)) fail(`the cost became ${cost}`);
  J.backward();
  if (ctx.clipNorm !== undefined) clipGradNorm(params, ctx.clipNorm);
  const bad = [...params].find(([, p]) => p.grad !== null && firstNonFinite(p.grad) >= 0);
  if (bad) fail(`d${bad[0]} became non-finite`);
  noGrad(() => optimizer.step(params));
  const broken = [...params].find(([, p]) => firstNonFinite(p) >= 0);
  if (broken) fail(`${broken[0]} became non-finite after the update`);
  return cost;
}

/**
 * The same update through a compiled step (./compiled.ts): the batch is the columns
 * `columns[start … start+size)` (or start … start+size), gathered straight into the program.
 * @internal
 */
export function updateCompiled(
  ctx: Pick<UpdateContext, 'model' | 'params' | 'optimizer' | 'l2' | 'clipNorm'>,
  compiled: CompiledRun,
  columns: ArrayLike<number> | null,
  start: number,
  size: number,
  fail: (what: string) => never,
): number {
  const { model, params, optimizer } = ctx;
  model.training = true;
  const cost = compiled.step(columns, start, size, ctx.l2);
  if (!Number.isFinite(cost)) fail(`the cost became ${cost}`);
  // The gradients are views of the program's: clipping scales them where the update reads them.
  if (ctx.clipNorm !== undefined) clipGradNorm(params, ctx.clipNorm);
  let broken: string | null;
  if (optimizer instanceof GradientDescent && optimizer.constructor === GradientDescent) {
    // Plain gradient descent (not a subclass with its own rule) runs in the program (W := W − α·dW
    // in WASM, written back), which checks the gradients and the results in the same pass and
    // changes nothing where a gradient is non-finite.
    const bad = compiled.descendChecked(optimizer.learningRate);
    if (bad && 'gradient' in bad) fail(`d${bad.gradient} became non-finite`);
    optimizer.recordStep(params);
    broken = bad?.parameter ?? null;
  } else if (runsInProgram(optimizer)) {
    // Adam, momentum and RMSprop (not subclasses with rules of their own) run in the program
    // too, their state in its memory: the same bits as their JavaScript rules, with no reload.
    const bad = compiled.nonFiniteGradient();
    if (bad) fail(`d${bad} became non-finite`);
    broken = compiled.optimize(optimizer, params);
  } else {
    const bad = compiled.nonFiniteGradient();
    if (bad) fail(`d${bad} became non-finite`);
    noGrad(() => optimizer.step(params));
    broken = compiled.loadUpdated();
  }
  if (broken) fail(`${broken} became non-finite after the update`);
  return cost;
}

/** The weights of a model (W1, W2, … or w), which L2 regularization penalizes. @internal */
export function weightsOf(params: Map<string, Tensor>): Tensor[] {
  return [...params].filter(([name]) => name.startsWith('W') || name === 'w').map(([, p]) => p);
}
