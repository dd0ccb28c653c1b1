import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catVsNonCat, catVsNonCatFiles } from './cat.js';

describe('catVsNonCat', () => {
  it('finds the embedded files in the package data folder', () => {
    const files = catVsNonCatFiles();
    expect(files.train).toMatch(/data[\\/]cat[\\/]train_catvnoncat\.h5$/);
    expect(existsSync(files.train)).toBe(true);
    expect(existsSync(files.test)).toBe(true);
  });

  it('has the course shapes, labels and classes, pixels divided by 255', async () => {
    const { train, test, classes } = await catVsNonCat();
    expect(classes).toEqual(['non-cat', 'cat']);
    expect(train.X.shape).toEqual([12288, 209]);
    expect(train.Y.shape).toEqual([1, 209]);
    expect(test.X.shape).toEqual([12288, 50]);
    expect(test.Y.shape).toEqual([1, 50]);
    expect(train.X.dtype).toBe('float64');

    // The README's sanity check: the first column starts 17 31 56 22 33 before scaling.
    const first = [0, 1, 2, 3, 4].map((i) => train.X.at(i, 0));
    expect(first).toEqual([17 / 255, 31 / 255, 56 / 255, 22 / 255, 33 / 255]);

    const count = (y: Float64Array | Float32Array, label: number): number => y.filter((v) => v === label).length;
    expect(count(train.Y.data, 1)).toBe(72);
    expect(count(train.Y.data, 0)).toBe(137);
    expect(count(test.Y.data, 1)).toBe(33);
    expect(count(test.Y.data, 0)).toBe(17);

    let max = -Infinity;
    let min = Infinity;
    for (const v of train.X.data) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect(max).toBeLessThanOrEqual(1);
    expect(min).toBeGreaterThanOrEqual(0);
  });

  it('keeps the raw pictures as (m, 64, 64, 3) uint8, the transpose of X·255', async () => {
    const { train, test } = await catVsNonCat();
    expect(train.imageShape).toEqual([209, 64, 64, 3]);
    expect(test.imageShape).toEqual([50, 64, 64, 3]);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.length).toBe(209 * 12288);
    expect(Array.from(train.images.subarray(0, 5))).toEqual([17, 31, 56, 22, 33]);
    for (const [i, j] of [[0, 3], [12287, 208], [4000, 100]] as const) {
      expect(train.X.at(i, j)).toBe(train.images[j * 12288 + i]! / 255);
    }
  });

  it('can give float32', async () => {
    const { train } = await catVsNonCat({ dtype: 'float32' });
    expect(train.X.dtype).toBe('float32');
    expect(train.Y.dtype).toBe('float32');
    expect(train.X.at(0, 0)).toBe(Math.fround(17 / 255));
  });
});
