import { catVsNonCat, type CatVsNonCat } from '../data/cat.js';
import { planarFlower } from '../data/flower.js';
import type { Model } from '../nn/model.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { Sequential } from '../nn/sequential.js';
import { RandomState } from '../tensor/random/numpy.js';
import { gradientDescent } from '../train/gradient-descent.js';
import { accuracy } from '../train/metrics.js';

/** The outcome of one of the course's experiments, as its notebook reports it. */
export interface ExperimentResult {
  costs: number[];
  costIterations: number[];
  trainAccuracy: number;
  /** Absent for the flower data, which the course does not split. */
  testAccuracy?: number;
  model: Model;
}

/** Options shared by the experiments: the course's defaults unless overridden. */
export interface ExperimentOptions {
  iterations?: number;
  learningRate?: number;
  recordEvery?: number;
  onCost?: (iteration: number, cost: number) => void;
  /** Reuse loaded data across experiments. */
  data?: CatVsNonCat;
}

function withCost(options: ExperimentOptions): { onCost?: (i: number, c: number) => void } {
  return options.onCost ? { onCost: options.onCost } : {};
}

/**
 * Week 2: logistic regression on the cat pictures — zero init, X/255, learning rate 0.005,
 * 2000 iterations, the cost printed every 100. Published: train 99.04306220095694 %, test 70 %.
 */
export async function logisticRegressionCat(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return trainOnCats(new LogisticRegression(12288), options, { learningRate: 0.005, iterations: 2000 });
}

// Trains on the cat pictures with the course's printing (every 100) and reports both accuracies.
async function trainOnCats(model: Model, options: ExperimentOptions, defaults: { learningRate: number; iterations: number }): Promise<ExperimentResult> {
  const data = options.data ?? (await catVsNonCat());
  const run = gradientDescent(model, data.train.X, data.train.Y, {
    learningRate: options.learningRate ?? defaults.learningRate,
    iterations: options.iterations ?? defaults.iterations,
    recordEvery: options.recordEvery ?? 100,
    ...withCost(options),
  });
  return {
    costs: run.costs,
    costIterations: run.costIterations,
    trainAccuracy: accuracy(model, data.train.X, data.train.Y),
    testAccuracy: accuracy(model, data.test.X, data.test.Y),
    model,
  };
}

/**
 * Week 2's learning-rate comparison: the same logistic regression, 1500 iterations at each
 * rate (published: 0.01 → 99.52 % / 68 %, 0.001 → 88.995 % / 64 %, 0.0001 → 68.42 % / 36 %).
 */
export async function learningRates(
  options: { rates?: readonly number[]; iterations?: number; data?: CatVsNonCat } = {},
): Promise<Array<{ learningRate: number; trainAccuracy: number; testAccuracy: number }>> {
  const data = options.data ?? (await catVsNonCat());
  const out: Array<{ learningRate: number; trainAccuracy: number; testAccuracy: number }> = [];
  for (const learningRate of options.rates ?? [0.01, 0.001, 0.0001]) {
    const r = await trainOnCats(new LogisticRegression(12288), { data, learningRate }, { learningRate, iterations: options.iterations ?? 1500 });
    out.push({ learningRate, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy ?? NaN });
  }
  return out;
}

/**
 * Week 3: a [2, n_h, 1] tanh/sigmoid network on the flower data, numpy seed 2,
 * W = 0.01·randn, learning rate 1.2, 10000 iterations (published for n_h = 4: 90.75 %).
 */
export function shallowFlower(options: ExperimentOptions & { hidden?: number } = {}): ExperimentResult {
  const model = new Sequential({
    layerSizes: [2, options.hidden ?? 4, 1],
    activations: ['tanh', 'sigmoid'],
    init: 'small',
    rng: new RandomState(2),
  });
  return trainOnFlower(model, options);
}

// Week 3's training on the flower data: learning rate 1.2, 10000 iterations, the cost printed
// every 1000; the training accuracy (the course does not split this data).
function trainOnFlower(model: Model, options: ExperimentOptions): ExperimentResult {
  const { X, Y } = planarFlower();
  const run = gradientDescent(model, X, Y, {
    learningRate: options.learningRate ?? 1.2,
    iterations: options.iterations ?? 10000,
    recordEvery: options.recordEvery ?? 1000,
    ...withCost(options),
  });
  return { costs: run.costs, costIterations: run.costIterations, trainAccuracy: accuracy(model, X, Y), model };
}

/**
 * Week 3's first model: logistic regression on the flower data (published: 47 %), trained by
 * gradient descent at the shallow network's settings, learning rate 1.2 and 10000 iterations.
 */
export function logisticFlower(options: ExperimentOptions = {}): ExperimentResult {
  return trainOnFlower(new LogisticRegression(2), options);
}

/** The course's hidden-size sweep on the flower data: training accuracy per n_h. */
export function hiddenSizes(options: { sizes?: readonly number[]; iterations?: number } = {}): Array<{ hidden: number; accuracy: number }> {
  return (options.sizes ?? [1, 2, 3, 4, 5, 20, 50]).map((hidden) => ({
    hidden,
    accuracy: shallowFlower({ hidden, iterations: options.iterations ?? 5000 }).trainAccuracy,
  }));
}

/**
 * Week 4: the deep networks on the cat pictures, relu hidden layers, sigmoid output,
 * numpy seed 1, learning rate 0.0075, 2500 iterations, b = 0.
 * - `two-layer`: [12288, 7, 1], W = 0.01·randn (published: train 100 %, test 72 %);
 * - `l-layer`: [12288, 20, 7, 5, 1], W[l] = randn/√n[l−1] (published: 98.56 % / 80 %).
 */
export async function deepCat(kind: 'two-layer' | 'l-layer', options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const layerSizes = kind === 'two-layer' ? [12288, 7, 1] : [12288, 20, 7, 5, 1];
  const model = new Sequential({ layerSizes, init: kind === 'two-layer' ? 'small' : 'scaled', rng: new RandomState(1) });
  return trainOnCats(model, options, { learningRate: 0.0075, iterations: 2500 });
}
