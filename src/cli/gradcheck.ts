/**
 * `nabla gradcheck [<data>]`: the course's gradient check (course 2, week 1) for the network
 * the options describe — backprop's dW[l], db[l] against central differences — with the
 * course's verdict per parameter and overall.
 */
import { GRADCHECK_BUG, GRADCHECK_GOOD, fmtShape, gradCheck, takeColumns, type Tensor } from '../index.js';
import type { GradcheckArgs } from './args.js';
import { loadData } from './data.js';
import { buildNetwork } from './network.js';
import type { Output } from './progress.js';

/** `count` column indices spread evenly over m (all of them when m ≤ count), so every part of a sorted data set is represented. */
export function spread(m: number, count: number): number[] {
  if (m <= count) return Array.from({ length: m }, (_, j) => j);
  return Array.from({ length: count }, (_, k) => Math.floor((k * m) / count));
}

/** Runs `nabla gradcheck`; resolves to 0 when the gradients agree, 1 when they do not. */
export async function gradcheck(args: GradcheckArgs, out: Output): Promise<number> {
  const data = await loadData(args.data, 'gradcheck');
  // float64 always: in float32 the central differences drown in rounding.
  const net = buildNetwork({ ...args.network, dtype: 'float64', dropout: 0 }, data, 'gradcheck');
  const { model } = net;
  const columns = spread(net.X.shape[1]!, args.samples);
  const X: Tensor = takeColumns(net.X, columns);
  const Y: Tensor = takeColumns(net.Y, columns);
  model.checkData(X, Y);
  const params = model.parameters();
  const report = gradCheck(() => model.cost(X, Y), params, { epsilon: args.epsilon });

  if (args.json) {
    out.write(
      JSON.stringify({
        data: args.data.source,
        layer_sizes: model.layerSizes,
        activations: net.activations,
        loss: net.loss,
        samples: columns.length,
        epsilon: args.epsilon,
        parameters: report.entries.map((e) => ({ name: e.name, shape: params.get(e.name.slice(1))!.shape, relative_difference: e.relativeDifference, verdict: e.verdict })),
        relative_difference: report.relativeDifference,
        passed: report.passed,
      }) + '\n',
    );
    return report.passed ? 0 : 1;
  }

  const lines = [
    `Gradient check of [${model.layerSizes.join(', ')}] (${net.activations.join(', ')}) on ${args.data.source}: ${columns.length} samples, float64, ε = ${args.epsilon}`,
    `Relative difference ‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂) per gradient (good < ${GRADCHECK_GOOD}, bug > ${GRADCHECK_BUG}):`,
  ];
  const shapes = report.entries.map((e) => fmtShape(params.get(e.name.slice(1))!.shape));
  const nameWidth = Math.max(...report.entries.map((e) => e.name.length));
  const shapeWidth = Math.max(...shapes.map((s) => s.length));
  report.entries.forEach((e, k) => {
    const verdict = e.verdict === 'good' ? 'good' : e.verdict === 'bug' ? 'BUG' : 'suspect';
    lines.push(`  ${e.name.padEnd(nameWidth)}  ${shapes[k]!.padEnd(shapeWidth)}  ${e.relativeDifference.toExponential(2).padStart(9)}  ${verdict}`);
  });
  const overall = report.relativeDifference;
  lines.push(`Overall: ${overall.toExponential(2)}`);
  // The course's own words (course 2, week 1, gradient checking).
  if (report.passed) lines.push(`Your backward propagation works perfectly fine! difference = ${overall}`);
  else if (overall > GRADCHECK_BUG || report.entries.some((e) => e.verdict === 'bug')) {
    lines.push(`There is a mistake in the backward propagation! difference = ${overall}`);
  } else lines.push(`Suspect: the difference ${overall} is between ${GRADCHECK_GOOD} and ${GRADCHECK_BUG}; look at the gradients marked suspect`);
  out.write(lines.join('\n') + '\n');
  return report.passed ? 0 : 1;
}
