import { ArgumentError } from '../errors.js';
import { softmax } from '../ops/softmax.js';
import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/** The activations g[l] a layer may use (seed 003: each layer its own). */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softmax' | 'linear';

export const ACTIVATIONS: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax', 'linear'];

/** A[l] = g[l](Z[l]). softmax normalizes each column (over the units, the seeds' layout). */
export function activate(name: ActivationName, Z: Tensor): Tensor {
  switch (name) {
    case 'sigmoid': return sigmoid(Z);
    case 'tanh': return tanh(Z);
    case 'relu': return relu(Z);
    case 'leakyRelu': return leakyRelu(Z);
    case 'softmax': return softmax(Z, 0);
    case 'linear': return Z;
  }
}

/** Validates an activation name from user input; `where` names the layer. */
export function checkActivation(name: unknown, where: string): ActivationName {
  if (typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name)) return name as ActivationName;
  throw new ArgumentError(where, `unknown activation ${JSON.stringify(name)}: expected one of ${ACTIVATIONS.join(', ')}`);
}

/** The seeds' formula for g(z), for traces and the explain views. */
export const ACTIVATION_FORMULA: Record<ActivationName, string> = {
  sigmoid: 'σ(Z) = 1 / (1 + e^−Z)',
  tanh: 'tanh(Z)',
  relu: 'max(0, Z)',
  leakyRelu: 'max(0.01·Z, Z)',
  softmax: 'e^Z / Σ e^Z (per column)',
  linear: 'Z',
};
