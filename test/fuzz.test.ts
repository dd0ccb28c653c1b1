import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../src/index.js';
import { loadHDF5 } from '../src/node.js';
import { fuzz } from './fuzz/harness.js';
import { targets } from './fuzz/targets.js';

// The bounded, seeded run of the fuzzer (`npm run fuzz` runs the long one).
const CASES: Record<string, number> = { CSV: 1500, 'model file (safetensors)': 1500, IDX: 1500, 'image (PNG/JPEG)': 800, HDF5: 200 };

describe('fuzzed parsers: a result or a NablaError, never a crash or a hang', () => {
  for (const target of targets()) {
    it(`${target.name}: ${CASES[target.name]} cases`, async () => {
      const counts = await fuzz(target, CASES[target.name] ?? 500, 7);
      expect(counts.crashes.slice(0, 3)).toEqual([]);
      expect(counts.hangs).toBe(0);
      expect(counts.accepted + counts.rejected).toBe(counts.cases);
    });
  }
});

describe('the fuzzer itself', () => {
  it('counts a non-NablaError exception as a crash', async () => {
    const counts = await fuzz({ name: 'broken', seeds: [new Uint8Array([1, 2, 3])], parse: (b) => { if (b.length > 2) throw new TypeError('boom'); } }, 50, 1);
    expect(counts.crashes.length).toBeGreaterThan(0);
    expect(counts.crashes[0]!.error).toBe('TypeError: boom');
  });
});

describe('the HDF5 time limit', () => {
  // The long fuzz run (seed 2026) once hung inside the HDF5 C library after ~7,000 corrupt
  // files: the library's state had gone bad (the same file alone parses in 0.3 s). WebAssembly
  // on the main thread cannot be interrupted, so files are parsed in a worker with a limit.
  it('a parse over the limit fails with a FileFormatError, and the restarted reader works', async () => {
    const hdf5 = targets().find((t) => t.name === 'HDF5')!;
    const started = Date.now();
    const error = await loadHDF5(hdf5.seeds[0]!, { x: 'test_set_x', y: 'test_set_y' }, { timeoutMs: 1 }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(String(error)).toMatch(/did not finish within 0\.001 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const fine = await loadHDF5(hdf5.seeds[0]!, { x: 'test_set_x', y: 'test_set_y' });
    expect(fine.X.shape).toEqual([12288, 50]);
  }, 30_000);
});
