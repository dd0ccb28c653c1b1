import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_USAGE, COMMANDS, USAGE, UsageError, parseCommandLine } from '../src/cli/args.js';
import { printStep } from '../src/cli/train-data.js';
import { Sequential, Tensor, applyScaler, checkScaler } from '../src/index.js';
import { loadModelFile } from '../src/node.js';
import { featureRows, readTable, withFileLocations } from '../src/cli/table.js';
import { DataError, parseCSV } from '../src/index.js';
import { nabla, type Run } from './helpers.js';



/** A seeded generator for the test files (no dependence on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const runFolder = (r: Run): string => /^Run folder: (.+)\/$/m.exec(r.stdout)?.[1] ?? '';

describe('nabla train/eval/predict/gradcheck/explain/export: arguments', () => {
  it('parses train <data> with its defaults, and the course job without <data> as before', () => {
    expect(parseCommandLine(['train'])).toEqual({
      command: 'train', iterations: 2500, learningRate: 0.0075, layers: [20, 7, 5], dtype: 'float64', out: 'runs', quiet: false,
    });
    expect(parseCommandLine(['train', 'moons'])).toMatchObject({
      command: 'train',
      data: { source: 'moons' },
      network: { layers: [16, 8], activation: 'relu', seed: 0, dtype: 'float64', dropout: 0 },
      optimizer: 'adam', learningRate: 0.01, epochs: 100, batchSize: 64, l2: 0, json: false, quiet: false,
    });
    expect(parseCommandLine(['train', 'flower', '--iterations', '50', '--optimizer', 'gd', '--activations', 'tanh,sigmoid', '--layers', '4', '--loss', 'bce'])).toMatchObject({
      epochs: 50, batchSize: undefined, optimizer: 'gd', network: { layers: [4], activations: ['tanh', 'sigmoid'], loss: 'binaryCrossEntropy' },
    });
    // --label counts columns from 1, as the error messages do; the library's index is 0-based.
    expect(parseCommandLine(['train', 'x.csv', '--label', '2'])).toMatchObject({ data: { label: 1 } });
    expect(parseCommandLine(['train', 'x.csv', '--label', '-1'])).toMatchObject({ data: { label: -1 } });
    expect(parseCommandLine(['train', 'x.csv', '--label', 'species', '--delimiter', 'tab'])).toMatchObject({ data: { label: 'species', delimiter: '\t' } });
    expect(parseCommandLine(['gradcheck'])).toMatchObject({ data: { source: 'flower' }, network: { layers: [5, 3], dtype: 'float64' }, samples: 64 });
    expect(parseCommandLine(['explain', 'moons', '--samples', '2'])).toMatchObject({ data: { source: 'moons' }, network: { layers: [4], activation: 'tanh' }, samples: 2 });
    expect(parseCommandLine(['export', '--onnx', 'a.onnx', '--model', 'm'])).toEqual({ command: 'export', model: 'm', onnx: 'a.onnx', opset: undefined });
    expect(parseCommandLine(['eval', '--model', 'm', 'moons', '--json'])).toMatchObject({ command: 'eval', model: 'm', json: true, data: { source: 'moons' } });
  });

  it('refuses bad values and contradictions with a message naming the flag', () => {
    const cases: Array<[string[], RegExp]> = [
      [['train', 'moons', '--batch-size', '0'], /--batch-size must be a whole number ≥ 1, got '0'/],
      [['train', 'moons', '--dropout', '1'], /--dropout must be a probability in \[0, 1\)/],
      [['train', 'moons', '--validation-split', '1'], /--validation-split must be a fraction in \(0, 1\)/],
      [['train', 'moons', '--beta1', '0.9', '--optimizer', 'gd'], /--beta1 is Adam's/],
      [['train', 'moons', '--momentum', '1'], /--momentum must be a number in \[0, 1\)/],
      [['train', 'moons', '--iterations', '5', '--batch-size', '8'], /--iterations means full-batch/],
      [['train', 'moons', '--activation', 'softmax'], /--activation must be one of/],
      [['train', 'moons', '--activations', 'relu'], /--activations lists 1 activations for 3 layers/],
      [['train', 'moons', '--loss', 'hinge'], /--loss must be bce, cce or mse/],
      [['train', 'moons', '--l2', '-1'], /--l2 must be a number ≥ 0/],
      [['train', 'moons', '--label', '0'], /--label: columns are numbered from 1/],
      [['train', '--epochs', '5'], /--epochs needs a data set/],
      [['train', 'moons', 'flower'], /unexpected argument 'flower'/],
      [['train', 'moons', '--json', '--quiet'], /--json or --quiet/],
      [['train', 'moons', '--train-accuracy', 'batch'], /--train-accuracy must be one of epoch-end, running, got 'batch'/],
      [['train', '--train-accuracy', 'running'], /--train-accuracy needs a data set/],
      [['gradcheck', '--dtype', 'float32'], /unknown option --dtype/],
      [['eval', 'moons'], /--model <file> is required/],
      [['eval', '--model', 'm'], /give the data/],
      [['export', '--model', 'm'], /--onnx <out.onnx> is required/],
      [['explain', '--samples', '0'], /--samples must be a whole number ≥ 1/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(message);
    }
  });

  it('has a help text for every command: synopsis, options with defaults, examples, exit status', () => {
    for (const command of COMMANDS) {
      const text = COMMAND_USAGE[command];
      expect(text, command).toMatch(new RegExp(`^Usage: nabla ${command}`));
      expect(text, command).toMatch(/Examples?:/);
      expect(text, command).toContain('Exit status');
      expect(text, command).toContain('-h, --help');
    }
    expect(COMMAND_USAGE.train).toContain('--batch-size <n>      samples per update (default 64');
    for (const command of COMMANDS) expect(USAGE).toContain(`nabla ${command}`);
    expect(printStep(100)).toBe(2);
    expect(printStep(2500)).toBe(50);
    expect(printStep(7)).toBe(1);
  });
});

describe('CSV tables for the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--layout columns: one sample per column; errors name the cell in the file', async () => {
    const path = join(dir, 'cols.csv');
    writeFileSync(path, 'f1,1,2,3,4,5\nf2,0.5,0.25,1,2,3\ncls,a,b,a,b,a\n');
    const table = await readTable(path, ',', 'columns');
    const csv = withFileLocations(table, () => parseCSV(table.text, { label: 'cls' }, path));
    expect(csv.X.shape).toEqual([2, 5]);
    expect(csv.featureNames).toEqual(['f1', 'f2']);
    expect(Array.from(csv.X.data)).toEqual([1, 2, 3, 4, 5, 0.5, 0.25, 1, 2, 3]);
    expect(csv.classNames).toEqual(['a', 'b']);
    writeFileSync(path, 'f1,1,2,3,4,5\nf2,0.5,0.25,oops,2,3\ncls,a,b,a,b,a\n');
    const bad = await readTable(path, ',', 'columns');
    expect(() => withFileLocations(bad, () => parseCSV(bad.text, { label: 'cls' }, path))).toThrow(DataError);
    expect(() => withFileLocations(bad, () => parseCSV(bad.text, { label: 'cls' }, path))).toThrow(`${path}: line 2, column 4 ("f2"): "oops" is not a number`);
  });

  it('predict reads the model\'s features by header name, or by position without the label', async () => {
    const named = join(dir, 'named.csv');
    writeFileSync(named, 'label,b,extra,a\nyes,2,9,1\nno,4,9,3\n');
    const rows = featureRows(await readTable(named, ',', 'rows'), ['a', 'b'], 3);
    expect(rows.X.toArray()).toEqual([[1, 3], [2, 4]]);
    expect(rows.positions).toEqual([2, 3]);
    const plain = join(dir, 'plain.csv');
    writeFileSync(plain, '1,2,yes\n3,4,no\n');
    expect(featureRows(await readTable(plain, ',', 'rows'), ['a', 'b'], 2).X.toArray()).toEqual([[1, 3], [2, 4]]);
    writeFileSync(plain, '1,2\n3,x\n');
    const notNumber = await readTable(plain, ',', 'rows');
    expect(() => featureRows(notNumber, ['a', 'b'], 2)).toThrow(/line 2, column 2: "x" is not a number/);
    writeFileSync(plain, '1,2,3,4\n');
    const tooWide = await readTable(plain, ',', 'rows');
    expect(() => featureRows(tooWide, ['a', 'b'], 2)).toThrow(/line 1 has 4 columns, but the model takes 2 features/);
  });
});

describe('nabla: training on your own data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-trainer-'));
  const out = join(dir, 'runs');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const binCSV = join(dir, 'bin.csv');
  const threeCSV = join(dir, 'three.csv');
  const badCSV = join(dir, 'bad.csv');
  const regCSV = join(dir, 'reg.csv');
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    const rand = lcg(7);
    const bin = ['x1,x2,x3,label'];
    for (let j = 0; j < 120; j++) {
      const y = j % 2;
      bin.push([(y ? 1 : -1) + 0.7 * gauss(rand), (y ? 0.5 : -0.5) + 0.7 * gauss(rand), gauss(rand)].map((v) => v.toFixed(4)).join(',') + `,${y ? 'yes' : 'no'}`);
    }
    writeFileSync(binCSV, bin.join('\n') + '\n');
    const names = ['setosa', 'versicolor', 'virginica'];
    const centres = [[0, 0], [3, 0], [0, 3]];
    const three = ['a,species,b'];
    for (let j = 0; j < 150; j++) {
      const k = j % 3;
      three.push(`${(centres[k]![0]! + 0.6 * gauss(rand)).toFixed(4)},${names[k]},${(centres[k]![1]! + 0.6 * gauss(rand)).toFixed(4)}`);
    }
    writeFileSync(threeCSV, three.join('\n') + '\n');
    writeFileSync(badCSV, 'a,b,label\n1,2,yes\n3,x,no\n');
    const reg = ['y,x,z'];
    for (let j = 0; j < 80; j++) {
      const x = 4 * rand() - 2, z = 2 * rand() - 1;
      reg.push([3 * x - 2 * z + 0.1 * gauss(rand), x, z].map((v) => v.toFixed(4)).join(','));
    }
    writeFileSync(regCSV, reg.join('\n') + '\n');

    const common = ['--optimizer', 'adam', '--learning-rate', '0.01', '--early-stopping', '3', '--out', out];
    const fullBatch = ['moons', '--json', '--iterations', '4', '--layers', '8', '--optimizer', 'gd', '--learning-rate', '0.5', '--out', out];
    [runs.bin, runs.three, runs.moons, runs.gradcheck, runs.explain, runs.bad, runs.batch0, runs.dropout1, runs.reg, runs.ended, runs.running] = await Promise.all([
      nabla('train', binCSV, ...common, '--batch-size', '16', '--validation-split', '0.25', '--epochs', '40'),
      nabla('train', threeCSV, '--label', 'species', ...common, '--batch-size', '32', '--validation-split', '0.2', '--epochs', '60'),
      nabla('train', 'moons', '--json', '--epochs', '5', '--layers', '8', '--out', out),
      nabla('gradcheck', 'flower'),
      nabla('explain'),
      nabla('train', badCSV, '--out', out),
      nabla('train', binCSV, '--batch-size', '0'),
      nabla('train', binCSV, '--dropout', '1'),
      nabla('train', regCSV, '--label', 'y', '--epochs', '60', '--batch-size', '16', '--out', out),
      nabla('train', ...fullBatch),
      nabla('train', ...fullBatch, '--train-accuracy', 'running'),
    ]);
    // Nine processes at once: well past the 10 s default for hooks on a busy machine.
  }, 120_000);

  it('train: a binary CSV with adam, mini-batches, a validation split and early stopping → a complete run folder', async () => {
    const r = runs.bin!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Training \[3, 16, 8, 1\] \(relu, relu, sigmoid\) on .*bin\.csv: 120 samples, 3 features, 2 classes \(no, yes\)$/m);
    expect(r.stdout).toContain('adam (α = 0.01)');
    expect(r.stdout).toContain('batches of 16, 30 samples held out for validation');
    expect(r.stdout).toMatch(/^Epoch +1\/40: cost [\d.]+, accuracy [\d.]+ %, validation cost [\d.]+, validation accuracy [\d.]+ %$/m);
    expect(r.stdout).toMatch(/^Train accuracy: [\d.]+ %$/m);
    expect(r.stdout).toMatch(/^Validation accuracy: [\d.]+ %$/m);
    const run = runFolder(r);
    expect(run).toMatch(/-bin$/);
    // 3 features: no decision-boundary plot.
    expect(readdirSync(run).sort()).toEqual(['cost-curve.svg', 'history.csv', 'model.safetensors']);

    const history = readFileSync(join(run, 'history.csv'), 'utf8').trimEnd().split('\n');
    expect(history[0]).toBe('epoch,cost,val_cost,accuracy,val_accuracy');
    const rows = history.slice(1).map((line) => line.split(',').map(Number));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(40);
    rows.forEach((row, e) => {
      expect(row).toHaveLength(5);
      expect(row[0]).toBe(e + 1);
      expect(row.every(Number.isFinite)).toBe(true);
    });
    const svg = readFileSync(join(run, 'cost-curve.svg'), 'utf8');
    expect(svg).toContain('data-series="train"');
    expect(svg).toContain('data-series="validation"');

    const { model, metadata } = await loadModelFile(join(run, 'model.safetensors'));
    expect(model).toBeInstanceOf(Sequential);
    expect((model as Sequential).layerSizes).toEqual([3, 16, 8, 1]);
    expect(JSON.parse(metadata.notes.classes!)).toEqual(['no', 'yes']);
    expect(JSON.parse(metadata.notes.features!)).toEqual(['x1', 'x2', 'x3']);
    expect(checkScaler(JSON.parse(metadata.notes.scaler!)).kind).toBe('standardize');
    expect(metadata.notes.task).toBe('binary');
    // Early stopping keeps a best epoch, and the history holds every epoch that ran.
    expect(Number(metadata.notes.bestEpoch)).toBeGreaterThanOrEqual(1);
    expect(Number(metadata.notes.epochs)).toBe(rows.length);
  });

  it('train: a 3-class CSV → softmax output, and for 2-D data a decision-boundary plot', async () => {
    const r = runs.three!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[2, 16, 8, 3] (relu, relu, softmax)');
    expect(r.stdout).toContain('3 classes (setosa, versicolor, virginica)');
    const run = runFolder(r);
    expect(readdirSync(run).sort()).toEqual(['cost-curve.svg', 'decision-boundary.svg', 'history.csv', 'model.safetensors']);
    const boundary = readFileSync(join(run, 'decision-boundary.svg'), 'utf8');
    expect(boundary).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(boundary.split('class="point"').length - 1).toBe(150);
    for (const name of ['setosa', 'versicolor', 'virginica']) expect(boundary).toContain(`>${name}</text>`);
    const { metadata } = await loadModelFile(join(run, 'model.safetensors'));
    expect(metadata.model).toMatchObject({ kind: 'sequential', layerSizes: [2, 16, 8, 3], loss: 'categoricalCrossEntropy' });
    expect(JSON.parse(metadata.notes.csv!)).toMatchObject({ label: 'species', labelColumn: 1, layout: 'rows' });
  });

  it('eval, predict and export on the trained models', async () => {
    const three = join(runFolder(runs.three!), 'model.safetensors');
    const bin = join(runFolder(runs.bin!), 'model.safetensors');
    const onnxPath = join(dir, 'three.onnx');
    const reg = join(runFolder(runs.reg!), 'model.safetensors');
    const [evalThree, evalJSON, evalBin, predicted, exported, evalReg] = await Promise.all([
      nabla('eval', '--model', three, threeCSV),
      nabla('eval', '--model', three, threeCSV, '--json'),
      nabla('eval', '--model', bin, binCSV),
      nabla('predict', '--model', three, threeCSV),
      nabla('export', '--onnx', onnxPath, '--model', three),
      nabla('eval', '--model', reg, regCSV, '--json'),
    ]);

    // Regression: a linear output unit and squared error, evaluated by MSE and R².
    expect(runs.reg!.code).toBe(0);
    expect(runs.reg!.stdout).toContain('[2, 16, 8, 1] (relu, relu, linear)');
    expect(runs.reg!.stdout).toMatch(/^Train cost \(squared error\): [\d.e-]+$/m);
    expect(evalReg.code).toBe(0);
    const r = JSON.parse(evalReg.stdout) as { task: string; mse: number; r2: number };
    expect(r.task).toBe('regression');
    expect(r.r2).toBeGreaterThan(0.9);

    expect(evalThree.stderr).toBe('');
    expect(evalThree.code).toBe(0);
    expect(evalThree.stdout).toMatch(/^Accuracy: [\d.]+ % \(\d+ of 150\)$/m);
    expect(evalThree.stdout).toMatch(/^Log loss: [\d.]+$/m);
    expect(evalThree.stdout).toContain('Confusion matrix (rows: true class, columns: predicted):');
    expect(evalThree.stdout).toMatch(/^ {2}virginica +\d+ +\d+ +\d+$/m);
    const figures = JSON.parse(evalJSON.stdout) as { accuracy: number; confusion_matrix: number[][]; classes: string[] };
    expect(figures.accuracy).toBeGreaterThan(90);
    expect(figures.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(figures.confusion_matrix.flat().reduce((a, b) => a + b, 0)).toBe(150);

    expect(evalBin.code).toBe(0);
    expect(evalBin.stdout).toMatch(/^Accuracy: [\d.]+ %/m);
    expect(evalBin.stdout).toMatch(/^Precision: [\d.]+ {3}Recall: [\d.]+ {3}F1: [\d.]+ {3}\(positive class: yes\)$/m);
    expect(evalBin.stdout).toMatch(/^ROC AUC: 0\.\d+$/m);

    expect(predicted.stderr).toBe('');
    expect(predicted.code).toBe(0);
    const lines = predicted.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('line,prediction,p_setosa,p_versicolor,p_virginica');
    expect(lines).toHaveLength(151);
    lines.slice(1).forEach((line, j) => {
      const [at, name, ...p] = line.split(',');
      expect(Number(at)).toBe(j + 2); // the data row's line in the file
      expect(['setosa', 'versicolor', 'virginica']).toContain(name);
      expect(p.map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    // The ONNX file runs in onnxruntime and gives nabla's probabilities.
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Wrote ${onnxPath}`);
    const { model, metadata } = await loadModelFile(three);
    const session = await ort.InferenceSession.create(onnxPath);
    // Three samples (a, b) as columns, scaled as in training; ONNX takes them as rows.
    const raw = new Tensor(Float64Array.from([0.1, 3.1, -0.3, 0.2, -0.2, 2.9]), [2, 3]);
    const X = applyScaler(checkScaler(JSON.parse(metadata.notes.scaler!)), raw);
    const rows = new Float64Array(6);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) rows[j * 2 + i] = X.data[i * 3 + j]!;
    const result = await session.run({ X: new ort.Tensor('float64', rows, [3, 2]) });
    const onnxP = result.probabilities!.data as Float64Array;
    const mine = model.predictProba(X);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) expect(Math.abs(onnxP[j * 3 + k]! - mine.data[k * 3 + j]!)).toBeLessThan(1e-9);
  });

  it('train moons --json: one JSON object per epoch, then a summary', () => {
    const r = runs.moons!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const objects = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toHaveLength(6);
    objects.slice(0, 5).forEach((o, e) => {
      expect(o).toMatchObject({ type: 'epoch', epoch: e + 1, epochs: 5 });
      expect(typeof o.cost).toBe('number');
      expect(typeof o.accuracy).toBe('number');
    });
    const summary = objects[5]!;
    expect(summary).toMatchObject({ type: 'summary', task: 'binary', layer_sizes: [2, 8, 1], epochs: 5, stopped_early: false });
    expect(summary.files).toContain('decision-boundary.svg');
    expect(existsSync(join(summary.run_folder as string, 'decision-boundary.svg'))).toBe(true);
  });

  it("train --train-accuracy running: each epoch shows the accuracy the weights had before its update", () => {
    const epochs = (r: Run): Array<{ cost: number; accuracy: number }> => {
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; cost: number; accuracy: number }).filter((o) => o.type === 'epoch');
    };
    const ended = epochs(runs.ended!), running = epochs(runs.running!);
    expect(running).toHaveLength(4);
    // One full batch per epoch: the running figure is the one the epoch before ended with.
    expect(running.slice(1).map((o) => o.accuracy)).toEqual(ended.slice(0, 3).map((o) => o.accuracy));
    expect(running.map((o) => o.cost)).toEqual(ended.map((o) => o.cost));
  });

  it('gradcheck flower: every gradient good, exit 0', () => {
    const r = runs.gradcheck!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Gradient check of [2, 5, 3, 1] (relu, relu, sigmoid) on flower: 64 samples, float64');
    for (const name of ['dW1', 'db1', 'dW2', 'db2', 'dW3', 'db3']) expect(r.stdout).toMatch(new RegExp(`^ {2}${name} +\\(\\d+, \\d+\\) +[\\d.]+e-\\d+ +good$`, 'm'));
    expect(r.stdout).toMatch(/^Your backward propagation works perfectly fine! difference = [\d.]+e-\d+$/m);
  });

  it('explain: one step in the seeds\' notation, with values for a small net', () => {
    const r = runs.explain!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('One training step of [2, 4, 1] (tanh, sigmoid) on 4 samples of flower');
    for (const q of ['Z[1]', 'A[1]', 'Z[2]', 'A[2]', 'dZ[2]', 'dW[2]', 'db[2]', 'dZ[1]', 'dW[1]', 'db[1]']) expect(r.stdout).toContain(`    ${q}`);
    expect(r.stdout).toMatch(/dZ\[2\] +\(1, 4\) += A\[2\] − Y\n +\[\[/);
    expect(r.stdout).toMatch(/^Cost after the update: J = [\d.]+ \(was [\d.]+, change -[\d.]+e-\d+\)$/m);
  });

  it('bad input: a non-numeric cell names the line and column (exit 1); bad flags name the flag (exit 2)', () => {
    expect(runs.bad!.code).toBe(1);
    expect(runs.bad!.stderr).toBe(`error: ${badCSV}: line 3, column 2 ("b"): "x" is not a number (feature columns must be numeric)\n`);
    expect(runs.batch0!.code).toBe(2);
    expect(runs.batch0!.stderr).toContain("error: --batch-size must be a whole number ≥ 1, got '0'");
    expect(runs.dropout1!.code).toBe(2);
    expect(runs.dropout1!.stderr).toContain("error: --dropout must be a probability in [0, 1) (1 would drop every unit), got '1'");
  });
});
