/**
 * `nabla train` without <data>: the course's L-layer cat classifier (or another stack of
 * hidden layers), trained from the course's initial weights, with a run folder to look at
 * afterwards. Training on other data is train-data.ts.
 */
import { join } from 'node:path';
import { RandomState, Sequential, accuracy, gradientDescent } from '../index.js';
import { catVsNonCat, costCurveSVG, encodePNG, reportHTML, saveModelFile, type CatSplit, type ReportImage } from '../node.js';
import type { TrainArgs } from './args.js';
import { makeRunFolder, writeOptional, writeText as write } from './files.js';
import { checkNetworkSize, networkTooLarge } from './network.js';
import { formatDuration, progressBarFor, type Output } from './progress.js';

/** The cat pictures are 64×64 RGB: the network's input size. */
const WIDTH = 64;
const HEIGHT = 64;
const INPUT_SIZE = WIDTH * HEIGHT * 3;
/** How often a cost line is printed when stdout is not a terminal (the course prints every 100). */
const PRINT_EVERY = 100;

/** Accuracies as the other jobs print them (2 decimals); the model file's notes keep every digit. */
const pct = (v: number): string => `${Number(v.toFixed(2))} %`;

/** The test pictures with their labels and the model's P(cat), for the report. */
function reportImages(split: CatSplit, probabilities: ArrayLike<number>): ReportImage[] {
  const [m, height, width, channels] = split.imageShape;
  const n = height * width * channels;
  const images: ReportImage[] = [];
  for (let j = 0; j < m; j++) {
    const png = encodePNG(split.images.subarray(j * n, (j + 1) * n), width, height);
    const p = probabilities[j]!;
    images.push({
      pngDataUri: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
      trueLabel: split.Y.data[j]!,
      predicted: p > 0.5 ? 1 : 0,
      probability: p,
    });
  }
  return images;
}

/** Runs `nabla train`; resolves to the exit code. */
export async function train(args: TrainArgs, out: Output, version: string): Promise<number> {
  const layerSizes = [INPUT_SIZE, ...args.layers, 1];
  // The course's initializations: 0.01·randn for its two-layer net, randn/√n[l−1] for the
  // L-layer one; both drawn from numpy's RandomState(1), so the default run is the course's.
  const init = args.layers.length === 1 ? 'small' : 'scaled';
  const kind = args.layers.length === 1 ? 'two-layer' : 'l-layer';
  const activations = [...args.layers.map(() => 'relu'), 'sigmoid'];
  const started = new Date();
  const say = (line: string): void => {
    if (!args.quiet) out.write(`${line}\n`);
  };

  const data = await catVsNonCat({ dtype: args.dtype });
  const m = data.train.X.shape[1]!;
  // Before the weights are drawn: the weights, their gradients, and Z, A, dZ, dA of every
  // training picture at once (full-batch gradient descent).
  checkNetworkSize(layerSizes, args.dtype, { parameterCopies: 2, perUnit: 4 * m, what: `weights, gradients, and the layer outputs of all ${m} pictures` }, 'train');
  const runDir = await makeRunFolder(args.out, kind, started);
  say(`Training [${layerSizes.join(', ')}] (${activations.join(', ')}) on the cat vs non-cat pictures`);
  say(`  ${args.iterations} iterations, learning rate ${args.learningRate}, ${args.dtype}, W from numpy RandomState(1) (${init === 'small' ? '0.01·randn' : 'randn/√n[l−1]'})`);

  const model = new Sequential({ layerSizes, init, rng: new RandomState(1), dtype: args.dtype });
  const bar = args.quiet ? undefined : progressBarFor(out, args.iterations);
  const t0 = performance.now();
  const last = args.iterations - 1;
  let run: ReturnType<typeof gradientDescent>;
  let trainAccuracy: number, testAccuracy: number, probabilities: ArrayLike<number>;
  try {
    run = gradientDescent(model, data.train.X, data.train.Y, {
      learningRate: args.learningRate,
      iterations: args.iterations,
      // Every cost goes to costs.csv and the curve; only every 100th is printed.
      recordEvery: 1,
      onCost: (i, cost) => {
        if (bar) bar.update(i + 1, cost);
        else if (i % PRINT_EVERY === 0 || i === last) say(`Cost after iteration ${i}: ${cost}`);
      },
    });
    trainAccuracy = accuracy(model, data.train.X, data.train.Y);
    testAccuracy = accuracy(model, data.test.X, data.test.Y);
    probabilities = model.predictProba(data.test.X).data;
  } catch (e) {
    throw networkTooLarge(e, args.layers, 'train');
  } finally {
    bar?.finish();
  }
  const seconds = (performance.now() - t0) / 1000;

  const modelPath = join(runDir, 'model.safetensors');
  await saveModelFile(modelPath, model, {
    preprocessing: { scale: 1 / 255, image: { width: WIDTH, height: HEIGHT } },
    notes: {
      classes: JSON.stringify(data.classes),
      iterations: String(args.iterations),
      learningRate: String(args.learningRate),
      init: `${init}, numpy RandomState(1)`,
      trainAccuracy: String(trainAccuracy),
      testAccuracy: String(testAccuracy),
      createdAt: started.toISOString(),
      createdBy: `nabla ${version}`,
    },
  });
  const csv = ['iteration,cost', ...run.costs.map((c, k) => `${run.costIterations[k]},${c}`)].join('\n') + '\n';
  await write(join(runDir, 'costs.csv'), csv);
  const title = `[${layerSizes.join(', ')}], learning rate ${args.learningRate}`;
  const warn = (line: string): void => out.error(`${line}\n`);
  const files = ['model.safetensors', 'costs.csv'];
  if (await writeOptional(join(runDir, 'cost-curve.svg'), () => costCurveSVG(run.costIterations, run.costs, { title: `Cost J — ${title}` }) + '\n', warn)) {
    files.push('cost-curve.svg');
  }
  const classes: [string, string] = [data.classes[0] ?? 'non-cat', data.classes[1] ?? 'cat'];
  const reported = await writeOptional(
    join(runDir, 'report.html'),
    () => reportHTML({
      title: `nabla: cat vs non-cat, ${kind} network`,
      subtitle: `Trained ${started.toISOString()} with nabla ${version}.`,
      costIterations: run.costIterations,
      costs: run.costs,
      trainAccuracy,
      testAccuracy,
      images: reportImages(data.test, probabilities),
      classes,
      details: [
        ['network', `[${layerSizes.join(', ')}] (${activations.join(', ')})`],
        ['initial weights', `${init === 'small' ? 'W = 0.01·randn' : 'W = randn/√n[l−1]'}, b = 0, numpy RandomState(1)`],
        ['learning rate', String(args.learningRate)],
        ['iterations', String(run.iterations)],
        ['dtype', args.dtype],
        ['final cost', String(run.finalCost)],
        ['training time', `${seconds.toFixed(1)} s (${(run.iterations / Math.max(seconds, 1e-9)).toFixed(1)} iterations/s)`],
        ['training set', `${data.train.Y.size} pictures`],
        ['test set', `${data.test.Y.size} pictures`],
      ],
    }),
    warn,
  );
  if (reported) files.push('report.html');

  out.write(`Train accuracy: ${pct(trainAccuracy)}\n`);
  out.write(`Test accuracy: ${pct(testAccuracy)}\n`);
  say(`Trained in ${formatDuration(seconds)} (${seconds.toFixed(1)} s, ${(run.iterations / Math.max(seconds, 1e-9)).toFixed(1)} iterations/s)`);
  out.write(`Run folder: ${runDir}/\n`);
  say(`  ${files.join('  ')}`);
  return 0;
}
