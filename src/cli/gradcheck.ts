/**
 * `nabla gradcheck [<data>]`: the course's gradient check (course 2, week 1) for the network
 * the options describe — backprop's dW[l], db[l] against central differences — with the
 * course's verdict per parameter and overall.
 */
import { GRADCHECK_BUG, GRADCHECK_GOOD, fmtShape, gradCheck, takeColumns, type Tensor } from '../index.js';
import { UsageError, type GradcheckArgs } from './args.js';
import { loadData } from './data.js';
import { buildNetwork, grouped, networkTooLarge } from './network.js';
import type { Output } from './progress.js';

/**
 * The range of --epsilon, written as the message shows it. Below 1e-10 the central difference
 * drowns in rounding: J's last-bit error divided by 2ε is 1e-6 per element and more, beyond
 * what the noise floor forgives. Above 1e-5 its truncation error (∝ ε²) and, with relu, steps
 * across a kink (a unit whose Z is within ε of 0 changes side) make correct gradients look
 * wrong: the default network on spirals is called a bug at 1e-4, the flower's at 3e-3, tanh on
 * moons at 1e-3, while every built-in set passes with every activation from 1e-10 to 1e-5.
 * The course uses 1e-7.
 */
const EPSILON_RANGE = { lo: 1e-10, hi: 1e-5, text: ['1e-10', '1e-5'] } as const;
/** Above this many seconds (estimated, see secondsPerEvaluation) the check says up front how long it will take. */
const WARN_SECONDS = 10;
/**
 * Above this many seconds (estimated) the check is refused: a gradient check is a debugging
 * tool for a small network, meant to answer in seconds; one that takes minutes is better made
 * on a smaller network (the same code computes the gradients of any size) or fewer samples.
 */
const MAX_SECONDS = 60;

/** `count` column indices spread evenly over m (all of them when m ≤ count), so every part of a sorted data set is represented. */
export function spread(m: number, count: number): number[] {
  if (m <= count) return Array.from({ length: m }, (_, j) => j);
  return Array.from({ length: count }, (_, k) => Math.floor((k * m) / count));
}

/** 75 s → '1 min 15 s', 4.2 → '4 s'. */
function roughDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * Seconds one evaluation of J is estimated to take: a fixed cost per evaluation (the autograd
 * forward pass's ops, about 50 µs for a small network) plus its multiply-adds (samples × the
 * weights) at 3·10⁹ a second, as measured on the project's 2-core machine for the cat
 * network's default check (122,935 evaluations of 3.9 million multiply-adds: 2 min 24 s; this
 * count says 2 min 47 s). An estimate from the network's size, not a timing, so that the same
 * command is accepted or refused on every machine.
 */
function secondsPerEvaluation(weights: number, samples: number): number {
  return 50e-6 + (weights * samples) / 3e9;
}

/** Runs `nabla gradcheck`; resolves to 0 when the gradients agree, 1 when they do not. */
export async function gradcheck(args: GradcheckArgs, out: Output): Promise<number> {
  const { lo, hi, text } = EPSILON_RANGE;
  if (!(args.epsilon >= lo && args.epsilon <= hi)) {
    throw new UsageError(
      `--epsilon must be from ${text[0]} to ${text[1]} (the course uses 1e-7), got ${args.epsilon}: a smaller step drowns the central difference ` +
        'in rounding, a larger one in its truncation error (and steps over relu\'s kink), and either would report correct gradients as a bug',
      'gradcheck',
      false,
    );
  }
  const data = await loadData(args.data, 'gradcheck');
  const samples = Math.min(args.samples, data.X.shape[1]!);
  // float64 always: in float32 the central differences drown in rounding.
  // The weights, their gradients, gradCheck's copy of them and its numeric gradients; per sample Z, A and their gradients.
  const net = buildNetwork({ ...args.network, dtype: 'float64', dropout: 0 }, data, 'gradcheck', {
    parameterCopies: 4,
    perUnit: 4 * samples,
    what: `weights, gradients, their copy and the numerical gradients, and ${samples} sample${samples === 1 ? "'s" : "s'"} layer outputs`,
  });
  const { model } = net;
  const columns = spread(net.X.shape[1]!, args.samples);
  const X: Tensor = takeColumns(net.X, columns);
  const Y: Tensor = takeColumns(net.Y, columns);
  model.checkData(X, Y);
  const params = model.parameters();
  const header = `Gradient check of [${model.layerSizes.join(', ')}] (${net.activations.join(', ')}) on ${args.data.source}: ${columns.length} samples, float64, ε = ${args.epsilon}`;
  if (!args.json) out.write(`${header}\n`);

  // J is evaluated twice per parameter: say up front how long that takes, and refuse minutes.
  let count = 0;
  for (const p of params.values()) count += p.size;
  const evaluations = 2 * count + 1;
  const seconds = evaluations * secondsPerEvaluation(count, columns.length);
  const what = `${grouped(count)} parameters, J evaluated ${grouped(evaluations)} times on ${columns.length} samples`;
  if (seconds > MAX_SECONDS) {
    throw new UsageError(
      `the network [${model.layerSizes.join(', ')}] is too large for a gradient check: ${what} would take about ${roughDuration(seconds)} ` +
        `(at most ${MAX_SECONDS} s is allowed); check a smaller network with --layers (fewer or smaller hidden layers) or fewer --samples`,
      'gradcheck',
      false,
    );
  }
  if (seconds > WARN_SECONDS) out.error(`gradcheck: ${what}: about ${roughDuration(seconds)}…\n`);

  let report: ReturnType<typeof gradCheck>;
  try {
    report = gradCheck(() => model.cost(X, Y), params, { epsilon: args.epsilon });
  } catch (e) {
    throw networkTooLarge(e, args.network.layers, 'gradcheck', ' or fewer --samples');
  }

  if (args.json) {
    out.write(
      JSON.stringify({
        data: args.data.source,
        layer_sizes: model.layerSizes,
        activations: net.activations,
        loss: net.loss,
        samples: columns.length,
        epsilon: args.epsilon,
        parameters: report.entries.map((e) => ({
          name: e.name, shape: params.get(e.name.slice(1))!.shape, relative_difference: e.relativeDifference,
          difference: e.difference, noise_floor: e.noiseFloor, verdict: e.verdict,
        })),
        relative_difference: report.relativeDifference,
        difference: report.difference,
        noise_floor: report.noiseFloor,
        passed: report.passed,
      }) + '\n',
    );
    return report.passed ? 0 : 1;
  }

  const lines = [
    `Relative difference ‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂) per gradient (good < ${GRADCHECK_GOOD}, bug > ${GRADCHECK_BUG}):`,
  ];
  const shapes = report.entries.map((e) => fmtShape(params.get(e.name.slice(1))!.shape));
  const nameWidth = Math.max(...report.entries.map((e) => e.name.length));
  const shapeWidth = Math.max(...shapes.map((s) => s.length));
  report.entries.forEach((e, k) => {
    const verdict = e.verdict === 'good' ? `good${withinNoise(e.relativeDifference, e.difference, e.noiseFloor)}` : e.verdict === 'bug' ? 'BUG' : 'suspect';
    lines.push(`  ${e.name.padEnd(nameWidth)}  ${shapes[k]!.padEnd(shapeWidth)}  ${e.relativeDifference.toExponential(2).padStart(9)}  ${verdict}`);
  });
  const overall = report.relativeDifference;
  lines.push(`Overall: ${overall.toExponential(2)}`);
  // The course's own words (course 2, week 1, gradient checking).
  if (report.passed) lines.push(`Your backward propagation works perfectly fine! difference = ${overall}${withinNoise(overall, report.difference, report.noiseFloor)}`);
  else if (overall > GRADCHECK_BUG || report.entries.some((e) => e.verdict === 'bug')) {
    lines.push(`There is a mistake in the backward propagation! difference = ${overall}`);
  } else lines.push(`Suspect: the difference ${overall} is between ${GRADCHECK_GOOD} and ${GRADCHECK_BUG}; look at the gradients marked suspect`);
  out.write(lines.join('\n') + '\n');
  return report.passed ? 0 : 1;
}

/**
 * Why a relative difference ≥ 1e-7 still counts as agreement: the difference itself is within
 * the central differences' rounding noise (a gradient too small to measure to 1e-7 with this ε).
 */
function withinNoise(relativeDifference: number, difference: number, noiseFloor: number): string {
  if (relativeDifference < GRADCHECK_GOOD) return '';
  return ` (within rounding noise: ‖grad − gradapprox‖₂ = ${difference.toExponential(2)} ≤ ${noiseFloor.toExponential(2)})`;
}
