/**
 * The network for a data set, from the command line's network options: input size from
 * the data, output layer and loss from the labels unless the user chose them.
 */
import { ArgumentError, Sequential, Tensor, cast, type ActivationName, type LossName } from '../index.js';
import { UsageError, type CommandName, type NetworkArgs } from './args.js';
import type { Dataset } from './data.js';

/**
 * The most memory a command may plan to hold for its network at once: 4 GiB in all (weights,
 * gradients, optimizer moments, the copies the command keeps, the layers' outputs).
 *
 * Why 4 GiB: it is the library's default ceiling on a single tensor (getMaxTensorBytes), the
 * largest allocation nabla takes to be deliberate rather than a mistake in a size. Without a
 * ceiling on the total, a network whose every tensor is under that limit could still need
 * tens of GiB together (`explain --layers 100000000`: 15 GiB) and be killed by the system
 * after minutes, with no message. A command needing more than 4 GiB would also take minutes per
 * step on the 2-core machines nabla is made on, far from what the CLI is for; a library user
 * who means it can still build such a network. The estimate is a lower bound of what is
 * allocated (the backends keep some copies of their own), so the ceiling refuses no network
 * that could have run in much less.
 */
export const MAX_NETWORK_BYTES = 4 * 1024 ** 3;

/** What a command holds at once for its network, in units of the network's sizes. */
export interface Footprint {
  /** How many copies of the parameters: weights, gradients, optimizer moments, copies kept. */
  readonly parameterCopies: number;
  /** Values per unit of every layer (Z, A and their gradients, times the samples at once). */
  readonly perUnit: number;
  /** What those are, for the message: e.g. `weights, gradients and 2 Adam moments, and 64 samples' layer outputs`. */
  readonly what: string;
}

/** 1.5 GiB, 12.0 MiB, … */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** 400000001 → '400,000,001'. */
export const grouped = (n: number): string => n.toLocaleString('en-US');

/** Σ n[l]·n[l−1] + n[l]: the weights and biases of a network with these layer sizes. */
export function parameterCount(layerSizes: readonly number[]): number {
  let total = 0;
  for (let l = 1; l < layerSizes.length; l++) total += layerSizes[l]! * layerSizes[l - 1]! + layerSizes[l]!;
  return total;
}

/**
 * Refuses, before anything is allocated, a network the command could not hold in memory:
 * more than MAX_NETWORK_BYTES for its parameters `parameterCopies` times and its layers'
 * outputs for the samples it takes at once.
 *
 * @throws UsageError naming --layers and the memory needed.
 */
export function checkNetworkSize(layerSizes: readonly number[], dtype: 'float64' | 'float32', footprint: Footprint, command: CommandName): void {
  const bytesPerValue = dtype === 'float32' ? 4 : 8;
  const parameters = parameterCount(layerSizes);
  const units = layerSizes.slice(1).reduce((s, n) => s + n, 0);
  const bytes = bytesPerValue * (parameters * footprint.parameterCopies + units * footprint.perUnit);
  if (bytes <= MAX_NETWORK_BYTES) return;
  const hidden = layerSizes.slice(1, -1);
  throw new UsageError(
    `--layers ${hidden.join(',')}: the network [${layerSizes.join(', ')}] has ${grouped(parameters)} parameters ` +
      `(${formatBytes(parameters * bytesPerValue)} in ${dtype}); ${command} would need about ${formatBytes(bytes)} ` +
      `(${footprint.what}), above the ${formatBytes(MAX_NETWORK_BYTES)} a nabla command allows: give smaller --layers`,
    command,
    false,
  );
}

/**
 * The library's allocation errors in the command line's words: they end with "(setMaxTensorBytes
 * to change it)", a function a CLI user cannot call; undefined for any other error.
 */
export function allocationMessage(e: unknown): string | undefined {
  if (!(e instanceof ArgumentError) || e.where !== 'allocate') return undefined;
  return e.message
    .slice('allocate: '.length)
    .replace(/ \(setMaxTensorBytes to change it\)$/, '')
    .replace('above the limit of', "above nabla's limit of")
    .replace(/(limit of [\d.]+ \w+)$/, '$1 per tensor');
}

/**
 * An allocation that failed for the network's size as a usage error naming --layers (what the
 * user can change); `also` names the other flags that size what is allocated (e.g. --batch-size).
 */
export function networkTooLarge(e: unknown, layers: readonly number[], command: CommandName, also = ''): unknown {
  const message = allocationMessage(e);
  if (message === undefined) return e;
  return new UsageError(`--layers ${layers.join(',')}: ${message}; give smaller --layers${also}`, command, false);
}

/** The network and the data as it takes them (its dtype; labels shaped for its output). */
export interface Network {
  readonly model: Sequential;
  readonly X: Tensor;
  readonly Y: Tensor;
  readonly activations: readonly ActivationName[];
  readonly loss: LossName;
}

export const LOSS_TEXT: Record<LossName, string> = {
  binaryCrossEntropy: 'binary cross-entropy',
  categoricalCrossEntropy: 'categorical cross-entropy',
  squaredError: 'squared error',
};

/** The output activation a loss goes with. */
const OUTPUT_FOR_LOSS: Record<LossName, ActivationName> = {
  binaryCrossEntropy: 'sigmoid',
  categoricalCrossEntropy: 'softmax',
  squaredError: 'linear',
};

/** Labels (1, m) of 0/1 as one-hot (2, m), for a softmax output on two classes. */
function twoColumns(Y: Tensor): Tensor {
  const m = Y.shape[1]!;
  const out = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) out[(Y.data[j]! > 0.5 ? 1 : 0) * m + j] = 1;
  return new Tensor(out, [2, m]);
}

/**
 * Builds the network for `data`: [n_x, ...hidden, n_y]. The output layer is the last of
 * `--activations`, else the one `--loss` needs, else the labels': 2 classes → 1 sigmoid
 * unit (binary cross-entropy), K classes → K softmax units (categorical cross-entropy),
 * numbers → 1 linear unit (squared error).
 *
 * `footprint` says what else the command holds for the network, for the check that it fits in
 * memory (checkNetworkSize).
 *
 * @throws UsageError for choices that contradict each other or the data (naming the flag), or
 * a network too large to hold (naming --layers).
 */
export function buildNetwork(net: NetworkArgs, data: Pick<Dataset, 'X' | 'Y' | 'task'>, command: CommandName, footprint: Footprint): Network {
  const output: ActivationName = net.activations?.[net.activations.length - 1]
    ?? (net.loss !== undefined ? OUTPUT_FOR_LOSS[net.loss] : data.task === 'regression' ? 'linear' : data.task === 'binary' ? 'sigmoid' : 'softmax');
  if (net.loss !== undefined && net.activations !== undefined) {
    const needs = OUTPUT_FOR_LOSS[net.loss];
    if (net.loss !== 'squaredError' && output !== needs) {
      throw new UsageError(`--loss ${net.loss === 'binaryCrossEntropy' ? 'bce' : 'cce'} needs a ${needs} output layer, but --activations ends in ${output}`, command, false);
    }
  }
  if (output === 'softmax' && data.task === 'regression') {
    throw new UsageError('a softmax output needs class labels, but the data has numeric (regression) labels; see --labels for CSV files', command, false);
  }
  if (net.init === 'zeros' && net.layers.length > 0) {
    throw new UsageError('--init zeros would keep every hidden unit identical (symmetry is never broken): use small, scaled, xavier or he', command, false);
  }
  let Y = data.Y;
  // Two classes through softmax need one row per class.
  if (output === 'softmax' && Y.shape[0] === 1) Y = twoColumns(Y);
  const hidden = net.activations?.slice(0, -1) ?? net.layers.map(() => net.activation);
  const activations = [...hidden, output];
  const layerSizes = [data.X.shape[0]!, ...net.layers, Y.shape[0]!];
  // Before the weights are drawn: a network too large for memory is a message, not a kill.
  checkNetworkSize(layerSizes, net.dtype, footprint, command);
  const model = new Sequential({
    layerSizes,
    activations,
    ...(net.loss !== undefined ? { loss: net.loss } : {}),
    ...(net.init !== undefined ? { init: net.init } : {}),
    seed: net.seed,
    dtype: net.dtype,
    dropout: net.dropout,
  });
  const X = data.X.dtype === net.dtype ? data.X : cast(data.X, net.dtype);
  if (Y.dtype !== net.dtype) Y = cast(Y, net.dtype);
  return { model, X, Y, activations, loss: model.loss };
}
