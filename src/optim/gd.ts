import type { TypedArray } from '../tensor/dtype.js';
import { BaseOptimizer, type ParameterSlot } from './base.js';
import type { LearningRateSchedule } from './optimizer.js';
import { gradientDescentUpdate } from './rules.js';
import { checkOptions } from '../options.js';
import { checkLearningRate, checkSchedule } from './validate.js';

/** Settings of plain gradient descent. */
export interface GDOptions {
  /** α in W := W − α·dW. A finite number > 0. */
  learningRate: number;
  /** α as a function of the epoch, applied by `onEpoch` (see `schedules.ts`). */
  schedule?: LearningRateSchedule;
}

/**
 * Gradient descent (mini-batch or full-batch, depending on what the gradients were computed
 * on): for every parameter, W := W − α·dW. No state.
 * Same as torch.optim.SGD(params, lr=α).
 *
 * @example
 * const opt = new GradientDescent({ learningRate: 0.0075 });
 * J.backward(); opt.step(model.parameters());
 */
export class GradientDescent extends BaseOptimizer {
  readonly name = 'gd' as const;

  constructor(options: GDOptions) {
    const o = checkOptions(options, 'GradientDescent', ['learningRate', 'schedule']);
    super(checkLearningRate(o['learningRate']), checkSchedule(o['schedule']), []);
  }

  protected update(w: TypedArray, dw: TypedArray, _slot: ParameterSlot): void {
    gradientDescentUpdate(w, dw, this.learningRate);
  }
}
