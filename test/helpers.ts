import { expect } from 'vitest';
import type { Tensor } from '../src/index.js';

/** Every element of `actual` within `tol` of `expected` (nested arrays compared flat). */
export function expectClose(actual: Tensor | number[], expected: number[] | number[][], tol: number): void {
  const a = Array.isArray(actual) ? actual : actual.toFlatArray();
  const e = (expected as unknown[]).flat(Infinity) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]!) > tol) throw new Error(`element ${i}: ${v} vs expected ${e[i]} (tolerance ${tol})`);
  });
}

/** Whatever `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected the promise to reject');
}
