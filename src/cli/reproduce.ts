/**
 * `nabla reproduce <experiment>`: runs the course's experiments and prints every published
 * figure beside nabla's, with the difference and ✓ / ✗.
 */
import {
  HIDDEN_SIZES,
  HIDDEN_SIZES_ITERATIONS,
  HIDDEN_SIZES_LONG,
  HIDDEN_SIZES_LONG_ITERATIONS,
  LEARNING_RATES,
  LEARNING_RATES_ITERATIONS,
  L_LAYER_CAT,
  LOGISTIC_FLOWER,
  LOGISTIC_REGRESSION_CAT,
  SHALLOW_FLOWER,
  TOLERANCE,
  TWO_LAYER_CAT,
  catVsNonCat,
  deepCat,
  hiddenSizes,
  learningRates,
  logisticFlower,
  logisticRegressionCat,
  shallowFlower,
  type CatVsNonCat,
  type ExperimentResult,
  type PublishedExperiment,
} from '../node.js';
import type { ExperimentName, ReproduceArgs } from './args.js';
import { progressBarFor, type Output } from './progress.js';

/** One line of the comparison table. */
export interface FigureRow {
  readonly figure: string;
  readonly published: string;
  readonly nabla: string;
  readonly difference: string;
  readonly ok: boolean;
  readonly note?: string;
}

/** Shortest round-trip form: the digits the course printed. */
function num(v: number | undefined): string {
  return v === undefined ? '—' : String(v);
}

function diff(a: number | undefined, b: number): string {
  if (a === undefined) return '—';
  const d = a - b;
  return d === 0 ? '0' : d.toExponential(1);
}

/** Rows for an experiment with published costs and accuracies. */
export function compareExperiment(published: PublishedExperiment, result: Pick<ExperimentResult, 'costs' | 'costIterations' | 'trainAccuracy' | 'testAccuracy'>): FigureRow[] {
  const costAt = new Map<number, number>();
  result.costIterations.forEach((it, k) => costAt.set(it, result.costs[k]!));
  const rows: FigureRow[] = published.costs.map(([iteration, cost]) => {
    const mine = costAt.get(iteration);
    const loose = published.exactUpTo !== undefined && iteration > published.exactUpTo;
    const tol = loose ? TOLERANCE.looseCost : TOLERANCE.cost;
    const ok = mine !== undefined && Math.abs(mine - cost) <= tol;
    const row: FigureRow = { figure: `cost after iteration ${iteration}`, published: num(cost), nabla: num(mine), difference: diff(mine, cost), ok };
    return loose ? { ...row, note: `platform-dependent (±${TOLERANCE.looseCost})` } : row;
  });
  const accuracyRow = (figure: string, pub: number, mine: number | undefined): FigureRow => ({
    figure,
    published: num(pub),
    nabla: num(mine),
    difference: diff(mine, pub),
    ok: mine !== undefined && Math.abs(mine - pub) <= TOLERANCE.accuracy,
  });
  rows.push(accuracyRow('train accuracy (%)', published.trainAccuracy, result.trainAccuracy));
  if (published.testAccuracy !== undefined) rows.push(accuracyRow('test accuracy (%)', published.testAccuracy, result.testAccuracy));
  return rows;
}

/**
 * A row for an accuracy that must fall in a published range (± tolerance), or equal `fused`:
 * the figure where multiply-adds fuse, for one that rounding decides (HIDDEN_SIZES_LONG).
 */
function rangeRow(figure: string, min: number, max: number, mine: number | undefined, fused?: number): FigureRow {
  // Distance outside the published range; 0 inside it.
  const off = mine === undefined ? undefined : mine < min ? mine - min : mine > max ? mine - max : 0;
  const isFused = fused !== undefined && mine !== undefined && Math.abs(mine - fused) <= TOLERANCE.accuracy;
  const row: FigureRow = {
    figure,
    published: min === max ? num(min) : `${min}–${max}`,
    nabla: num(mine),
    difference: off === undefined ? '—' : off === 0 ? '0' : off.toExponential(1),
    ok: (off !== undefined && Math.abs(off) <= TOLERANCE.accuracy) || isFused,
  };
  return fused === undefined ? row : { ...row, note: `rounding decides: ${fused} where multiply-adds fuse (WASM), ${num(min)} where each product is rounded (cpu, numpy)` };
}

/**
 * Rows for a hidden-size sweep: each accuracy must fall in the published range (± tolerance).
 * `published` is the 5000-iteration sweep unless given (HIDDEN_SIZES_LONG: 10000).
 */
export function compareHiddenSizes(
  results: ReadonlyArray<{ hidden: number; accuracy: number }>,
  published: typeof HIDDEN_SIZES_LONG = HIDDEN_SIZES,
  iterations = HIDDEN_SIZES_ITERATIONS,
): FigureRow[] {
  return published.map(({ hidden, min, max, fused }) =>
    rangeRow(`${hidden} hidden unit${hidden === 1 ? '' : 's'}, ${iterations} it.: accuracy (%)`, min, max, results.find((r) => r.hidden === hidden)?.accuracy, fused),
  );
}

/** Rows for week 2's learning-rate comparison: train and test accuracy per rate. */
export function compareLearningRates(results: ReadonlyArray<{ learningRate: number; trainAccuracy: number; testAccuracy: number }>): FigureRow[] {
  return LEARNING_RATES.flatMap(({ learningRate, trainAccuracy, testAccuracy }) => {
    const mine = results.find((r) => r.learningRate === learningRate);
    return [
      rangeRow(`α = ${learningRate}: train accuracy (%)`, trainAccuracy, trainAccuracy, mine?.trainAccuracy),
      rangeRow(`α = ${learningRate}: test accuracy (%)`, testAccuracy, testAccuracy, mine?.testAccuracy),
    ];
  });
}

/** The rows as an aligned text table. */
export function formatTable(rows: readonly FigureRow[]): string {
  const head = { figure: 'figure', published: 'published', nabla: 'nabla', difference: 'difference' };
  const all = [head, ...rows];
  const w = {
    figure: Math.max(...all.map((r) => r.figure.length)),
    published: Math.max(...all.map((r) => r.published.length)),
    nabla: Math.max(...all.map((r) => r.nabla.length)),
    difference: Math.max(...all.map((r) => r.difference.length)),
  };
  const line = (r: typeof head, mark: string, note: string): string =>
    `  ${r.figure.padEnd(w.figure)}  ${r.published.padEnd(w.published)}  ${r.nabla.padEnd(w.nabla)}  ${r.difference.padStart(w.difference)}  ${mark}${note ? `  ${note}` : ''}`.trimEnd();
  return [line(head, '', ''), ...rows.map((r) => line(r, r.ok ? '✓' : '✗', r.note ?? ''))].join('\n');
}

interface Section {
  readonly title: string;
  readonly rows: FigureRow[];
  readonly seconds: number;
}

/** Progress for one run: a bar on a terminal, nothing otherwise (the table follows anyway). */
function onCostFor(out: Output, total: number, label: string): { onCost?: (i: number, cost: number) => void; finish: () => void } {
  const bar = progressBarFor(out, total, label);
  if (!bar) return { finish: () => undefined };
  return { onCost: (i, cost) => bar.update(i + 1, cost), finish: () => bar.finish() };
}

async function runOne(name: Exclude<ExperimentName, 'all'>, out: Output, data: () => Promise<CatVsNonCat>): Promise<Section> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  switch (name) {
    case 'logistic': {
      out.write(`${LOGISTIC_REGRESSION_CAT.title}: running 2000 iterations…\n`);
      const p = onCostFor(out, 2000, 'logistic');
      try {
        const r = await logisticRegressionCat({ data: await data(), recordEvery: 1, ...(p.onCost ? { onCost: p.onCost } : {}) });
        return { title: LOGISTIC_REGRESSION_CAT.title, rows: compareExperiment(LOGISTIC_REGRESSION_CAT, r), seconds: seconds() };
      } finally {
        p.finish();
      }
    }
    case 'shallow': {
      out.write(`${SHALLOW_FLOWER.title}: running 10000 iterations…\n`);
      const p = onCostFor(out, 10000, 'shallow');
      try {
        const r = shallowFlower({ recordEvery: 1, ...(p.onCost ? { onCost: p.onCost } : {}) });
        return { title: SHALLOW_FLOWER.title, rows: compareExperiment(SHALLOW_FLOWER, r), seconds: seconds() };
      } finally {
        p.finish();
      }
    }
    case 'logistic-flower': {
      out.write(`${LOGISTIC_FLOWER.title}: running 10000 iterations…\n`);
      const r = logisticFlower();
      return { title: LOGISTIC_FLOWER.title, rows: compareExperiment(LOGISTIC_FLOWER, r), seconds: seconds() };
    }
    case 'hidden-sizes': {
      const title = `Hidden-size sweep on the flower data, ${HIDDEN_SIZES_ITERATIONS} and ${HIDDEN_SIZES_LONG_ITERATIONS} iterations (week 3)`;
      out.write(`${title}: running ${HIDDEN_SIZES.length + HIDDEN_SIZES_LONG.length} networks…\n`);
      const sweep = (published: typeof HIDDEN_SIZES_LONG, iterations: number): FigureRow[] => {
        const results: Array<{ hidden: number; accuracy: number }> = [];
        for (const { hidden } of published) {
          results.push(...hiddenSizes({ sizes: [hidden], iterations }));
          if (out.isTTY) out.write(`  n_h = ${hidden}, ${iterations} iterations: done\n`);
        }
        return compareHiddenSizes(results, published, iterations);
      };
      const rows = [...sweep(HIDDEN_SIZES, HIDDEN_SIZES_ITERATIONS), ...sweep(HIDDEN_SIZES_LONG, HIDDEN_SIZES_LONG_ITERATIONS)];
      return { title, rows, seconds: seconds() };
    }
    case 'learning-rates': {
      const title = `Learning rates for logistic regression on cat vs non-cat, ${LEARNING_RATES_ITERATIONS} iterations each (week 2)`;
      out.write(`${title}: running ${LEARNING_RATES.length} models…\n`);
      const results = await learningRates({ rates: LEARNING_RATES.map((r) => r.learningRate), iterations: LEARNING_RATES_ITERATIONS, data: await data() });
      return { title, rows: compareLearningRates(results), seconds: seconds() };
    }
    case 'two-layer':
    case 'l-layer': {
      const published = name === 'two-layer' ? TWO_LAYER_CAT : L_LAYER_CAT;
      out.write(`${published.title}: running 2500 iterations…\n`);
      const p = onCostFor(out, 2500, name);
      try {
        const r = await deepCat(name, { data: await data(), recordEvery: 1, ...(p.onCost ? { onCost: p.onCost } : {}) });
        return { title: published.title, rows: compareExperiment(published, r), seconds: seconds() };
      } finally {
        p.finish();
      }
    }
  }
}

/** Runs `nabla reproduce`; resolves to 0 when every figure is reproduced, else 1. */
export async function reproduce(args: ReproduceArgs, out: Output): Promise<number> {
  const names: Array<Exclude<ExperimentName, 'all'>> =
    args.experiment === 'all' ? ['logistic', 'learning-rates', 'logistic-flower', 'shallow', 'hidden-sizes', 'two-layer', 'l-layer'] : [args.experiment];
  // The cat pictures are loaded once, and only if an experiment needs them.
  let cat: Promise<CatVsNonCat> | undefined;
  const data = (): Promise<CatVsNonCat> => (cat ??= catVsNonCat());
  let total = 0;
  let failed = 0;
  for (const name of names) {
    const section = await runOne(name, out, data);
    const bad = section.rows.filter((r) => !r.ok).length;
    total += section.rows.length;
    failed += bad;
    out.write(`\n${section.title} — ${section.seconds.toFixed(1)} s\n${formatTable(section.rows)}\n`);
    const n = section.rows.length;
    out.write(bad === 0 ? (n === 1 ? '  the figure reproduced\n\n' : `  all ${n} figures reproduced\n\n`) : `  ${bad} of ${n} figure${n === 1 ? '' : 's'} NOT reproduced\n\n`);
  }
  if (names.length > 1) {
    out.write(failed === 0 ? `All ${total} figures reproduced.\n` : `${failed} of ${total} figures NOT reproduced.\n`);
  }
  return failed === 0 ? 0 : 1;
}
