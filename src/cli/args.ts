/**
 * The command line of `nabla`: usage texts and parsing into typed arguments. No I/O here, so
 * every rule can be tested by calling `parseCommandLine` with an argv.
 *
 * Parsing uses Node's `util.parseArgs` in its lenient mode and checks the tokens itself:
 * the strict mode rejects `--learning-rate -1` as "ambiguous" before a value can be checked,
 * whereas here it is read as the value -1 and refused with a message naming the flag.
 */
import { parseArgs } from 'node:util';

/** A mistake in how nabla was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  /** The command whose usage to show; undefined for the general usage. */
  readonly command: CommandName | undefined;
  /** Whether to print the full usage (unknown command or option) or only a hint. */
  readonly showUsage: boolean;

  constructor(message: string, command: CommandName | undefined, showUsage = true) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
    this.showUsage = showUsage;
  }
}

export const COMMANDS = ['train', 'predict', 'reproduce'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const EXPERIMENTS = ['logistic', 'shallow', 'two-layer', 'l-layer', 'hidden-sizes', 'all'] as const;
export type ExperimentName = (typeof EXPERIMENTS)[number];

export const TRAIN_DEFAULTS = {
  iterations: 2500,
  learningRate: 0.0075,
  layers: [20, 7, 5] as readonly number[],
  dtype: 'float64' as 'float64' | 'float32',
  out: 'runs',
} as const;

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

export interface PredictArgs {
  readonly command: 'predict';
  readonly model: string;
  readonly images: readonly string[];
}

export interface ReproduceArgs {
  readonly command: 'reproduce';
  readonly experiment: ExperimentName;
}

export type ParsedCommandLine =
  | TrainArgs
  | PredictArgs
  | ReproduceArgs
  | { readonly command: 'help'; readonly topic: CommandName | undefined }
  | { readonly command: 'version' };

export const USAGE = `nabla — neural networks by forward propagation, backpropagation and gradient descent

Usage:
  nabla train [options]                    train the cat classifier, write a run folder
  nabla predict --model <file> <image>...  P(cat) for your own pictures (PNG or JPEG)
  nabla reproduce <experiment>             the course's published figures beside nabla's
  nabla <command> --help                   options of a command
  nabla --help                             this help
  nabla --version                          nabla's version

Experiments: ${EXPERIMENTS.join(', ')}

Examples:
  nabla train
  nabla train --iterations 1000 --layers 7 --out my-runs
  nabla predict --model runs/<run>/model.safetensors my_cat.jpg
  nabla reproduce l-layer

Exit status: 0 done; 1 an error (a file missing or invalid, …) or a figure not
reproduced; 2 a usage mistake (unknown command or option, bad value).
`;

export const COMMAND_USAGE: Record<CommandName, string> = {
  train: `Usage: nabla train [options]

Trains the course's L-layer network [12288, 20, 7, 5, 1] (relu hidden layers, sigmoid
output) on the embedded cat vs non-cat pictures by gradient descent, from the course's
initial weights (numpy RandomState(1)), and writes a run folder <out>/<time>-<kind>/ with
model.safetensors, costs.csv, cost-curve.svg and report.html.

Options:
  --iterations <n>      gradient-descent iterations (default ${TRAIN_DEFAULTS.iterations})
  --learning-rate <a>   step size, a number > 0 (default ${TRAIN_DEFAULTS.learningRate})
  --layers <n,n,...>    hidden layer sizes (default ${TRAIN_DEFAULTS.layers.join(',')});
                        one hidden layer uses W = 0.01*randn, more use randn/sqrt(n[l-1])
  --dtype <type>        float64 or float32 (default ${TRAIN_DEFAULTS.dtype})
  --out <dir>           folder for run folders (default ${TRAIN_DEFAULTS.out})
  --quiet               no progress, only the results
  -h, --help            this help
`,
  predict: `Usage: nabla predict --model <file> <image>...

Loads a model file written by 'nabla train' and prints P(cat) and the label for each
picture. Pictures (PNG or JPEG) are resized to the model's input size (64x64 RGB for the
cat networks) and scaled as in training.

Options:
  --model <file>        the model (model.safetensors from a run folder)
  -h, --help            this help
`,
  reproduce: `Usage: nabla reproduce <experiment>

Runs one of the course's experiments and prints each published figure beside nabla's,
the difference and a mark: costs must agree to 1e-9 (the flower net's costs past
iteration 7000 are platform-dependent: 1e-3), accuracies to 0.01 percentage points.
Exits with 1 if any figure is not reproduced.

Experiments:
  logistic        logistic regression on cat vs non-cat, 2000 iterations (week 2)
  shallow         [2, 4, 1] tanh/sigmoid on the flower data, 10000 iterations (week 3)
  hidden-sizes    the flower net with 1, 2, 3, 4, 5, 20, 50 hidden units (week 3)
  two-layer       [12288, 7, 1] on cat vs non-cat, 2500 iterations (week 4)
  l-layer         [12288, 20, 7, 5, 1] on cat vs non-cat, 2500 iterations (week 4)
  all             all of the above

Options:
  -h, --help            this help
`,
};

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const OPTIONS: Record<CommandName, OptionSpec> = {
  train: {
    iterations: { type: 'string' },
    'learning-rate': { type: 'string' },
    layers: { type: 'string' },
    dtype: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  predict: {
    model: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  reproduce: {
    help: { type: 'boolean', short: 'h' },
  },
};

interface Parsed {
  values: Map<string, string | true>;
  positionals: string[];
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
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`, command, false);
      values.set(token.name, token.value);
    } else {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`, command, false);
      values.set(token.name, true);
    }
  }
  return { values, positionals };
}

function stringOption(p: Parsed, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** A whole number written in decimal digits (no signs, exponents, hex or blanks). */
function parseCount(text: string, flag: string, command: CommandName, min: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} must be a whole number ≥ ${min}, got '${text}'`, command, false);
  }
  return value;
}

/** A finite decimal number > 0 (e.g. 0.0075, 7.5e-3). */
function parsePositive(text: string, flag: string, command: CommandName): number {
  const t = text.trim();
  const value = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a number > 0, got '${text}'`, command, false);
  return value;
}

function parseTrain(p: Parsed): TrainArgs {
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}' for 'nabla train'`, 'train');
  const it = stringOption(p, 'iterations');
  const lr = stringOption(p, 'learning-rate');
  const layersText = stringOption(p, 'layers');
  const dtype = stringOption(p, 'dtype') ?? TRAIN_DEFAULTS.dtype;
  if (dtype !== 'float64' && dtype !== 'float32') throw new UsageError(`--dtype must be float64 or float32, got '${dtype}'`, 'train', false);
  const out = stringOption(p, 'out') ?? TRAIN_DEFAULTS.out;
  if (out.trim() === '') throw new UsageError('--out needs a folder name', 'train', false);
  let layers = TRAIN_DEFAULTS.layers;
  if (layersText !== undefined) {
    if (layersText.trim() === '') throw new UsageError("--layers needs at least one hidden layer size, e.g. '20,7,5'", 'train', false);
    layers = layersText.split(',').map((part) => parseCount(part, '--layers: each size', 'train', 1));
  }
  return {
    command: 'train',
    iterations: it === undefined ? TRAIN_DEFAULTS.iterations : parseCount(it, '--iterations', 'train', 1),
    learningRate: lr === undefined ? TRAIN_DEFAULTS.learningRate : parsePositive(lr, '--learning-rate', 'train'),
    layers,
    dtype,
    out,
    quiet: p.values.get('quiet') === true,
  };
}

function parsePredict(p: Parsed): PredictArgs {
  const model = stringOption(p, 'model');
  if (model === undefined || model === '') throw new UsageError('--model <file> is required', 'predict');
  if (p.positionals.length === 0) throw new UsageError('give at least one picture to classify', 'predict');
  return { command: 'predict', model, images: p.positionals };
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
  if (first === undefined) throw new UsageError('no command given', undefined);
  if (first === '--help' || first === '-h') return { command: 'help', topic: undefined };
  if (first === '--version' || first === '-V' || first === '-v') return { command: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { command: 'help', topic: undefined };
    if (!(COMMANDS as readonly string[]).includes(topic)) throw new UsageError(`unknown command '${topic}'`, undefined);
    return { command: 'help', topic: topic as CommandName };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}`, undefined);
  if (!(COMMANDS as readonly string[]).includes(first)) throw new UsageError(`unknown command '${first}'`, undefined);
  const command = first as CommandName;
  const parsed = parseOptions(command, rest);
  // --help wins over everything else on the line, even over otherwise invalid values.
  if (parsed.values.get('help') === true) return { command: 'help', topic: command };
  switch (command) {
    case 'train': return parseTrain(parsed);
    case 'predict': return parsePredict(parsed);
    case 'reproduce': return parseReproduce(parsed);
  }
}
