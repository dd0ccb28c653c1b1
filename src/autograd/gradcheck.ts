import { ArgumentError, DTypeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';

/** The course's thresholds on the relative difference (course 2, week 1). */
export const GRADCHECK_GOOD = 1e-7;
export const GRADCHECK_BUG = 2e-7;

/** The verdict for one parameter's gradient. */
export interface GradCheckEntry {
  /** The gradient's name in the seeds' notation: `dW1`, `db1`, `dw`. */
  name: string;
  /** ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖). */
  relativeDifference: number;
  /** good: < 1e-7; suspect: between the thresholds; bug: > 2e-7. */
  verdict: 'good' | 'suspect' | 'bug';
  analytic: Float64Array;
  numeric: Float64Array;
}

export interface GradCheckReport {
  entries: GradCheckEntry[];
  /** The relative difference over all parameters together, as the course computes it. */
  relativeDifference: number;
  /**
   * The course's verdict: the relative difference over all parameters together is < 1e-7.
   * Per-parameter verdicts say where to look when it is not.
   */
  passed: boolean;
}

/**
 * Compares backprop's gradients with central differences
 * gradapprox = (J(θ + ε) − J(θ − ε)) / 2ε, element by element, for each named parameter.
 * float64 only: in float32 the differences are dominated by rounding.
 *
 * @example
 * const report = gradCheck(() => net.cost(X, Y), net.parameters());
 * report.entries.map((e) => `${e.name} ${e.relativeDifference}`) // ['dW1 3.1e-10', …]
 */
export function gradCheck(cost: () => Tensor, parameters: Map<string, Tensor>, options: { epsilon?: number } = {}): GradCheckReport {
  const epsilon = options.epsilon ?? 1e-7;
  if (!(epsilon > 0)) throw new ArgumentError('epsilon', `must be > 0, got ${epsilon}`);
  for (const [name, p] of parameters) {
    if (p.dtype !== 'float64') throw new DTypeError(name, `gradCheck needs float64 parameters, ${name} is ${p.dtype}`);
  }
  // Analytic gradients from one backward pass.
  for (const p of parameters.values()) p.zeroGrad();
  cost().backward();
  const analytic = new Map<string, Float64Array>();
  for (const [name, p] of parameters) analytic.set(name, p.grad ? Float64Array.from(p.grad.data) : new Float64Array(p.size));
  for (const p of parameters.values()) p.zeroGrad();

  const entries: GradCheckEntry[] = [];
  let diffSq = 0, gradSq = 0, approxSq = 0;
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
      }
    });
    const grad = analytic.get(name)!;
    let d = 0, g = 0, a = 0;
    for (let i = 0; i < p.size; i++) {
      d += (grad[i]! - numeric[i]!) ** 2;
      g += grad[i]! ** 2;
      a += numeric[i]! ** 2;
    }
    diffSq += d; gradSq += g; approxSq += a;
    const rel = relative(d, g, a);
    entries.push({ name: `d${name}`, relativeDifference: rel, verdict: verdictOf(rel), analytic: grad, numeric });
  }
  const overall = relative(diffSq, gradSq, approxSq);
  return { entries, relativeDifference: overall, passed: overall < GRADCHECK_GOOD && entries.every((e) => e.verdict !== 'bug') };
}

function relative(diffSq: number, gradSq: number, approxSq: number): number {
  const denom = Math.sqrt(gradSq) + Math.sqrt(approxSq);
  // Both zero: the gradients agree exactly.
  return denom === 0 ? 0 : Math.sqrt(diffSq) / denom;
}

function verdictOf(rel: number): GradCheckEntry['verdict'] {
  if (!(rel <= GRADCHECK_BUG)) return 'bug';
  return rel < GRADCHECK_GOOD ? 'good' : 'suspect';
}
