// Optimizers: update rules, the classes that keep their state, schedules. Re-exports only.

export type { Optimizer, OptimizerName, OptimizerState, LearningRateSchedule } from './optimizer.js';
export { BaseOptimizer } from './base.js';
export type { ParameterSlot } from './base.js';
export { GradientDescent } from './gd.js';
export type { GDOptions } from './gd.js';
export { Momentum } from './momentum.js';
export type { MomentumOptions } from './momentum.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions } from './rmsprop.js';
export { Adam } from './adam.js';
export type { AdamOptions } from './adam.js';
export { createOptimizer, OPTIMIZER_NAMES } from './create.js';
export type { OptimizerOptionsByName } from './create.js';
export { stepDecay, exponentialDecay, inverseTimeDecay } from './schedules.js';
export { gradientDescentUpdate, momentumUpdate, rmspropUpdate, adamUpdate } from './rules.js';
