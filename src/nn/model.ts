import { ArgumentError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { describeValue, type Tensor } from '../tensor/tensor.js';

/**
 * What gradient descent needs from a model: named parameters and a differentiable cost.
 * `Sequential` and `LogisticRegression` implement it; so can a user's own model.
 */
export interface Model {
  readonly dtype: DType;
  /** Trainable parameters by the seeds' names, in update order (W1, b1, W2, …). */
  parameters(): Map<string, Tensor>;
  /** The cost J on (X, Y), recorded in the graph so `J.backward()` fills each `.grad`. */
  cost(X: Tensor, Y: Tensor): Tensor;
  /** Checks X (and Y) once, at the front: shapes, dtype, finite values, labels. */
  checkData(X: Tensor, Y?: Tensor): void;
  /** Output probabilities A[L] (no graph). */
  predictProba(X: Tensor): Tensor;
  /** Labels: 0/1 at threshold 0.5 for sigmoid outputs, one-hot argmax for softmax; values for a regression. */
  predict(X: Tensor): Tensor;
  /** False for a model whose `predict` gives values, not labels (accuracy is refused there). */
  readonly predictsLabels?: boolean;
  /** Training mode (dropout on), for models that have one; `fit` sets it during its steps. */
  training?: boolean;
  /** Whether predictions are class labels (accuracy makes sense) or real values. */
  readonly loss?: string;
  /** n_x and n_y, where the model knows them: messages about data given as rows use them. */
  readonly inputSize?: number;
  readonly outputSize?: number;
}

/** The methods every model has: what `expectModel` looks for. */
const MODEL_METHODS = ['parameters', 'cost', 'checkData', 'predictProba', 'predict'] as const;

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/**
 * What a wrong model argument was, for the message: `loadModelFile` and `readCheckpoint` give
 * `{ model, … }`, and passing that object on is the mistake a JavaScript caller makes first.
 */
export function describeModelArgument(value: unknown): string {
  const inner = typeof value === 'object' && value !== null ? (value as { model?: unknown }).model : undefined;
  const hint = hasMethods(inner, MODEL_METHODS) ? ' (loadModelFile and readCheckpoint return { model, … }: pass its .model)' : '';
  return `${describeValue(value)}${hint}`;
}

/**
 * Checks, at the front of a function that takes a model, that it is one, so that a wrong
 * argument from JavaScript is named rather than failing later as "model.checkData is not a
 * function". `methods` narrows the check for functions that need less (a plot needs only
 * predictProba).
 */
export function expectModel(value: unknown, where: string, methods: readonly string[] = MODEL_METHODS): asserts value is Model {
  if (hasMethods(value, methods)) return;
  // A model of one's own is any object with the Model interface's methods.
  const wanted = methods === MODEL_METHODS ? 'a Sequential, a LogisticRegression or a Model of your own' : `an object with ${methods.join(', ')}`;
  throw new ArgumentError(where, `model: expected ${wanted}, got ${describeModelArgument(value)}`);
}
