import type { DenseProgram, ProgramActivation } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { Model } from '../nn/model.js';
import { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';

/*
 * The trainers' fast path. When the backend can compile a dense network's step (the WASM
 * backends can) and the network is one it covers, `gradientDescent` and `fit` run each step as
 * one call into that program instead of building and walking an autograd graph: no tensor is
 * allocated per step, X stays in the program's memory for a whole full-batch run, and the
 * gradients land in the same buffers every time, exposed as `W.grad` / `b.grad` views. Plain
 * gradient descent updates in the program too (`descend`); other optimizers apply their own
 * rule to the tensors, which the program then reloads (`loadUpdated`).
 *
 * Covered: Sequential networks without dropout, hidden layers sigmoid / tanh / relu /
 * leakyRelu / linear, and the output pairs sigmoid + binary cross-entropy, softmax +
 * categorical cross-entropy, or any non-softmax output + squared error. Anything else (and L2 or
 * gradient clipping in `fit`) takes the general autograd path, which gives the same float64
 * results bit for bit.
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
}

// One program per network (whose sizes and dtype never change), kept while the network lives
// and rebuilt when another backend or a larger batch asks for it.
const programs = new WeakMap<Sequential, Entry>();

/** One training run's access to the compiled step. */
export interface CompiledRun {
  /**
   * Loads the batch — columns `columns[start … start+size)` of X and Y, or start … start+size
   * when `columns` is null — and the current parameters, runs forward, cost and backward, and
   * points each parameter's `.grad` at its gradient. Returns J before any update.
   */
  step(columns: ArrayLike<number> | null, start: number, size: number): number;
  /**
   * Declares that the parameters may have changed outside the program (an optimizer's update,
   * a user's callback): the next step reloads them. `descend` leaves them current.
   */
  invalidate(): void;
  /**
   * W := W − α·dW and b := b − α·db for every layer, from the last step's gradients, in the
   * program (SIMD) and written back into the tensors: plain gradient descent without the
   * generic loop's Map and closures. Returns the first parameter that became non-finite, or null.
   */
  descend(learningRate: number): string | null;
  /**
   * After an optimizer's update: loads the parameters into the program now (so the next step
   * need not) and returns the first one (W1, b1, W2, …) holding a NaN or ±Inf, or null.
   */
  loadUpdated(): string | null;
  /** The first parameter (in the order W1, b1, W2, …) whose gradient is non-finite, or null. */
  nonFiniteGradient(): string | null;
}

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
 * once for a run of full batches, so they must not change during the run.
 */
export function compileRun(model: Model, X: Tensor, Y: Tensor, batchSize: number): CompiledRun | null {
  if (!enabled || !(model instanceof Sequential) || model.dropout > 0) return null;
  const backend = getBackend();
  if (!backend.compileDense) return null;
  const activations = programActivations(model);
  if (!activations) return null;
  const total = X.shape[1]!;
  let entry = programs.get(model);
  if (!entry || entry.backendName !== backend.name || entry.program.capacity < batchSize) {
    const program = backend.compileDense({ sizes: model.layerSizes, activations, loss: model.loss, dtype: model.dtype, capacity: batchSize });
    if (!program) return null;
    const grads = model.layers.map((layer, i) => {
      const { dW, db } = program.gradients(i + 1);
      return { dW: new Tensor(dW, layer.W.shape), db: new Tensor(db, layer.b.shape) };
    });
    entry = { program, backendName: backend.name, grads, loadedBy: null };
    programs.set(model, entry);
  }
  const { program, grads } = entry;
  const layers = model.layers;
  // Whether the program's copies of W and b are the tensors' values (after `descend`).
  let current = false;
  const run: CompiledRun = {
    step(columns, start, size) {
      const full = columns === null && start === 0 && size === total;
      if (!full || entry.loadedBy !== run) {
        program.loadBatch(X.data, Y.data, total, columns, start, size);
        entry.loadedBy = full ? run : null;
      }
      if (!current) {
        for (let i = 0; i < layers.length; i++) {
          const layer = layers[i]!;
          program.loadParameters(i + 1, layer.W.data, layer.b.data);
        }
      }
      // Whatever the caller does next (an optimizer step) may change them, unless it descends.
      current = false;
      const J = program.step();
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
      return parameterName(program.firstNonFiniteParameter());
    },
    loadUpdated() {
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        program.loadParameters(i + 1, layer.W.data, layer.b.data);
      }
      current = true;
      return parameterName(program.firstNonFiniteParameter());
    },
    nonFiniteGradient() {
      return parameterName(program.firstNonFiniteGradient());
    },
  };
  return run;
}


// Index k of W1, b1, W2, b2, … (−1: none) as its name.
function parameterName(k: number): string | null {
  return k < 0 ? null : `${k % 2 === 0 ? 'W' : 'b'}${(k >> 1) + 1}`;
}
