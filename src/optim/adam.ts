import type { TypedArray } from '../tensor/dtype.js';
import { BaseOptimizer, type ParameterSlot } from './base.js';
import type { LearningRateSchedule } from './optimizer.js';
import { adamUpdate } from './rules.js';
import { checkOptions } from '../options.js';
import { checkBeta, checkLearningRate, checkPositive, checkSchedule } from './validate.js';

/** Settings of Adam. Defaults are PyTorch's (and the paper's). */
export interface AdamOptions {
  /** α. A finite number > 0. Default 0.001. */
  learningRate?: number;
  /** β1, the decay of the gradient average m: in [0, 1). Default 0.9. */
  beta1?: number;
  /** β2, the decay of the squared-gradient average v: in [0, 1). Default 0.999. */
  beta2?: number;
  /** ε, added to √v̂: > 0. Default 1e-8. */
  epsilon?: number;
  /** α as a function of the epoch, applied by `onEpoch`. */
  schedule?: LearningRateSchedule;
}

/**
 * Adam with bias correction. For every parameter, with m, v (buffers `m`, `v`) starting at 0
 * and t the parameter's own step count (1 on its first update):
 *
 *     m := β1·m + (1 − β1)·dW
 *     v := β2·v + (1 − β2)·dW²
 *     m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *     W := W − α·m̂ / (√v̂ + ε)
 *
 * Equals torch.optim.Adam(params, lr=α, betas=(β1, β2), eps=ε) and evaluates in its order
 * (see `adamUpdate`). On the first step m̂ = dW and v̂ = dW², so each weight moves by
 * α·dW/(|dW| + ε) ≈ α·sign(dW) whatever the gradient's scale.
 *
 * @example
 * const opt = new Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 */
export class Adam extends BaseOptimizer {
  readonly name = 'adam' as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamOptions = {}) {
    const o = checkOptions(options, 'Adam', ['learningRate', 'beta1', 'beta2', 'epsilon', 'schedule']);
    super(o['learningRate'] === undefined ? 0.001 : checkLearningRate(o['learningRate']), checkSchedule(o['schedule']), ['m', 'v']);
    this.beta1 = o['beta1'] === undefined ? 0.9 : checkBeta(o['beta1'], 'beta1');
    this.beta2 = o['beta2'] === undefined ? 0.999 : checkBeta(o['beta2'], 'beta2');
    this.epsilon = o['epsilon'] === undefined ? 1e-8 : checkPositive(o['epsilon'], 'epsilon');
  }

  protected update(w: TypedArray, dw: TypedArray, slot: ParameterSlot): void {
    // t is per parameter, as in PyTorch: a parameter that missed a step (no gradient) is
    // bias-corrected for the updates it actually had.
    adamUpdate(w, dw, slot.buffers[0]!, slot.buffers[1]!, this.learningRate, this.beta1, this.beta2, this.epsilon, slot.step);
  }
}
