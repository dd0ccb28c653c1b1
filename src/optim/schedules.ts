import type { LearningRateSchedule } from './optimizer.js';
import { checkOptions } from '../options.js';
import { checkFactor, checkInteger, checkLearningRate, checkNonNegative } from './validate.js';

// Learning-rate schedules: pure functions of the 0-based epoch and the initial rate α₀,
// in closed form (not by repeated multiplication), so a schedule gives the same value for
// an epoch whether or not the earlier epochs were visited — resuming from a checkpoint
// needs no schedule state. An optimizer applies one through `onEpoch(epoch)`.

function checkArguments(epoch: number, initial: number): void {
  checkInteger(epoch, 'epoch', 0);
  checkLearningRate(initial, 'initial');
}

/**
 * Step decay: α = α₀ · factor^⌊epoch / dropEvery⌋ — the rate is multiplied by `factor`
 * every `dropEvery` epochs (torch.optim.lr_scheduler.StepLR's closed form, step_size =
 * dropEvery, gamma = factor).
 *
 * @example stepDecay({ dropEvery: 10, factor: 0.5 })(25, 0.1) // 0.1 · 0.5² = 0.025
 */
export function stepDecay(options: { dropEvery: number; factor: number }): LearningRateSchedule {
  const o = checkOptions(options, 'stepDecay', ['dropEvery', 'factor']);
  const dropEvery = checkInteger(o['dropEvery'], 'dropEvery', 1);
  const factor = checkFactor(o['factor'], 'factor');
  return (epoch, initial) => {
    checkArguments(epoch, initial);
    return initial * factor ** Math.floor(epoch / dropEvery);
  };
}

/**
 * Exponential decay: α = α₀ · rate^epoch (the closed form of
 * torch.optim.lr_scheduler.ExponentialLR with gamma = rate).
 *
 * @example exponentialDecay({ rate: 0.95 })(2, 0.1) // 0.1 · 0.95² = 0.09025
 */
export function exponentialDecay(options: { rate: number }): LearningRateSchedule {
  const o = checkOptions(options, 'exponentialDecay', ['rate']);
  const rate = checkFactor(o['rate'], 'rate');
  return (epoch, initial) => {
    checkArguments(epoch, initial);
    return initial * rate ** epoch;
  };
}

/**
 * Inverse-time decay, the deeplearning.ai course-2 form:
 *
 *     α = α₀ / (1 + decayRate · ⌊epoch / decayEvery⌋)
 *
 * With decayEvery = 1 (the default) it is the course's `update_lr`, α₀ / (1 + decayRate·epoch);
 * with decayEvery = k it is `schedule_lr_decay` with time_interval = k (the rate drops in
 * steps, every k epochs). decayRate = 0 keeps α₀.
 *
 * @example inverseTimeDecay({ decayRate: 1, decayEvery: 1000 })(2500, 0.1) // 0.1 / 3
 */
export function inverseTimeDecay(options: { decayRate: number; decayEvery?: number }): LearningRateSchedule {
  const o = checkOptions(options, 'inverseTimeDecay', ['decayRate', 'decayEvery']);
  const decayRate = checkNonNegative(o['decayRate'], 'decayRate');
  const decayEvery = o['decayEvery'] === undefined ? 1 : checkInteger(o['decayEvery'], 'decayEvery', 1);
  return (epoch, initial) => {
    checkArguments(epoch, initial);
    return initial / (1 + decayRate * Math.floor(epoch / decayEvery));
  };
}
