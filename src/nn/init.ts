import { ArgumentError } from '../errors.js';
import { allocate, type DType } from '../tensor/dtype.js';
import type { RandomSource } from '../tensor/random/source.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * How W[l] starts. b[l] always starts at zero, as in the course.
 * - `zeros`: W = 0 — fine for logistic regression (convex), but every hidden unit of a deeper
 *   net would stay identical (symmetry), so only allowed for one-layer models.
 * - `small`: W = 0.01·randn(n[l], n[l−1]) — the course's shallow and two-layer networks.
 * - `scaled`: W = randn(n[l], n[l−1]) / √n[l−1] — the course's L-layer application.
 * - `xavier`: W = randn · √(2 / (n[l−1] + n[l])) (Glorot normal).
 * - `he`: W = randn · √(2 / n[l−1]), for relu layers.
 */
export type InitName = 'zeros' | 'small' | 'scaled' | 'xavier' | 'he';

export const INITS: readonly InitName[] = ['zeros', 'small', 'scaled', 'xavier', 'he'];

export function checkInit(name: unknown, where = 'init'): InitName {
  if (typeof name === 'string' && (INITS as readonly string[]).includes(name)) return name as InitName;
  throw new ArgumentError(where, `unknown initializer ${JSON.stringify(name)}: expected one of ${INITS.join(', ')}`);
}

/**
 * W[l] of shape (units, fanIn), drawn row-major with one randn per element — the order of
 * numpy's `randn(n[l], n[l−1])`, so a numpy-seeded RandomState gives the course's weights.
 * The scaling is applied exactly as the course writes it (× 0.01, ÷ √n) for bit equality.
 */
export function initWeights(init: InitName, units: number, fanIn: number, rng: RandomSource, dtype: DType): Tensor {
  const data = allocate(dtype, units * fanIn);
  if (init !== 'zeros') {
    const n = data.length;
    switch (init) {
      case 'small': for (let i = 0; i < n; i++) data[i] = rng.randn() * 0.01; break;
      case 'scaled': { const s = Math.sqrt(fanIn); for (let i = 0; i < n; i++) data[i] = rng.randn() / s; break; }
      case 'xavier': { const s = Math.sqrt(2 / (fanIn + units)); for (let i = 0; i < n; i++) data[i] = rng.randn() * s; break; }
      case 'he': { const s = Math.sqrt(2 / fanIn); for (let i = 0; i < n; i++) data[i] = rng.randn() * s; break; }
    }
  }
  return new Tensor(data, [units, fanIn]);
}
