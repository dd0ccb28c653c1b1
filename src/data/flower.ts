/**
 * The course's planar "flower" dataset (week 3): two classes of 2-D points on the petals of
 * a rose curve, which no straight line separates. Browser-safe.
 *
 * Reproduces `load_planar_dataset()` draw for draw on numpy's legacy RandomState, so the
 * points match the course's to ~1e-12 (JS `Math.sin`/`Math.cos`/`Math.log` may differ from
 * C's libm in the last bit).
 *
 * @example
 * const { X, Y } = planarFlower();
 * X.shape; // [2, 400]
 * Y.shape; // [1, 400] — 200 zeros, then 200 ones
 */
import { ArgumentError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { RandomState } from '../tensor/random/numpy.js';
import { Tensor } from '../tensor/tensor.js';

export interface PlanarFlowerOptions {
  /** Seed of numpy's RandomState. Default 1, as the course. */
  readonly seed?: number;
  /** Number of points, even: half per class. Default 400. */
  readonly m?: number;
  /** Maximum ray of the flower (petal length). Default 4. */
  readonly a?: number;
}

export interface PlanarFlower {
  /** (2, m): row 0 is r·sin t, row 1 is r·cos t. */
  readonly X: Tensor;
  /** (1, m): class j for the j-th half of the points. */
  readonly Y: Tensor;
}

/**
 * `np.linspace(start, stop, num)`: start + i·step with step = (stop − start)/(num − 1), and
 * the last element set to `stop` exactly (numpy does so to avoid rounding at the end).
 * Written out rather than as start + i·(stop − start)/(num − 1), which rounds differently.
 */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * The flower dataset, as the course's `load_planar_dataset()`:
 *
 * ```python
 * np.random.seed(1); N = m // 2
 * for j in range(2):
 *     ix = range(N*j, N*(j+1))
 *     t = np.linspace(j*3.12, (j+1)*3.12, N) + np.random.randn(N)*0.2   # theta
 *     r = a*np.sin(4*t) + np.random.randn(N)*0.2                          # radius
 *     X[ix] = np.c_[r*np.sin(t), r*np.cos(t)]; Y[ix] = j
 * ```
 *
 * returned with samples as columns: X (2, m), Y (1, m), float64.
 *
 * @throws ArgumentError for an odd or non-positive `m` (the course would leave the odd
 *   point at the origin, labelled 0), a non-finite `a`, or a seed numpy would refuse.
 */
export function planarFlower(options: PlanarFlowerOptions = {}): PlanarFlower {
  checkOptions(options, 'planarFlower', optionKeys<PlanarFlowerOptions>()(['seed', 'm', 'a']));
  const seed = options.seed ?? 1;
  const m = options.m ?? 400;
  const a = options.a ?? 4;
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) {
    throw new ArgumentError('m', `the flower needs an even number of points m >= 2 (half per class), got ${m}`);
  }
  if (!Number.isFinite(a)) throw new ArgumentError('a', `the maximum ray a must be a finite number, got ${a}`);
  const rs = new RandomState(seed);
  const N = m / 2;
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let j = 0; j < 2; j++) {
    // The two randn(N) calls must stay in this order: t's noise first, then r's.
    const t = linspace(j * 3.12, (j + 1) * 3.12, N);
    const tNoise = rs.randnArray(N);
    for (let i = 0; i < N; i++) t[i] = t[i]! + tNoise[i]! * 0.2;
    const rNoise = rs.randnArray(N);
    for (let i = 0; i < N; i++) {
      const ti = t[i]!;
      const r = a * Math.sin(4 * ti) + rNoise[i]! * 0.2;
      const col = N * j + i;
      X[col] = r * Math.sin(ti);
      X[m + col] = r * Math.cos(ti);
      Y[col] = j;
    }
  }
  return { X: new Tensor(X, [2, m]), Y: new Tensor(Y, [1, m]) };
}
