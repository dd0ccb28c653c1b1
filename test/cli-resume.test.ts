import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Training never loses work: checkpoints, --resume, and Ctrl-C, through the real command.
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nabla-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nabla(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const costs = (stdout: string): number[] =>
  stdout.trim().split('\n').map((l) => JSON.parse(l) as { epoch?: number; cost?: number }).filter((o) => o.epoch !== undefined && o.cost !== undefined).map((o) => o.cost!);
const runFolder = (out: string): string => join(out, readdirSync(out)[0]!);

describe('nabla train: checkpoints and --resume', () => {
  const common = ['moons', '--batch-size', '32', '--seed', '3', '--json'];

  it('--resume from an epoch-3 checkpoint gives the same costs as the uninterrupted run', () => {
    const whole = nabla(['train', ...common, '--epochs', '6', '--out', join(dir, 'a')]);
    expect(whole.code).toBe(0);
    const first = nabla(['train', ...common, '--epochs', '3', '--checkpoint-every', '3', '--out', join(dir, 'b')]);
    expect(first.code).toBe(0);
    const checkpoint = join(runFolder(join(dir, 'b')), 'checkpoint.safetensors');
    expect(existsSync(checkpoint)).toBe(true);
    const rest = nabla(['train', ...common, '--epochs', '6', '--resume', checkpoint, '--out', join(dir, 'c')]);
    expect(rest.code).toBe(0);
    expect(costs(rest.stdout)).toEqual(costs(whole.stdout).slice(3));
  }, 60_000);

  it('Ctrl-C writes a checkpoint, says where, and exits 130', async () => {
    const out = join(dir, 'int');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', 'moons', '--epochs', '100000', '--out', out], { cwd: root });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // A finished epoch's line, not the header (which also says "epochs").
        if (/^Epoch +\d+\//m.test(stdout)) { clearInterval(timer); resolve(); }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const match = /checkpoint written to (\S+)/.exec(stderr);
    expect(match).not.toBeNull();
    expect(existsSync(match![1]!)).toBe(true);
    const resumed = nabla(['train', 'moons', '--epochs', '100', '--resume', match![1]!, '--out', join(dir, 'after'), '--json']);
    expect(resumed.code).toBe(0);
  }, 60_000);
});
