import { ArgumentError } from '../errors.js';
import { describeValue } from '../tensor/tensor.js';
import type { LearningRateSchedule } from './optimizer.js';

// Shared checks for hyper-parameters. Each throws an ArgumentError whose `where` is the
// argument's name, so a message reads "beta1: must be in [0, 1), got 1".

/** α: a finite number > 0. */
export function checkLearningRate(value: unknown, where = 'learningRate'): number {
  return checkPositive(value, where);
}

/** A finite number > 0 (learning rates, ε). */
export function checkPositive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ArgumentError(where, `must be a finite number > 0, got ${shown(value)}`);
  }
  return value;
}

/** A finite number ≥ 0 (decay rates). */
export function checkNonNegative(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError(where, `must be a finite number ≥ 0, got ${shown(value)}`);
  }
  return value;
}

/** A decay coefficient β in [0, 1): β = 1 would never forget, and would divide by 0 in Adam's bias correction. */
export function checkBeta(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ArgumentError(where, `must be a number in [0, 1), got ${shown(value)}`);
  }
  return value;
}

/** A multiplicative decay factor in (0, 1]: 0 would zero the learning rate, > 1 would grow it. */
export function checkFactor(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    throw new ArgumentError(where, `must be a number in (0, 1], got ${shown(value)}`);
  }
  return value;
}

/** A whole number ≥ `min`. */
export function checkInteger(value: unknown, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(where, `must be a whole number ≥ ${min}, got ${shown(value)}`);
  }
  return value;
}

/** An optional schedule: a function or undefined. */
export function checkSchedule(value: unknown): LearningRateSchedule | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new ArgumentError('schedule', `must be a function (epoch, initial) => learningRate, got ${typeof value}`);
  }
  return value as LearningRateSchedule;
}

/** A number as it is; anything else described ("the string \"0.1\"", "an object with keys …"). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}
