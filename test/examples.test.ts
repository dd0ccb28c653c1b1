import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's examples, run as a user would run them.
const root = fileURLToPath(new URL('..', import.meta.url));
const run = (file: string): string => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });

describe('README examples run', () => {
  it('CSV → train → evaluate → predict', () => {
    const out = run('examples/csv.ts');
    expect(out).toMatch(/accuracy (9[5-9]|100)\.\d %/);
    expect(out).toMatch(/P\(upper\) for two new points: 0\.9\d\d, 0\.0\d\d/);
  });
  it('images folder → train → predict', () => {
    const out = run('examples/images.ts');
    expect(out).toContain('X 12288,209, classes cat, non-cat');
    expect(out).toMatch(/overall \d+\.\d %/);
  });
  it('ONNX export agrees with onnxruntime', () => {
    const out = run('examples/onnx.ts');
    const diff = Number(/max \|difference\| over 400 points: ([\d.e+-]+)/.exec(out)?.[1]);
    expect(diff).toBeLessThan(1e-12);
  });
});
