import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.js';
import { allocate, allocateUnfilled, setMaxTensorBytes } from './dtype.js';

describe('allocateUnfilled', () => {
  it('gives an array of the dtype and length asked for, on a buffer of its own, small or large', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const size of [0, 1, 100, 1 << 16, 1 << 20, (1 << 20) + 3]) {
        const a = allocateUnfilled(dtype, size);
        expect(a).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        expect(a.length).toBe(size);
        // Its own memory: no pool slice another array could write over.
        expect(a.byteOffset).toBe(0);
        expect(a.buffer.byteLength).toBe(size * a.BYTES_PER_ELEMENT);
        a.fill(7);
        expect(allocateUnfilled(dtype, size).buffer).not.toBe(a.buffer);
      }
    }
  });

  it('zeroes small arrays as allocate does (below the size where skipping it pays)', () => {
    // Dirty the allocator first, so that an unzeroed small array would show it.
    for (let i = 0; i < 100; i++) new Float64Array(1000).fill(3);
    expect(Array.from(allocateUnfilled('float64', 100)).every((v) => v === 0)).toBe(true);
  });

  it('refuses, as allocate does, a tensor above the size ceiling, naming the dtype and size', () => {
    const previous = setMaxTensorBytes(1024 * 1024);
    try {
      for (const make of [allocate, allocateUnfilled]) {
        expect(() => make('float64', 200_000)).toThrow(ArgumentError);
        expect(() => make('float64', 200_000)).toThrow(/float64 tensor of 200000 elements needs 1\.5 MiB, above the limit of 1\.0 MiB/);
      }
      expect(allocateUnfilled('float32', 262_144).length).toBe(262_144);
    } finally {
      setMaxTensorBytes(previous);
    }
  });
});
