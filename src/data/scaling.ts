/**
 * Feature scaling (browser-safe). Features are the ROWS of X (n_x, m); a scaler keeps one
 * offset and one scale per row and maps x to (x − offset) / scale.
 *
 * A `Scaler` is plain data (numbers in arrays, no class), so it can be stored as-is in a
 * model file's JSON metadata and applied to new inputs at prediction time: a network
 * trained on scaled inputs must see inputs scaled with the TRAINING set's statistics.
 *
 * @example
 * const scaler = fitScaler(Xtrain, 'standardize');
 * const Xs = applyScaler(scaler, Xtrain);
 * const Xt = applyScaler(scaler, Xtest);   // the training mean and deviation, not the test set's
 * JSON.stringify(scaler);                    // {"kind":"standardize","offset":[…],"scale":[…]}
 */
import { ArgumentError, DataError, ShapeError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

export type ScalerKind = 'standardize' | 'minmax';

/**
 * Per-feature scaling x ↦ (x − offset[i]) / scale[i] for row i.
 *
 * - `standardize`: offset = the feature's mean, scale = its standard deviation (population,
 *   ddof = 0, as scikit-learn's StandardScaler) → mean 0, variance 1.
 * - `minmax`: offset = the minimum, scale = max − min → values in [0, 1].
 *
 * A constant feature (deviation or range 0) gets scale 1, so it maps to 0 instead of 0/0.
 */
export interface Scaler {
  readonly kind: ScalerKind;
  readonly offset: number[];
  readonly scale: number[];
}

function checkKind(kind: unknown, where: string): ScalerKind {
  if (kind === 'standardize' || kind === 'minmax') return kind;
  throw new ArgumentError(where, `unknown scaling ${JSON.stringify(kind)}: expected 'standardize' or 'minmax'`);
}

function dims(X: Tensor, where: string): [number, number] {
  const [n, m] = X.shape;
  if (X.rank !== 2 || n === undefined || m === undefined) {
    throw new ShapeError(where, `expected X of shape (n_x, m), features as rows, got ${fmtShape(X.shape)}`);
  }
  return [n, m];
}

/**
 * Fits a scaler to X (n_x, m): one offset and scale per feature (row), from the m samples.
 *
 * @throws ShapeError when X is not 2-D.
 * @throws DataError when X has no samples, or holds NaN or ±Inf (naming the row and column).
 */
export function fitScaler(X: Tensor, kind: ScalerKind): Scaler {
  checkKind(kind, 'fitScaler');
  const [n, m] = dims(X, 'fitScaler');
  if (m === 0) throw new DataError('fitScaler', `X ${fmtShape(X.shape)} has no samples to fit a scaler to`);
  const offset: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = X.data.subarray(i * m, (i + 1) * m);
    for (let j = 0; j < m; j++) {
      if (!Number.isFinite(row[j]!)) throw new DataError('fitScaler', `X[${i}, ${j}] is ${row[j]}: cannot fit a scaler to non-finite values`);
    }
    let o: number;
    let s: number;
    if (kind === 'standardize') {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += row[j]!;
      o = sum / m;
      // Two passes (mean, then squared deviations) rather than E[x²] − E[x]², which
      // cancels catastrophically for features with a large mean and a small spread.
      let ss = 0;
      for (let j = 0; j < m; j++) ss += (row[j]! - o) ** 2;
      s = Math.sqrt(ss / m);
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < m; j++) {
        lo = Math.min(lo, row[j]!);
        hi = Math.max(hi, row[j]!);
      }
      o = lo;
      s = hi - lo;
    }
    // Values near ±1.8e308 overflow the sums (or hi − lo) to ±Infinity: scaled, the whole
    // row would turn to NaN, so say so here, about the feature, rather than later about X.
    if (!Number.isFinite(o) || !Number.isFinite(s)) {
      throw new DataError('fitScaler', `feature ${i} (row ${i} of X) has values too large to ${kind === 'standardize' ? 'standardize' : 'min-max scale'} in float64 (its ${kind === 'standardize' ? 'mean or spread' : 'range'} overflows to Infinity): rescale that column first`);
    }
    // A constant feature carries no information; scale 1 maps it to 0 rather than NaN.
    offset.push(o);
    scale.push(s > 0 ? s : 1);
  }
  return { kind, offset, scale };
}

/**
 * Checks that a value (e.g. read back from JSON metadata) is a usable Scaler: a known kind,
 * offset and scale arrays of equal length, finite numbers, scales > 0.
 *
 * @throws ArgumentError naming `where` and what is wrong.
 */
export function checkScaler(value: unknown, where = 'scaler'): Scaler {
  if (typeof value !== 'object' || value === null) throw new ArgumentError(where, `a scaler is an object { kind, offset, scale }, got ${String(value)}`);
  const kind = checkKind('kind' in value ? value.kind : undefined, where);
  const offset = 'offset' in value ? value.offset : undefined;
  const scale = 'scale' in value ? value.scale : undefined;
  const numbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!numbers(offset) || !numbers(scale)) throw new ArgumentError(where, 'offset and scale must be arrays of finite numbers');
  if (offset.length !== scale.length) throw new ArgumentError(where, `${offset.length} offsets but ${scale.length} scales`);
  const bad = scale.findIndex((s) => !(s > 0));
  if (bad !== -1) throw new ArgumentError(where, `scale[${bad}] = ${scale[bad]}: scales must be > 0`);
  return { kind, offset: offset.slice(), scale: scale.slice() };
}

function transform(scaler: Scaler, X: Tensor, where: string, inverse: boolean): Tensor {
  const [n, m] = dims(X, where);
  if (n !== scaler.offset.length || n !== scaler.scale.length) {
    throw new ShapeError(where, `the scaler was fitted to ${scaler.offset.length} features, X ${fmtShape(X.shape)} has ${n}`);
  }
  const out = allocate(X.dtype, X.size);
  for (let i = 0; i < n; i++) {
    const o = scaler.offset[i]!;
    const s = scaler.scale[i]!;
    for (let j = i * m; j < (i + 1) * m; j++) out[j] = inverse ? X.data[j]! * s + o : (X.data[j]! - o) / s;
  }
  return new Tensor(out, [n, m]);
}

/**
 * (X − offset) / scale row by row, as a new tensor of X's dtype (X is not modified).
 *
 * @throws ShapeError when X's number of rows is not the scaler's number of features.
 */
export function applyScaler(scaler: Scaler, X: Tensor): Tensor {
  return transform(scaler, X, 'applyScaler', false);
}

/** The inverse of `applyScaler`: X · scale + offset row by row (e.g. to report regression outputs in the original units). */
export function invertScaler(scaler: Scaler, X: Tensor): Tensor {
  return transform(scaler, X, 'invertScaler', true);
}
