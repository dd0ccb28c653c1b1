/**
 * The commands, built-in data sets and default settings of `nabla`: one place, read both by
 * the parser (args.ts) and by the help texts (usage.ts), so a default printed in a help text
 * is the default used.
 */
import type { ActivationName, OptimizerName } from '../index.js';

export const COMMANDS = ['train', 'eval', 'predict', 'gradcheck', 'explain', 'export', 'reproduce'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const EXPERIMENTS = ['logistic', 'learning-rates', 'logistic-flower', 'shallow', 'hidden-sizes', 'two-layer', 'l-layer', 'all'] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

/** Data sets nabla generates or ships, usable wherever a <data> argument is taken. */
export const BUILTIN_DATA = ['flower', 'moons', 'circles', 'spirals', 'xor', 'blobs', 'cat'] as const;
export type BuiltinData = (typeof BUILTIN_DATA)[number];

/** The course's cat job: `nabla train` with no <data>. */
export const TRAIN_DEFAULTS = {
  iterations: 2500,
  learningRate: 0.0075,
  layers: [20, 7, 5] as readonly number[],
  dtype: 'float64' as 'float64' | 'float32',
  out: 'runs',
} as const;

/**
 * Per command, the hidden layers and activation when none are given: a small general net
 * for train; the course's gradient-checking net [n_x, 5, 3, 1] for gradcheck; the course's
 * shallow net [2, 4, 1] (tanh) for explain, small enough to print every value.
 */
export const NETWORK_DEFAULTS = {
  train: { layers: [16, 8] as readonly number[], activation: 'relu' as ActivationName },
  gradcheck: { layers: [5, 3] as readonly number[], activation: 'relu' as ActivationName },
  explain: { layers: [4] as readonly number[], activation: 'tanh' as ActivationName },
} as const;

export const FIT_DEFAULTS = {
  optimizer: 'adam' as OptimizerName,
  learningRate: 0.01,
  epochs: 100,
  batchSize: 64,
  seed: 0,
  gradcheckSamples: 64,
  gradcheckEpsilon: 1e-7,
  explainSamples: 4,
  explainLearningRate: 0.01,
  maxValues: 24,
  /** The data gradcheck and explain use when given none. */
  data: 'flower' as BuiltinData,
  /** Picture size for image folders. */
  imageSize: { width: 64, height: 64 },
} as const;

/**
 * `nabla export`: the ai.onnx operator sets the exporter writes. The same numbers as the
 * library's ONNX_MIN_OPSET, ONNX_MAX_OPSET and ONNX_DEFAULT_OPSET (src/io/onnx.ts; a test
 * keeps them equal), copied so that parsing the command line does not load the protobuf code.
 */
export const EXPORT_DEFAULTS = {
  opset: 17,
  minOpset: 8,
  maxOpset: 23,
} as const;
