/**
 * The command line of `nabla`: parsing into typed arguments (the usage texts are in
 * usage.ts). Everything a value can be checked against is checked here, so that a bad value
 * is a usage error (exit 2) naming the flag before any data is read. The one look at the
 * file system is whether a bare-word <data> argument exists: `nabla train extra` must be a
 * usage mistake, while `nabla train pets` trains on the folder `pets`.
 *
 * Parsing uses Node's `util.parseArgs` in its lenient mode and checks the tokens itself:
 * the strict mode rejects `--learning-rate -1` as "ambiguous" before a value can be checked,
 * whereas here it is read as the value -1 and refused with a message naming the flag.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ActivationName, InitName, LossName, OptimizerName } from '../index.js';
import {
  BUILTIN_DATA,
  COMMANDS,
  EXPERIMENTS,
  EXPORT_DEFAULTS,
  FIT_DEFAULTS,
  NETWORK_DEFAULTS,
  TRAIN_DEFAULTS,
  type CommandName,
  type ExperimentName,
} from './defaults.js';

export { BUILTIN_DATA, COMMANDS, EXPERIMENTS, EXPORT_DEFAULTS, FIT_DEFAULTS, NETWORK_DEFAULTS, TRAIN_DEFAULTS } from './defaults.js';
export type { BuiltinData, CommandName, ExperimentName } from './defaults.js';
export { COMMAND_USAGE, USAGE } from './usage.js';

/**
 * A mistake in how nabla was called: printed as one `error:` line and a one-line hint
 * (the command's synopsis and where its options are listed), exit code 2.
 */
export class UsageError extends Error {
  /** The command whose synopsis the hint shows; undefined for nabla's own. */
  readonly command: CommandName | undefined;
  /**
   * Whether to print the whole usage instead of the hint: only for `nabla` alone, where the
   * usage is what the person was after. Everywhere else the help would push the one line that
   * says what was wrong off the screen.
   */
  readonly showUsage: boolean;

  constructor(message: string, command: CommandName | undefined, showUsage = false) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
    this.showUsage = showUsage;
  }
}

const HIDDEN_ACTIVATIONS: readonly ActivationName[] = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'linear'];
const ALL_ACTIVATIONS: readonly ActivationName[] = [...HIDDEN_ACTIVATIONS, 'softmax'];
const INIT_NAMES: readonly InitName[] = ['zeros', 'small', 'scaled', 'xavier', 'he'];
const OPTIMIZERS: readonly OptimizerName[] = ['gd', 'momentum', 'rmsprop', 'adam'];
/** Short names first (what a person types), the library's names accepted too. */
const LOSS_NAMES: Readonly<Record<string, LossName>> = {
  bce: 'binaryCrossEntropy',
  cce: 'categoricalCrossEntropy',
  mse: 'squaredError',
  'binary-cross-entropy': 'binaryCrossEntropy',
  'categorical-cross-entropy': 'categoricalCrossEntropy',
  'squared-error': 'squaredError',
  binaryCrossEntropy: 'binaryCrossEntropy',
  categoricalCrossEntropy: 'categoricalCrossEntropy',
  squaredError: 'squaredError',
};

/** The course's job: `nabla train` with no <data> (and only these options). */
export interface TrainArgs {
  readonly command: 'train';
  readonly iterations: number;
  readonly learningRate: number;
  /** Hidden layer sizes; the network is [12288, ...layers, 1]. */
  readonly layers: readonly number[];
  readonly dtype: 'float64' | 'float32';
  readonly out: string;
  readonly quiet: boolean;
}

/** Where samples come from and how to read them; resolved against the file system by data.ts. */
export interface DataArgs {
  /** A file, a folder, or a built-in set's name. */
  readonly source: string;
  /** IDX: the labels file that goes with the images file `source`. */
  readonly idxLabels?: string | undefined;
  /** CSV: the label column, by header name or 0-based index (negative from the end). */
  readonly label?: string | number | undefined;
  readonly delimiter?: string | undefined;
  readonly scale?: 'standardize' | 'minmax' | 'none' | undefined;
  readonly labels?: 'binary' | 'classes' | 'regression' | undefined;
  /** CSV: `rows` (one sample per line, the default) or `columns` (one sample per column). */
  readonly layout?: 'rows' | 'columns' | undefined;
  /** Image folders: the size pictures are resized to. */
  readonly imageSize?: { readonly width: number; readonly height: number } | undefined;
}

/** How to build the network (train, gradcheck, explain). */
export interface NetworkArgs {
  /** Hidden layer sizes: the network is [n_x, ...layers, n_y]. */
  readonly layers: readonly number[];
  /** The hidden layers' activation. */
  readonly activation: ActivationName;
  /** Every layer's activation, the output's included (overrides `activation`). */
  readonly activations?: readonly ActivationName[] | undefined;
  readonly loss?: LossName | undefined;
  readonly init?: InitName | undefined;
  readonly seed: number;
  readonly dtype: 'float64' | 'float32';
  readonly dropout: number;
}

/** `nabla train <data>`. */
export interface TrainDataArgs {
  readonly command: 'train';
  readonly data: DataArgs;
  readonly network: NetworkArgs;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly beta1?: number | undefined;
  readonly beta2?: number | undefined;
  readonly momentum?: number | undefined;
  readonly epochs: number;
  /** Undefined: full batch (every sample in each update). */
  readonly batchSize: number | undefined;
  readonly l2: number;
  /** Rescale the gradients to at most this global L2 norm per update. */
  readonly clipNorm?: number | undefined;
  /** How the per-epoch training accuracy is measured (fit's trainAccuracy; default epoch-end). */
  readonly trainAccuracy?: 'epoch-end' | 'running' | undefined;
  readonly validationSplit?: number | undefined;
  /** Patience in epochs. */
  readonly earlyStopping?: number | undefined;
  /** Write a checkpoint into the run folder every n epochs. */
  readonly checkpointEvery?: number | undefined;
  /** A checkpoint to continue from. */
  readonly resume?: string | undefined;
  readonly out: string;
  readonly json: boolean;
  readonly quiet: boolean;
}

export interface EvalArgs {
  readonly command: 'eval';
  readonly model: string;
  readonly data: DataArgs;
  readonly json: boolean;
}

export interface PredictArgs {
  readonly command: 'predict';
  readonly model: string;
  /** Pictures, or CSV files (one prediction per row). */
  readonly images: readonly string[];
  readonly delimiter?: string | undefined;
}

export interface GradcheckArgs {
  readonly command: 'gradcheck';
  readonly data: DataArgs;
  readonly network: NetworkArgs;
  /** At most this many samples go into the cost. */
  readonly samples: number;
  readonly epsilon: number;
  readonly json: boolean;
}

export interface ExplainArgs {
  readonly command: 'explain';
  readonly data: DataArgs;
  readonly network: NetworkArgs;
  readonly samples: number;
  /** α of the gradient-descent update shown after the backward pass. */
  readonly learningRate: number;
  /** Tensors with at most this many elements are printed with their values. */
  readonly maxValues: number;
}

export interface ExportArgs {
  readonly command: 'export';
  readonly model: string;
  readonly onnx: string;
  readonly opset?: number | undefined;
}

export interface ReproduceArgs {
  readonly command: 'reproduce';
  readonly experiment: ExperimentName;
}

export type ParsedCommandLine =
  | TrainArgs
  | TrainDataArgs
  | EvalArgs
  | PredictArgs
  | GradcheckArgs
  | ExplainArgs
  | ExportArgs
  | ReproduceArgs
  | { readonly command: 'help'; readonly topic: CommandName | undefined }
  | { readonly command: 'version' };

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const HELP: OptionSpec = { help: { type: 'boolean', short: 'h' } };
const DATA_OPTIONS: OptionSpec = {
  'idx-labels': { type: 'string' },
  label: { type: 'string' },
  delimiter: { type: 'string' },
  scale: { type: 'string' },
  labels: { type: 'string' },
  layout: { type: 'string' },
  'image-size': { type: 'string' },
};
const NETWORK_OPTIONS: OptionSpec = {
  layers: { type: 'string' },
  activation: { type: 'string' },
  activations: { type: 'string' },
  loss: { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
};

const OPTIONS: Record<CommandName, OptionSpec> = {
  train: {
    ...DATA_OPTIONS,
    ...NETWORK_OPTIONS,
    dtype: { type: 'string' },
    dropout: { type: 'string' },
    optimizer: { type: 'string' },
    'learning-rate': { type: 'string' },
    beta1: { type: 'string' },
    beta2: { type: 'string' },
    momentum: { type: 'string' },
    epochs: { type: 'string' },
    iterations: { type: 'string' },
    'batch-size': { type: 'string' },
    l2: { type: 'string' },
    'clip-norm': { type: 'string' },
    'train-accuracy': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
    'validation-split': { type: 'string' },
    'early-stopping': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    ...HELP,
  },
  eval: {
    model: { type: 'string' },
    'idx-labels': { type: 'string' },
    label: { type: 'string' },
    delimiter: { type: 'string' },
    layout: { type: 'string' },
    json: { type: 'boolean' },
    ...HELP,
  },
  predict: {
    model: { type: 'string' },
    delimiter: { type: 'string' },
    ...HELP,
  },
  gradcheck: {
    ...DATA_OPTIONS,
    ...NETWORK_OPTIONS,
    samples: { type: 'string' },
    epsilon: { type: 'string' },
    json: { type: 'boolean' },
    ...HELP,
  },
  explain: {
    ...DATA_OPTIONS,
    ...NETWORK_OPTIONS,
    dtype: { type: 'string' },
    samples: { type: 'string' },
    'learning-rate': { type: 'string' },
    'max-values': { type: 'string' },
    ...HELP,
  },
  export: {
    onnx: { type: 'string' },
    model: { type: 'string' },
    opset: { type: 'string' },
    ...HELP,
  },
  reproduce: { ...HELP },
};

/** The options the course's cat job (`nabla train` without <data>) takes. */
const CAT_JOB_OPTIONS = new Set(['iterations', 'learning-rate', 'layers', 'dtype', 'out', 'quiet', 'help']);

interface Parsed {
  readonly command: CommandName;
  readonly values: Map<string, string | true>;
  readonly positionals: string[];
}

/**
 * Whether a word that follows an option taking a value is really the next option, i.e. the
 * value was left out: `--out --quiet`, `--model -q`. A '-' before a letter (or a second '-')
 * starts an option; negative numbers (`--label -1`, `--learning-rate -0.5`) and '-' alone stay
 * values. A value that does start so can still be given as `--name=value`.
 */
function looksLikeOption(word: string): boolean {
  return /^-(?:[A-Za-z]|-)/.test(word);
}

/** Parses one command's arguments, refusing unknown options, missing values and values given to switches. */
function parseOptions(command: CommandName, args: readonly string[]): Parsed {
  const spec = OPTIONS[command];
  const { tokens } = parseArgs({ args: [...args], options: spec, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = spec[token.name];
    if (option === undefined) throw new UsageError(`unknown option ${token.rawName} for 'nabla ${command}'`, command);
    if (option.type === 'string') {
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`, command);
      // Lenient parseArgs takes the next word as the value whatever it is: `--out --quiet`
      // would make a folder named --quiet, `--model --json` look for a file named --json.
      if (!token.inlineValue && looksLikeOption(token.value)) {
        throw new UsageError(`${token.rawName} needs a value, but is followed by the option ${token.value} (write ${token.rawName}=${token.value} if that is the value)`, command);
      }
      values.set(token.name, token.value);
    } else {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`, command);
      values.set(token.name, true);
    }
  }
  return { command, values, positionals };
}

function stringOption(p: Parsed, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

function flag(p: Parsed, name: string): boolean {
  return p.values.get(name) === true;
}

function bad(p: Parsed, message: string): UsageError {
  return new UsageError(message, p.command);
}

/** A whole number written in decimal digits (no signs, exponents, hex or blanks). */
function parseCount(text: string, flagName: string, command: CommandName, min: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flagName} must be a whole number ≥ ${min}, got '${text}'`, command);
  }
  return value;
}

/** A plain decimal number (e.g. 0.0075, 7.5e-3, -1); NaN for anything else. */
function decimal(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

/** A finite decimal number > 0 (e.g. 0.0075, 7.5e-3). */
function parsePositive(text: string, flagName: string, command: CommandName): number {
  const value = decimal(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flagName} must be a number > 0, got '${text}'`, command);
  return value;
}

/** A finite number in [lo, hi) or (lo, hi) — `what` says which in the message. */
function parseInRange(text: string, flagName: string, command: CommandName, lo: number, hi: number, openLow: boolean, what: string): number {
  const value = decimal(text);
  const ok = Number.isFinite(value) && (openLow ? value > lo : value >= lo) && value < hi;
  if (!ok) throw new UsageError(`${flagName} must be ${what}, got '${text}'`, command);
  return value;
}

function parseChoice<T extends string>(p: Parsed, name: string, choices: readonly T[]): T | undefined {
  const text = stringOption(p, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw bad(p, `--${name} must be one of ${choices.join(', ')}, got '${text}'`);
  return text as T;
}

function parseLayers(p: Parsed, fallback: readonly number[]): readonly number[] {
  const text = stringOption(p, 'layers');
  if (text === undefined) return fallback;
  if (text.trim() === '') throw bad(p, "--layers needs at least one hidden layer size, e.g. '16,8'");
  return text.split(',').map((part) => parseCount(part, '--layers: each size', p.command, 1));
}

function parseDtype(p: Parsed): 'float64' | 'float32' {
  const dtype = stringOption(p, 'dtype') ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') throw bad(p, `--dtype must be float64 or float32, got '${dtype}'`);
  return dtype;
}

function parseOut(p: Parsed): string {
  const out = stringOption(p, 'out') ?? TRAIN_DEFAULTS.out;
  if (out.trim() === '') throw bad(p, '--out needs a folder name');
  return out;
}

/** Whether a word on the command line can be the <data> of a command. */
function checkDataArgument(p: Parsed, source: string): void {
  if ((BUILTIN_DATA as readonly string[]).includes(source)) return;
  if (source === '-') {
    throw new UsageError(`'-' (standard input) cannot be the data of 'nabla ${p.command}': give a file, a folder or a built-in data set (${BUILTIN_DATA.join(', ')})`, p.command);
  }
  // A word with a slash or a dot is meant as a path: if it is missing, reading it says so
  // (exit 1, naming the file). A bare word that is neither a file nor a built-in set is
  // more likely a mistyped option or set name: a usage mistake.
  if (/[/\\.]/.test(source) || existsSync(source)) return;
  throw new UsageError(
    `unexpected argument '${source}' for 'nabla ${p.command}': no such file or folder, and not a built-in data set (${BUILTIN_DATA.join(', ')})`,
    p.command,
  );
}

function parseData(p: Parsed, source: string): DataArgs {
  checkDataArgument(p, source);
  const label = stringOption(p, 'label');
  const delimiter = stringOption(p, 'delimiter');
  const imageSize = stringOption(p, 'image-size');
  const idxLabels = stringOption(p, 'idx-labels');
  if (idxLabels !== undefined && idxLabels.trim() === '') throw bad(p, '--idx-labels needs the labels file');
  return {
    source,
    idxLabels,
    label: label === undefined ? undefined : parseLabel(p, label),
    delimiter: delimiter === undefined ? undefined : parseDelimiter(p, delimiter),
    scale: parseChoice(p, 'scale', ['standardize', 'minmax', 'none'] as const),
    labels: parseChoice(p, 'labels', ['binary', 'classes', 'regression'] as const),
    layout: parseChoice(p, 'layout', ['rows', 'columns'] as const),
    imageSize: imageSize === undefined ? undefined : parseImageSize(p, imageSize),
  };
}

/**
 * `--label`: a column name, or a column number counted from 1 as the error messages and
 * `cut -f` count (-1 is the last). Returned as the library's 0-based index.
 */
function parseLabel(p: Parsed, text: string): string | number {
  if (text.trim() === '') throw bad(p, '--label needs a column name or number');
  if (!/^[+-]?\d+$/.test(text.trim())) return text;
  const n = Number(text.trim());
  if (n === 0 || !Number.isSafeInteger(n)) throw bad(p, `--label: columns are numbered from 1 (or -1 for the last), got '${text}'`);
  return n > 0 ? n - 1 : n;
}

function parseDelimiter(p: Parsed, text: string): string {
  if (text === '\\t' || text === 'tab') return '\t';
  if (text.length !== 1 || text === '"' || text === '\n' || text === '\r') {
    throw bad(p, `--delimiter must be one character (or 'tab'), not a quote or a line break, got '${text}'`);
  }
  return text;
}

function parseImageSize(p: Parsed, text: string): { width: number; height: number } {
  const match = /^(\d+)(?:x(\d+))?$/i.exec(text.trim());
  const width = match ? Number(match[1]) : NaN;
  const height = match ? Number(match[2] ?? match[1]) : NaN;
  if (!(width >= 1 && height >= 1 && width <= 4096 && height <= 4096)) {
    throw bad(p, `--image-size must be WIDTHxHEIGHT in pixels (1 to 4096), e.g. 64x64, got '${text}'`);
  }
  return { width, height };
}

function parseActivationList(p: Parsed, text: string): ActivationName[] {
  return text.split(',').map((g) => {
    const name = g.trim();
    if (!(ALL_ACTIVATIONS as readonly string[]).includes(name)) {
      throw bad(p, `--activations: unknown activation '${name}'; expected ${ALL_ACTIVATIONS.join(', ')}`);
    }
    return name as ActivationName;
  });
}

function parseNetwork(p: Parsed, defaults: { layers: readonly number[]; activation: ActivationName }, dropoutAllowed: boolean): NetworkArgs {
  const layers = parseLayers(p, defaults.layers);
  const activation = parseChoice(p, 'activation', HIDDEN_ACTIVATIONS) ?? defaults.activation;
  const activationsText = stringOption(p, 'activations');
  let activations: ActivationName[] | undefined;
  if (activationsText !== undefined) {
    if (p.values.has('activation')) throw bad(p, 'give --activation (hidden layers) or --activations (every layer), not both');
    activations = parseActivationList(p, activationsText);
    if (activations.length !== layers.length + 1) {
      throw bad(p, `--activations lists ${activations.length} activations for ${layers.length + 1} layers (${layers.length} hidden + the output): give one per layer`);
    }
    const softmaxAt = activations.findIndex((g, i) => g === 'softmax' && i < activations!.length - 1);
    if (softmaxAt !== -1) throw bad(p, `--activations: softmax only makes sense in the output layer, not in layer ${softmaxAt + 1}`);
  }
  const lossText = stringOption(p, 'loss');
  let loss: LossName | undefined;
  if (lossText !== undefined) {
    loss = LOSS_NAMES[lossText];
    if (loss === undefined) throw bad(p, `--loss must be bce, cce or mse, got '${lossText}'`);
  }
  const seedText = stringOption(p, 'seed');
  const dropoutText = dropoutAllowed ? stringOption(p, 'dropout') : undefined;
  return {
    layers,
    activation,
    activations,
    loss,
    init: parseChoice(p, 'init', INIT_NAMES),
    seed: seedText === undefined ? FIT_DEFAULTS.seed : parseCount(seedText, '--seed', p.command, 0),
    dtype: p.values.has('dtype') ? parseDtype(p) : 'float64',
    dropout: dropoutText === undefined ? 0 : parseInRange(dropoutText, '--dropout', p.command, 0, 1, false, 'a probability in [0, 1) (1 would drop every unit)'),
  };
}

/** The single optional <data> of gradcheck and explain (default: the flower). */
function optionalData(p: Parsed): DataArgs {
  const [source, ...rest] = p.positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}': 'nabla ${p.command}' takes one data set`, p.command);
  return parseData(p, source ?? FIT_DEFAULTS.data);
}

function parseCatJob(p: Parsed): TrainArgs {
  for (const name of p.values.keys()) {
    if (!CAT_JOB_OPTIONS.has(name)) {
      throw bad(p, `--${name} needs a data set, e.g. 'nabla train cat --${name} …': without <data>, train runs the course's cat job, which takes only --iterations, --learning-rate, --layers, --dtype, --out and --quiet`);
    }
  }
  const it = stringOption(p, 'iterations');
  const lr = stringOption(p, 'learning-rate');
  return {
    command: 'train',
    iterations: it === undefined ? TRAIN_DEFAULTS.iterations : parseCount(it, '--iterations', 'train', 1),
    learningRate: lr === undefined ? TRAIN_DEFAULTS.learningRate : parsePositive(lr, '--learning-rate', 'train'),
    layers: parseLayers(p, TRAIN_DEFAULTS.layers),
    dtype: parseDtype(p),
    out: parseOut(p),
    quiet: flag(p, 'quiet'),
  };
}

function parseTrain(p: Parsed): TrainArgs | TrainDataArgs {
  const [source, ...rest] = p.positionals;
  if (source === undefined) return parseCatJob(p);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'nabla train': give one data set`, 'train');
  const data = parseData(p, source);
  const network = parseNetwork(p, NETWORK_DEFAULTS.train, true);

  const optimizer = parseChoice(p, 'optimizer', OPTIMIZERS) ?? FIT_DEFAULTS.optimizer;
  const lr = stringOption(p, 'learning-rate');
  const beta = (name: string): number | undefined => {
    const text = stringOption(p, name);
    return text === undefined ? undefined : parseInRange(text, `--${name}`, 'train', 0, 1, false, 'a number in [0, 1)');
  };
  const beta1 = beta('beta1');
  const beta2 = beta('beta2');
  const momentum = beta('momentum');
  // A setting the chosen optimizer does not have would be silently ignored: refuse it.
  if (beta1 !== undefined && optimizer !== 'adam') throw bad(p, `--beta1 is Adam's; with --optimizer ${optimizer} it would do nothing`);
  if (beta2 !== undefined && optimizer !== 'adam' && optimizer !== 'rmsprop') throw bad(p, `--beta2 is Adam's β2 or RMSprop's ρ; with --optimizer ${optimizer} it would do nothing`);
  if (momentum !== undefined && optimizer !== 'momentum') throw bad(p, `--momentum is the momentum optimizer's β; use --optimizer momentum (got ${optimizer})`);

  const epochsText = stringOption(p, 'epochs');
  const iterationsText = stringOption(p, 'iterations');
  const batchText = stringOption(p, 'batch-size');
  if (iterationsText !== undefined && epochsText !== undefined) throw bad(p, 'give --epochs or --iterations, not both (--iterations n is n full-batch epochs)');
  if (iterationsText !== undefined && batchText !== undefined) throw bad(p, '--iterations means full-batch gradient descent; for mini-batches give --epochs with --batch-size');
  const epochs = iterationsText !== undefined
    ? parseCount(iterationsText, '--iterations', 'train', 1)
    : epochsText === undefined ? FIT_DEFAULTS.epochs : parseCount(epochsText, '--epochs', 'train', 1);
  const batchSize = iterationsText !== undefined ? undefined : batchText === undefined ? FIT_DEFAULTS.batchSize : parseCount(batchText, '--batch-size', 'train', 1);

  const l2Text = stringOption(p, 'l2');
  const l2 = l2Text === undefined ? 0 : decimal(l2Text);
  if (!(Number.isFinite(l2) && l2 >= 0)) throw bad(p, `--l2 must be a number ≥ 0, got '${l2Text}'`);
  const clipText = stringOption(p, 'clip-norm');
  const splitText = stringOption(p, 'validation-split');
  const patienceText = stringOption(p, 'early-stopping');
  const checkpointText = stringOption(p, 'checkpoint-every');
  const json = flag(p, 'json');
  if (json && flag(p, 'quiet')) throw bad(p, 'give --json or --quiet, not both');
  return {
    command: 'train',
    data,
    network,
    optimizer,
    learningRate: lr === undefined ? FIT_DEFAULTS.learningRate : parsePositive(lr, '--learning-rate', 'train'),
    beta1,
    beta2,
    momentum,
    epochs,
    batchSize,
    l2,
    clipNorm: clipText === undefined ? undefined : parsePositive(clipText, '--clip-norm', 'train'),
    trainAccuracy: parseChoice(p, 'train-accuracy', ['epoch-end', 'running'] as const),
    validationSplit: splitText === undefined ? undefined : parseInRange(splitText, '--validation-split', 'train', 0, 1, true, 'a fraction in (0, 1)'),
    earlyStopping: patienceText === undefined ? undefined : parseCount(patienceText, '--early-stopping', 'train', 1),
    checkpointEvery: checkpointText === undefined ? undefined : parseCount(checkpointText, '--checkpoint-every', 'train', 1),
    resume: stringOption(p, 'resume'),
    out: parseOut(p),
    json,
    quiet: flag(p, 'quiet'),
  };
}

function requireModel(p: Parsed): string {
  const model = stringOption(p, 'model');
  if (model === undefined || model === '') throw new UsageError('--model <file> is required', p.command);
  return model;
}

function parseEval(p: Parsed): EvalArgs {
  const model = requireModel(p);
  const [source, ...rest] = p.positionals;
  if (source === undefined) throw new UsageError('give the data to evaluate the model on', 'eval');
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}': 'nabla eval' takes one data set`, 'eval');
  return { command: 'eval', model, data: parseData(p, source), json: flag(p, 'json') };
}

function parsePredict(p: Parsed): PredictArgs {
  const model = requireModel(p);
  if (p.positionals.length === 0) throw new UsageError('give at least one picture or CSV file to classify', 'predict');
  const delimiter = stringOption(p, 'delimiter');
  return {
    command: 'predict',
    model,
    images: p.positionals,
    ...(delimiter !== undefined ? { delimiter: parseDelimiter(p, delimiter) } : {}),
  };
}

function parseGradcheck(p: Parsed): GradcheckArgs {
  const samples = stringOption(p, 'samples');
  const epsilon = stringOption(p, 'epsilon');
  return {
    command: 'gradcheck',
    data: optionalData(p),
    network: parseNetwork(p, NETWORK_DEFAULTS.gradcheck, false),
    samples: samples === undefined ? FIT_DEFAULTS.gradcheckSamples : parseCount(samples, '--samples', 'gradcheck', 1),
    epsilon: epsilon === undefined ? FIT_DEFAULTS.gradcheckEpsilon : parsePositive(epsilon, '--epsilon', 'gradcheck'),
    json: flag(p, 'json'),
  };
}

function parseExplain(p: Parsed): ExplainArgs {
  const samples = stringOption(p, 'samples');
  const lr = stringOption(p, 'learning-rate');
  const maxValues = stringOption(p, 'max-values');
  return {
    command: 'explain',
    data: optionalData(p),
    network: parseNetwork(p, NETWORK_DEFAULTS.explain, false),
    samples: samples === undefined ? FIT_DEFAULTS.explainSamples : parseCount(samples, '--samples', 'explain', 1),
    learningRate: lr === undefined ? FIT_DEFAULTS.explainLearningRate : parsePositive(lr, '--learning-rate', 'explain'),
    maxValues: maxValues === undefined ? FIT_DEFAULTS.maxValues : parseCount(maxValues, '--max-values', 'explain', 0),
  };
}

function parseExport(p: Parsed): ExportArgs {
  const model = requireModel(p);
  const onnx = stringOption(p, 'onnx');
  if (onnx === undefined || onnx === '') throw new UsageError('--onnx <out.onnx> is required: the file to write', 'export');
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}': export takes --model and --onnx`, 'export');
  return { command: 'export', model, onnx, opset: parseOpset(p) };
}

/** `--opset`: an ai.onnx operator set the exporter writes (checked here, before the model is read). */
function parseOpset(p: Parsed): number | undefined {
  const text = stringOption(p, 'opset');
  if (text === undefined) return undefined;
  const { minOpset, maxOpset } = EXPORT_DEFAULTS;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(Number.isSafeInteger(value) && value >= minOpset && value <= maxOpset)) {
    throw bad(p, `--opset must be a whole number from ${minOpset} to ${maxOpset}, got '${text}'`);
  }
  return value;
}

function parseReproduce(p: Parsed): ReproduceArgs {
  const [experiment, ...rest] = p.positionals;
  if (experiment === undefined) throw new UsageError(`which experiment? one of ${EXPERIMENTS.join(', ')}`, 'reproduce');
  if (!(EXPERIMENTS as readonly string[]).includes(experiment)) {
    throw new UsageError(`unknown experiment '${experiment}': expected one of ${EXPERIMENTS.join(', ')}`, 'reproduce');
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}': reproduce takes one experiment`, 'reproduce');
  return { command: 'reproduce', experiment: experiment as ExperimentName };
}

/**
 * Reads `nabla`'s arguments (without the `node` and script paths).
 *
 * @throws UsageError for an unknown command or option, a missing or malformed value.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given', undefined, true);
  if (first === '--help' || first === '-h') return { command: 'help', topic: undefined };
  if (first === '--version' || first === '-V' || first === '-v') return { command: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { command: 'help', topic: undefined };
    if (!(COMMANDS as readonly string[]).includes(topic)) throw new UsageError(`unknown command '${topic}': the commands are ${COMMANDS.join(', ')}`, undefined);
    return { command: 'help', topic: topic as CommandName };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}`, undefined);
  if (!(COMMANDS as readonly string[]).includes(first)) throw new UsageError(`unknown command '${first}': the commands are ${COMMANDS.join(', ')}`, undefined);
  const command = first as CommandName;
  const parsed = parseOptions(command, rest);
  // --help wins over everything else on the line, even over otherwise invalid values.
  if (parsed.values.get('help') === true) return { command: 'help', topic: command };
  switch (command) {
    case 'train': return parseTrain(parsed);
    case 'eval': return parseEval(parsed);
    case 'predict': return parsePredict(parsed);
    case 'gradcheck': return parseGradcheck(parsed);
    case 'explain': return parseExplain(parsed);
    case 'export': return parseExport(parsed);
    case 'reproduce': return parseReproduce(parsed);
  }
}
