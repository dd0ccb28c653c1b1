/**
 * `nabla explain [<data>]`: one training step of a network on a few samples, printed in the
 * course's notation — forward Z[l], A[l], the cost, backward dZ[l], dW[l], db[l] — with
 * shapes, formulas and (for small tensors) values, then the update and the new cost.
 */
import { fmtShape, formatTrace, noGrad, takeColumns, traceStep, type Tensor } from '../index.js';
import type { ExplainArgs } from './args.js';
import { loadData } from './data.js';
import { spread } from './gradcheck.js';
import { buildNetwork, networkTooLarge, type Network } from './network.js';
import type { Output } from './progress.js';

/** A tensor as formatTrace shows one: name, shape, what it is, and its values when small. */
function show(name: string, t: Tensor, what: string, maxValues: number): string {
  const head = `    ${name.padEnd(6)} ${fmtShape(t.shape).padEnd(11)} = ${what}`;
  if (t.size > maxValues) return head;
  // numpy's repr without the `array(` wrapper and dtype, indented under the name.
  const body = t.toString().replace(/^array\(/, '').replace(/, dtype=\w+\)$/, '');
  return `${head}\n${body.split('\n').map((line, i) => `             ${i === 0 ? line : line.slice(6)}`).join('\n')}`;
}

/** Runs `nabla explain`; resolves to the exit code. */
export async function explain(args: ExplainArgs, out: Output): Promise<number> {
  const data = await loadData(args.data, 'explain');
  const samples = Math.min(args.samples, data.X.shape[1]!);
  // The weights, their gradients, the trace's copies of both; per sample Z, A, dZ (twice), dA.
  const net = buildNetwork({ ...args.network, dropout: 0 }, data, 'explain', {
    parameterCopies: 4,
    perUnit: 5 * samples,
    what: `weights and gradients, the trace's copies of both, and ${samples} sample${samples === 1 ? "'s" : "s'"} layer outputs`,
  });
  try {
    return explainStep(args, net, out);
  } catch (e) {
    throw networkTooLarge(e, args.network.layers, 'explain');
  }
}

function explainStep(args: ExplainArgs, net: Network, out: Output): number {
  const { model } = net;
  const columns = spread(net.X.shape[1]!, args.samples);
  const X = takeColumns(net.X, columns);
  const Y = takeColumns(net.Y, columns);
  const trace = traceStep(model, X, Y);

  const lines = [
    `One training step of [${model.layerSizes.join(', ')}] (${net.activations.join(', ')}) on ${columns.length} sample${columns.length === 1 ? '' : 's'} of ${args.data.source} (columns ${columns.join(', ')}), ${model.dtype}, seed ${args.network.seed}`,
    'Input',
    show('A[0]', X, 'X, one sample per column', args.maxValues),
    show('Y', Y, 'the labels', args.maxValues),
    'Parameters (initial)',
  ];
  for (const layer of trace.layers) {
    lines.push(show(`W[${layer.l}]`, layer.W, `n[${layer.l}] × n[${layer.l - 1}], drawn by --init ${args.network.init ?? 'scaled'}`, args.maxValues));
    lines.push(show(`b[${layer.l}]`, layer.b, 'zeros', args.maxValues));
  }
  lines.push(formatTrace(trace, { maxValues: args.maxValues }));

  // The gradient-descent update the traced gradients lead to, and what it does to J.
  const alpha = args.learningRate;
  noGrad(() => {
    for (const layer of trace.layers) {
      const { W, b } = model.layers[layer.l - 1]!;
      for (let i = 0; i < W.size; i++) W.data[i] = W.data[i]! - alpha * layer.dW.data[i]!;
      for (let i = 0; i < b.size; i++) b.data[i] = b.data[i]! - alpha * layer.db.data[i]!;
    }
  });
  const after = noGrad(() => model.cost(X, Y).item());
  lines.push(`Update (gradient descent, α = ${alpha})`);
  lines.push(`    W[l] := W[l] − α·dW[l],  b[l] := b[l] − α·db[l]  for l = 1 … ${trace.layers.length}`);
  lines.push(`Cost after the update: J = ${after} (was ${trace.cost}, change ${(after - trace.cost).toExponential(3)})`);
  out.write(lines.join('\n') + '\n');
  return 0;
}
