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

/** Checks raw settings; a missing one takes its default. Every problem is listed, worded for a person. */
export function parseSettings(raw: Raw): Parsed {
  const errors: SettingError[] = [];
  const refuse = (key: keyof Settings, message: string): void => {
    errors.push({ key, message });
  };
  const num = (key: keyof Settings, fallback: number): number => {
    const s = raw[key];
    if (s === undefined || s.trim() === '') return fallback;
    const v = Number(s);
    return Number.isNaN(v) ? NaN : v;
  };

  const dataRaw = raw.data ?? DEFAULTS.data;
  const data = oneOf(DATASETS, dataRaw);
  if (!data) refuse('data', `Unknown dataset "${dataRaw}": choose one of ${DATASETS.join(', ')}.`);

  const noise = num('noise', DEFAULTS.noise);
  if (!(noise >= 0 && noise <= 2)) refuse('noise', `Noise must be a number from 0 to 2, got "${raw.noise}".`);

  const m = num('m', DEFAULTS.m);
  if (!(Number.isInteger(m) && m >= LIMITS.minM && m <= LIMITS.maxM && m % 2 === 0)) {
    // Even, because the flower puts half of its points in each class.
    refuse('m', `The number of points must be an even whole number from ${LIMITS.minM} to ${LIMITS.maxM}, got "${raw.m}".`);
  }

  const test = num('test', DEFAULTS.test);
  if (!(test >= 0.05 && test <= 0.9)) refuse('test', `The test fraction must be from 0.05 to 0.9, got "${raw.test}".`);

  let hidden = DEFAULTS.hidden;
  if (raw.hidden !== undefined) {
    hidden = splitList(raw.hidden).map(Number);
    if (hidden.length > LIMITS.maxLayers) refuse('hidden', `At most ${LIMITS.maxLayers} hidden layers, got ${hidden.length}.`);
    hidden.forEach((n, i) => {
      if (!(Number.isInteger(n) && n >= 1 && n <= LIMITS.maxUnits)) {
        refuse('hidden', `Hidden layer ${i + 1} has ${Number.isNaN(n) ? 'no number of' : n} units: every layer needs a whole number of units from 1 to ${LIMITS.maxUnits}.`);
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
    refuse('act', `${act.length} activations for ${hidden.length} hidden layers: give one for all, or one per layer.`);
  }

  const lossRaw = raw.loss ?? DEFAULTS.loss;
  const loss = oneOf(LOSS_CHOICES, lossRaw);
  if (!loss) refuse('loss', `Unknown loss "${lossRaw}": choose crossEntropy or squaredError.`);

  const optRaw = raw.opt ?? DEFAULTS.opt;
  const opt = oneOf(OPTIMIZERS, optRaw);
  if (!opt) refuse('opt', `Unknown optimizer "${optRaw}": choose one of ${OPTIMIZERS.join(', ')}.`);

  const lr = num('lr', DEFAULTS.lr);
  if (!(lr > 0 && Number.isFinite(lr))) refuse('lr', `The learning rate must be a number > 0, got "${raw.lr}".`);

  const batch = num('batch', DEFAULTS.batch);
  if (!(Number.isInteger(batch) && batch >= 0)) refuse('batch', `The batch size must be a whole number ≥ 1 (or 0 for all samples), got "${raw.batch}".`);

  const l2 = num('l2', DEFAULTS.l2);
  if (!(l2 >= 0 && Number.isFinite(l2))) refuse('l2', `L2 (λ) must be a number ≥ 0, got "${raw.l2}".`);

  const seed = num('seed', DEFAULTS.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 31)) refuse('seed', `The seed must be a whole number from 0 to 2³¹, got "${raw.seed}".`);

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
