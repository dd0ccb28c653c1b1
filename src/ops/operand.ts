import { DTypeError } from '../errors.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { Tensor, expectTensor } from '../tensor/tensor.js';

/** An op argument: a tensor, or a plain number that takes the other operand's dtype. */
export type Operand = Tensor | number;

/** A 0-d tensor holding `value`. */
export function scalarOf(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Resolves two operands to tensors of one dtype; mixing float32 and float64 is an error, not a silent cast. */
export function toTensors(a: Operand, b: Operand, op: string): [Tensor, Tensor] {
  if (typeof a !== 'number') expectTensor(a, `${op}: a`);
  if (typeof b !== 'number') expectTensor(b, `${op}: b`);
  if (typeof a === 'number' && typeof b === 'number') return [scalarOf(a, 'float64'), scalarOf(b, 'float64')];
  if (typeof a === 'number') return [scalarOf(a, (b as Tensor).dtype), b as Tensor];
  if (typeof b === 'number') return [a, scalarOf(b, a.dtype)];
  if (a.dtype !== b.dtype) {
    throw new DTypeError(op, `cannot mix ${a.dtype} and ${b.dtype}: convert one with cast(x, '${a.dtype}')`);
  }
  return [a, b];
}
