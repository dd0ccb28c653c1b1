import { noGrad } from '../autograd/mode.js';
import { ArgumentError, NonFiniteError } from '../errors.js';
import { expectModel, type Model } from '../nn/model.js';
import { checkLearningRate } from '../optim/validate.js';
import { checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { compileRun, type CompiledRun } from './compiled.js';
import { locateNonFinite } from './diagnose.js';

/** Settings of full-batch gradient descent (seed 001 §2.4). */
export interface GradientDescentOptions {
  /** α in W := W − α·dW. Must be > 0. */
  learningRate: number;
  /** How many updates to make. */
  iterations: number;
  /** Record J every k iterations (default 1: every one). J is recorded before that iteration's update, as the course prints it. */
  recordEvery?: number;
  /** Called after each recorded cost; return `false` to stop early. */
  onCost?: (iteration: number, cost: number) => boolean | void;
}

const GRADIENT_DESCENT_KEYS = optionKeys<GradientDescentOptions>()(['learningRate', 'iterations', 'recordEvery', 'onCost']);

/** What a run of gradient descent produced. */
export interface GradientDescentResult {
  /** J at each recorded iteration. */
  costs: number[];
  /** The iteration of each entry in `costs`. */
  costIterations: number[];
  /** Updates actually made (fewer than asked when `onCost` stopped the run). */
  iterations: number;
  /** J after the last update. */
  finalCost: number;
}

/**
 * Full-batch gradient descent: repeat { J = cost(X, Y); backprop; W := W − α·dW, b := b − α·db }
 * for every parameter. Data is checked once, at the front; a cost that becomes NaN or ±Inf
 * stops training with an error naming the iteration — never silent NaN.
 *
 * @example
 * const { costs } = gradientDescent(net, X, Y, { learningRate: 0.0075, iterations: 2500, recordEvery: 100 });
 */
export function gradientDescent(model: Model, X: Tensor, Y: Tensor, options: GradientDescentOptions): GradientDescentResult {
  checkOptions(options, 'gradientDescent', GRADIENT_DESCENT_KEYS);
  expectModel(model, 'gradientDescent');
  const { learningRate, iterations } = options;
  const recordEvery = options.recordEvery ?? 1;
  checkLearningRate(learningRate);
  if (!Number.isInteger(iterations) || iterations < 0) throw new ArgumentError('iterations', `must be a whole number ≥ 0, got ${iterations}`);
  if (!Number.isInteger(recordEvery) || recordEvery < 1) throw new ArgumentError('recordEvery', `must be a whole number ≥ 1, got ${recordEvery}`);
  model.checkData(X, Y);

  const costs: number[] = [];
  const costIterations: number[] = [];
  let done = 0;
  // The fast path (./compiled.ts) where it applies: X is loaded into the program once, here.
  const compiled = compileRun(model, X, Y, X.shape[X.rank - 1]!);
  for (let i = 0; i < iterations; i++) {
    const cost = updateStep(model, X, Y, learningRate, i, compiled);
    done = i + 1;
    if (i % recordEvery === 0) {
      costs.push(cost);
      costIterations.push(i);
      if (options.onCost) {
        const stop = options.onCost(i, cost) === false;
        // The callback may have changed the parameters: the program reloads them.
        compiled?.invalidate();
        if (stop) break;
      }
    }
  }
  const finalCost = noGrad(() => model.cost(X, Y).item());
  checkCost(finalCost, done, learningRate);
  return { costs, costIterations, iterations: done, finalCost };
}

/**
 * One iteration of gradient descent on (X, Y): J, backprop, then W := W − α·dW for every
 * parameter. Returns J before the update. The data is not re-checked: call
 * `model.checkData(X, Y)` once before a loop of steps (as `gradientDescent` does).
 *
 * @example const J = gradientDescentStep(net, X, Y, 0.0075);
 */
export function gradientDescentStep(model: Model, X: Tensor, Y: Tensor, learningRate: number): number {
  expectModel(model, 'gradientDescentStep');
  checkLearningRate(learningRate);
  return updateStep(model, X, Y, learningRate, 0, compileRun(model, X, Y, X.shape[X.rank - 1]!));
}

/**
 * A reusable step of gradient descent on fixed data: (X, Y) are checked and — on the compiled
 * fast path — copied into the step's own memory once, here, so each call is one iteration and
 * nothing more. Returns J before that iteration's update. X and Y must not change afterwards
 * (make a new step for new data).
 *
 * @example
 * const step = makeGradientDescentStep(net, X, Y, 0.0075);
 * for (let i = 0; i < 2500; i++) step();
 */
export function makeGradientDescentStep(model: Model, X: Tensor, Y: Tensor, learningRate: number): () => number {
  expectModel(model, 'makeGradientDescentStep');
  checkLearningRate(learningRate);
  model.checkData(X, Y);
  const compiled = compileRun(model, X, Y, X.shape[X.rank - 1]!);
  let iteration = 0;
  return () => updateStep(model, X, Y, learningRate, iteration++, compiled);
}

function updateStep(model: Model, X: Tensor, Y: Tensor, learningRate: number, iteration: number, compiled: CompiledRun | null): number {
  if (compiled) {
    const cost = compiled.step(null, 0, X.shape[X.rank - 1]!);
    if (!Number.isFinite(cost)) checkCost(cost, iteration, learningRate, locateNonFinite(model, X, model.parameters()));
    // As on the generic path, a parameter made non-finite shows in the next iteration's cost.
    compiled.descend(learningRate);
    return cost;
  }
  const params = model.parameters();
  for (const p of params.values()) p.zeroGrad();
  const J = model.cost(X, Y);
  const cost = J.item();
  if (!Number.isFinite(cost)) checkCost(cost, iteration, learningRate, locateNonFinite(model, X, params));
  J.backward();
  noGrad(() => {
    for (const [name, p] of params) {
      const g = p.grad;
      if (!g) throw new ArgumentError(name, `no gradient reached ${name}: it does not influence the cost`);
      const w = p.data, dw = g.data;
      for (let k = 0; k < w.length; k++) w[k]! -= learningRate * dw[k]!;
    }
  });
  return cost;
}

function checkCost(cost: number, iteration: number, learningRate: number, where: string | null = null): void {
  if (!Number.isFinite(cost)) {
    throw new NonFiniteError(
      `iteration ${iteration}`,
      `the cost became ${cost}${where ? ` (first non-finite value: ${where})` : ''} — training diverged; try a smaller learning rate than ${learningRate}`,
    );
  }
}
