import { ArgumentError, fmtShape } from '../errors.js';
import { describeModelArgument } from './model.js';
import { checkOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { ACTIVATION_FORMULA, type ActivationName } from './activations.js';
import type { LossName } from './losses.js';
import type { Sequential } from './sequential.js';

/** One layer of a traced step, in the seeds' notation (seed 003). */
export interface LayerTrace {
  l: number;
  activation: ActivationName;
  W: Tensor;
  b: Tensor;
  Z: Tensor;
  A: Tensor;
  /**
   * The seeds' dZ[l]: for the output layer with sigmoid + cross-entropy, A[L] − Y. It is
   * m·∂J/∂Z[l], because the seeds put the 1/m into dW and db rather than into dZ.
   */
  dZ: Tensor;
  /** ∂J/∂W[l] = (1/m)·dZ[l]·A[l−1]ᵀ. */
  dW: Tensor;
  /** ∂J/∂b[l] = (1/m)·Σ over the columns of dZ[l]. */
  db: Tensor;
}

/** Everything one training step computes: the raw material of every "explain" view. */
export interface StepTrace {
  m: number;
  loss: LossName;
  cost: number;
  layers: LayerTrace[];
}

/**
 * Runs one forward and backward pass of `model` on (X, Y) and keeps, per layer, Z[l],
 * A[l], dZ[l], dW[l], db[l]. Nothing is updated and parameters' `.grad` are left as they
 * were. The values come from autograd, so they show what training really computes.
 *
 * @example console.log(formatTrace(traceStep(net, X, Y)))
 */
export function traceStep(model: Sequential, X: Tensor, Y: Tensor): StepTrace {
  if (typeof (model as Partial<Sequential> | null)?.forwardLayers !== 'function') {
    const logistic = (model as object | null)?.constructor?.name === 'LogisticRegression' ? ': logistic regression is the network [n_x, 1] with a sigmoid output, which a Sequential can trace' : '';
    throw new ArgumentError('traceStep', `model: expected a Sequential network, got ${describeModelArgument(model)}${logistic}`);
  }
  model.checkData(X, Y);
  const params = [...model.parameters().values()];
  const savedGrads = params.map((p) => p.grad);
  params.forEach((p) => p.zeroGrad());
  const outputs = model.forwardLayers(X);
  outputs.forEach((o) => o.Z.retainGrad());
  const J = model.costFrom(outputs, Y);
  J.backward();
  const m = X.shape[1]!;
  const layers = model.layers.map((layer, i): LayerTrace => {
    const { Z, A } = outputs[i]!;
    const dZ = Z.grad ? Z.grad.clone() : new Tensor(new Float64Array(Z.size), Z.shape);
    for (let k = 0; k < dZ.size; k++) dZ.data[k]! *= m;
    return {
      l: layer.index,
      activation: layer.activation,
      W: layer.W.clone(),
      b: layer.b.clone(),
      Z: Z.detach(),
      A: A.detach(),
      dZ,
      dW: layer.W.grad!.clone(),
      db: layer.b.grad!.clone(),
    };
  });
  params.forEach((p, k) => (p.grad = savedGrads[k] ?? null));
  return { m, loss: model.loss, cost: J.item(), layers };
}

/**
 * A trace as text, forward left to right then backward right to left, each quantity with
 * the formula it comes from and its shape; values are printed when a tensor has at most
 * `maxValues` elements.
 */
export function formatTrace(trace: StepTrace, options: { maxValues?: number } = {}): string {
  checkOptions(options, 'formatTrace', ['maxValues']);
  const maxValues = options.maxValues ?? 24;
  const L = trace.layers.length;
  const show = (name: string, t: Tensor, formula: string): string => {
    const head = `    ${name.padEnd(6)} ${fmtShape(t.shape).padEnd(11)} = ${formula}`;
    if (t.size > maxValues) return head;
    // Drop numpy's `array(` wrapper; continuation lines lose the 6 columns it indented them by.
    const body = t.toString().replace(/^array\(/, '').replace(/, dtype=\w+\)$/, '');
    return `${head}\n${body.split('\n').map((line, i) => `             ${i === 0 ? line : line.slice(6)}`).join('\n')}`;
  };
  const lines: string[] = [`Forward propagation (left to right), m = ${trace.m}`];
  for (const t of trace.layers) {
    const prev = `A[${t.l - 1}]`;
    lines.push(`  layer ${t.l} (${t.activation})`);
    lines.push(show(`Z[${t.l}]`, t.Z, `W[${t.l}]·${prev} + b[${t.l}]`));
    lines.push(show(`A[${t.l}]`, t.A, ACTIVATION_FORMULA[t.activation].replaceAll('Z', `Z[${t.l}]`)));
  }
  lines.push(`Cost J = ${trace.cost} (${trace.loss})`);
  lines.push('Backward propagation (right to left)');
  for (let i = L - 1; i >= 0; i--) {
    const t = trace.layers[i]!;
    const l = t.l;
    // dA[l], then dZ[l] from it: element by element through g′, except for softmax, whose
    // outputs each depend on every Z of the column (its derivative is a Jacobian per column).
    const dA = l === L ? (trace.loss === 'squaredError' ? `2(A[${l}] − Y)` : null) : `(W[${l + 1}]ᵀ·dZ[${l + 1}])`;
    const dZformula =
      dA === null
        ? `A[${l}] − Y`
        : t.activation === 'softmax'
          ? `softmax′(Z[${l}])ᵀ·${dA}, column by column (softmax's Jacobian: each output depends on every Z of its column)`
          : `${dA} * g′(Z[${l}])`;
    lines.push(`  layer ${l}`);
    lines.push(show(`dZ[${l}]`, t.dZ, dZformula));
    lines.push(show(`dW[${l}]`, t.dW, `(1/m)·dZ[${l}]·A[${l - 1}]ᵀ`));
    lines.push(show(`db[${l}]`, t.db, `(1/m)·Σ dZ[${l}] over the columns`));
  }
  return lines.join('\n');
}
