import { ArgumentError, DTypeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';
import { checkOptions } from '../options.js';

/** The course's thresholds on the relative difference (course 2, week 1). */
export const GRADCHECK_GOOD = 1e-7;
export const GRADCHECK_BUG = 2e-7;

/**
 * c in the central difference's rounding noise per element, c·u·max|J|/ε (u = 2⁻⁵³, the unit
 * roundoff of float64; max|J| over every cost gradCheck computes).
 *
 * Why: J(θ ± ε) are computed with a rounding error δ± of their own, and
 * gradapprox = (J⁺ − J⁻)/2ε carries (δ⁺ − δ⁻)/2ε of it — rounding amplified by 1/2ε = 5·10⁶.
 * A cost is a sum over m samples (accumulated left to right, in four lanes), so its rounding
 * error is about 0.06·√m·u·|J| rms for a sum of non-negative terms (cross-entropy, squared
 * error); with the two evaluations, √2 of that over 2ε: about 0.04·√m·u·|J|/ε rms per
 * element, plus about half a unit from the forward pass's own roundings.
 *
 * Measured (|gradapprox − grad| for correct gradients, ε = 1e-7, in units of u·|J|/ε):
 * the flower [2, 4, 1], tanh/sigmoid, m = 400: rms 0.9–1.1, largest 2.6, at the course's
 * initial weights, after 300 and after 10000 iterations; [2, 20, 1] and [2, 50, 1]: rms 1.0–1.1,
 * largest 3.3; the cat networks (m = 209) [12288, 7, 1] and [12288, 20, 7, 5, 1]: rms 0.5–0.8,
 * largest 3.7, at initialisation and after 300 iterations; the flower with m = 40, 4000,
 * 20000: rms 0.6, 2.7, 7.4 (the √m growth).
 *
 * c = 8 is then about 8σ at m ≈ 400, more than twice the largest single error seen in
 * networks of a few hundred samples, and still 3σ at m ≈ 4000; a gradient check with tens of
 * thousands of samples sums more rounding than that — check on a few hundred (the CLI takes 64).
 * A larger c would hide more: a bug whose error per element is below the floor (about 6e-9
 * for J ≈ 0.69) passes as noise.
 */
export const GRADCHECK_NOISE_FACTOR = 8;

/** The verdict for one parameter's gradient. */
export interface GradCheckEntry {
  /** The gradient's name in the seeds' notation: `dW1`, `db1`, `dw`. */
  name: string;
  /** ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖). */
  relativeDifference: number;
  /** ‖grad − gradapprox‖, the difference itself. */
  difference: number;
  /**
   * What rounding alone can make ‖grad − gradapprox‖: 8·u·max|J|/ε per element (u = 2⁻⁵³,
   * max|J| over every cost computed), times √size. A `difference` at or below it is
   * agreement, whatever the relative difference (the gradient is then too small for the
   * central difference to measure it to 1e-7).
   */
  noiseFloor: number;
  /**
   * good: relative difference < 1e-7, or a difference within the noise floor; otherwise
   * suspect (relative difference between the thresholds) or bug (> 2e-7).
   */
  verdict: 'good' | 'suspect' | 'bug';
  analytic: Float64Array;
  numeric: Float64Array;
}

export interface GradCheckReport {
  entries: GradCheckEntry[];
  /** The relative difference over all parameters together, as the course computes it. */
  relativeDifference: number;
  /** ‖grad − gradapprox‖ over all parameters together. */
  difference: number;
  /** The noise floor over all parameters together: the per-element noise times √(number of parameters). */
  noiseFloor: number;
  /**
   * The course's verdict: the relative difference over all parameters together is < 1e-7 —
   * or the difference is within the noise floor — and no parameter is a bug.
   * Per-parameter verdicts say where to look when it is not.
   */
  passed: boolean;
}

/**
 * Compares backprop's gradients with central differences
 * gradapprox = (J(θ + ε) − J(θ − ε)) / 2ε, element by element, for each named parameter,
 * by the course's relative difference ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖):
 * < 1e-7 good, > 2e-7 a bug.
 *
 * That test presumes gradapprox is exact to well under 1e-7 relative, which fails for small
 * gradients: J's last-bit rounding, divided by 2ε, is about u·|J|/ε ≈ 1e-9 per element for
 * J ≈ 0.7 — a relative 1e-3 of a gradient of 1e-6. So a difference within that rounding noise
 * (`noiseFloor`, see GRADCHECK_NOISE_FACTOR) counts as agreement too. This changes no verdict
 * of a parameter whose ‖grad‖ + ‖gradapprox‖ exceeds noiseFloor / 1e-7: there a difference
 * within the floor is already a relative difference < 1e-7. The floor assumes J's rounding error is a few ulps of
 * |J|, as for a mean of non-negative losses over a few hundred samples. A larger ε lowers the
 * floor (∝ 1/ε) at the price of a truncation error ∝ ε².
 * float64 only: in float32 the differences are dominated by rounding.
 *
 * @example
 * // The course's flower network at its initial weights: db1's gradient is only 1e-6.
 * const { X, Y } = planarFlower();
 * const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], init: 'small', rng: new RandomState(2) });
 * const report = gradCheck(() => net.cost(X, Y), net.parameters());
 * report.entries.map((e) => [e.name, e.relativeDifference.toExponential(1), e.verdict]);
 * // [['dW1', '1.6e-7', 'good'], ['db1', '9.3e-4', 'good'], ['dW2', '3.1e-8', 'good'], ['db2', '4.7e-5', 'good']]
 * // db1: ‖grad‖ = 1.0e-6, difference 1.9e-9 ≤ noiseFloor 1.2e-8 — rounding, not a bug.
 * report.passed; // true (the relative difference over all parameters is 1.9e-7)
 */
export function gradCheck(cost: () => Tensor, parameters: Map<string, Tensor>, options: { epsilon?: number } = {}): GradCheckReport {
  if (typeof cost !== 'function') throw new ArgumentError('gradCheck', 'cost must be a function () => J, such as () => net.cost(X, Y)');
  if (!(parameters instanceof Map)) throw new ArgumentError('gradCheck', 'parameters must be a Map of names to tensors, such as net.parameters()');
  checkOptions(options, 'gradCheck', ['epsilon']);
  const epsilon = options.epsilon ?? 1e-7;
  if (!(epsilon > 0)) throw new ArgumentError('epsilon', `must be > 0, got ${epsilon}`);
  for (const [name, p] of parameters) {
    if (p.dtype !== 'float64') throw new DTypeError(name, `gradCheck needs float64 parameters, ${name} is ${p.dtype}`);
  }
  // Analytic gradients from one backward pass.
  for (const p of parameters.values()) p.zeroGrad();
  const J = cost();
  J.backward();
  let maxCost = Math.abs(J.item());
  const analytic = new Map<string, Float64Array>();
  for (const [name, p] of parameters) analytic.set(name, p.grad ? Float64Array.from(p.grad.data) : new Float64Array(p.size));
  for (const p of parameters.values()) p.zeroGrad();

  const sums: Array<{ name: string; size: number; d: number; g: number; a: number; grad: Float64Array; numeric: Float64Array }> = [];
  for (const [name, p] of parameters) {
    const numeric = new Float64Array(p.size);
    noGrad(() => {
      for (let i = 0; i < p.size; i++) {
        const saved = p.data[i]!;
        p.data[i] = saved + epsilon;
        const plus = cost().item();
        p.data[i] = saved - epsilon;
        const minus = cost().item();
        p.data[i] = saved;
        numeric[i] = (plus - minus) / (2 * epsilon);
        maxCost = Math.max(maxCost, Math.abs(plus), Math.abs(minus));
      }
    });
    const grad = analytic.get(name)!;
    let d = 0, g = 0, a = 0;
    for (let i = 0; i < p.size; i++) {
      d += (grad[i]! - numeric[i]!) ** 2;
      g += grad[i]! ** 2;
      a += numeric[i]! ** 2;
    }
    sums.push({ name, size: p.size, d, g, a, grad, numeric });
  }

  // Rounding noise of one element of gradapprox. A non-finite J (or NaN, which Math.max
  // propagates) gives no floor: its differences are judged by the relative difference alone.
  const noise = Number.isFinite(maxCost) ? (GRADCHECK_NOISE_FACTOR * (Number.EPSILON / 2) * maxCost) / epsilon : 0;
  const entries: GradCheckEntry[] = [];
  let diffSq = 0, gradSq = 0, approxSq = 0, size = 0;
  for (const { name, size: n, d, g, a, grad, numeric } of sums) {
    diffSq += d; gradSq += g; approxSq += a; size += n;
    const rel = relative(d, g, a);
    const difference = Math.sqrt(d);
    const noiseFloor = noise * Math.sqrt(n);
    entries.push({ name: `d${name}`, relativeDifference: rel, difference, noiseFloor, verdict: verdictOf(rel, difference, noiseFloor), analytic: grad, numeric });
  }
  const overall = relative(diffSq, gradSq, approxSq);
  const difference = Math.sqrt(diffSq);
  const noiseFloor = noise * Math.sqrt(size);
  const agrees = overall < GRADCHECK_GOOD || difference <= noiseFloor;
  return { entries, relativeDifference: overall, difference, noiseFloor, passed: agrees && entries.every((e) => e.verdict !== 'bug') };
}

function relative(diffSq: number, gradSq: number, approxSq: number): number {
  const denom = Math.sqrt(gradSq) + Math.sqrt(approxSq);
  // Both zero: the gradients agree exactly.
  return denom === 0 ? 0 : Math.sqrt(diffSq) / denom;
}

function verdictOf(rel: number, difference: number, noiseFloor: number): GradCheckEntry['verdict'] {
  // Within the rounding noise of the central difference: agreement, however small the gradient.
  if (rel < GRADCHECK_GOOD || difference <= noiseFloor) return 'good';
  return rel <= GRADCHECK_BUG ? 'suspect' : 'bug';
}
