import type { DenseProgram, ProgramActivation, ProgramRule } from '../backend/backend.js';
import { parameterWrites } from '../nn/dense.js';
import { Adam } from '../optim/adam.js';
import type { BaseOptimizer, ParameterSlot } from '../optim/base.js';
import { Momentum } from '../optim/momentum.js';
import { RMSprop } from '../optim/rmsprop.js';
import { adamScalars } from '../optim/rules.js';
import type { ActivationName } from '../nn/activations.js';
import { getBackend } from '../backend/registry.js';
import type { LossName } from '../nn/losses.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import type { Model } from '../nn/model.js';
import { Sequential } from '../nn/sequential.js';
import { getMaxTensorBytes, type DType, type TypedArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { transposeMatrix } from '../ops/transpose.js';

/*
 * The trainers' fast path. When the backend can compile a dense network's step (the WASM
 * backends can) and the network is one it covers, `gradientDescent` and `fit` run each step as
 * one call into that program instead of building and walking an autograd graph: no tensor is
 * allocated per step, X stays in the program's memory for a whole full-batch run, and the
 * gradients land in the same buffers every time, exposed as `W.grad` / `b.grad` views. Plain
 * gradient descent updates in the program too (`descend`), and so do Adam, momentum and
 * RMSprop (`optimize`), their state in the program's memory; other optimizers (subclasses,
 * user-defined) apply their own rule to the tensors, which the program then reloads
 * (`loadUpdated`).
 *
 * Covered: Sequential networks (with or without dropout), hidden layers sigmoid / tanh / relu /
 * leakyRelu / linear, and the output pairs sigmoid + binary cross-entropy, softmax +
 * categorical cross-entropy, or any non-softmax output + squared error; and LogisticRegression,
 * which is the one-layer network [n_x, 1] with a sigmoid output (its w, n_x × 1, holds the
 * same values in the same order as that network's W1, 1 × n_x). Anything else takes the
 * general autograd path, which gives the same float64 results bit for bit. With dropout, a step
 * in training mode draws each hidden layer's mask from the network's own generator
 * (Sequential.drawDropoutMask), in the order its forward pass would, straight into the
 * program's mask buffer: the same masks, so the same results as the graph.
 */

let enabled = true;

/**
 * Turns the compiled fast path of `gradientDescent` and `fit` on (default) or off. Off, every
 * step goes through the autograd graph — the way to compare the two, or to rule one out.
 * @example useCompiledSteps(false); // every step through autograd
 */
export function useCompiledSteps(on: boolean): void {
  enabled = on;
}

/** Whether the compiled fast path is on. */
export function compiledStepsEnabled(): boolean {
  return enabled;
}

interface Entry {
  program: DenseProgram;
  backendName: string;
  grads: { dW: Tensor; db: Tensor }[];
  /** The run whose batch is in the program now (a full-batch run loads X once). */
  loadedBy: object | null;
  /** The optimizer whose state lives in the program's state buffers (CompiledRun.optimize). */
  stateOwner: BaseOptimizer | null;
}

// One program per network (whose sizes and dtype never change), kept while the network lives
// and rebuilt when another backend or a larger batch asks for it.
const programs = new WeakMap<Model, Entry>();

/** The optimizers whose rules a compiled step runs in the program (not subclasses: their rules may differ). */
export type ProgramOptimizer = Adam | Momentum | RMSprop;

/** Whether the program runs `optimizer`'s updates itself (CompiledRun.optimize). */
export function runsInProgram(optimizer: unknown): optimizer is ProgramOptimizer {
  return optimizer instanceof Object && (optimizer.constructor === Adam || optimizer.constructor === Momentum || optimizer.constructor === RMSprop);
}

// One rule object per kind, rewritten at each use: a step allocates nothing for its updates.
const adamRule: Extract<ProgramRule, { kind: 'adam' }> = { kind: 'adam', small: false, weight: 0, complement: 0, c2: 0, stepSize: 0, biasCorrection2Sqrt: 0, beta2: 0, epsilon: 0 };
const momentumRule: Extract<ProgramRule, { kind: 'momentum' }> = { kind: 'momentum', learningRate: 0, beta: 0, keep: 0, initialize: false };
const rmspropRule: Extract<ProgramRule, { kind: 'rmsprop' }> = { kind: 'rmsprop', learningRate: 0, rho: 0, c: 0, epsilon: 0 };

/** The constants of `optimizer`'s update at a parameter's step t, as its rule in optim/ computes them. */
function ruleFor(optimizer: ProgramOptimizer, t: number): ProgramRule {
  if (optimizer instanceof Adam) {
    adamScalars(optimizer.learningRate, optimizer.beta1, optimizer.beta2, t, adamRule);
    adamRule.beta2 = optimizer.beta2;
    adamRule.epsilon = optimizer.epsilon;
    return adamRule;
  }
  if (optimizer instanceof Momentum) {
    // As Momentum.update calls momentumUpdate: the course's dampening is β, PyTorch's 0 with v
    // seeded by the first gradient.
    const course = optimizer.dampening === 'course';
    momentumRule.learningRate = optimizer.learningRate;
    momentumRule.beta = optimizer.beta;
    momentumRule.keep = 1 - (course ? optimizer.beta : 0);
    momentumRule.initialize = !course && t === 1;
    return momentumRule;
  }
  rmspropRule.learningRate = optimizer.learningRate;
  rmspropRule.rho = optimizer.rho;
  rmspropRule.c = 1 - optimizer.rho;
  rmspropRule.epsilon = optimizer.epsilon;
  return rmspropRule;
}

/** What the program needs of a model: a dense network's shape and its parameter tensors. */
interface DenseView {
  sizes: readonly number[];
  activations: ProgramActivation[];
  loss: LossName;
  dtype: DType;
  layers: readonly { W: Tensor; b: Tensor; activation: ActivationName }[];
  /** The name of parameter k in the order W1, b1, W2, b2, … (error messages). */
  name(k: number): string;
  /** The network, where it has dropout on hidden layers (it draws the masks); else null. */
  dropping: Sequential | null;
}

function denseView(model: Model): DenseView | null {
  if (model instanceof LogisticRegression) {
    return {
      sizes: [model.inputSize, 1],
      activations: ['sigmoid'],
      loss: 'binaryCrossEntropy',
      dtype: model.dtype,
      layers: [{ W: model.w, b: model.b, activation: 'sigmoid' }],
      name: (k) => (k === 0 ? 'w' : 'b'),
      dropping: null,
    };
  }
  if (!(model instanceof Sequential)) return null;
  const activations = programActivations(model);
  if (!activations) return null;
  return {
    sizes: model.layerSizes,
    activations,
    loss: model.loss,
    dtype: model.dtype,
    layers: model.layers,
    name: (k) => `${k % 2 === 0 ? 'W' : 'b'}${(k >> 1) + 1}`,
    dropping: model.dropout > 0 && model.layers.length > 1 ? model : null,
  };
}

/** One training run's access to the compiled step. */
export interface CompiledRun {
  /**
   * Loads the batch — columns `columns[start … start+size)` of X and Y, or start … start+size
   * when `columns` is null — and the current parameters, runs forward, cost and backward, and
   * points each parameter's `.grad` at its gradient. Returns J before any update. With `l2` (λ),
   * J and the weights' gradients include L2 regularization's λ/(2m)·Σ‖W[l]‖², m = size.
   */
  step(columns: ArrayLike<number> | null, start: number, size: number, l2?: number): number;
  /**
   * Declares that the parameters may have changed outside the program (an optimizer's update,
   * a user's callback): the next step reloads them. `descend` leaves them current.
   */
  invalidate(): void;
  /**
   * W := W − α·dW and b := b − α·db for every layer, from the last step's gradients, in the
   * program (SIMD) and written back into the tensors: plain gradient descent without the
   * generic loop's Map and closures. Unchecked: a non-finite value shows in the next cost.
   */
  descend(learningRate: number): void;
  /**
   * The same descent, checked in the same pass (no separate pass over the gradients and the
   * parameters): `{ gradient: 'W1' }` (say) if dW1 held a NaN or ±Inf, and then nothing has
   * changed; else `{ parameter }`, the first parameter that became non-finite; else null.
   */
  descendChecked(learningRate: number): { gradient: string } | { parameter: string } | null;
  /**
   * After an optimizer's update: loads the parameters into the program now (so the next step
   * need not) and returns the first one (W1, b1, W2, …) holding a NaN or ±Inf, or null.
   */
  loadUpdated(): string | null;
  /**
   * The update of `optimizer` (Adam, Momentum or RMSprop) of every parameter
   * in the program (asm/dense.ts: the same bits as its rule in optim/rules.ts), written back
   * into the tensors. Its state (Adam's m and v, momentum's v, RMSprop's s) lives in the
   * program's memory, and `optimizer` keeps it there (BaseOptimizer.stepOn): its `state()`
   * reads it. Returns the first parameter that became non-finite, or null.
   */
  optimize(optimizer: ProgramOptimizer, params: Map<string, Tensor>): string | null;
  /** The first parameter (in the order W1, b1, W2, …) whose gradient is non-finite, or null. */
  nonFiniteGradient(): string | null;
  /**
   * labelAccuracy(model.predict(X), Y) over all of X and Y, by the program's forward pass in
   * batches: no tensor of the whole data's size, no copy of X. The same figure in float64 (the
   * forward pass and the output activation are the autograd path's expressions); in float32 a
   * prediction within rounding of the threshold may differ.
   */
  accuracy(): number;
  /**
   * labelAccuracy of the last step's batch (the same `columns`, `start`, `size`) by the
   * parameters that step ran with, before any update: from the output the step computed, no
   * second forward pass. fit's running training accuracy adds these up.
   */
  batchAccuracy(columns: ArrayLike<number> | null, start: number, size: number): number;
  /**
   * From now on, a step with dropout first runs the forward pass without it, for
   * `batchAccuracy`: the batch's accuracy is then the network's prediction (out of training
   * mode, as the autograd path measures it), not that of the thinned network the step trains.
   */
  scoreBatches(): void;
  /**
   * The cost (model.cost, without L2) and labelAccuracy of the current parameters on other
   * data of the model's shape — a validation set — by one forward pass over it in batches:
   * float64 bit for bit the autograd path's figures, float32 to rounding (as `accuracy`).
   */
  evaluate(X: Tensor, Y: Tensor): { cost: number; accuracy: number };
}

/** The largest X (in bytes) of which a shuffled run keeps a copy with its samples as rows. */
const BY_ROW_MAX_BYTES = 256 * 2 ** 20;

function programActivations(net: Sequential): ProgramActivation[] | null {
  const acts = net.layers.map((layer) => layer.activation);
  const L = acts.length;
  for (let i = 0; i < L - 1; i++) if (acts[i] === 'softmax') return null;
  const out = acts[L - 1]!;
  if (net.loss === 'binaryCrossEntropy' && out !== 'sigmoid') return null;
  if (net.loss === 'categoricalCrossEntropy' && out !== 'softmax') return null;
  if (net.loss === 'squaredError' && out === 'softmax') return null;
  return acts;
}

/**
 * The compiled step for training `model` on (X, Y) in batches of at most `batchSize` columns,
 * or null when the fast path does not apply (not a covered network, backend without programs,
 * turned off by `useCompiledSteps(false)`). X and Y are read at each step's load — and only
 * once for a run of full batches, so they must not change during the run. `XbyRow`: X with its
 * samples as rows where the caller has it (fit's layout 'rows'), else it is made if needed.
 */
export function compileRun(model: Model, X: Tensor, Y: Tensor, batchSize: number, XbyRow?: TypedArray): CompiledRun | null {
  if (!enabled) return null;
  const backend = getBackend();
  if (!backend.compileDense) return null;
  const view = denseView(model);
  if (!view) return null;
  const total = X.shape[1]!;
  let entry = programs.get(model);
  if (!entry || entry.backendName !== backend.name || entry.program.capacity < batchSize) {
    // float64 full batches (the course's runs) keep X packed for dW[1] too: X goes in once,
    // and dW[1] then skips a transposition at every step (the cat network: 9.96 → 9.12 ms,
    // 11.75 → 10.62 on two threads) for 20 MiB. float32 keeps its memory (issue 5's 100 MiB).
    const transposedCopy = view.dtype === 'float64' && batchSize >= total;
    const program = backend.compileDense({ sizes: view.sizes, activations: view.activations, loss: view.loss, dtype: view.dtype, capacity: batchSize, dropout: view.dropping !== null, transposedCopy });
    if (!program) return null;
    const grads = view.layers.map((layer, i) => {
      const { dW, db } = program.gradients(i + 1);
      return { dW: new Tensor(dW, layer.W.shape), db: new Tensor(db, layer.b.shape) };
    });
    entry = { program, backendName: backend.name, grads, loadedBy: null, stateOwner: null };
    programs.set(model, entry);
  }
  const { program, grads } = entry;
  const layers = view.layers;
  const parameterName = (k: number): string | null => (k < 0 ? null : view.name(k));
  // The weights' shapes as the graph's L2 term sums them (LogisticRegression's w is a column).
  const weightShapes = layers.map((layer) => [layer.W.shape[0]!, layer.W.shape[1] ?? 1] as const);
  const tensors = layers.map((layer) => ({ W: layer.W.data, b: layer.b.data }));
  // Whether the program's copies of W and b are the tensors' values (after `descend`), as of
  // the count of parameter assignments then: a setParameter (or layer.W = …) between steps
  // makes the next step load them again.
  let current = false;
  let writesSeen = parameterWrites();
  const fresh = (): boolean => current && writesSeen === parameterWrites();
  // An optimizer's per-step work, made once per run: parameter k by name, and the two
  // callbacks of stepOn.
  const indexOf = new Map(Array.from({ length: 2 * layers.length }, (_, k) => [view.name(k), k] as const));
  const index = (name: string): number => {
    const k = indexOf.get(name);
    if (k === undefined) throw new Error(`internal: no parameter '${name}' in the compiled step`);
    return k;
  };
  let optimizer: ProgramOptimizer | null = null;
  const placeState = (name: string): readonly TypedArray[] => program.optimizerState(index(name));
  const applyRule = (name: string, slot: ParameterSlot): void => {
    const k = index(name);
    program.update(k, ruleFor(optimizer!, slot.step), k % 2 === 0 ? layers[k >> 1]!.W.data : layers[k >> 1]!.b.data);
  };
  // X with its samples as rows, made at the first shuffled batch: gathering a shuffled batch
  // from X itself costs a cache miss per value (an MNIST batch of 64: about 1 ms, as long as
  // the rest of the step), from this copy a few per sample. It costs X's size again, so above
  // BY_ROW_MAX_BYTES (or a lower setMaxTensorBytes limit) the batches are gathered from X.
  let byRow: TypedArray | null | undefined = XbyRow;
  const dropping = view.dropping;
  let scoresBatches = false;
  // The last step's batch score out of training mode, where it had to be measured apart (a
  // step with dropout and scoreBatches); null when the step's own output is the prediction.
  let unmaskedScore: number | null = null;
  const run: CompiledRun = {
    step(columns, start, size, l2 = 0) {
      const full = columns === null && start === 0 && size === total;
      if (!full || entry.loadedBy !== run) {
        if (columns !== null && byRow === undefined) byRow = X.data.byteLength <= Math.min(BY_ROW_MAX_BYTES, getMaxTensorBytes()) ? transposeMatrix(X.data, X.shape[0]!, total) : null;
        program.loadBatch(X.data, Y.data, total, columns, start, size, false, byRow);
        entry.loadedBy = full ? run : null;
      }
      if (!fresh()) {
        for (let i = 0; i < layers.length; i++) {
          const layer = layers[i]!;
          program.loadParameters(i + 1, layer.W.data, layer.b.data);
        }
      }
      // Whatever the caller does next (an optimizer step) may change them, unless it descends.
      current = false;
      // Dropout applies in training mode, as Sequential.forwardLayers decides it.
      const masked = dropping !== null && dropping.training;
      unmaskedScore = masked && scoresBatches ? scoreOf(program.forward(), Y.data, total, columns, start, size) : null;
      if (masked) {
        for (let l = 1; l < layers.length; l++) dropping.drawDropoutMask(program.dropoutMask(l), view.sizes[l]! * size);
      }
      let J = program.step(masked);
      if (l2 > 0) J = program.regularize(J, l2 / (2 * size), weightShapes);
      for (let i = 0; i < layers.length; i++) {
        layers[i]!.W.grad = grads[i]!.dW;
        layers[i]!.b.grad = grads[i]!.db;
      }
      return J;
    },
    invalidate() {
      current = false;
    },
    descend(learningRate) {
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        program.descend(i + 1, learningRate, layer.W.data, layer.b.data);
      }
      // The program's copies are the tensors' values now: the next step need not reload them.
      current = true;
      writesSeen = parameterWrites();
    },
    descendChecked(learningRate) {
      const k = program.descendChecked(learningRate, tensors);
      // Refused or made, the program's copies are the tensors' values.
      current = true;
      writesSeen = parameterWrites();
      if (k < 0) return null;
      const name = view.name(k >> 1);
      return k % 2 === 0 ? { gradient: name } : { parameter: name };
    },
    loadUpdated() {
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        program.loadParameters(i + 1, layer.W.data, layer.b.data);
      }
      current = true;
      writesSeen = parameterWrites();
      return parameterName(program.firstNonFiniteParameter());
    },
    optimize(by, params) {
      if (entry.stateOwner !== by) {
        // Another optimizer's state was here: it keeps copies, and this one's is copied in.
        if (entry.stateOwner) {
          const views = new Set<TypedArray>();
          for (let k = 0; k < 2 * layers.length; k++) for (const b of program.optimizerState(k)) views.add(b);
          entry.stateOwner.release(views);
        }
        entry.stateOwner = by;
      }
      optimizer = by;
      by.stepOn(params, placeState, applyRule);
      // The program's copies are the tensors' values (the update wrote them back).
      current = true;
      writesSeen = parameterWrites();
      return parameterName(program.firstNonFiniteParameter());
    },
    nonFiniteGradient() {
      return parameterName(program.firstNonFiniteGradient());
    },
    accuracy() {
      if (!fresh()) run.loadUpdated();
      entry.loadedBy = null;
      let score = 0;
      for (let start = 0; start < total; start += program.capacity) {
        const size = Math.min(program.capacity, total - start);
        program.loadBatch(X.data, Y.data, total, null, start, size, true);
        score += scoreOf(program.forward(), Y.data, total, null, start, size);
      }
      return percent(score, total);
    },
    batchAccuracy(columns, start, size) {
      return percent(unmaskedScore ?? scoreOf(program.output(), Y.data, total, columns, start, size), size);
    },
    scoreBatches() {
      scoresBatches = true;
    },
    evaluate(Xv, Yv) {
      if (!fresh()) run.loadUpdated();
      entry.loadedBy = null;
      const m = Xv.shape[1]!;
      let score = 0;
      const cost = program.evaluate(Xv.data, Yv.data, m, (Z, start, size) => {
        score += scoreOf(Z, Yv.data, m, null, start, size);
      });
      return { cost, accuracy: percent(score, m) };
    },
  };
  // labelAccuracy's own sums over a batch's columns of Z[L] (rows `size` apart) against the
  // labels y (outputs × m): Σ|Ŷ − Y| for one output, else the count of whole-column matches.
  // Made once per run: a step's running accuracy allocates nothing.
  const outputs = view.sizes[layers.length]!;
  const predict = predictor(layers[layers.length - 1]!.activation, outputs, view.dtype === 'float32');
  const yhat = new Uint8Array(outputs);
  const scoreOf = (Z: TypedArray, y: TypedArray, m: number, columns: ArrayLike<number> | null, start: number, size: number): number => {
    let score = 0;
    for (let j = 0; j < size; j++) {
      const col = columns === null ? start + j : columns[start + j]!;
      predict(Z, size, j, yhat);
      if (outputs === 1) score += Math.abs(yhat[0]! - y[col]!);
      else {
        let ok = true;
        for (let r = 0; r < outputs && ok; r++) ok = yhat[r] === y[r * m + col];
        if (ok) score++;
      }
    }
    return score;
  };
  // labelAccuracy's percentage from such a sum over m samples.
  const percent = (score: number, m: number): number => (outputs === 1 ? 100 - (score / m) * 100 : (score / m) * 100);
  return run;
}

/**
 * Sequential.predict's column j of Z[L] (rows `m` apart) into `yhat`: the output activation as
 * the cpu kernels compute it (rounded to float32 where the model is), then A > 0.5, or for
 * softmax 1 at the first largest probability of the column (argmax's rule: a NaN wins).
 */
function predictor(activation: ActivationName, outputs: number, f32: boolean): (Z: TypedArray, m: number, j: number, yhat: Uint8Array) => void {
  const round = f32 ? Math.fround : (v: number): number => v;
  if (activation === 'softmax') {
    return (Z, m, j, yhat) => {
      // exp(logSoftmax(z)), as ops/softmax.ts computes it.
      let max = -Infinity;
      for (let i = 0; i < outputs; i++) max = Math.max(max, Z[i * m + j]!);
      let s = 0;
      for (let i = 0; i < outputs; i++) s += Math.exp(Z[i * m + j]! - max);
      const lse = max + Math.log(s);
      let best = round(Math.exp(round(Z[j]! - lse))), at = 0;
      for (let i = 1; i < outputs && best === best; i++) {
        const v = round(Math.exp(round(Z[i * m + j]! - lse)));
        if (v !== v || v > best) { best = v; at = i; }
      }
      yhat.fill(0);
      yhat[at] = 1;
    };
  }
  const g = OUTPUT[activation];
  return (Z, m, j, yhat) => {
    for (let r = 0; r < outputs; r++) yhat[r] = round(g(Z[r * m + j]!)) > 0.5 ? 1 : 0;
  };
}

// The cpu kernels' expressions (src/backend/cpu/elementwise.ts).
const OUTPUT: Record<Exclude<ActivationName, 'softmax'>, (z: number) => number> = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => Math.tanh(z),
  relu: (z) => (z > 0 ? z : 0),
  leakyRelu: (z) => (z > 0 ? z : 0.01 * z),
  linear: (z) => z,
};

