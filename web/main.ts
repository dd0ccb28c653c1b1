// The page: reads the settings from the URL, hands them to the training worker, and shows
// what comes back. The page thread never trains; it draws, and it runs the tiny
// computation-graph example with the library's autograd.
import { drawCurves, drawNetwork, drawPlane } from './draw.ts';
import { renderExplain } from './explain.ts';
import { buildGraph, evaluateGraph, fmt } from './graph.ts';
import type { DataMessage, FromWorker, Matrix, ToWorker, UpdateMessage } from './protocol.ts';
import {
  DATASETS,
  DEFAULTS,
  HIDDEN_ACTIVATIONS,
  classesOf,
  UNREADABLE,
  parseSettings,
  rawFromQuery,
  short,
  splitHidden,
  toQuery,
  type Raw,
  type Settings,
} from './settings.ts';

/** What the browser tests read (the page's own state, as plain JSON-able data). */
interface PlaygroundState {
  epoch: number;
  running: boolean;
  settings: Settings | null;
  layerSizes: number[];
  activations: string[];
  loss: string;
  /** W1, b1, W2, … of the weights the current trace was taken at. */
  params: Record<string, { shape: number[]; data: number[] }>;
  traceX: { shape: number[]; data: number[] } | null;
  traceY: { shape: number[]; data: number[] } | null;
  trainCost: number[];
  testCost: number[];
}

declare global {
  interface Window {
    /** A read-only window onto the page's state, for tests and the curious (console). */
    playground?: { state(): PlaygroundState };
  }
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page lacks #${id}`);
  return node as T;
}

const ui = {
  message: byId<HTMLDivElement>('message'),
  status: byId<HTMLParagraphElement>('status'),
  play: byId<HTMLButtonElement>('play'),
  step: byId<HTMLButtonElement>('step'),
  reset: byId<HTMLButtonElement>('reset'),
  form: byId<HTMLFormElement>('settings'),
  activations: byId<HTMLDivElement>('activations'),
  outputActivation: byId<HTMLSpanElement>('output-activation'),
  permalink: byId<HTMLAnchorElement>('permalink'),
  plane: byId<HTMLCanvasElement>('plane'),
  curves: byId<HTMLCanvasElement>('curves'),
  network: byId<HTMLCanvasElement>('network'),
  showTest: byId<HTMLInputElement>('show-test'),
  epoch: byId<HTMLOutputElement>('epoch'),
  trainAccuracy: byId<HTMLOutputElement>('train-accuracy'),
  testAccuracy: byId<HTMLOutputElement>('test-accuracy'),
  trainCost: byId<HTMLOutputElement>('train-cost'),
  testCost: byId<HTMLOutputElement>('test-cost'),
  explainLayer: byId<HTMLSelectElement>('explain-layer'),
  explainBody: byId<HTMLDivElement>('explain-body'),
  traceText: byId<HTMLPreElement>('trace-text'),
};

/** The settings of the run on screen: the last valid ones (the form may hold refused ones). */
let settings: Settings | undefined;
/** The form's settings were refused: the views show the last valid run, marked as such. */
let refused = false;
let data: DataMessage | undefined;
let update: UpdateMessage | undefined;
let trainCosts: number[] = [];
let testCosts: number[] = [];
let running = false;
/** Why training cannot go on (refused settings, divergence, an error); undefined when it can. */
let blocked: string | undefined;

function showMessage(text: string | string[] | undefined, kind: 'problem' | 'diverged' = 'problem'): void {
  const lines = text === undefined ? [] : Array.isArray(text) ? text : [text];
  ui.message.hidden = lines.length === 0;
  ui.message.className = kind;
  ui.message.replaceChildren(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
}

function setRunning(value: boolean): void {
  running = value;
  document.body.dataset['running'] = String(value);
  ui.play.textContent = value ? 'Pause' : 'Play';
  ui.play.setAttribute('aria-pressed', String(value));
  showStatus();
  syncButtons();
}

// The line screen readers announce: it follows every update (a step, a pause), and stays the
// same while playing, so it is not read out twenty times a second.
function showStatus(): void {
  const epoch = update?.epoch ?? 0;
  ui.status.textContent = refused ? 'Stopped: settings refused.' : blocked ? `Stopped at epoch ${epoch}.` : running ? 'Training…' : `Paused at epoch ${epoch}.`;
}

function syncButtons(): void {
  const canTrain = !refused && settings !== undefined && blocked === undefined && data !== undefined;
  ui.play.disabled = !canTrain;
  ui.step.disabled = !canTrain;
  ui.reset.disabled = settings === undefined;
}

// Anything unexpected on this thread is said on the page, not only in the console.
window.addEventListener('error', (event) => showMessage(`Something went wrong in the page: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => showMessage(`Something went wrong in the page: ${String(event.reason)}`));

// ---- the worker -------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker): void => worker.postMessage(message);

worker.addEventListener('error', (event) => {
  blocked = `The training worker failed: ${event.message || 'it could not start'}.`;
  showMessage(blocked);
  setRunning(false);
});

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'data':
      data = msg;
      update = undefined;
      trainCosts = [];
      testCosts = [];
      fillExplainLayers(msg.layerSizes.length - 1);
      syncButtons();
      break;
    case 'update':
      update = msg;
      trainCosts.push(...msg.trainCost);
      testCosts.push(...msg.testCost);
      showMetrics(msg);
      showStatus();
      renderExplainThrottled();
      break;
    case 'status':
      setRunning(msg.running);
      // The last update before a pause is the state the person will read: show it all.
      if (!msg.running) renderExplainNow();
      break;
    case 'diverged':
    case 'error':
      blocked = msg.message;
      showMessage(msg.message, msg.type === 'diverged' ? 'diverged' : 'problem');
      setRunning(false);
      break;
  }
  scheduleDraw();
});

// ---- settings: URL ⇄ form ---------------------------------------------------------------

const FIELDS = ['data', 'noise', 'm', 'test', 'hidden', 'loss', 'opt', 'lr', 'batch', 'l2', 'seed'] as const;

function field(key: string): HTMLInputElement | HTMLSelectElement {
  return byId<HTMLInputElement | HTMLSelectElement>(key);
}

function defaultString(key: (typeof FIELDS)[number]): string {
  const v = DEFAULTS[key];
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** Puts raw (possibly bad) values into the form, so what was refused is visible where it was typed. */
function fillForm(raw: Raw): void {
  const dataSelect = field('data') as HTMLSelectElement;
  dataSelect.querySelectorAll('option[data-unknown]').forEach((o) => o.remove());
  if (raw.data !== undefined && !(DATASETS as readonly string[]).includes(raw.data)) {
    const option = new Option(`${raw.data} (unknown)`, raw.data);
    option.dataset['unknown'] = '';
    dataSelect.append(option);
  }
  for (const key of FIELDS) {
    let value = raw[key] ?? defaultString(key);
    if (key === 'hidden') value = splitHidden(value).join(', ');
    field(key).value = value;
  }
  chosen = (raw.act ?? DEFAULTS.act.join('-')).split(/[\s,-]+/).filter(Boolean);
  ui.activations.replaceChildren();
  buildActivationSelects();
}

/**
 * Each hidden layer's activation as last chosen, kept when layers are removed (or the sizes
 * refused) so that they come back as they were; one name stands for all layers.
 */
let chosen: string[] = [];

/** One labelled select per hidden layer, each set to its layer's choice. */
function buildActivationSelects(): void {
  ui.activations.querySelectorAll('select').forEach((s, i) => (chosen[i] = s.value));
  const count = splitHidden(field('hidden').value).length;
  const nodes: HTMLElement[] = [];
  for (let l = 1; l <= count; l++) {
    const id = `act-${l}`;
    const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: `Activation g[${l}] (layer ${l})` });
    const select = document.createElement('select');
    select.id = id;
    select.name = id;
    // A layer never chosen takes the last layer's choice (so one name given stands for all).
    const choice = chosen[l - 1] ?? chosen[chosen.length - 1] ?? 'tanh';
    for (const name of HIDDEN_ACTIVATIONS) select.append(new Option(name, name, false, name === choice));
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(choice)) select.append(new Option(`${choice} (unknown)`, choice, false, true));
    nodes.push(label, select);
  }
  ui.activations.replaceChildren(...nodes);
}

function readForm(): Raw {
  const raw: Raw = {};
  // An unreadable number (`abc`, `1e`) reads as '' from a number input: badInput tells it from an empty one.
  for (const key of FIELDS) raw[key] = (field(key) as HTMLInputElement).validity.badInput ? UNREADABLE : field(key).value;
  raw.act = [...ui.activations.querySelectorAll('select')].map((s) => s.value).join('-');
  return raw;
}

/** Checks the settings; valid ones become the URL and start a fresh run, bad ones are refused with a message. */
function apply(raw: Raw): void {
  const parsed = parseSettings(raw);
  ui.form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  if (!parsed.ok) {
    for (const { key } of parsed.errors) {
      const target = key === 'act' ? ui.activations.querySelector('select') : document.getElementById(key);
      target?.setAttribute('aria-invalid', 'true');
    }
    refused = true;
    document.body.classList.toggle('stale', settings !== undefined);
    send({ type: 'pause' });
    showMessage([
      `These settings were refused, so nothing is training${settings ? ' (the views show the last valid settings; Reset goes back to them)' : ''}:`,
      ...parsed.errors.map((e) => `• ${e.message}`),
    ]);
    setRunning(false);
    return;
  }
  settings = parsed.settings;
  refused = false;
  document.body.classList.remove('stale');
  blocked = undefined;
  showMessage(undefined);
  const query = toQuery(settings);
  history.replaceState(null, '', query);
  ui.permalink.href = query;
  const K = classesOf(settings.data);
  ui.outputActivation.textContent = K === 2 ? 'sigmoid (1 unit: P(class 1))' : `softmax (${K} units, one per class)`;
  data = undefined;
  update = undefined;
  setRunning(false);
  send({ type: 'reset', settings });
}

ui.form.addEventListener('submit', (e) => e.preventDefault());
ui.form.addEventListener('change', (event) => {
  if ((event.target as HTMLElement).id === 'hidden') {
    buildActivationSelects();
  }
  apply(readForm());
});

ui.play.addEventListener('click', () => send({ type: running ? 'pause' : 'play' }));
ui.step.addEventListener('click', () => send({ type: 'step' }));
ui.reset.addEventListener('click', () => {
  // From refused settings, Reset goes back to the last valid ones.
  if (refused && settings) fillForm(rawFromQuery(toQuery(settings)));
  if (settings) apply(readForm());
});
ui.showTest.addEventListener('change', scheduleDraw);

// ---- views ---------------------------------------------------------------------------------

function percent(x: number): string {
  return `${x.toFixed(1)} %`;
}

function showMetrics(u: UpdateMessage): void {
  ui.epoch.textContent = String(u.epoch);
  ui.trainAccuracy.textContent = percent(u.trainAccuracy);
  ui.testAccuracy.textContent = percent(u.testAccuracy);
  // Both at the current weights, like the accuracies and the plane (and without the L2 term):
  // the train cost is the trace's J, the one the explain panel shows.
  ui.trainCost.textContent = short(u.trace.cost);
  ui.testCost.textContent = short(u.testCostNow);
}

let drawPending = false;
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    drawPlane(ui.plane, data, update, ui.showTest.checked);
    drawCurves(ui.curves, trainCosts, testCosts);
    drawNetwork(ui.network, data, update);
  });
}

function fillExplainLayers(L: number): void {
  const keep = Number(ui.explainLayer.value) || 1;
  ui.explainLayer.replaceChildren(
    ...Array.from({ length: L }, (_, i) => new Option(`l = ${i + 1}${i + 1 === L ? ' (output)' : ''}`, String(i + 1), false, i + 1 === Math.min(keep, L))),
  );
}

let lastExplain = 0;
function renderExplainNow(): void {
  lastExplain = performance.now();
  if (!update) {
    ui.explainBody.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'No trace yet.' }));
    ui.traceText.textContent = '';
    return;
  }
  renderExplain(ui.explainBody, { trace: update.trace, epoch: update.epoch, l2: settings?.l2 ?? 0, batch: settings?.batch ?? 0 }, Number(ui.explainLayer.value) || 1);
  ui.traceText.textContent = update.trace.text;
}
// While playing, the tables change a few times a second rather than on every update: they
// stay readable, and the page does not spend its time rebuilding them.
function renderExplainThrottled(): void {
  if (!running || performance.now() - lastExplain > 400) renderExplainNow();
}
ui.explainLayer.addEventListener('change', renderExplainNow);

// ---- the computation graph -------------------------------------------------------------------

const graphInputs = (['a', 'b', 'c'] as const).map((k) => byId<HTMLInputElement>(`graph-input-${k}`));
const graphMessage = byId<HTMLParagraphElement>('graph-message');
const showGraph = buildGraph(byId<HTMLElement>('graph-svg') as unknown as SVGSVGElement);
function updateGraph(): void {
  const values = graphInputs.map((input) => (input.value.trim() === '' ? NaN : Number(input.value)));
  const bad = values.findIndex((v) => !Number.isFinite(v));
  graphInputs.forEach((input, i) => input.toggleAttribute('aria-invalid', i === bad));
  if (bad >= 0) {
    graphMessage.hidden = false;
    graphMessage.textContent = `${'abc'[bad]} must be a finite number; the graph shows the last valid values.`;
    return;
  }
  const [a, b, c] = values as [number, number, number];
  const g = evaluateGraph(a, b, c);
  // Past ±1.8e308 float64 gives ±Infinity (and ∞ − ∞ gives NaN): say so rather than show them bare.
  graphMessage.hidden = Object.values(g).every(Number.isFinite);
  graphMessage.textContent = 'Some values overflow: float64 stops at ±1.8e308, beyond which it gives ±Infinity (or NaN).';
  showGraph(g, a, b, c);
  byId('graph-svg').setAttribute('aria-label', `J = 3(a + b·c) at a = ${fmt(a)}, b = ${fmt(b)}, c = ${fmt(c)}`);
}
graphInputs.forEach((input) => input.addEventListener('input', updateGraph));

// ---- start ---------------------------------------------------------------------------------

const plain = (m: Matrix | undefined): { shape: number[]; data: number[] } | null => (m ? { shape: [...m.shape], data: Array.from(m.data) } : null);
window.playground = {
  state: () => {
    const params: PlaygroundState['params'] = {};
    for (const t of update?.trace.layers ?? []) {
      params[`W${t.l}`] = plain(t.W)!;
      params[`b${t.l}`] = plain(t.b)!;
    }
    return {
      epoch: update?.epoch ?? 0,
      running,
      settings: settings ?? null,
      layerSizes: data?.layerSizes ?? [],
      activations: data?.activations ?? [],
      loss: data?.loss ?? '',
      params,
      traceX: plain(data?.traceX),
      traceY: plain(data?.traceY),
      trainCost: [...trainCosts],
      testCost: [...testCosts],
    };
  },
};

updateGraph();
const initial = rawFromQuery(location.search);
fillForm(initial);
apply(initial);
scheduleDraw();
