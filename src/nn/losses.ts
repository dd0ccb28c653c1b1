import { ArgumentError } from '../errors.js';
import { add, mul, sub } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { logSoftmax } from '../ops/softmax.js';
import { log, softplus, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/** The costs J a network can minimize. Each averages over the m samples (columns). */
export type LossName = 'binaryCrossEntropy' | 'squaredError' | 'categoricalCrossEntropy';

export const LOSSES: readonly LossName[] = ['binaryCrossEntropy', 'squaredError', 'categoricalCrossEntropy'];

export function checkLoss(name: unknown, where = 'loss'): LossName {
  if (typeof name === 'string' && (LOSSES as readonly string[]).includes(name)) return name as LossName;
  throw new ArgumentError(where, `unknown loss ${JSON.stringify(name)}: expected one of ${LOSSES.join(', ')}`);
}

// m is the number of samples: the columns of a (units, m) matrix.
function samples(Y: Tensor): number {
  return Y.rank >= 2 ? Y.shape[Y.rank - 1]! : Y.size;
}

/**
 * J = −(1/m) Σ [Y·log A + (1 − Y)·log(1 − A)] (seed 001 §2.3), summed over K sigmoid
 * outputs as well (seed 004). From probabilities, as the course writes it: A of exactly 0
 * or 1 gives ±Inf — prefer `binaryCrossEntropyWithLogits` for training.
 */
export function binaryCrossEntropy(A: Tensor, Y: Tensor): Tensor {
  const perSample = add(mul(Y, log(A)), mul(sub(1, Y), log(sub(1, A))));
  return mul(sum(perSample), -1 / samples(Y));
}

/**
 * The same cost from Z = the logits, A = σ(Z), rewritten as (1/m) Σ [log(1 + e^Z) − Y·Z]
 * so no log of 0 can occur: finite for |Z| = 1000. Its gradient is (σ(Z) − Y)/m, the
 * seeds' dZ[L] = A[L] − Y with the 1/m of the cost.
 */
export function binaryCrossEntropyWithLogits(Z: Tensor, Y: Tensor): Tensor {
  return mul(sum(sub(softplus(Z), mul(Y, Z))), 1 / samples(Y));
}

/** J = (1/m) Σᵢ Σⱼ (aⱼ − yⱼ)², seed 002's squared error C₀ averaged over the samples. */
export function squaredError(A: Tensor, Y: Tensor): Tensor {
  return mul(sum(square(sub(A, Y))), 1 / samples(Y));
}

/** J = −(1/m) Σ Y·log A for softmax outputs A (columns sum to 1) and one-hot Y. */
export function categoricalCrossEntropy(A: Tensor, Y: Tensor): Tensor {
  return mul(sum(mul(Y, log(A))), -1 / samples(Y));
}

/** The same from logits through a fused, stable log-softmax (over axis 0, the units). */
export function categoricalCrossEntropyWithLogits(Z: Tensor, Y: Tensor): Tensor {
  return mul(sum(mul(Y, logSoftmax(Z, 0))), -1 / samples(Y));
}
