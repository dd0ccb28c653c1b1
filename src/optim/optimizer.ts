import type { Tensor } from '../tensor/tensor.js';

/**
 * An optimizer turns each parameter's gradient (its `.grad`, filled by backprop) into an
 * in-place update of the parameter. Each one is a documented pure update rule plus a small
 * class that keeps the per-parameter state (velocity, moments) in a map keyed by name.
 * Hyper-parameters are validated in the constructor, naming the argument.
 */
export interface Optimizer {
  /** `gd`, `momentum`, `rmsprop`, `adam`. */
  readonly name: string;
  /** The learning rate the next step will use (after any schedule). */
  readonly learningRate: number;
  /**
   * Updates every parameter in place from its `.grad` (parameters without a gradient are
   * skipped). `step` counts from 1 and drives bias correction and schedules.
   */
  step(parameters: Map<string, Tensor>): void;
  /** Forgets all state (velocities, moments, step count). */
  reset(): void;
  /** Plain-data state for checkpoints: step count and per-parameter buffers. */
  state(): OptimizerState;
  loadState(state: OptimizerState): void;
}

export interface OptimizerState {
  step: number;
  buffers: Record<string, Record<string, number[]>>;
}

/** A learning rate as a function of the epoch (0-based): see `schedules.ts`. */
export type LearningRateSchedule = (epoch: number, initial: number) => number;
