export type { RandomSource } from './source.js';
export { RandomState } from './numpy.js';
export type { RandomStateSnapshot, MutableArrayLike } from './numpy.js';
export { FastRandom } from './fast.js';
export type { FastRandomState } from './fast.js';
export { createRandom } from './create.js';
export type { RandomKind } from './create.js';
