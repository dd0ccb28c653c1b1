import { ArgumentError } from '../errors.js';
import type { TypedArray } from '../tensor/dtype.js';
import { BaseOptimizer, type ParameterSlot } from './base.js';
import type { LearningRateSchedule } from './optimizer.js';
import { momentumUpdate } from './rules.js';
import { checkOptions } from '../options.js';
import { checkBeta, checkLearningRate, checkSchedule } from './validate.js';

/** Settings of gradient descent with momentum. */
export interface MomentumOptions {
  /** α. A finite number > 0. */
  learningRate: number;
  /** β, how much of the velocity is kept each step: in [0, 1). Default 0.9. */
  beta?: number;
  /**
   * Which velocity update:
   * - `'none'` (default, PyTorch's SGD with dampening 0): v := β·v + dW, with v := dW on a
   *   parameter's first step.
   * - `'course'` (deeplearning.ai course 2): v starts at 0, v := β·v + (1 − β)·dW — an
   *   exponentially weighted average, so steps are (1 − β) times smaller than PyTorch's for
   *   the same α once v has warmed up.
   */
  dampening?: 'none' | 'course';
  /** α as a function of the epoch, applied by `onEpoch`. */
  schedule?: LearningRateSchedule;
}

/**
 * Gradient descent with momentum. For every parameter, with velocity v (buffer `v`):
 *
 *     v := β·v + dW          (v := dW on the parameter's first step)   — dampening 'none'
 *     v := β·v + (1 − β)·dW  (v starts at 0)                            — dampening 'course'
 *     W := W − α·v
 *
 * The default equals torch.optim.SGD(params, lr=α, momentum=β) (dampening 0, nesterov
 * false); with β = 0 both forms are plain gradient descent.
 *
 * @example
 * const opt = new Momentum({ learningRate: 0.01, beta: 0.9 });
 */
export class Momentum extends BaseOptimizer {
  readonly name = 'momentum' as const;
  readonly beta: number;
  readonly dampening: 'none' | 'course';

  constructor(options: MomentumOptions) {
    const o = checkOptions(options, 'Momentum', ['learningRate', 'beta', 'dampening', 'schedule']);
    super(checkLearningRate(o['learningRate']), checkSchedule(o['schedule']), ['v']);
    this.beta = o['beta'] === undefined ? 0.9 : checkBeta(o['beta'], 'beta');
    const dampening = o['dampening'] ?? 'none';
    if (dampening !== 'none' && dampening !== 'course') {
      throw new ArgumentError('dampening', `must be 'none' (PyTorch) or 'course' (deeplearning.ai), got ${JSON.stringify(dampening)}`);
    }
    this.dampening = dampening;
  }

  protected update(w: TypedArray, dw: TypedArray, slot: ParameterSlot): void {
    const course = this.dampening === 'course';
    // PyTorch seeds the buffer with the first gradient; the course starts from v = 0, which
    // the zero-filled buffer already is, so its first step uses the general formula.
    momentumUpdate(w, dw, slot.buffers[0]!, this.learningRate, this.beta, course ? this.beta : 0, !course && slot.step === 1);
  }
}
