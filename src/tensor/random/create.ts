import { ArgumentError } from '../../errors.js';
import { FastRandom } from './fast.js';
import { RandomState } from './numpy.js';
import type { RandomSource } from './source.js';

/** Which generator `createRandom` builds: nabla's fast default, or numpy's legacy one. */
export type RandomKind = 'fast' | 'numpy';

/**
 * A seeded random source. `'fast'` (default) is nabla's own xoshiro128** generator;
 * `'numpy'` reproduces `numpy.random.RandomState(seed)` bit for bit, which is what
 * re-creating the course's initial weights and datasets needs.
 *
 * @param seed a non-negative safe integer; for `'numpy'` also < 2**32, numpy's range.
 * @throws ArgumentError (where = 'seed') for any other seed, (where = 'kind') for an
 * unknown kind (reachable from untyped callers such as the CLI).
 *
 * @example
 * const rng = createRandom(1, 'numpy');
 * rng.randn(); // 1.6243453636632417, like np.random.seed(1); np.random.randn()
 */
export function createRandom(seed: number, kind: RandomKind = 'fast'): RandomSource {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError('seed', `the seed must be a non-negative safe integer, got ${seed}`);
  }
  switch (kind) {
    case 'fast':
      return new FastRandom(seed);
    case 'numpy':
      if (seed > 0xffffffff) {
        throw new ArgumentError('seed', `numpy's RandomState needs 0 <= seed < 2**32, got ${seed}`);
      }
      return new RandomState(seed);
    default: {
      const unknown: string = kind;
      throw new ArgumentError('kind', `unknown random generator '${unknown}', expected 'fast' or 'numpy'`);
    }
  }
}
