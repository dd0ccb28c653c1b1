// Training runs here, off the page's thread, so the controls stay responsive however slow
// an epoch is. The worker owns the network; the page only ever sees copies of what the
// library computed (weights, costs, the trace, outputs over a grid).
import {
  FastRandom,
  NonFiniteError,
  Sequential,
  Tensor,
  accuracy,
  add,
  blobs,
  circles,
  createOptimizer,
  fit,
  formatTrace,
  moons,
  mul,
  noGrad,
  oneHot,
  planarFlower,
  randn,
  spirals,
  takeColumns,
  traceStep,
  xor,
  type ActivationName,
  type FitOptions,
  type LossName,
  type Optimizer,
  type TrainingState,
} from '../src/index.ts';
import type { DataMessage, FromWorker, Matrix, ToWorker, UpdateMessage } from './protocol.ts';
import { classesOf, short, type Settings } from './settings.ts';

/** Side of the grid the decision boundary and the neuron images are evaluated on. */
const GRID = 48;
/** Training time between two updates of the page while playing (≈ 20 updates a second). */
const SLICE_MS = 40;
/**
 * A run is diverging when its cost stays above RATIO × its cost at the initial weights, and
 * above FLOOR, for EPOCHS epochs in a row. A healthy run can overshoot for an epoch or two (a
 * large step, Adam's first steps, a noisy mini-batch), but does not stay an order of magnitude
 * above where it started; FLOOR keeps small costs out (an untrained classifier's cross-entropy
 * is ln 2 ≈ 0.69, or ln 3 for three classes: at 5 the network is confidently wrong, on average
 * e⁻⁵ < 1 % on the right class). A blow-up that stays finite (α = 1e6 swings the cost between
 * 1e5 and 1e6 for ever) is caught this way; one that overflows stops at the NaN/Infinity.
 */
const DIVERGED = { RATIO: 10, FLOOR: 5, EPOCHS: 5 } as const;

interface Run {
  settings: Settings;
  net: Sequential;
  optimizer: Optimizer;
  Xtr: Tensor;
  Ytr: Tensor;
  Xte: Tensor;
  Yte: Tensor;
  grid: Tensor;
  /** fit's state after the last epoch: the next chunk resumes from it exactly. */
  state: TrainingState | undefined;
  epoch: number;
  pendingTrain: number[];
  pendingTest: number[];
  diverged: boolean;
  /** The cost (with the L2 term, as fit records it) at the initial weights. */
  start: number;
  /** Epochs in a row the cost has been far above `start` (see DIVERGED). */
  above: number;
  params: Tensor[];
  /** The parameters after the last finite epoch, put back if the next one overflows. */
  saved: Float64Array[];
}

let run: Run | undefined;
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function post(message: FromWorker): void {
  self.postMessage(message);
}

function matrix(t: Tensor): Matrix {
  return { shape: [...t.shape], data: Float64Array.from(t.data) };
}

/** The points of a set, all in one (2, m) X with class indices as a (1, m) row. */
function makeData(s: Settings): { X: Tensor; labels: Tensor } {
  const common = { m: s.m, noise: s.noise, seed: s.seed };
  switch (s.data) {
    case 'flower': {
      const { X, Y } = planarFlower({ seed: s.seed, m: s.m });
      // The flower is drawn with its own fixed noise (the course's); the slider adds
      // Gaussian jitter on top, from a generator of the same seed.
      if (s.noise === 0) return { X, labels: Y };
      return { X: add(X, mul(randn([2, s.m], { seed: s.seed }), s.noise)), labels: Y };
    }
    case 'moons': return toLabels(moons(common));
    case 'circles': return toLabels(circles(common));
    case 'xor': return toLabels(xor(common));
    case 'spirals': return toLabels(spirals({ ...common, classes: 3 }));
    case 'blobs': return toLabels(blobs({ ...common, centers: 3 }));
  }
}

function toLabels(d: { X: Tensor; Y: Tensor }): { X: Tensor; labels: Tensor } {
  return { X: d.X, labels: d.Y };
}

/** A square view of the points with a 10 % margin, so circles look round. */
function boundsOf(X: Tensor): [number, number, number, number] {
  const m = X.shape[1]!;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let j = 0; j < m; j++) {
    const x = X.data[j]!, y = X.data[m + j]!;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x);
    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.1 || 1;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return [cx - half, cx + half, cy - half, cy + half];
}

/** The centres of a G×G grid over the bounds as a (2, G²) X; row r = 0 is the top of the picture. */
function gridOver([x0, x1, y0, y1]: [number, number, number, number]): Tensor {
  const n = GRID * GRID;
  const data = new Float64Array(2 * n);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const k = r * GRID + c;
      data[k] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
      data[n + k] = y1 - ((r + 0.5) / GRID) * (y1 - y0);
    }
  }
  return new Tensor(data, [2, n]);
}

function reset(settings: Settings): void {
  stop();
  run = undefined;
  const { X, labels } = makeData(settings);
  const m = X.shape[1]!;
  const classes = classesOf(settings.data);
  // A seeded shuffle, then the first points are the test set: same seed, same split.
  const order = Array.from({ length: m }, (_, j) => j);
  new FastRandom(settings.seed).shuffle(order);
  const nTest = Math.max(1, Math.round(m * settings.test));
  const testIdx = order.slice(0, nTest).sort((a, b) => a - b);
  const trainIdx = order.slice(nTest).sort((a, b) => a - b);
  const Y = classes === 2 ? labels : oneHot(labels, classes);
  const [Xtr, Ytr, Xte, Yte] = [takeColumns(X, trainIdx), takeColumns(Y, trainIdx), takeColumns(X, testIdx), takeColumns(Y, testIdx)];

  const output: ActivationName = classes === 2 ? 'sigmoid' : 'softmax';
  const loss: LossName = settings.loss === 'squaredError' ? 'squaredError' : classes === 2 ? 'binaryCrossEntropy' : 'categoricalCrossEntropy';
  const layerSizes = [2, ...settings.hidden, classes === 2 ? 1 : classes];
  const activations: ActivationName[] = [...settings.act, output];
  const net = new Sequential({ layerSizes, activations, loss, seed: settings.seed });
  const optimizer = createOptimizer(settings.opt, { learningRate: settings.lr });
  const bounds = boundsOf(X);
  const params = [...net.parameters().values()];
  // fit's L2 term is λ/(2m)·Σ‖W‖² with m the batch's size.
  const size = settings.batch > 0 ? Math.min(settings.batch, Xtr.shape[1]!) : Xtr.shape[1]!;
  let start = noGrad(() => net.cost(Xtr, Ytr).item());
  for (const [name, W] of net.parameters()) if (name.startsWith('W')) for (const w of W.data) start += (settings.l2 / (2 * size)) * w * w;
  run = {
    settings, net, optimizer, Xtr, Ytr, Xte, Yte, grid: gridOver(bounds), state: undefined, epoch: 0, pendingTrain: [], pendingTest: [], diverged: false,
    start, above: 0, params, saved: params.map((p) => Float64Array.from(p.data)),
  };

  const labelsOf = (idx: number[]): Float64Array => Float64Array.from(idx, (j) => labels.data[j]!);
  const message: DataMessage = {
    type: 'data',
    bounds,
    classes,
    train: { X: Float64Array.from(Xtr.data), labels: labelsOf(trainIdx) },
    test: { X: Float64Array.from(Xte.data), labels: labelsOf(testIdx) },
    layerSizes,
    activations,
    loss,
    traceX: matrix(Xtr),
    traceY: matrix(Ytr),
  };
  post(message);
  postUpdate();
}

/**
 * Trains up to epoch `until` (or until `deadline`, checked after each epoch) with the
 * library's fit, resuming from the state the previous chunk left: the chunks together make
 * exactly the run one long fit would, so where the time slices fall does not change the
 * numbers — same URL, same costs.
 */
function train(r: Run, until: number, deadline?: number): void {
  const options: FitOptions = {
    epochs: until,
    optimizer: r.optimizer,
    validationData: { X: r.Xte, Y: r.Yte },
    seed: r.settings.seed,
    l2: r.settings.l2,
  };
  if (r.settings.batch > 0) options.batchSize = r.settings.batch;
  if (r.state) {
    // An empty history: fit then returns only this chunk's figures, and does not copy the
    // whole curve back and forth on every slice.
    options.resumeFrom = { ...r.state, history: { epochs: r.state.epoch, cost: [], valCost: [], accuracy: [], valAccuracy: [], stoppedEarly: false } };
  }
  if (deadline !== undefined) options.shouldStop = () => performance.now() >= deadline;
  // Each epoch's figures are kept as it ends, so an epoch that overflows loses none before it.
  options.onEpochEnd = (info) => {
    r.epoch = info.epoch + 1;
    r.pendingTrain.push(info.cost);
    r.pendingTest.push(info.valCost!);
    r.params.forEach((p, k) => r.saved[k]!.set(p.data));
    r.above = info.cost > DIVERGED.RATIO * r.start && info.cost > DIVERGED.FLOOR ? r.above + 1 : 0;
    return r.above < DIVERGED.EPOCHS;
  };
  const s = r.settings;
  // What most likely made it diverge. With gradient descent (and momentum) L2 shrinks each weight
  // by α·λ/m per step: above 1 that overshoots zero, above 2 it alone makes the weights grow.
  // Adam and RMSprop scale the steps, so there α is the likely cause.
  const size = s.batch > 0 ? Math.min(s.batch, r.Xtr.shape[1]!) : r.Xtr.shape[1]!;
  const decay = (s.lr * s.l2) / size;
  const cause = (s.opt === 'gd' || s.opt === 'momentum') && decay > 1
    ? `L2 λ = ${s.l2} is likely too large for α = ${s.lr} (its weight decay per step, α·λ/m = ${short(decay, 2)}, is above 1: each step overshoots past zero): lower λ`
    : `The learning rate α = ${s.lr} is likely too large: lower it`;
  try {
    const history = fit(r.net, r.Xtr, r.Ytr, options);
    r.state = history.state;
    if (r.above >= DIVERGED.EPOCHS) {
      diverge(r, `Training paused: it diverged. The train cost has stayed over ${DIVERGED.RATIO} times its starting ${short(r.start)} for ${DIVERGED.EPOCHS} epochs in a row (${short(r.pendingTrain.at(-1)!)} in epoch ${r.epoch}). ${cause} to start again.`);
    }
  } catch (e) {
    if (e instanceof NonFiniteError) {
      // Back to the last finite epoch's weights: the views show that epoch, the one the curve ends at.
      r.params.forEach((p, k) => p.data.set(r.saved[k]!));
      const what = e.message.slice(e.where.length + 2).split(' — ')[0];
      diverge(r, `Training paused: it diverged. In epoch ${r.epoch + 1} ${what}; the page shows the weights after epoch ${r.epoch}, the last finite ones. ${cause} to start again.`);
    } else {
      r.diverged = true;
      stop();
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** Stops a diverged run: the page gets its last finite state, then the reason. */
function diverge(r: Run, message: string): void {
  stop();
  postUpdate();
  r.diverged = true;
  post({ type: 'diverged', message });
}

function postUpdate(): void {
  const r = run;
  if (!r || r.diverged) return;
  const outputs = noGrad(() => r.net.forwardLayers(r.grid));
  const trace = traceStep(r.net, r.Xtr, r.Ytr);
  const message: UpdateMessage = {
    type: 'update',
    epoch: r.epoch,
    trainCost: r.pendingTrain,
    testCost: r.pendingTest,
    testCostNow: noGrad(() => r.net.cost(r.Xte, r.Yte).item()),
    trainAccuracy: accuracy(r.net, r.Xtr, r.Ytr),
    testAccuracy: accuracy(r.net, r.Xte, r.Yte),
    grid: GRID,
    outputs: [matrix(r.grid), ...outputs.map((o) => matrix(o.A))],
    trace: {
      m: trace.m,
      loss: trace.loss,
      cost: trace.cost,
      text: formatTrace(trace),
      layers: trace.layers.map((t) => ({
        l: t.l,
        activation: t.activation,
        W: matrix(t.W),
        b: matrix(t.b),
        Z: matrix(t.Z),
        A: matrix(t.A),
        dZ: matrix(t.dZ),
        dW: matrix(t.dW),
        db: matrix(t.db),
      })),
    },
  };
  r.pendingTrain = [];
  r.pendingTest = [];
  post(message);
}

function loop(): void {
  timer = undefined;
  const r = run;
  if (!running || !r) return;
  train(r, r.epoch + 1_000_000_000, performance.now() + SLICE_MS);
  postUpdate();
  // setTimeout, not a tight loop: messages (pause, reset) are handled between slices.
  if (running) timer = setTimeout(loop, 0);
}

function stop(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (running) {
    running = false;
    post({ type: 'status', running: false });
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case 'reset':
        reset(msg.settings);
        break;
      case 'play':
        if (run && !run.diverged && !running) {
          running = true;
          post({ type: 'status', running: true });
          timer = setTimeout(loop, 0);
        }
        break;
      case 'pause':
        stop();
        break;
      case 'step':
        if (run && !run.diverged) {
          stop();
          train(run, run.epoch + 1);
          postUpdate();
        }
        break;
    }
  } catch (e) {
    // A setting the library refuses (it names the argument) reaches the page as a message.
    stop();
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
