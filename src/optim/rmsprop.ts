import type { TypedArray } from '../tensor/dtype.js';
import { BaseOptimizer, type ParameterSlot } from './base.js';
import type { LearningRateSchedule } from './optimizer.js';
import { rmspropUpdate } from './rules.js';
import { checkOptions } from '../options.js';
import { checkBeta, checkLearningRate, checkPositive, checkSchedule } from './validate.js';

/** Settings of RMSprop. Defaults are PyTorch's. */
export interface RMSpropOptions {
  /** α. A finite number > 0. Default 0.01. */
  learningRate?: number;
  /** ρ, the decay of the squared-gradient average (PyTorch's `alpha`): in [0, 1). Default 0.99. */
  rho?: number;
  /** ε, added to √s to keep the division finite: > 0. Default 1e-8. */
  epsilon?: number;
  /** α as a function of the epoch, applied by `onEpoch`. */
  schedule?: LearningRateSchedule;
}

/**
 * RMSprop. For every parameter, with s (buffer `s`) starting at 0:
 *
 *     s := ρ·s + (1 − ρ)·dW²
 *     W := W − α·dW / (√s + ε)
 *
 * Equals torch.optim.RMSprop(params, lr=α, alpha=ρ, eps=ε) (centered false, momentum 0).
 *
 * @example
 * const opt = new RMSprop({ learningRate: 0.001 });
 */
export class RMSprop extends BaseOptimizer {
  readonly name = 'rmsprop' as const;
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: RMSpropOptions = {}) {
    const o = checkOptions(options, 'RMSprop', ['learningRate', 'rho', 'epsilon', 'schedule']);
    super(o['learningRate'] === undefined ? 0.01 : checkLearningRate(o['learningRate']), checkSchedule(o['schedule']), ['s']);
    this.rho = o['rho'] === undefined ? 0.99 : checkBeta(o['rho'], 'rho');
    this.epsilon = o['epsilon'] === undefined ? 1e-8 : checkPositive(o['epsilon'], 'epsilon');
  }

  protected update(w: TypedArray, dw: TypedArray, slot: ParameterSlot): void {
    rmspropUpdate(w, dw, slot.buffers[0]!, this.learningRate, this.rho, this.epsilon);
  }
}
