import { noGrad } from '../autograd/mode.js';
import type { Model } from '../nn/model.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';

/** Index of the first NaN or ±Inf in t, or −1. */
export function firstNonFinite(t: Tensor): number {
  const d = t.data;
  // v·0 is 0 for every finite v and NaN for NaN and ±Inf, so one branch-free pass with four
  // sums says whether there is one at all (the usual answer: no), at a fraction of the cost of
  // testing each value; only then is it looked for.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  const n = d.length;
  for (; i + 4 <= n; i += 4) {
    s0 += d[i]! * 0; s1 += d[i + 1]! * 0; s2 += d[i + 2]! * 0; s3 += d[i + 3]! * 0;
  }
  for (; i < n; i++) s0 += d[i]! * 0;
  if (s0 + s1 + s2 + s3 === 0) return -1;
  for (let j = 0; j < n; j++) if (!Number.isFinite(d[j]!)) return j;
  return -1;
}

/**
 * Where a non-finite value first appears in one pass over (X, Y): the first Z[l] or A[l] of
 * the forward pass (left to right), else the first gradient (dW[l], db[l], in update order).
 * Returns a phrase such as `layer 2, Z[2]` for an error message, or null if all is finite.
 */
export function locateNonFinite(model: Model, X: Tensor, parameters: Map<string, Tensor>): string | null {
  if (model instanceof Sequential) {
    const outputs = noGrad(() => model.forwardLayers(X));
    for (let i = 0; i < outputs.length; i++) {
      const l = i + 1;
      if (firstNonFinite(outputs[i]!.Z) >= 0) return `layer ${l}, Z[${l}]`;
      if (firstNonFinite(outputs[i]!.A) >= 0) return `layer ${l}, A[${l}]`;
    }
    // Everything finite going in, yet J is not: the output is so large that the loss overflows.
    const L = outputs.length;
    const A = outputs[L - 1]!.A;
    let peak = 0;
    for (const v of A.data) peak = Math.max(peak, Math.abs(v));
    if (peak > 1e150) return `layer ${L}, the cost of A[${L}] (|A[${L}]| reaches ${peak.toExponential(1)})`;
  }
  for (const [name, p] of parameters) {
    if (firstNonFinite(p) >= 0) return `parameter ${name}`;
    if (p.grad && firstNonFinite(p.grad) >= 0) {
      const layer = /\d+$/.exec(name)?.[0];
      return layer ? `layer ${layer}, d${name}` : `d${name}`;
    }
  }
  return null;
}

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm` (PyTorch's
 * clip_grad_norm_): g := g · maxNorm / ‖g‖ when ‖g‖ > maxNorm. Returns the norm before clipping.
 */
export function clipGradNorm(parameters: Map<string, Tensor>, maxNorm: number): number {
  let sq = 0;
  for (const p of parameters.values()) if (p.grad) for (const v of p.grad.data) sq += v * v;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    for (const p of parameters.values()) if (p.grad) for (let i = 0; i < p.grad.size; i++) p.grad.data[i]! *= s;
  }
  return norm;
}
