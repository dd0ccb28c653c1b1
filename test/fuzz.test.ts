import { describe, expect, it } from 'vitest';
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
