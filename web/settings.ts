// The playground's settings: one place that reads them from the URL (or the form), checks
// them and writes them back, so a link reproduces a run and a bad link is refused with a
// message instead of a blank page. Pure data and strings: no DOM, no library, so the worker
// and the page share it.

export const DATASETS = ['flower', 'moons', 'circles', 'spirals', 'xor', 'blobs'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Hidden-layer activations (the output layer's follows from the data: sigmoid or softmax). */
export const HIDDEN_ACTIVATIONS = ['tanh', 'relu', 'leakyRelu', 'sigmoid', 'linear'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

export const LOSS_CHOICES = ['crossEntropy', 'squaredError'] as const;
export type LossChoice = (typeof LOSS_CHOICES)[number];

export const OPTIMIZERS = ['gd', 'momentum', 'rmsprop', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

export interface Settings {
  data: DatasetName;
  /** σ of the Gaussian noise (for the flower: jitter added on top of its own). */
  noise: number;
  /** Number of points m, before the split. */
  m: number;
  /** Fraction of the points held out as the test set. */
  test: number;
  /** Units of each hidden layer, n[1] … n[L−1]. */
  hidden: number[];
  /** g[1] … g[L−1]. */
  act: HiddenActivation[];
  loss: LossChoice;
  opt: OptimizerChoice;
  lr: number;
  /** Samples per update; 0 means all of them (full-batch gradient descent). */
  batch: number;
  l2: number;
  seed: number;
}

export const DEFAULTS: Settings = {
  data: 'flower',
  noise: 0.1,
  m: 400,
  test: 0.2,
  hidden: [4],
  act: ['tanh'],
  loss: 'crossEntropy',
  opt: 'adam',
  lr: 0.03,
  batch: 0,
  l2: 0,
  seed: 1,
};

// Limits keep the page responsive and the diagram and explain tables readable; they are UI
// limits, not the library's.
export const LIMITS = { maxLayers: 6, maxUnits: 16, minM: 20, maxM: 2000 } as const;

export type Raw = Partial<Record<keyof Settings, string>>;
/** A refused setting: which control it belongs to, and why, worded for a person. */
export interface SettingError {
  key: keyof Settings;
  message: string;
}

export type Parsed = { ok: true; settings: Settings } | { ok: false; errors: SettingError[] };

const KEYS = Object.keys(DEFAULTS) as (keyof Settings)[];

/** The raw strings of the settings present in a query string (unknown keys are ignored). */
export function rawFromQuery(query: string): Raw {
  const params = new URLSearchParams(query);
  const raw: Raw = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v !== null) raw[key] = v;
  }
  return raw;
}

function oneOf<T extends string>(choices: readonly T[], value: string): T | undefined {
  return (choices as readonly string[]).includes(value) ? (value as T) : undefined;
}

// Lists in the URL use '-' (readable, and URLSearchParams leaves it unescaped); the form also
// takes commas and spaces.
function splitList(s: string): string[] {
  return s.split(/[\s,-]+/).filter((x) => x !== '');
}

/**
 * The hidden sizes' tokens: a '-' separates only after a digit (the URL's `16-16`), so `-3`,
 * `4, -8`, `4--8` keep their minus signs (and are refused) and `1e-1` stays one number.
 */
export function splitHidden(s: string): string[] {
  return s.split(/[\s,]+|(?<=\d)-/).filter((x) => x !== '');
}

/** What the form passes for a number field the browser cannot read (its `validity.badInput`). */
export const UNREADABLE = 'NaN';

// Plain decimal numbers only: Number() would also take '0x64', '0b1', 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const LABELS: Partial<Record<keyof Settings, string>> = {
  noise: 'Noise σ', m: 'Points m', test: 'Test fraction', lr: 'Learning rate α', batch: 'Batch size', l2: 'L2 λ', seed: 'Seed',
};

/** A number short enough to read: fixed below 10⁴, else in short scientific form (4.65e+205). */
export function short(x: number, digits = 4): string {
  return Math.abs(x) < 1e4 ? x.toFixed(digits) : x.toExponential(2);
}

/** Checks raw settings; a missing one takes its default. Every problem is listed, worded for a person. */
export function parseSettings(raw: Raw): Parsed {
  const errors: SettingError[] = [];
  const refuse = (key: keyof Settings, message: string): void => {
    errors.push({ key, message });
  };
  // A missing number takes its default; an empty or unreadable one is refused (never silently
  // replaced by the default), and so is one outside its range.
  const num = (key: keyof Settings, ok: (v: number) => boolean, why: string): number => {
    const s = raw[key]?.trim();
    const v = s === undefined ? (DEFAULTS[key] as number) : DECIMAL.test(s) ? Number(s) : NaN;
    if (Number.isNaN(v)) refuse(key, `${LABELS[key]} is ${s === '' ? 'empty' : s === UNREADABLE ? 'not a number' : `not a number: "${s}"`}.`);
    else if (!ok(v)) refuse(key, `${why}, got "${s}".`);
    return v;
  };
  const dataRaw = raw.data ?? DEFAULTS.data;
  const data = oneOf(DATASETS, dataRaw);
  if (!data) refuse('data', `Unknown dataset "${dataRaw}": choose one of ${DATASETS.join(', ')}.`);

  const noise = num('noise', (v) => v >= 0 && v <= 2, 'Noise must be a number from 0 to 2');
  // Even, because the flower puts half of its points in each class.
  const m = num('m', (v) => Number.isInteger(v) && v >= LIMITS.minM && v <= LIMITS.maxM && v % 2 === 0, `The number of points must be an even whole number from ${LIMITS.minM} to ${LIMITS.maxM}`);
  const test = num('test', (v) => v >= 0.05 && v <= 0.9, 'The test fraction must be from 0.05 to 0.9');

  let hidden = DEFAULTS.hidden;
  if (raw.hidden !== undefined) {
    const tokens = splitHidden(raw.hidden);
    hidden = tokens.map((t) => (DECIMAL.test(t) ? Number(t) : NaN));
    if (hidden.length > LIMITS.maxLayers) refuse('hidden', `At most ${LIMITS.maxLayers} hidden layers, got ${hidden.length}.`);
    hidden.forEach((n, i) => {
      if (!(Number.isInteger(n) && n >= 1 && n <= LIMITS.maxUnits)) {
        refuse('hidden', `Hidden layer ${i + 1} has ${Number.isNaN(n) ? `"${tokens[i]}" (not a number) as its` : tokens[i]!.replace('-', '−')} units: every layer needs a whole number of units from 1 to ${LIMITS.maxUnits}.`);
      }
    });
  }

  // One activation for all layers, or one per hidden layer.
  const actRaw = raw.act !== undefined ? splitList(raw.act) : DEFAULTS.act;
  const act: HiddenActivation[] = [];
  actRaw.forEach((name) => {
    const a = oneOf(HIDDEN_ACTIVATIONS, name);
    if (a) act.push(a);
    else refuse('act', `Unknown activation "${name}": choose one of ${HIDDEN_ACTIVATIONS.join(', ')}.`);
  });
  let acts = act;
  if (act.length === 1) acts = hidden.map(() => act[0]!);
  else if (act.length !== hidden.length && errors.length === 0) {
    refuse('act', `${act.length} activations for ${hidden.length} hidden layer${hidden.length === 1 ? '' : 's'}: give one for all, or one per layer.`);
  }

  const lossRaw = raw.loss ?? DEFAULTS.loss;
  const loss = oneOf(LOSS_CHOICES, lossRaw);
  if (!loss) refuse('loss', `Unknown loss "${lossRaw}": choose crossEntropy or squaredError.`);

  const optRaw = raw.opt ?? DEFAULTS.opt;
  const opt = oneOf(OPTIMIZERS, optRaw);
  if (!opt) refuse('opt', `Unknown optimizer "${optRaw}": choose one of ${OPTIMIZERS.join(', ')}.`);

  const lr = num('lr', (v) => v > 0 && Number.isFinite(v), 'The learning rate must be a number > 0');
  const batch = num('batch', (v) => Number.isInteger(v) && v >= 0, 'The batch size must be a whole number ≥ 1 (or 0 for all samples)');
  const l2 = num('l2', (v) => v >= 0 && Number.isFinite(v), 'L2 (λ) must be a number ≥ 0');
  const seed = num('seed', (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 31, 'The seed must be a whole number from 0 to 2³¹');

  if (errors.length > 0 || !data || !loss || !opt) return { ok: false, errors };
  return { ok: true, settings: { data, noise, m, test, hidden, act: acts, loss, opt, lr, batch, l2, seed } };
}

/** The query string of a configuration: every setting, so a shared link does not depend on defaults. */
export function toQuery(s: Settings): string {
  const act = s.act.every((a) => a === s.act[0]) && s.act.length > 0 ? s.act[0]! : s.act.join('-');
  const parts: [string, string | number][] = [
    ['data', s.data], ['noise', s.noise], ['m', s.m], ['test', s.test], ['hidden', s.hidden.join('-')], ['act', act],
    ['loss', s.loss], ['opt', s.opt], ['lr', s.lr], ['batch', s.batch], ['l2', s.l2], ['seed', s.seed],
  ];
  return '?' + parts.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
}

/** How many classes a dataset has (the output layer's size, 1 for the binary sets). */
export function classesOf(data: DatasetName): number {
  return data === 'spirals' || data === 'blobs' ? 3 : 2;
}
