import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './mode.js';
import { sumToShape } from './unbroadcast.js';

/**
 * An op's local backward: from dOut, one gradient per input in the *output's* shape or
 * the input's (broadcast is folded afterwards), or null. `needs[j]` says whether input j
 * wants one, so work for data inputs (X) is skipped.
 */
export type LocalBackward = (dOut: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

/**
 * Attaches `out` to the graph when any input requires grad and grad mode is on. Ops call
 * this after computing their forward value; it costs nothing under `noGrad`.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: LocalBackward): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return out;
  const needs = inputs.map((t) => t.requiresGrad);
  out.requiresGrad = true;
  out.node = {
    op,
    inputs,
    backward: (dOut) => backward(dOut, needs).map((g, j) => (g && needs[j] ? sumToShape(g, inputs[j]!.shape, op) : null)),
  };
  return out;
}
