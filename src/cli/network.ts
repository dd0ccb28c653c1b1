/**
 * The network for a data set, from the command line's network options: input size from
 * the data, output layer and loss from the labels unless the user chose them.
 */
import { Sequential, Tensor, cast, type ActivationName, type LossName } from '../index.js';
import { UsageError, type CommandName, type NetworkArgs } from './args.js';
import type { Dataset } from './data.js';

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
 * @throws UsageError for choices that contradict each other or the data (naming the flag).
 */
export function buildNetwork(net: NetworkArgs, data: Pick<Dataset, 'X' | 'Y' | 'task'>, command: CommandName): Network {
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
