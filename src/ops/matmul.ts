import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/record.js';
import { ShapeError, fmtShape } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocateUnfilled } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { toTensors } from './operand.js';

/** Read an operand transposed, in place (no copy is made). */
export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * The matrix product op(a) · op(b) of 2-D tensors (the seeds' ×). Shapes are checked
 * once here: columns of the left must equal rows of the right.
 * Backward for C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC — computed with transposed reads, never
 * with materialized transposes, and only for inputs that need them (never dX).
 *
 * @example
 * const Z = matmul(W, A_prev);                   // (n[l], n[l−1]) × (n[l−1], m)
 * const dW = matmul(dZ, A_prev, { transB: true }); // dZ × A_prevᵀ
 */
const MATMUL_KEYS = optionKeys<MatmulOptions>()(['transA', 'transB']);

export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  checkOptions(options, 'matmul', MATMUL_KEYS);
  const [x, y] = toTensors(a, b, 'matmul');
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (x.rank !== 2 || y.rank !== 2) {
    throw new ShapeError('matmul', `needs 2-D operands, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  const [M, Ka] = transA ? [x.shape[1]!, x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  const [Kb, N] = transB ? [y.shape[1]!, y.shape[0]!] : [y.shape[0]!, y.shape[1]!];
  if (Ka !== Kb) {
    const left = `${fmtShape(x.shape)}${transA ? 'ᵀ' : ''}`;
    const right = `${fmtShape(y.shape)}${transB ? 'ᵀ' : ''}`;
    throw new ShapeError('matmul', `cannot multiply ${left} by ${right}: the left has ${Ka} columns but the right has ${Kb} rows`);
  }
  // Every backend writes all of C (with K = 0, zeros), so it need not be zeroed first.
  const out = allocateUnfilled(x.dtype, M * N);
  getBackend().matmul(x.data, y.data, out, M, N, Ka, transA, transB);
  const C = new Tensor(out, [M, N]);
  return record(C, 'matmul', [x, y], (dC, needs) => {
    // Derived from C = op(A)·op(B); each case keeps its operands in their stored layout.
    if (!transA && !transB) {
      return [needs[0] ? matmul(dC, y, { transB: true }) : null, needs[1] ? matmul(x, dC, { transA: true }) : null];
    }
    if (transA && !transB) {
      return [needs[0] ? matmul(y, dC, { transB: true }) : null, needs[1] ? matmul(x, dC) : null];
    }
    if (!transA && transB) {
      return [needs[0] ? matmul(dC, y) : null, needs[1] ? matmul(dC, x, { transA: true }) : null];
    }
    return [
      needs[0] ? matmul(y, dC, { transA: true, transB: true }) : null,
      needs[1] ? matmul(dC, x, { transA: true, transB: true }) : null,
    ];
  });
}
