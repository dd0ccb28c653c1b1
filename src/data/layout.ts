/**
 * Sample layout (browser-safe). nabla follows the course: samples are COLUMNS, X is
 * (n_x, m). scikit-learn, pandas and CSV files put samples in ROWS, (m, n_x). Feeding such a
 * matrix as-is makes every feature a "sample" — a square-ish dataset would even train
 * without a shape error — so say which layout the data is in and let `toColumns` convert.
 *
 * @example
 * const X = toColumns(tensor(sklearnRows), 'rows'); // (m, n_x) → (n_x, m)
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Where the samples are: `'columns'` (nabla, the course) or `'rows'` (scikit-learn, CSV). */
export type DataLayout = 'columns' | 'rows';

function checkLayout(layout: unknown): DataLayout {
  if (layout === 'columns' || layout === 'rows') return layout;
  throw new ArgumentError('layout', `unknown layout ${JSON.stringify(layout)}: expected 'columns' (samples as columns) or 'rows' (samples as rows)`);
}

/** Nested arrays of numbers to a (rows, cols) tensor, checking they are rectangular. */
function fromNested(rows: readonly (readonly number[])[]): Tensor {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new ShapeError('toColumns', `row ${i} has ${row.length} values, row 0 has ${c}: the data is not rectangular`);
    data.set(row, i * c);
  });
  return new Tensor(data, [r, c]);
}

/**
 * Data in nabla's layout, samples as columns.
 *
 * - `'columns'`: already so; a 2-D tensor is returned as is (not copied), a vector (n,) is
 *   one sample, (n, 1).
 * - `'rows'`: samples as rows, (m, n_x) → transposed into a new (n_x, m) tensor; a vector
 *   (m,) — scikit-learn's y — is m samples of one value, (1, m).
 *
 * Nested arrays (`number[][]`, one inner array per row) are accepted too, as float64.
 *
 * @throws ArgumentError for an unknown layout; ShapeError for a tensor of rank other than
 *   1 or 2, or ragged nested arrays.
 */
export function toColumns(data: Tensor | readonly (readonly number[])[], layout: DataLayout): Tensor {
  const kind = checkLayout(layout);
  const t = data instanceof Tensor ? data : fromNested(data);
  if (t.rank === 1) {
    const n = t.shape[0]!;
    return new Tensor(t.data.slice(), kind === 'rows' ? [1, n] : [n, 1]);
  }
  if (t.rank !== 2) throw new ShapeError('toColumns', `expected a matrix (2-D) or a vector, got shape ${fmtShape(t.shape)}`);
  if (kind === 'columns') return t;
  const [m, n] = t.shape as [number, number];
  const out = allocate(t.dtype, t.size);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) out[i * m + j] = t.data[j * n + i]!;
  }
  return new Tensor(out, [n, m]);
}
