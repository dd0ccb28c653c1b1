import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/args.js';
import { networkTooLarge } from '../src/cli/network.js';
import { zeros } from '../src/index.js';
import { nabla, type Run } from './helpers.js';

// The command line's guards around training: networks too large for memory, plots that
// cannot be drawn, --resume against another run's checkpoint, divergence, gradcheck's cost
// and ε, single-class data, and accuracies that agree with eval — each through the real command.
const dir = mkdtempSync(join(tmpdir(), 'nabla-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runFolder = (r: Run): string | undefined => /^Run folder: (.+)\/$/m.exec(r.stdout)?.[1];
/** Nothing on stderr looks like a stack trace or names a library function a CLI user cannot call. */
function cleanError(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('setMaxTensorBytes');
}
const jsonLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a network too large for memory', () => {
  it('explain, gradcheck and train refuse it before building it, naming --layers and the size (exit 2)', async () => {
    const [explain, gradcheck, train, cat] = await Promise.all([
      // Each tensor is under the 4 GiB per-tensor limit; together they are not.
      nabla('explain', '--layers', '100000000'),
      nabla('gradcheck', '--layers', '30000,30000'),
      nabla('train', 'moons', '--layers', '30000,30000', '--out', join(dir, 'large')),
      nabla('train', '--layers', '100000', '--out', join(dir, 'large')),
    ]);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toMatch(/^error: --layers 100000000: the network \[2, 100000000, 1\] has 400,000,001 parameters \(3\.0 GiB in float64\); explain would need about [\d.]+ GiB/m);
    expect(gradcheck.code).toBe(2);
    expect(gradcheck.stderr).toMatch(/--layers 30000,30000: the network \[2, 30000, 30000, 1\] .*gradcheck would need about [\d.]+ GiB/);
    expect(train.code).toBe(2);
    expect(train.stderr).toMatch(/--layers 30000,30000: .*train would need about [\d.]+ GiB .*give smaller --layers/);
    // The course's cat job too: [12288, 100000, 1].
    expect(cat.code).toBe(2);
    expect(cat.stderr).toMatch(/--layers 100000: the network \[12288, 100000, 1\] has 1,229,000,001 parameters/);
    for (const r of [explain, gradcheck, train, cat]) {
      expect(r.stdout).toBe('');
      cleanError(r);
    }
    expect(existsSync(join(dir, 'large'))).toBe(false);
  }, 120_000);

  it('an allocation refused by the library names --layers, not setMaxTensorBytes', () => {
    let error: unknown;
    try {
      zeros([100000, 100000]);
    } catch (e) {
      error = e;
    }
    const translated = networkTooLarge(error, [100000], 'explain');
    expect(translated).toBeInstanceOf(UsageError);
    expect((translated as Error).message).toMatch(/^--layers 100000: a float64 tensor of 10000000000 elements needs 74\.5 GiB, above nabla's limit of 4\.0 GiB per tensor; give smaller --layers$/);
  });
});

describe('plots after training', () => {
  it('a decision boundary too large to draw is a warning: the run folder is printed, exit 0', async () => {
    const out = join(dir, 'plot');
    // 84000 units: the boundary's 80 × 80 grid through them is a 4.0 GiB tensor.
    const r = await nabla('train', 'moons', '--layers', '84000', '--epochs', '1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: decision-boundary\.svg not drawn: .*--layers 84000/m);
    cleanError(r);
    const folder = runFolder(r);
    expect(folder).toBeDefined();
    expect(readdirSync(folder!).sort()).toEqual(['cost-curve.svg', 'history.csv', 'model.safetensors']);
    expect(r.stdout).toMatch(/^ {2}model\.safetensors {2}history\.csv {2}cost-curve\.svg$/m);
  }, 120_000);
});

describe('--resume against the options given', () => {
  const common = ['--batch-size', '100', '--json'];
  let checkpoint = '';
  beforeAll(async () => {
    const out = join(dir, 'ck');
    const r = await nabla('train', 'moons', '--epochs', '4', '--checkpoint-every', '4', ...common, '--out', out);
    expect(r.code).toBe(0);
    checkpoint = join(out, readdirSync(out)[0]!, 'checkpoint.safetensors');
    expect(existsSync(checkpoint)).toBe(true);
  }, 60_000);

  it('refuses a checkpoint already at or past --epochs (exit 2) and writes no run', async () => {
    const out = join(dir, 'past');
    const [fewer, equal] = await Promise.all([
      nabla('train', 'moons', '--epochs', '3', '--resume', checkpoint, ...common, '--out', out),
      nabla('train', 'moons', '--epochs', '4', '--resume', checkpoint, ...common, '--out', out),
    ]);
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toContain(`error: --resume ${checkpoint}: the checkpoint is already at epoch 4, and --epochs 3 asks for 3 in all`);
    expect(equal.code).toBe(2);
    expect(equal.stderr).toMatch(/already at epoch 4, and --epochs 4 .*give --epochs above 4/);
    expect(fewer.stdout + equal.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('applies --learning-rate: the moments carry over, the step is the one asked for', async () => {
    const [same, faster, human] = await Promise.all([
      nabla('train', 'moons', '--epochs', '6', '--resume', checkpoint, ...common, '--out', join(dir, 'lr')),
      nabla('train', 'moons', '--epochs', '6', '--learning-rate', '0.1', '--resume', checkpoint, ...common, '--out', join(dir, 'lr')),
      nabla('train', 'moons', '--epochs', '6', '--learning-rate', '0.1', '--resume', checkpoint, '--batch-size', '100', '--out', join(dir, 'lr')),
    ]);
    for (const r of [same, faster, human]) expect(r.code).toBe(0);
    const epochs = (r: Run): Array<Record<string, unknown>> => jsonLines(r.stdout).filter((o) => o.type === 'epoch');
    expect(epochs(same).map((o) => o.learning_rate)).toEqual([0.01, 0.01]);
    expect(epochs(faster).map((o) => o.learning_rate)).toEqual([0.1, 0.1]);
    expect(epochs(faster).map((o) => o.cost)).not.toEqual(epochs(same).map((o) => o.cost));
    expect(human.stdout).toContain(`Resuming from ${checkpoint} at epoch 4 with learning rate 0.1 (the checkpoint's was 0.01)`);
  }, 60_000);

  it('names every option that differs from the checkpoint, by its flag, before loading anything (exit 2)', async () => {
    const out = join(dir, 'mismatch');
    const cases: Array<[string[], string]> = [
      [['moons', '--layers', '4'], '--layers'],
      [['spirals'], 'the data'],
      [['circles'], 'the data'],
      [['moons', '--dtype', 'float32'], '--dtype'],
      [['moons', '--validation-split', '0.2'], '--validation-split'],
      [['moons', '--optimizer', 'gd'], '--optimizer'],
    ];
    const runs = await Promise.all(cases.map(([argv]) => nabla('train', ...argv, '--epochs', '8', '--resume', checkpoint, ...common, '--out', out)));
    runs.forEach((r, k) => {
      const [argv, flag] = cases[k]!;
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain(`error: --resume ${checkpoint}: the checkpoint is for [2, 16, 8, 1] (relu, relu, sigmoid), adam, float64, 400 training samples of moons; these options give `);
      expect(r.stderr, argv.join(' ')).toContain(`(different: ${flag})`);
      // Not the library's internal names.
      expect(r.stderr).not.toMatch(/W1|W3|resumeFrom|state:/);
      expect(r.stdout).toBe('');
      cleanError(r);
    });
    expect(runs[1]!.stderr).toContain('these options give [2, 16, 8, 3] (relu, relu, softmax), adam, float64, 400 training samples of spirals');
    expect(runs[4]!.stderr).toContain('320 training samples of moons');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('divergence', () => {
  it('counts epochs and batches from 1, as the progress lines do', async () => {
    const r = await nabla('train', 'moons', '--optimizer', 'gd', '--learning-rate', '1e3', '--loss', 'mse', '--epochs', '50', '--out', join(dir, 'diverge'));
    expect(r.code).toBe(1);
    const printed = [...r.stdout.matchAll(/^Epoch +(\d+)\/50:/gm)].map((m) => Number(m[1]));
    const last = printed[printed.length - 1]!;
    // Every epoch is printed (50 ≤ 50 lines): the one that diverged is the next.
    expect(printed).toEqual(Array.from({ length: last }, (_, e) => e + 1));
    expect(r.stderr).toMatch(new RegExp(`^error: epoch ${last + 1} of 50, batch \\d+ of 7: the cost became`, 'm'));
    cleanError(r);
  }, 60_000);
});

describe('gradcheck', () => {
  it('prints its header first, then refuses a network that would take minutes, naming --layers and --samples (exit 2)', async () => {
    const r = await nabla('gradcheck', 'cat');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Gradient check of \[12288, 5, 3, 1\] \(relu, relu, sigmoid\) on cat: 64 samples, float64, ε = 1e-7\n$/);
    expect(r.stderr).toMatch(/^error: the network \[12288, 5, 3, 1\] is too large for a gradient check: 61,467 parameters, J evaluated 122,935 times on 64 samples would take about 2 min 4\d s .* --layers .* --samples/m);
    cleanError(r);
  }, 60_000);

  it('refuses an ε the central difference cannot work with, naming --epsilon (exit 2)', async () => {
    const runs = await Promise.all([nabla('gradcheck', '--epsilon', '1e-30'), nabla('gradcheck', '--epsilon', '10'), nabla('gradcheck', '--epsilon', '1e-3')]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: --epsilon must be from 1e-10 to 1e-5 \(the course uses 1e-7\), got /m);
      expect(r.stdout).toBe('');
      expect(r.stdout + r.stderr).not.toContain('mistake in the backward propagation');
    }
    const edge = await nabla('gradcheck', '--epsilon', '1e-5');
    expect(edge.code).toBe(0);
    expect(edge.stdout).toContain('Your backward propagation works perfectly fine!');
  }, 60_000);
});

describe('single-class data', () => {
  it('is refused whether the labels are read as classes or detected, naming the column (exit 1)', async () => {
    const file = join(dir, 'one-class.csv');
    writeFileSync(file, 'a,b,label\n1,2,0\n3,4,0\n5,6,0\n');
    const out = join(dir, 'one');
    const runs = await Promise.all([
      nabla('train', file, '--labels', 'classes', '--epochs', '2', '--out', out),
      nabla('train', file, '--epochs', '2', '--out', out),
      nabla('train', file, '--labels', 'binary', '--epochs', '2', '--out', out),
      nabla('gradcheck', file),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: ${file}: the label column 'label' (--label) has the class 0 in every row; a classifier needs at least two classes\n`);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('accuracies', () => {
  it('train and eval measure sigmoid outputs on 3 classes alike: by the most probable class', async () => {
    const out = join(dir, 'spirals');
    const trained = await nabla('train', 'spirals', '--loss', 'bce', '--epochs', '30', '--json', '--out', out);
    expect(trained.code).toBe(0);
    const lines = jsonLines(trained.stdout);
    const summary = lines[lines.length - 1]!;
    expect(summary.activations).toEqual(['relu', 'relu', 'sigmoid']);
    const model = summary.model as string;
    const evaluated = await nabla('eval', '--model', model, 'spirals', '--json');
    expect(evaluated.code).toBe(0);
    const evalAccuracy = (JSON.parse(evaluated.stdout) as { accuracy: number }).accuracy;
    expect(summary.accuracy).toBe(evalAccuracy);
    // The last epoch's figure and history.csv say the same.
    const epochs = lines.filter((o) => o.type === 'epoch');
    expect(epochs[epochs.length - 1]!.accuracy).toBe(evalAccuracy);
    const history = readFileSync(join(summary.run_folder as string, 'history.csv'), 'utf8').trim().split('\n');
    expect(Number(history[history.length - 1]!.split(',')[3])).toBe(evalAccuracy);
  }, 60_000);

  it('the cat job prints its accuracies rounded to 2 decimals, as the other jobs do', async () => {
    const r = await nabla('train', '--layers', '7', '--iterations', '3', '-q', '--out', join(dir, 'cat'));
    expect(r.code).toBe(0);
    // Unrounded, the train accuracy is 63.63636363636363 %.
    expect(r.stdout).toMatch(/^Train accuracy: 63\.64 %$/m);
    expect(r.stdout).toMatch(/^Test accuracy: \d+(\.\d{1,2})? %$/m);
  }, 60_000);
});

describe('checkpoints', () => {
  it('--checkpoint-every refuses, before training, optimizer moments too many to write (exit 2)', async () => {
    const out = join(dir, 'big-checkpoint');
    const r = await nabla('train', 'moons', '--layers', '5000,5000', '--epochs', '1', '--checkpoint-every', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --checkpoint-every: a checkpoint of \[2, 5000, 5000, 1\] with adam holds its 50,050,002 moments as text/m);
    expect(r.stdout).toBe('');
    cleanError(r);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('data flags and cells', () => {
  it('--idx-labels with data that is not IDX is refused, as --label is for a built-in set (exit 2)', async () => {
    const r = await nabla('train', 'moons', '--idx-labels', 'labels.idx', '--epochs', '1', '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --idx-labels does not apply to moons, which is a built-in set/);
  });

  it('a cell that overflows to Infinity is named by file, line and column in predict, as in train', async () => {
    const out = join(dir, 'inf-runs');
    const trained = await nabla('train', 'examples/data/moons.csv', '--label', 'label', '--epochs', '2', '-q', '--out', out);
    expect(trained.code, trained.stderr).toBe(0);
    const model = join(runFolder(trained)!, 'model.safetensors');
    const file = join(dir, 'inf.csv');
    writeFileSync(file, 'x1,x2\n0.5,0.5\n1e400,0.5\n');
    const r = await nabla('predict', '--model', model.startsWith('/') ? model : join(process.cwd(), model), file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${file}: line 3, column 1 ("x1"): "1e400" overflows to Infinity`);
    cleanError(r);
  }, 60_000);
});
