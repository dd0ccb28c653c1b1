/**
 * How `nabla` answers a mistake in how it was called: one `error:` line naming what was wrong
 * (flag, file), one hint line, exit status 2 for usage mistakes, no stack trace, no hang.
 * The command runs as in test/helpers.ts (the TypeScript source through tsx, stdout a pipe),
 * here from a folder of the test's choosing, so a stray folder it makes is seen.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORT_DEFAULTS, parseCommandLine, UsageError } from '../src/cli/args.js';
import { ONNX_DEFAULT_OPSET, ONNX_MAX_OPSET, ONNX_MIN_OPSET } from '../src/onnx.js';
import type { Run } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const main = join(root, 'src', 'cli', 'main.ts');

/** Runs `nabla args…` in `cwd` with extra environment variables; a run past 60 s is killed (code -1). */
function run(cwd: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, main, ...args], { cwd, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nabla = (...args: string[]): Promise<Run> => run(dir, {}, ...args);

/** stderr as lines, without the empty one after the last newline. */
const lines = (text: string): string[] => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);

/** A usage mistake: exit 2, nothing on stdout, the error line, one hint line, no stack trace. */
function expectUsageMistake(r: Run, error: string | RegExp, command?: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const [first, hint, ...more] = lines(r.stderr);
  if (typeof error === 'string') expect(first).toBe(`error: ${error}`);
  else expect(first).toMatch(error);
  if (command === undefined) expect(hint).toBe("Usage: nabla <command> [options]. Run 'nabla --help' for the commands.");
  else expect(hint).toMatch(new RegExp(`^Usage: nabla ${command}\\b.*\\. Run 'nabla ${command} --help' for the options\\.$`));
  expect(more).toEqual([]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('nabla: an option that takes a value, given none', () => {
  it('says the flag needs a value instead of taking the next option as it (and makes no folder of it)', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = await run(cwd, {}, 'train', 'moons', '--out', '--quiet', '--epochs', '1');
    expectUsageMistake(r, /^error: --out needs a value, but is followed by the option --quiet/, 'train');
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(cwd, '--quiet'))).toBe(false);

    const model = await nabla('eval', '--model', '--json', 'moons');
    expectUsageMistake(model, /^error: --model needs a value, but is followed by the option --json/, 'eval');
    expect(model.stderr).not.toContain('no such file');
  });

  it('still reads negative numbers, a lone -, and --flag=-value as values', () => {
    expect(parseCommandLine(['train', 'moons', '--label', '-1'])).toMatchObject({ data: { label: -1 } });
    expect(parseCommandLine(['train', 'moons', '--label=-x'])).toMatchObject({ data: { label: '-x' } });
    expect(parseCommandLine(['train', 'moons', '--out=--odd', '--quiet'])).toMatchObject({ out: '--odd', quiet: true });
    expect(() => parseCommandLine(['train', 'moons', '--learning-rate', '-0.5'])).toThrow(/--learning-rate must be a number > 0, got '-0.5'/);
    expect(() => parseCommandLine(['train', 'moons', '--learning-rate', '-.5'])).toThrow(/--learning-rate must be a number > 0/);
    expect(() => parseCommandLine(['train', 'moons', '--label', '-q'])).toThrow(/--label needs a value/);
    expect(() => parseCommandLine(['train', 'moons', '--seed', '--', '3'])).toThrow(/--seed needs a value/);
  });
});

describe('nabla: a usage mistake prints the error and one hint, not the whole help', () => {
  it('unknown option, bad value, bad data argument: two lines on stderr, exit 2', async () => {
    const [unknown, dash, value, command] = await Promise.all([
      nabla('train', 'moons', '--bogus'),
      nabla('train', '-'),
      nabla('export', '--model', 'm', '--onnx', 'o.onnx', '--opset', 'x'),
      nabla('fly'),
    ]);
    expectUsageMistake(unknown, "unknown option --bogus for 'nabla train'", 'train');
    expectUsageMistake(dash, /^error: '-' \(standard input\) cannot be the data of 'nabla train'/, 'train');
    expectUsageMistake(value, /^error: --opset must be/, 'export');
    expectUsageMistake(command, /^error: unknown command 'fly': the commands are train, eval/);
  });

  it('nabla alone still shows the usage (that is what was asked for)', async () => {
    const r = await nabla();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no command given\n/);
    expect(r.stderr).toContain('nabla <command> --help');
  });
});

describe('nabla: NABLA_BACKEND', () => {
  const gpu = { NABLA_BACKEND: 'gpu' };

  it('help and version work whatever it says', async () => {
    const [help, trainHelp, version] = await Promise.all([
      run(dir, gpu, '--help'),
      run(dir, gpu, 'train', '--help'),
      run(dir, gpu, '--version'),
    ]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^nabla — /);
    expect(trainHelp.code, trainHelp.stderr).toBe(0);
    expect(trainHelp.stdout).toMatch(/^Usage: nabla train/);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^nabla \d+\.\d+\.\d+\nbackend: /);
    expect(version.stderr).toMatch(/^warning: NABLA_BACKEND: unknown backend 'gpu': available are cpu, wasm/);
  });

  it('a command that computes refuses it, naming the variable and the backends, exit 2', async () => {
    const out = join(dir, 'backend-runs');
    const r = await run(dir, gpu, 'train', 'moons', '--epochs', '1', '--out', out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: NABLA_BACKEND: unknown backend 'gpu': available are cpu, wasm[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('nabla export --opset', () => {
  it('is checked when the arguments are read: exit 2, naming --opset, before the model is read', async () => {
    const [low, high] = await Promise.all([
      nabla('export', '--model', join(dir, 'missing.safetensors'), '--onnx', join(dir, 'm.onnx'), '--opset', '7'),
      nabla('export', '--model', join(dir, 'missing.safetensors'), '--onnx', join(dir, 'm.onnx'), '--opset', '24'),
    ]);
    expectUsageMistake(low, "--opset must be a whole number from 8 to 23, got '7'", 'export');
    expectUsageMistake(high, "--opset must be a whole number from 8 to 23, got '24'", 'export');
    expect(parseCommandLine(['export', '--model', 'm', '--onnx', 'o', '--opset', '8'])).toMatchObject({ opset: 8 });
    expect(parseCommandLine(['export', '--model', 'm', '--onnx', 'o', '--opset', '23'])).toMatchObject({ opset: 23 });
  });

  it("takes the library's range and default", () => {
    expect(EXPORT_DEFAULTS).toEqual({ opset: ONNX_DEFAULT_OPSET, minOpset: ONNX_MIN_OPSET, maxOpset: ONNX_MAX_OPSET });
  });
});

describe('nabla train --out', () => {
  // The course's cat job makes its run folder before it reads anything: quick to refuse.
  it('naming a file: says so (exit 2) and leaves the file as it was', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep me\n');
    const [same, below] = await Promise.all([
      nabla('train', '--out', file, '--iterations', '1'),
      nabla('train', '--out', join(file, 'runs'), '--iterations', '1'),
    ]);
    expectUsageMistake(same, `--out ${file}: a file with that name exists; give a folder`, 'train');
    expectUsageMistake(below, `--out ${join(file, 'runs')}: ${file} is a file, not a folder; give a folder`, 'train');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it.runIf(existsSync('/proc/self'))('under /proc: an error naming --out, not a hang', async () => {
    // A hang here is caught by the test's own time limit.
    const r = await nabla('train', '--out', '/proc/nabla-nope/runs', '--iterations', '1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('error: --out /proc/nabla-nope/runs: cannot create the folder /proc/nabla-nope: /proc does not take new folders\n');
  });

  it('makes the missing folders on the way, as before', async () => {
    const out = join(dir, 'made', 'deep', 'runs');
    const r = await nabla('train', '--out', out, '--iterations', '1', '--layers', '3', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Run folder: .*made\/deep\/runs\/\S+-two-layer\/$/m);
    expect(readdirSync(out)).toHaveLength(1);
  });
});

describe('nabla --label out of range', () => {
  const csv = join(dir, 'three.csv');
  writeFileSync(csv, 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n2,1,1\n');

  it('counts from 1, as the flag does: exit 2, naming --label and the file', async () => {
    const [high, low, columns] = await Promise.all([
      nabla('train', csv, '--label', '5', '--epochs', '1', '--out', join(dir, 'label-runs')),
      nabla('train', csv, '--label', '-4', '--epochs', '1', '--out', join(dir, 'label-runs')),
      nabla('train', csv, '--layout', 'columns', '--label', '9', '--epochs', '1', '--out', join(dir, 'label-runs')),
    ]);
    expectUsageMistake(high, `--label 5: ${csv} has 3 columns; give 1..3, or -1..-3 from the end`, 'train');
    expectUsageMistake(low, `--label -4: ${csv} has 3 columns; give 1..3, or -1..-3 from the end`, 'train');
    expectUsageMistake(columns, `--label 9: ${csv} has 5 lines (--layout columns: --label counts lines); give 1..5, or -1..-5 from the end`, 'train');
    expect(existsSync(join(dir, 'label-runs'))).toBe(false);
  });

  it('is refused as a UsageError when it is 0', () => {
    expect(() => parseCommandLine(['train', csv, '--label', '0'])).toThrow(UsageError);
  });
});
