import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli/args.js';
import { ProgressBar, formatDuration, formatProgress } from '../src/cli/progress.js';
import { compareExperiment, compareHiddenSizes, compareLearningRates } from '../src/cli/reproduce.js';
import { LogisticRegression, Sequential } from '../src/index.js';
import { HIDDEN_SIZES_LONG, HIDDEN_SIZES_LONG_ITERATIONS, L_LAYER_CAT, loadModelFile, saveModelFile } from '../src/node.js';
import { nabla, nablaWith, type Run } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));


describe('nabla: arguments', () => {
  it('parses each command with its defaults', () => {
    expect(parseCommandLine(['train'])).toEqual({
      command: 'train', iterations: 2500, learningRate: 0.0075, layers: [20, 7, 5], dtype: 'float64', out: 'runs', quiet: false,
    });
    expect(parseCommandLine(['train', '--iterations=10', '--learning-rate', '7.5e-3', '--layers', '7', '--dtype', 'float32', '--quiet'])).toMatchObject({
      iterations: 10, learningRate: 0.0075, layers: [7], dtype: 'float32', quiet: true,
    });
    expect(parseCommandLine(['predict', '--model', 'm.safetensors', 'a.png', 'b.jpg'])).toEqual({ command: 'predict', model: 'm.safetensors', images: ['a.png', 'b.jpg'] });
    expect(parseCommandLine(['reproduce', 'l-layer'])).toEqual({ command: 'reproduce', experiment: 'l-layer' });
    expect(parseCommandLine(['reproduce', 'learning-rates'])).toEqual({ command: 'reproduce', experiment: 'learning-rates' });
    expect(parseCommandLine(['reproduce', 'logistic-flower'])).toEqual({ command: 'reproduce', experiment: 'logistic-flower' });
    expect(parseCommandLine(['train', '--help', '--iterations', 'abc'])).toEqual({ command: 'help', topic: 'train' });
    expect(parseCommandLine(['-V'])).toEqual({ command: 'version' });
  });

  it('refuses bad values with a message naming the flag', () => {
    const cases: Array<[string[], RegExp]> = [
      [['train', '--learning-rate', '-1'], /--learning-rate must be a number > 0, got '-1'/],
      [['train', '--learning-rate', 'abc'], /--learning-rate must be a number > 0, got 'abc'/],
      [['train', '--learning-rate', '0'], /--learning-rate must be a number > 0/],
      [['train', '--iterations', '2.5'], /--iterations must be a whole number ≥ 1, got '2.5'/],
      [['train', '--iterations', '0x10'], /--iterations/],
      [['train', '--layers', '20,,5'], /--layers/],
      [['train', '--dtype', 'float16'], /--dtype must be float64 or float32/],
      [['train', '--iterations'], /--iterations needs a value/],
      [['train', '--quiet=yes'], /--quiet takes no value/],
      [['train', 'extra'], /unexpected argument 'extra'/],
      [['predict', 'a.png'], /--model <file> is required/],
      [['predict', '--model', 'm'], /at least one picture/],
      [['reproduce'], /which experiment/],
      [['reproduce', 'week5'], /unknown experiment 'week5'/],
      [['reproduce', 'learning-rate'], /expected one of logistic, learning-rates, logistic-flower,/],
      [['train', '--bogus'], /unknown option --bogus/],
      [['fly'], /unknown command 'fly'/],
      [[], /no command/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(message);
    }
  });
});

describe('nabla: progress bar', () => {
  it('shows iteration/total, cost, iterations per second and time left, fitted to the terminal', () => {
    const line = formatProgress({ done: 500, total: 2500, cost: 0.5401376634547801, elapsedMs: 10_000 }, 100);
    expect(line).toMatch(/^\[#{8}-{32}\] {3}500\/2500 {3}20% {2}cost 0\.540138 {2}50\.0 it\/s {2}0:40 left$/);
    expect(line.length).toBeLessThan(100);
    expect(formatProgress({ done: 2500, total: 2500, elapsedMs: 50_000 }, 100)).toContain('0:50 total');
    expect(formatProgress({ done: 1, total: 2500, elapsedMs: 10 }, 30).length).toBeLessThan(30);
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('redraws in place, at most every interval, and always at the end', () => {
    let now = 0;
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => writes.push(t), columns: 100 }, 10, { intervalMs: 100, now: () => now });
    for (let i = 1; i <= 10; i++) {
      now += 30;
      bar.update(i, 1 / i);
    }
    bar.finish();
    // Draws at t = 30 (first), 150, 270 and the last update, then the final one and a newline.
    expect(writes.length).toBe(6);
    expect(writes.slice(0, -1).every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(writes.at(-2)).toContain('10/10');
    expect(writes.at(-1)).toBe('\n');
  });
});

describe('nabla: reproduce tables', () => {
  it('marks each published figure ✓ within tolerance, ✗ otherwise', () => {
    const costs = L_LAYER_CAT.costs.map(([, c]) => c);
    const its = L_LAYER_CAT.costs.map(([i]) => i);
    const good = compareExperiment(L_LAYER_CAT, { costs, costIterations: its, trainAccuracy: 98.5645933014354, testAccuracy: 80 });
    expect(good.every((r) => r.ok)).toBe(true);
    const off = compareExperiment(L_LAYER_CAT, { costs: costs.map((c, k) => (k === 3 ? c + 2e-9 : c)), costIterations: its, trainAccuracy: 98.5, testAccuracy: 80 });
    expect(off.filter((r) => !r.ok).map((r) => r.figure)).toEqual(['cost after iteration 300', 'train accuracy (%)']);
    const sweep = compareHiddenSizes([{ hidden: 20, accuracy: 90.25 }, { hidden: 50, accuracy: 91 }]);
    expect(sweep.find((r) => r.figure.startsWith('20 '))).toMatchObject({ published: '90–90.5', ok: true });
    expect(sweep.find((r) => r.figure.startsWith('50 '))).toMatchObject({ ok: false, difference: '2.5e-1' });
    expect(sweep.find((r) => r.figure.startsWith('1 '))).toMatchObject({ nabla: '—', ok: false });
  });

  it("the 10000-iteration sweep accepts 50 units' figure of either rounding, and says so", () => {
    const rows = (accuracy: number) => compareHiddenSizes([{ hidden: 50, accuracy }], HIDDEN_SIZES_LONG, HIDDEN_SIZES_LONG_ITERATIONS).find((r) => r.figure.startsWith('50 '))!;
    expect(rows(92.25)).toMatchObject({ figure: '50 hidden units, 10000 it.: accuracy (%)', published: '92.25', ok: true });
    expect(rows(90.25)).toMatchObject({ ok: true, difference: '-2.0e+0' });
    expect(rows(90.25).note).toContain('90.25 where multiply-adds fuse');
    expect(rows(91).ok).toBe(false);
    const twenty = compareHiddenSizes([{ hidden: 20, accuracy: 90.25 }], HIDDEN_SIZES_LONG, HIDDEN_SIZES_LONG_ITERATIONS).find((r) => r.figure.startsWith('20 '))!;
    expect(twenty).toMatchObject({ published: '93', ok: false });
    expect(twenty.note).toBeUndefined();
  });

  it('learning rates: train and test accuracy for each of the three', () => {
    const rows = compareLearningRates([
      { learningRate: 0.01, trainAccuracy: (208 / 209) * 100, testAccuracy: 68 },
      { learningRate: 0.001, trainAccuracy: (186 / 209) * 100, testAccuracy: 66 },
    ]);
    expect(rows.map((r) => [r.figure, r.ok])).toEqual([
      ['α = 0.01: train accuracy (%)', true],
      ['α = 0.01: test accuracy (%)', true],
      ['α = 0.001: train accuracy (%)', true],
      ['α = 0.001: test accuracy (%)', false],
      ['α = 0.0001: train accuracy (%)', false],
      ['α = 0.0001: test accuracy (%)', false],
    ]);
    expect(rows[5]).toMatchObject({ nabla: '—', difference: '—' });
  });
});

describe('nabla: the command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let trained: Run;
  let runDir = '';
  beforeAll(async () => {
    trained = await nabla('train', '--iterations', '3', '--layers', '7', '--out', join(dir, 'runs'));
    runDir = /^Run folder: (.+)\/$/m.exec(trained.stdout)?.[1] ?? '';
  });

  it('--help and --version', async () => {
    const help = await nabla('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    for (const cmd of ['nabla train', 'nabla predict --model <file> <image>...', 'nabla reproduce <experiment>']) expect(help.stdout).toContain(cmd);
    const trainHelp = await nabla('train', '--help');
    expect(trainHelp.code).toBe(0);
    expect(trainHelp.stdout).toContain('--learning-rate <a>');
    const version = await nabla('--version');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.split('\n')[0]).toBe(`nabla ${pkg.version}`);
    expect(version.stdout).toMatch(/^backend: (wasm-threads|wasm|cpu) — /m);
    // NABLA_BACKEND picks another; an unknown one is refused with the list of available ones.
    const cpu = await nablaWith({ NABLA_BACKEND: 'cpu' }, '--version');
    expect(cpu.stdout).toMatch(/^backend: cpu — reference kernels/m);
    // --version still answers (with a warning); a command that computes refuses it, exit 2.
    const gpuVersion = await nablaWith({ NABLA_BACKEND: 'gpu' }, '--version');
    expect(gpuVersion.code).toBe(0);
    const gpu = await nablaWith({ NABLA_BACKEND: 'gpu' }, 'reproduce', 'shallow');
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(/^error: NABLA_BACKEND: unknown backend 'gpu': available are cpu, wasm/);
  });

  it('an unknown command or flag prints the usage on stderr and exits with 2', async () => {
    const command = await nabla('fly');
    expect(command.code).toBe(2);
    expect(command.stdout).toBe('');
    expect(command.stderr).toContain("error: unknown command 'fly'");
    expect(command.stderr).toContain('Usage:');
    const flag = await nabla('train', '--speed', '3');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('error: unknown option --speed');
    expect(flag.stderr).toContain('Usage: nabla train');
    const value = await nabla('train', '--learning-rate', '-1');
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("--learning-rate must be a number > 0, got '-1'");
  });

  it('train: prints the costs (no terminal: plain lines), the accuracies and a complete run folder', () => {
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^Cost after iteration 0: 0\.69304973565998\d*$/m);
    expect(trained.stdout).toMatch(/^Cost after iteration 2: 0\.\d+$/m);
    expect(trained.stdout).toMatch(/^Train accuracy: [\d.]+ %$/m);
    expect(trained.stdout).toMatch(/^Test accuracy: [\d.]+ %$/m);
    expect(runDir).toMatch(/runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-two-layer$/);
    expect(readdirSync(runDir).sort()).toEqual(['cost-curve.svg', 'costs.csv', 'model.safetensors', 'report.html']);
    const csv = readFileSync(join(runDir, 'costs.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('iteration,cost');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1', '2']);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html.split('<img ').length - 1).toBe(50);
    expect(html).toContain('<svg');
    expect(html).toMatch(/50 test pictures: \d+ right, \d+ wrong/);
    expect(readFileSync(join(runDir, 'cost-curve.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it('train: the model file holds the trained network', async () => {
    const { model, metadata } = await loadModelFile(join(runDir, 'model.safetensors'));
    expect(model).toBeInstanceOf(Sequential);
    expect((model as Sequential).layerSizes).toEqual([12288, 7, 1]);
    expect(metadata.preprocessing).toEqual({ scale: 1 / 255, image: { width: 64, height: 64 } });
    expect(JSON.parse(metadata.notes.classes!)).toEqual(['non-cat', 'cat']);
  });

  it('predict: P(cat) and the label for each picture', async () => {
    const png = new pngjs.PNG({ width: 80, height: 60 });
    for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) % 256;
    const picture = join(dir, 'picture.png');
    writeFileSync(picture, pngjs.PNG.sync.write(png));
    const r = await nabla('predict', '--model', join(runDir, 'model.safetensors'), picture);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${picture.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: P\\(cat\\) = [01]\\.\\d\\d → (cat|non-cat)\n$`));
  });

  it('predict: a missing picture, a missing model and a model for another input size each name the file', async () => {
    const model = join(runDir, 'model.safetensors');
    const missing = join(dir, 'no-such-picture.png');
    const r1 = await nabla('predict', '--model', model, missing);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toBe(`error: ${missing}: no such file\n`);
    const r2 = await nabla('predict', '--model', join(dir, 'nope.safetensors'), missing);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`error: ${join(dir, 'nope.safetensors')}: no such file`);
    expect(r2.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const small = join(dir, 'small.safetensors');
    await saveModelFile(small, new LogisticRegression(5));
    const r3 = await nabla('predict', '--model', small, missing);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain(`error: ${small}: the model takes 5 inputs per sample`);
    expect(r3.stderr).toContain('input size 12288');
  });

  it('reproduce shallow: every published figure of the flower net, marked', async () => {
    const r = await nabla('reproduce', 'shallow');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cost after iteration 0 +0\.6930480201239823 +0\.69304802012398\d* +-?[\de.-]+ +✓/);
    expect(r.stdout).toMatch(/cost after iteration 8000 .*✓ {2}platform-dependent/);
    expect(r.stdout).toMatch(/train accuracy \(%\) +90\.75 +90\.75 +0 +✓/);
    expect(r.stdout).toContain('all 11 figures reproduced');
    expect(r.stdout).not.toContain('✗');
  });
});
