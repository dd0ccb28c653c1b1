import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor/tensor.js';
import { firstNonFinite } from './diagnose.js';

describe('firstNonFinite', () => {
  it('finds the first NaN or ±Inf at any position (four sums, then the tail), float32 and float64, and −1 when all are finite', () => {
    for (const Ar of [Float32Array, Float64Array]) {
      for (const n of [0, 1, 3, 4, 7, 8, 13]) {
        const finite = new Ar(n).map((_, k) => (k % 2 ? -1 : 1) * (k + 0.5) * (Ar === Float64Array ? 1e300 : 1e37));
        expect(firstNonFinite(new Tensor(finite, [n])), `${Ar.name} ${n}`).toBe(-1);
        for (let at = 0; at < n; at++) {
          for (const bad of [Number.NaN, Infinity, -Infinity]) {
            const d = finite.slice();
            d[at] = bad;
            if (at + 2 < n) d[at + 2] = Number.NaN; // a later one does not count
            expect(firstNonFinite(new Tensor(d, [n])), `${Ar.name} n ${n} at ${at} ${bad}`).toBe(at);
          }
        }
      }
      expect(firstNonFinite(new Tensor(Ar.from([-0, 0, -0]), [3]))).toBe(-1);
    }
  });
});
