/**
 * `nabla train <data>`: a network for a CSV file, a folder of pictures, an IDX pair or a
 * built-in set, trained by `fit` (mini-batches, any optimizer, validation, early stopping),
 * with a run folder holding the model, its history and plots.
 */
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  accuracy,
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
import { costCurveSVG, readCheckpoint, saveModelFile, writeCheckpoint } from '../node.js';
import { decisionBoundarySVG, type CurveSeries } from '../node.js';
import { UsageError, type TrainDataArgs } from './args.js';
import { loadData, type Dataset } from './data.js';
import { makeRunFolder, writeText } from './files.js';
import { dataNotes } from './model-info.js';
import { LOSS_TEXT, buildNetwork } from './network.js';
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
function splitValidation(X: Tensor, Y: Tensor, fraction: number, seed: number): { train: { X: Tensor; Y: Tensor }; val: { X: Tensor; Y: Tensor } } {
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

/** Runs `nabla train <data>`; resolves to the exit code. */
export async function trainData(args: TrainDataArgs, out: Output, version: string): Promise<number> {
  const started = new Date();
  const human = !args.json && !args.quiet;
  const say = (line: string): void => {
    if (human) out.write(`${line}\n`);
  };

  const data = await loadData(args.data, 'train');
  const net = buildNetwork(args.network, data, 'train');
  const { model } = net;
  const split = args.validationSplit === undefined ? undefined : splitValidation(net.X, net.Y, args.validationSplit, args.network.seed);
  const train = split?.train ?? { X: net.X, Y: net.Y };
  const m = train.X.shape[1]!;
  const batchSize = args.batchSize === undefined ? m : Math.min(args.batchSize, m);
  const batches = Math.ceil(m / batchSize);
  const optimizer = optimizerFor(args);
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
  let lastPrinted = -1;
  let history: History;
  const checkpointPath = join(runDir, 'checkpoint.safetensors');
  let resumeFrom: TrainingState | undefined;
  try {
    if (args.resume !== undefined) {
      const saved = readCheckpoint(args.resume);
      // The checkpoint's weights go into the network these options describe: any mismatch is named.
      for (const [name, value] of saved.model.parameters()) model.setParameter(name, value);
      resumeFrom = saved.state;
      say(`Resuming from ${args.resume} at epoch ${saved.state.epoch}`);
    }
    history = await fitAsync(model, train.X, train.Y, {
      ...(resumeFrom ? { resumeFrom } : {}),
      ...(args.checkpointEvery !== undefined ? { checkpoint: { every: args.checkpointEvery, save: (state: TrainingState) => writeCheckpoint(checkpointPath, model, state) } } : {}),
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
      // The library's advice in the command line's words.
      const message = (e.where === '' ? e.message : e.message.slice(e.where.length + 2))
        .replace('a smaller learning rate than', 'a smaller --learning-rate than')
        .replace(/ or clipNorm$/, ' or --clip-norm 1');
      throw new NonFiniteError(e.where, message);
    }
    throw e;
  }
  process.off('SIGINT', onInterrupt);
  bar?.finish();
  if (history.interrupted) {
    writeCheckpoint(checkpointPath, model, history.state!);
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
  const classify = data.task !== 'regression';
  const trainCost = costOf(model, train.X, train.Y);
  const valCost = split ? costOf(model, split.val.X, split.val.Y) : undefined;
  const trainAccuracy = classify ? accuracy(model, train.X, train.Y) : undefined;
  const valAccuracy = classify && split ? accuracy(model, split.val.X, split.val.Y) : undefined;
  let testAccuracy: number | undefined;
  if (classify && data.test) testAccuracy = accuracy(model, castTo(data.test.X, model), castTo(data.test.Y, model));

  const files = ['model.safetensors', 'history.csv', 'cost-curve.svg'];
  const modelPath = join(runDir, 'model.safetensors');
  const notes: Record<string, string> = {
    ...dataNotes({
      task: data.task,
      kind: data.kind,
      classNames: data.classNames,
      featureNames: data.featureNames,
      scaler: data.scaler,
      csv: data.csv,
      idx: data.idx,
      builtin: data.builtin,
    }),
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

  const epochsAxis = Array.from({ length: history.epochs }, (_, e) => e + 1);
  const title = `[${model.layerSizes.join(', ')}] on ${data.name}, ${args.optimizer} α = ${args.learningRate}`;
  const curves: CurveSeries[] = [{ name: 'train', x: epochsAxis, y: history.cost }];
  if (history.valCost.length > 0) curves.push({ name: 'validation', x: epochsAxis, y: history.valCost, dashed: true });
  await writeText(join(runDir, 'cost-curve.svg'), costCurveSVG(curves, { title: `Cost J — ${title}`, xLabel: 'epoch' }) + '\n');
  if (classify && net.X.shape[0] === 2) {
    const [xLabel, yLabel] = data.featureNames ?? ['x1', 'x2'];
    const svg = decisionBoundarySVG(model, net.X, net.Y, {
      title: `Decision boundary — ${title}`,
      ...(data.classNames ? { classNames: data.classNames } : {}),
      xLabel: `${xLabel ?? 'x1'}${data.scaler ? ' (scaled)' : ''}`,
      yLabel: `${yLabel ?? 'x2'}${data.scaler ? ' (scaled)' : ''}`,
    });
    await writeText(join(runDir, 'decision-boundary.svg'), svg + '\n');
    files.push('decision-boundary.svg');
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
