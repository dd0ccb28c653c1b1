import type { Tensor } from '../tensor/tensor.js';

/** The optimizers `createOptimizer` knows, by name. */
export type OptimizerName = 'gd' | 'momentum' | 'rmsprop' | 'adam';

/**
 * An optimizer turns each parameter's gradient (its `.grad`, filled by backprop) into an
 * in-place update of the parameter's `.data`. Each one is a documented pure update rule
 * (`rules.ts`) plus a small class that keeps the per-parameter state (velocity, moments) in
 * a map keyed by the parameter's name. The state buffers are allocated the first time a
 * parameter is updated, with the parameter's dtype, and reused by every later step.
 * Hyper-parameters are validated in the constructor; an error names the argument.
 *
 * @example
 * const opt = new Adam({ learningRate: 0.001, schedule: inverseTimeDecay({ decayRate: 1 }) });
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   opt.onEpoch(epoch);
 *   for (const batch of batches) { ...; J.backward(); opt.step(model.parameters()); }
 * }
 */
export interface Optimizer {
  /** `gd`, `momentum`, `rmsprop` or `adam`. */
  readonly name: OptimizerName;
  /** The learning rate the next step will use (after the schedule's last `onEpoch`). */
  readonly learningRate: number;
  /** The learning rate given to the constructor: α₀, what schedules decay from. */
  readonly initialLearningRate: number;
  /** How many times `step` has been called since construction or `reset()`. */
  readonly stepCount: number;
  /**
   * Updates every parameter in place from its `.grad`. A parameter whose `.grad` is null is
   * skipped and its state is left untouched (its own step count, which drives Adam's bias
   * correction, does not advance — as in PyTorch).
   */
  step(parameters: Map<string, Tensor>): void;
  /**
   * Applies the learning-rate schedule for this 0-based epoch: learningRate :=
   * schedule(epoch, initialLearningRate). Without a schedule it changes nothing.
   */
  onEpoch(epoch: number): void;
  /** Forgets all state (velocities, moments, step counts) and restores the initial learning rate. */
  reset(): void;
  /** Plain-data (JSON-safe for finite values) copy of the state, for checkpoints. */
  state(): OptimizerState;
  /** Replaces the state with a copy of `state` (validated first: on error nothing changes). */
  loadState(state: OptimizerState): void;
}

/**
 * An optimizer's state as plain data. Buffers are copied out as numbers; float32 values are
 * exactly representable as numbers, so a round trip through `loadState` continues bit for bit.
 */
export interface OptimizerState {
  /** Which optimizer wrote it; `loadState` refuses another optimizer's state. */
  name?: OptimizerName;
  /** How many times `step` had been called. */
  step: number;
  /** The learning rate in force when the state was taken. */
  learningRate?: number;
  /** Parameter name → buffer name → values, e.g. `{ W1: { m: [...], v: [...] } }` for Adam. */
  buffers: Record<string, Record<string, number[]>>;
  /** Parameter name → updates that parameter has had (defaults to `step` when absent). */
  parameterSteps?: Record<string, number>;
}

/**
 * A learning rate as a function of the epoch (0-based) and the initial learning rate α₀:
 * see `schedules.ts`. It must return a finite number > 0.
 */
export type LearningRateSchedule = (epoch: number, initial: number) => number;
