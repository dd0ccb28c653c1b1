/**
 * `nabla train <data>`: a network for a CSV file, a folder of pictures, an IDX pair or a
 * built-in set, trained by `fit` (mini-batches, any optimizer, validation, early stopping),
 * with a run folder holding the model, its history and plots.
 */
import { createHash } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  accuracy,
  ArgumentError,
  cast,
  createOptimizer,
  createRandom,
  NonFiniteError,
  noGrad,
  takeColumns,
  type BatchInfo,
  type EpochInfo,
  type History,
  type Optimizer,
  type Sequential,
  type Tensor,
  fitAsync,
  type TrainingState,
} from '../index.js';
import { costCurveSVG, loadModelFile, readCheckpoint, saveModelFile, writeCheckpoint, type ModelFileMetadata } from '../node.js';
import { decisionBoundarySVG, type CurveSeries } from '../node.js';
import { UsageError, type TrainDataArgs } from './args.js';
import { loadData, type Dataset } from './data.js';
import { makeRunFolder, writeOptional, writeText } from './files.js';
import { dataNotes } from './model-info.js';
import { LOSS_TEXT, buildNetwork, formatBytes, grouped, networkTooLarge, parameterCount, type Network } from './network.js';
import { formatDuration, progressBarFor, type Output } from './progress.js';

/** At most about this many epoch lines are printed when stdout is not a terminal. */
const MAX_LINES = 50;

/** Print every k-th epoch, k from 1, 2, 5, 10, 20, 50, …, so that at most MAX_LINES are printed. */
export function printStep(epochs: number): number {
  for (let power = 1; ; power *= 10) {
    for (const f of [1, 2, 5]) if (epochs / (f * power) <= MAX_LINES) return f * power;
  }
}

/** The optimizer the flags describe; each flag was checked against the optimizer when parsed. */
function optimizerFor(args: TrainDataArgs): Optimizer {
  const learningRate = args.learningRate;
  switch (args.optimizer) {
    case 'gd':
      return createOptimizer('gd', { learningRate });
    case 'momentum':
      return createOptimizer('momentum', { learningRate, ...(args.momentum !== undefined ? { beta: args.momentum } : {}) });
    case 'rmsprop':
      return createOptimizer('rmsprop', { learningRate, ...(args.beta2 !== undefined ? { rho: args.beta2 } : {}) });
    case 'adam':
      return createOptimizer('adam', {
        learningRate,
        ...(args.beta1 !== undefined ? { beta1: args.beta1 } : {}),
        ...(args.beta2 !== undefined ? { beta2: args.beta2 } : {}),
      });
  }
}

/** Splits off a seeded random fraction of the columns for validation. */
function splitValidation(X: Tensor, Y: Tensor, fraction: number, seed: number): { train: { X: Tensor; Y: Tensor }; val: { X: Tensor; Y: Tensor }; trainColumns: number[] } {
  const m = X.shape[1]!;
  const held = Math.round(m * fraction);
  if (held < 1 || held >= m) {
    throw new UsageError(`--validation-split ${fraction} of ${m} samples leaves ${held} for validation and ${m - held} for training`, 'train', false);
  }
  // Random, not the last columns: data files and the built-in sets are often sorted by class.
  // Seed + 2: the weights use the seed, dropout seed + 1.
  const rng = createRandom(seed + 2);
  const order = Array.from({ length: m }, (_, j) => j);
  for (let i = m - 1; i > 0; i--) {
    const k = rng.randint(0, i + 1);
    [order[i], order[k]] = [order[k]!, order[i]!];
  }
  const trainIdx = order.slice(0, m - held).sort((a, b) => a - b);
  const valIdx = order.slice(m - held).sort((a, b) => a - b);
  return {
    train: { X: takeColumns(X, trainIdx), Y: takeColumns(Y, trainIdx) },
    val: { X: takeColumns(X, valIdx), Y: takeColumns(Y, valIdx) },
    trainColumns: trainIdx,
  };
}

function describeData(data: Dataset, m: number): string {
  const n = data.X.shape[0]!;
  const what = data.task === 'regression'
    ? 'numeric labels (regression)'
    : `${data.classNames?.length ?? data.Y.shape[0]} classes${data.classNames ? ` (${shortList(data.classNames)})` : ''}`;
  return `${m} samples, ${n} features, ${what}`;
}

function shortList(items: readonly string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, …`;
}

const pct = (v: number): string => `${Number(v.toFixed(2))} %`;

/** The per-epoch figures as one JSON object (snake_case keys, as the history.csv columns). */
function epochJSON(info: EpochInfo, epochs: number, seconds: number): string {
  return JSON.stringify({
    type: 'epoch',
    epoch: info.epoch + 1,
    epochs,
    cost: info.cost,
    ...(info.accuracy !== undefined ? { accuracy: info.accuracy } : {}),
    ...(info.valCost !== undefined ? { val_cost: info.valCost } : {}),
    ...(info.valAccuracy !== undefined ? { val_accuracy: info.valAccuracy } : {}),
    learning_rate: info.learningRate,
    seconds: Number(seconds.toFixed(3)),
  });
}

function epochLine(info: EpochInfo, epochs: number): string {
  const parts = [`cost ${info.cost.toFixed(6)}`];
  if (info.accuracy !== undefined) parts.push(`accuracy ${pct(info.accuracy)}`);
  if (info.valCost !== undefined) parts.push(`validation cost ${info.valCost.toFixed(6)}`);
  if (info.valAccuracy !== undefined) parts.push(`validation accuracy ${pct(info.valAccuracy)}`);
  return `Epoch ${String(info.epoch + 1).padStart(String(epochs).length)}/${epochs}: ${parts.join(', ')}`;
}

/** The bar's metrics after an epoch: `acc 93.5%  val 0.2811 92%` (validation cost and accuracy). */
function epochDetail(info: EpochInfo): string {
  const parts: string[] = [];
  if (info.accuracy !== undefined) parts.push(`acc ${Number(info.accuracy.toFixed(1))}%`);
  if (info.valCost !== undefined) parts.push(`val ${info.valCost.toFixed(4)}${info.valAccuracy !== undefined ? ` ${Number(info.valAccuracy.toFixed(1))}%` : ''}`);
  return parts.join('  ');
}

function historyCSV(history: History): string {
  const cell = (values: readonly number[], e: number): string => (values[e] === undefined ? '' : String(values[e]));
  const lines = ['epoch,cost,val_cost,accuracy,val_accuracy'];
  for (let e = 0; e < history.epochs; e++) {
    lines.push([e + 1, cell(history.cost, e), cell(history.valCost, e), cell(history.accuracy, e), cell(history.valAccuracy, e)].join(','));
  }
  return lines.join('\n') + '\n';
}

function costOf(model: Sequential, X: Tensor, Y: Tensor): number {
  return noGrad(() => model.cost(X, Y).item());
}

/**
 * The longest string V8 makes (2^29 − 24 characters in Node 20). A checkpoint holds the
 * training state — the optimizer's moments among it — as one JSON string: an optimizer state
 * longer than that cannot be written (JSON.stringify throws "Invalid string length").
 */
const MAX_STATE_CHARS = 2 ** 29 - 24;
/** The fewest characters a float64 takes in JSON with its comma: 16 (most take 18 to 23). */
const MIN_CHARS_PER_VALUE = 16;

/** Moments each optimizer keeps per parameter (velocity; squares; both for Adam). */
const OPTIMIZER_BUFFERS: Record<TrainDataArgs['optimizer'], number> = { gd: 0, momentum: 1, rmsprop: 1, adam: 2 };

/**
 * Accuracy by the most probable class, for sigmoid outputs on K > 2 classes (one per sample):
 * as `nabla eval` measures it. The library's accuracy reads K sigmoid units as K independent
 * yes/no labels and counts a sample right only when all K are (a multi-label's exact match),
 * which for one class per sample is a different, lower figure.
 */
function mostProbableAccuracy(model: Sequential, X: Tensor, Y: Tensor): number {
  const A = model.predictProba(X);
  const [K, m] = [A.shape[0]!, A.shape[1]!];
  let right = 0;
  for (let j = 0; j < m; j++) {
    let best = 0, truth = 0;
    for (let k = 1; k < K; k++) {
      if (A.data[k * m + j]! > A.data[best * m + j]!) best = k;
      if (Y.data[k * m + j]! > Y.data[truth * m + j]!) truth = k;
    }
    if (best === truth) right++;
  }
  return (right / m) * 100;
}

/** SHA-256 of the training samples (features, labels, which columns), to tell a checkpoint's data from other data. */
function fingerprint(data: Dataset, trainColumns: readonly number[] | undefined): string {
  const hash = createHash('sha256');
  for (const t of [data.X, data.Y]) {
    hash.update(t.shape.join('x'));
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  hash.update(trainColumns === undefined ? 'all' : Int32Array.from(trainColumns));
  return hash.digest('hex').slice(0, 16);
}

/** What a checkpoint is for, as compared with the options of a run resuming from it. */
interface RunShape {
  readonly layerSizes: readonly number[];
  readonly activations: readonly string[];
  readonly loss: string;
  readonly dtype: string;
  readonly optimizer: string;
  readonly samples: number;
  /** The data's name (a built-in set or a path) when known. */
  readonly source?: string | undefined;
  readonly fingerprint?: string | undefined;
  readonly validationSplit?: string | undefined;
  readonly seed?: string | undefined;
}

function describeRun(r: RunShape): string {
  return `[${r.layerSizes.join(', ')}] (${r.activations.join(', ')}), ${r.optimizer}, ${r.dtype}, ${r.samples} training samples${r.source !== undefined ? ` of ${r.source}` : ''}`;
}

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The options that make `now` differ from the checkpoint's `then`, by the flags that choose them. */
function differences(then: RunShape, now: RunShape): string[] {
  const out = new Set<string>();
  const [a, b] = [then.layerSizes, now.layerSizes];
  if (a[0] !== b[0] || a[a.length - 1] !== b[b.length - 1]) out.add('the data');
  if (!same(a.slice(1, -1), b.slice(1, -1))) out.add('--layers');
  // With another number of hidden layers, --layers says it; their activations are not compared.
  if (a.length === b.length && !same(then.activations.slice(0, -1), now.activations.slice(0, -1))) out.add('--activation');
  if (then.activations[then.activations.length - 1] !== now.activations[now.activations.length - 1] && a[a.length - 1] === b[b.length - 1]) out.add('--loss');
  if (then.loss !== now.loss && !out.has('the data')) out.add('--loss');
  if (then.dtype !== now.dtype) out.add('--dtype');
  if (then.optimizer !== now.optimizer) out.add('--optimizer');
  // By content, not by name: `moons.csv` and `./moons.csv` are the same data. (A checkpoint
  // written by the library, without these notes, is not compared.)
  const dataDiffers = then.fingerprint !== undefined && then.fingerprint !== now.fingerprint;
  if (then.samples !== now.samples || dataDiffers) {
    if (then.validationSplit !== now.validationSplit) out.add('--validation-split');
    else if (then.validationSplit !== undefined && then.seed !== now.seed) out.add('--seed (it picks the validation samples)');
    else if (then.source !== undefined && basename(then.source) !== basename(now.source ?? '')) out.add('the data');
    else out.add('the data (the file changed, or --label, --labels, --scale or --image-size read it otherwise)');
  }
  return [...out];
}

function shapeOfCheckpoint(metadata: ModelFileMetadata, state: TrainingState): RunShape {
  const spec = metadata.model;
  const notes = metadata.notes;
  return {
    layerSizes: spec.kind === 'sequential' ? spec.layerSizes : [spec.inputSize, 1],
    activations: spec.kind === 'sequential' ? spec.activations : ['sigmoid'],
    loss: spec.kind === 'sequential' ? spec.loss : 'binaryCrossEntropy',
    dtype: spec.dtype,
    optimizer: state.optimizer.name ?? notes.optimizer ?? 'gd',
    samples: state.order.length,
    source: notes.source,
    fingerprint: notes.dataFingerprint,
    validationSplit: notes.validationSplit,
    seed: notes.seed,
  };
}

/**
 * Reads `--resume`'s checkpoint and compares it with the run these options describe, before
 * anything is loaded into the network: every difference is named by its flag.
 *
 * @throws UsageError for a checkpoint of another network, optimizer, dtype or data, or one
 * already at (or past) --epochs.
 */
async function readResume(args: TrainDataArgs, path: string, now: RunShape): Promise<{ model: Sequential; state: TrainingState }> {
  const saved = readCheckpoint(path);
  const { metadata } = await loadModelFile(path);
  const then = shapeOfCheckpoint(metadata, saved.state);
  const diffs = differences(then, now);
  if (diffs.length > 0) {
    throw new UsageError(
      `--resume ${path}: the checkpoint is for ${describeRun(then)}; these options give ${describeRun(now)} ` +
        `(different: ${diffs.join(', ')}). Resume with the options it was trained with`,
      'train',
      false,
    );
  }
  if (saved.state.epoch >= args.epochs) {
    throw new UsageError(
      `--resume ${path}: the checkpoint is already at epoch ${saved.state.epoch}, and --epochs ${args.epochs} asks for ${args.epochs} in all ` +
        `(counted from the first epoch, not from the checkpoint): give --epochs above ${saved.state.epoch} to train further`,
      'train',
      false,
    );
  }
  return { model: saved.model as Sequential, state: saved.state };
}

/** fit's 0-based `epoch e, batch b` as the 1-based counts the progress lines use. */
function oneBased(where: string, epochs: number, batches: number): string {
  const match = /^epoch (\d+), batch (\d+)$/.exec(where);
  if (match === null) return where;
  return `epoch ${Number(match[1]) + 1} of ${epochs}, batch ${Number(match[2]) + 1} of ${batches}`;
}

/** The decision boundary's grid: 80 × 80 cells, as decisionBoundarySVG draws it by default; 20 × 20 at the coarsest. */
const BOUNDARY_RESOLUTION = { most: 80, least: 20 } as const;
/**
 * What the decision boundary's one forward pass over its grid may take: 1 GiB, a quarter of
 * what a command may plan for its network — a plot is worth less than the training it shows.
 */
const BOUNDARY_BYTES = 1024 ** 3;

/**
 * The grid for a network's decision boundary: 80 × 80 cells, fewer for a network so wide that
 * the grid's forward pass (about four values per unit and cell: the product, Z, A, the next
 * layer's input) would take more than BOUNDARY_BYTES, and none (undefined, with the reason)
 * below 20 × 20. Without this, [2, 100000, 1] failed to allocate a 4.8 GiB tensor, and in
 * float32 [2, 84000, 1] took 6 GiB to draw.
 */
function boundaryResolution(model: Sequential, layers: readonly number[]): { resolution: number } | { why: string } {
  const units = model.layerSizes.slice(1).reduce((s, n) => s + n, 0);
  const bytesPerCell = 4 * units * (model.dtype === 'float32' ? 4 : 8);
  const resolution = Math.min(BOUNDARY_RESOLUTION.most, Math.floor(Math.sqrt(BOUNDARY_BYTES / bytesPerCell)));
  if (resolution >= BOUNDARY_RESOLUTION.least) return { resolution };
  const least = BOUNDARY_RESOLUTION.least ** 2;
  return {
    why: `its grid of ${least} points through --layers ${layers.join(',')} would take ${formatBytes(least * bytesPerCell)}, ` +
      `more than the ${formatBytes(BOUNDARY_BYTES)} a plot may; smaller --layers draw it`,
  };
}

/** Runs `nabla train <data>`; resolves to the exit code. */
export async function trainData(args: TrainDataArgs, out: Output, version: string): Promise<number> {
  const started = new Date();
  const human = !args.json && !args.quiet;
  const say = (line: string): void => {
    if (human) out.write(`${line}\n`);
  };

  const data = await loadData(args.data, 'train');
  const mAll = data.X.shape[1]!;
  const batchAll = Math.min(args.batchSize ?? mAll, mAll);
  const buffers = OPTIMIZER_BUFFERS[args.optimizer];
  const net: Network = buildNetwork(args.network, data, 'train', {
    // The weights, their gradients, the optimizer's moments, early stopping's best weights;
    // per unit Z, A and their gradients for a batch, or Z and A for every sample at once
    // (each epoch's accuracy, the final cost).
    parameterCopies: 2 + buffers + (args.earlyStopping !== undefined ? 1 : 0),
    perUnit: Math.max(4 * batchAll, 2 * mAll),
    what: `weights, gradients${buffers > 0 ? `, ${buffers} ${args.optimizer} moment${buffers > 1 ? 's' : ''}` : ''}` +
      `${args.earlyStopping !== undefined ? ", the best epoch's weights" : ''}, and the layer outputs of ${4 * batchAll >= 2 * mAll ? `a batch of ${batchAll}` : `all ${mAll} samples`}`,
  });
  const { model } = net;
  const split = args.validationSplit === undefined ? undefined : splitValidation(net.X, net.Y, args.validationSplit, args.network.seed);
  const train = split?.train ?? { X: net.X, Y: net.Y };
  const m = train.X.shape[1]!;
  const batchSize = args.batchSize === undefined ? m : Math.min(args.batchSize, m);
  const batches = Math.ceil(m / batchSize);
  const classify = data.task !== 'regression';
  // Sigmoid outputs on K > 2 classes: accuracy by the most probable class, as eval measures it.
  const byMostProbable = classify && net.activations[net.activations.length - 1] === 'sigmoid' && net.Y.shape[0]! > 1;
  if (byMostProbable && args.trainAccuracy === 'running') {
    throw new UsageError(
      `--train-accuracy running: with sigmoid outputs on ${net.Y.shape[0]} classes the accuracy is measured by the most probable class, ` +
        'at the end of each epoch; leave out --train-accuracy, or use softmax outputs (--loss cce)',
      'train',
      false,
    );
  }
  const classAccuracy = (X: Tensor, Y: Tensor): number => (byMostProbable ? mostProbableAccuracy(model, X, Y) : accuracy(model, X, Y));
  const optimizer = optimizerFor(args);

  // The notes of the model file and of checkpoints: what the data was and how it was read.
  const dataRecord = dataNotes({
    task: data.task,
    kind: data.kind,
    classNames: data.classNames,
    featureNames: data.featureNames,
    scaler: data.scaler,
    csv: data.csv,
    idx: data.idx,
    builtin: data.builtin,
  });
  let dataFingerprint: string | undefined;
  const fingerprintNow = (): string => (dataFingerprint ??= fingerprint(data, split?.trainColumns));
  // A checkpoint records what it was trained on and with, so that --resume can check it.
  const checkpointNotes = (): Record<string, string> => ({
    ...dataRecord,
    source: args.data.source,
    optimizer: args.optimizer,
    learningRate: String(args.learningRate),
    batchSize: String(batchSize),
    seed: String(args.network.seed),
    trainingSamples: String(m),
    dataFingerprint: fingerprintNow(),
    ...(args.validationSplit !== undefined ? { validationSplit: String(args.validationSplit) } : {}),
    createdBy: `nabla ${version}`,
  });

  // --resume: compared with these options before anything is written or loaded.
  let resumed: { model: Sequential; state: TrainingState } | undefined;
  if (args.resume !== undefined) {
    resumed = await readResume(args, args.resume, {
      layerSizes: model.layerSizes,
      activations: net.activations,
      loss: net.loss,
      dtype: model.dtype,
      optimizer: args.optimizer,
      samples: m,
      source: args.data.source,
      fingerprint: fingerprintNow(),
      validationSplit: args.validationSplit === undefined ? undefined : String(args.validationSplit),
      seed: String(args.network.seed),
    });
  }
  // Checkpoints hold the optimizer's moments as JSON text: refuse ones that cannot be written.
  const stateValues = buffers * parameterCount(model.layerSizes);
  const tooLargeForCheckpoint = (): string =>
    `a checkpoint of [${model.layerSizes.join(', ')}] with ${args.optimizer} holds its ${grouped(stateValues)} moments as text, ` +
    'more than a checkpoint can hold (about 30 million values at most); use smaller --layers, or --optimizer gd (no moments)';
  if (args.checkpointEvery !== undefined && stateValues * MIN_CHARS_PER_VALUE > MAX_STATE_CHARS) {
    throw new UsageError(`--checkpoint-every: ${tooLargeForCheckpoint()}`, 'train', false);
  }
  const runDir = await makeRunFolder(args.out, data.name, started);

  // Ctrl-C: finish the epoch, write a checkpoint, say where. fitAsync yields to the event
  // loop, which is what lets this handler run during training. It is in place before the
  // first line is printed, so a Ctrl-C prompted by that line is never the default kill.
  let interruptRequested = false;
  const onInterrupt = (): void => {
    interruptRequested = true;
    if (!args.json) out.error('\nInterrupted: finishing this epoch, then writing a checkpoint…\n');
  };
  process.once('SIGINT', onInterrupt);
  say(`Training [${model.layerSizes.join(', ')}] (${net.activations.join(', ')}) on ${args.data.source}: ${describeData(data, net.X.shape[1]!)}`);
  say(
    `  ${LOSS_TEXT[net.loss]}, ${args.optimizer} (α = ${args.learningRate}), ${args.epochs} epochs, ` +
      `${batchSize === m ? 'full batch' : `batches of ${batchSize}`}, ${split ? `${split.val.X.shape[1]} samples held out for validation` : 'no validation'}` +
      `${args.l2 > 0 ? `, L2 λ = ${args.l2}` : ''}${args.network.dropout > 0 ? `, dropout ${args.network.dropout}` : ''}` +
      `${args.earlyStopping !== undefined ? `, early stopping after ${args.earlyStopping} epochs` : ''}, ${args.network.dtype}, seed ${args.network.seed}`,
  );

  const bar = human ? progressBarFor(out, args.epochs, undefined, 'ep') : undefined;
  const step = printStep(args.epochs);
  const t0 = performance.now();
  // The bar shows the epoch's running cost (a batch's own cost jumps around), the
  // size-weighted mean of its batches so far, as the epoch's cost will be.
  let running = { epoch: -1, total: 0, samples: 0 };
  const onBatchEnd = (b: BatchInfo): void => {
    if (b.epoch !== running.epoch) running = { epoch: b.epoch, total: 0, samples: 0 };
    running.total += b.cost * b.batchSize;
    running.samples += b.batchSize;
    bar?.update(b.epoch + (b.batch + 1) / batches, running.total / running.samples);
  };
  // Per epoch, the accuracies by the most probable class (byMostProbable), in place of fit's.
  const measured = new Map<number, { accuracy: number; valAccuracy?: number }>();
  const withMeasured = <H extends Omit<History, 'state'>>(h: H): H => {
    for (const [e, a] of measured) {
      if (e < h.accuracy.length) h.accuracy[e] = a.accuracy;
      if (a.valAccuracy !== undefined && e < h.valAccuracy.length) h.valAccuracy[e] = a.valAccuracy;
    }
    return h;
  };
  const checkpointPath = join(runDir, 'checkpoint.safetensors');
  const saveCheckpoint = (state: TrainingState): void => {
    try {
      writeCheckpoint(checkpointPath, model, { ...state, history: withMeasured(structuredClone(state.history)) }, {
        ...(data.preprocessing ? { preprocessing: data.preprocessing } : {}),
        notes: checkpointNotes(),
      });
    } catch (e) {
      if (e instanceof RangeError) throw new ArgumentError(checkpointPath, `not written: ${tooLargeForCheckpoint()}`);
      throw e;
    }
  };
  let lastPrinted = -1;
  let history: History;
  let resumeFrom: TrainingState | undefined;
  try {
    if (resumed !== undefined) {
      for (const [name, value] of resumed.model.parameters()) model.setParameter(name, value);
      // The learning rate is this command's (--learning-rate, or its default), as the banner
      // says: the optimizer's moments carry over, its step size is the one asked for now.
      const before = resumed.state.optimizer.learningRate;
      resumeFrom = { ...resumed.state, optimizer: { ...resumed.state.optimizer, learningRate: args.learningRate } };
      const changed = before !== undefined && before !== args.learningRate ? ` with learning rate ${args.learningRate} (the checkpoint's was ${before})` : '';
      say(`Resuming from ${args.resume} at epoch ${resumed.state.epoch}${changed}`);
    }
    history = await fitAsync(model, train.X, train.Y, {
      ...(resumeFrom ? { resumeFrom } : {}),
      ...(args.checkpointEvery !== undefined ? { checkpoint: { every: args.checkpointEvery, save: saveCheckpoint } } : {}),
      shouldStop: () => interruptRequested,
      epochs: args.epochs,
      batchSize,
      seed: args.network.seed,
      optimizer,
      l2: args.l2,
      ...(args.clipNorm !== undefined ? { clipNorm: args.clipNorm } : {}),
      ...(args.trainAccuracy !== undefined ? { trainAccuracy: args.trainAccuracy } : {}),
      ...(split ? { validationData: split.val } : {}),
      ...(args.earlyStopping !== undefined ? { earlyStopping: { patience: args.earlyStopping } } : {}),
      ...(bar ? { onBatchEnd } : {}),
      onEpochEnd: (info) => {
        if (byMostProbable) {
          info.accuracy = classAccuracy(train.X, train.Y);
          if (split) info.valAccuracy = classAccuracy(split.val.X, split.val.Y);
          measured.set(info.epoch, { accuracy: info.accuracy, ...(info.valAccuracy !== undefined ? { valAccuracy: info.valAccuracy } : {}) });
        }
        if (args.json) out.write(`${epochJSON(info, args.epochs, (performance.now() - t0) / 1000)}\n`);
        else if (bar) bar.update(info.epoch + 1, info.cost, epochDetail(info));
        else if (info.epoch % step === 0 || info.epoch + 1 === args.epochs) {
          say(epochLine(info, args.epochs));
          lastPrinted = info.epoch;
        }
      },
    });
  } catch (e) {
    process.off('SIGINT', onInterrupt);
    bar?.finish();
    // Nothing was written: leave no empty run folder behind.
    await rmdir(runDir).catch(() => undefined);
    if (e instanceof NonFiniteError) {
      // The library's advice in the command line's words, its epochs and batches counted from
      // 1 as the progress lines count them.
      const message = (e.where === '' ? e.message : e.message.slice(e.where.length + 2))
        .replace('a smaller learning rate than', 'a smaller --learning-rate than')
        .replace(/ or clipNorm$/, ' or --clip-norm 1');
      throw new NonFiniteError(oneBased(e.where, args.epochs, batches), message);
    }
    throw networkTooLarge(e, args.network.layers, 'train', ' or a smaller --batch-size');
  }
  process.off('SIGINT', onInterrupt);
  bar?.finish();
  withMeasured(history);
  if (history.interrupted) {
    try {
      saveCheckpoint(history.state!);
    } catch (e) {
      await rmdir(runDir).catch(() => undefined);
      throw e;
    }
    const message = `Interrupted after epoch ${history.epochs}: checkpoint written to ${checkpointPath}\n` +
      `Resume with the same command and --resume ${checkpointPath}\n`;
    if (args.json) out.write(`${JSON.stringify({ interrupted: true, epoch: history.epochs, checkpoint: checkpointPath })}\n`);
    else out.error(message);
    return 130;
  }
  // Stopped early between two printed epochs: show the last one too.
  const last = history.epochs - 1;
  if (!args.json && !bar && lastPrinted !== last) {
    say(epochLine({
      epoch: last,
      cost: history.cost[last]!,
      learningRate: optimizer.learningRate,
      ...(history.accuracy[last] !== undefined ? { accuracy: history.accuracy[last] } : {}),
      ...(history.valCost[last] !== undefined ? { valCost: history.valCost[last] } : {}),
      ...(history.valAccuracy[last] !== undefined ? { valAccuracy: history.valAccuracy[last] } : {}),
    }, args.epochs));
  }
  const seconds = (performance.now() - t0) / 1000;

  // The model holds the best epoch's weights when early stopping restored them: measure it as it is.
  let trainCost: number, valCost: number | undefined, trainAccuracy: number | undefined, valAccuracy: number | undefined, testAccuracy: number | undefined;
  try {
    trainCost = costOf(model, train.X, train.Y);
    valCost = split ? costOf(model, split.val.X, split.val.Y) : undefined;
    trainAccuracy = classify ? classAccuracy(train.X, train.Y) : undefined;
    valAccuracy = classify && split ? classAccuracy(split.val.X, split.val.Y) : undefined;
    if (classify && data.test) testAccuracy = classAccuracy(castTo(data.test.X, model), castTo(data.test.Y, model));
  } catch (e) {
    throw networkTooLarge(e, args.network.layers, 'train');
  }

  const files = ['model.safetensors', 'history.csv'];
  const modelPath = join(runDir, 'model.safetensors');
  const notes: Record<string, string> = {
    ...dataRecord,
    source: args.data.source,
    optimizer: args.optimizer,
    learningRate: String(args.learningRate),
    epochs: String(history.epochs),
    batchSize: String(batchSize),
    l2: String(args.l2),
    dropout: String(args.network.dropout),
    seed: String(args.network.seed),
    trainCost: String(trainCost),
    createdAt: started.toISOString(),
    createdBy: `nabla ${version}`,
  };
  if (args.validationSplit !== undefined) notes.validationSplit = String(args.validationSplit);
  if (args.earlyStopping !== undefined) notes.earlyStopping = String(args.earlyStopping);
  if (history.bestEpoch !== undefined) notes.bestEpoch = String(history.bestEpoch + 1);
  if (trainAccuracy !== undefined) notes.trainAccuracy = String(trainAccuracy);
  if (valAccuracy !== undefined) notes.valAccuracy = String(valAccuracy);
  if (testAccuracy !== undefined) notes.testAccuracy = String(testAccuracy);
  await saveModelFile(modelPath, model, { ...(data.preprocessing ? { preprocessing: data.preprocessing } : {}), notes });
  await writeText(join(runDir, 'history.csv'), historyCSV(history));

  // The plots: one that cannot be drawn (a network too wide for the boundary's grid) is a
  // warning; the model and its history are written, and the run folder is still reported.
  const warn = (line: string): void => out.error(`${line}\n`);
  const epochsAxis = Array.from({ length: history.epochs }, (_, e) => e + 1);
  const title = `[${model.layerSizes.join(', ')}] on ${data.name}, ${args.optimizer} α = ${args.learningRate}`;
  const curves: CurveSeries[] = [{ name: 'train', x: epochsAxis, y: history.cost }];
  if (history.valCost.length > 0) curves.push({ name: 'validation', x: epochsAxis, y: history.valCost, dashed: true });
  if (await writeOptional(join(runDir, 'cost-curve.svg'), () => costCurveSVG(curves, { title: `Cost J — ${title}`, xLabel: 'epoch' }) + '\n', warn, 'drawn')) {
    files.push('cost-curve.svg');
  }
  if (classify && net.X.shape[0] === 2) {
    const [xLabel, yLabel] = data.featureNames ?? ['x1', 'x2'];
    const grid = boundaryResolution(model, args.network.layers);
    if ('why' in grid) warn(`warning: decision-boundary.svg not drawn: ${grid.why}`);
    else {
      const drawn = await writeOptional(join(runDir, 'decision-boundary.svg'), () => decisionBoundarySVG(model, net.X, net.Y, {
        resolution: grid.resolution,
        title: `Decision boundary — ${title}`,
        ...(data.classNames ? { classNames: data.classNames } : {}),
        xLabel: `${xLabel ?? 'x1'}${data.scaler ? ' (scaled)' : ''}`,
        yLabel: `${yLabel ?? 'x2'}${data.scaler ? ' (scaled)' : ''}`,
      }) + '\n', warn, 'drawn');
      if (drawn) files.push('decision-boundary.svg');
    }
  }

  if (args.json) {
    out.write(
      JSON.stringify({
        type: 'summary',
        data: args.data.source,
        task: data.task,
        ...(data.classNames ? { classes: data.classNames } : {}),
        layer_sizes: model.layerSizes,
        activations: net.activations,
        loss: net.loss,
        epochs: history.epochs,
        stopped_early: history.stoppedEarly,
        ...(history.bestEpoch !== undefined ? { best_epoch: history.bestEpoch + 1 } : {}),
        cost: trainCost,
        ...(valCost !== undefined ? { val_cost: valCost } : {}),
        ...(trainAccuracy !== undefined ? { accuracy: trainAccuracy } : {}),
        ...(valAccuracy !== undefined ? { val_accuracy: valAccuracy } : {}),
        ...(testAccuracy !== undefined ? { test_accuracy: testAccuracy } : {}),
        seconds: Number(seconds.toFixed(3)),
        run_folder: runDir,
        model: modelPath,
        files,
      }) + '\n',
    );
    return 0;
  }

  if (history.stoppedEarly && history.bestEpoch !== undefined) {
    say(`Stopped early after epoch ${history.epochs}: no lower ${split ? 'validation ' : ''}cost for ${args.earlyStopping} epochs; kept the weights of epoch ${history.bestEpoch + 1}`);
  } else if (history.bestEpoch !== undefined && history.bestEpoch + 1 !== history.epochs) {
    say(`Kept the weights of epoch ${history.bestEpoch + 1}, the lowest ${split ? 'validation ' : ''}cost`);
  }
  if (trainAccuracy !== undefined) out.write(`Train accuracy: ${pct(trainAccuracy)}\n`);
  if (valAccuracy !== undefined) out.write(`Validation accuracy: ${pct(valAccuracy)}\n`);
  if (testAccuracy !== undefined) out.write(`Test accuracy: ${pct(testAccuracy)}\n`);
  if (!classify) {
    out.write(`Train cost (${LOSS_TEXT[net.loss]}): ${trainCost}\n`);
    if (valCost !== undefined) out.write(`Validation cost: ${valCost}\n`);
  }
  say(`Trained in ${formatDuration(seconds)} (${seconds.toFixed(1)} s, ${(history.epochs / Math.max(seconds, 1e-9)).toFixed(1)} epochs/s)`);
  out.write(`Run folder: ${runDir}/\n`);
  say(`  ${files.join('  ')}`);
  return 0;
}

function castTo(t: Tensor, model: Sequential): Tensor {
  return t.dtype === model.dtype ? t : cast(t, model.dtype);
}
