import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataError, FileFormatError } from '../errors.js';
import { parseHDF5, parseHDF5Dataset } from './hdf5.js';
import { loadHDF5, readHDF5Dataset } from './hdf5-node.js';
import { rejection } from '../../test/helpers.js';

const TEST_FILE = fileURLToPath(new URL('../../data/cat/test_catvnoncat.h5', import.meta.url));
const TEST_NAMES = { x: 'test_set_x', y: 'test_set_y', classes: 'list_classes' } as const;

/** Builds a small HDF5 file in h5wasm's in-memory file system and returns its bytes. */
async function makeHDF5(build: (file: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = `/test-${Math.random().toString(36).slice(2)}.h5`;
  const file = new h5wasm.File(path, 'w');
  build(file);
  file.close();
  const bytes = FS.readFile(path);
  FS.unlink(path);
  return bytes;
}


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-hdf5-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadHDF5 on the course file', () => {
  it('gives X (12288, 50) with raw pixel values, Y (1, 50), and the class names', async () => {
    const d = await loadHDF5(TEST_FILE, TEST_NAMES);
    expect(d.X.shape).toEqual([12288, 50]);
    expect(d.Y.shape).toEqual([1, 50]);
    expect(d.X.dtype).toBe('float64');
    expect(d.m).toBe(50);
    expect(d.xShape).toEqual([50, 64, 64, 3]);
    expect(d.yShape).toEqual([50]);
    expect(d.xDType).toBe('uint8');
    expect(d.yDType).toBe('int64');
    expect(d.classes).toEqual(['non-cat', 'cat']);
    // Unscaled: integers 0..255.
    let max = -Infinity;
    for (const v of d.X.data) max = Math.max(max, v);
    expect(max).toBe(255);
    expect(d.X.data.every((v) => Number.isInteger(v))).toBe(true);
    expect(Array.from(d.Y.data).filter((v) => v === 1).length).toBe(33);
  });

  it('puts each sample, flattened row-major, in a column (x.reshape(m, -1).T)', async () => {
    const raw = await readHDF5Dataset(TEST_FILE, 'test_set_x');
    const d = await loadHDF5(TEST_FILE, TEST_NAMES);
    const m = 50;
    const n = 12288;
    for (const [i, j] of [[0, 0], [5, 0], [0, 7], [12287, 49], [1234, 17]] as const) {
      expect(d.X.at(i, j)).toBe(raw.data[j * n + i]);
    }
    expect(raw.shape).toEqual([m, 64, 64, 3]);
  });

  it('accepts the bytes instead of a path, and float32', async () => {
    const bytes = new Uint8Array(await readFile(TEST_FILE));
    const d = await loadHDF5(bytes, TEST_NAMES, { dtype: 'float32' });
    expect(d.X.dtype).toBe('float32');
    expect(d.X.shape).toEqual([12288, 50]);
    const p = await parseHDF5(bytes, { x: 'test_set_x', y: 'test_set_y' });
    expect(p.classes).toBeUndefined();
  });

  it('readHDF5Dataset gives shape, numpy dtype and float64 data', async () => {
    const y = await readHDF5Dataset(TEST_FILE, 'test_set_y');
    expect(y.shape).toEqual([50]);
    expect(y.dtype).toBe('int64');
    expect(y.data).toBeInstanceOf(Float64Array);
    expect(y.data.length).toBe(50);
    expect(new Set(y.data)).toEqual(new Set([0, 1]));
  });
});

describe('loadHDF5 on files it writes itself', () => {
  it('reads float64 x and int32 y, with a (1, m) y kept as a row, and datasets inside groups', async () => {
    const bytes = await makeHDF5((f) => {
      f.create_dataset({ name: 'x', data: new Float64Array([1.5, -2, 3, 4, 5, 6]), shape: [3, 2] });
      f.create_dataset({ name: 'y', data: new Int32Array([1, 0, 1]) });
      f.create_dataset({ name: 'yrow', data: new Int32Array([0, 1, 1]), shape: [1, 3] });
      f.create_group('g');
      const g = f.get('g');
      if (!(g instanceof h5wasm.Group)) throw new Error('no group');
      g.create_dataset({ name: 'inner', data: new Uint8Array([7, 8, 9]) });
    });
    const d = await parseHDF5(bytes, { x: 'x', y: 'y' });
    expect(d.X.toArray()).toEqual([
      [1.5, 3, 5],
      [-2, 4, 6],
    ]);
    expect(d.Y.toArray()).toEqual([[1, 0, 1]]);
    const row = await parseHDF5(bytes, { x: 'x', y: 'yrow' });
    expect(row.Y.toArray()).toEqual([[0, 1, 1]]);
    const inner = await parseHDF5Dataset(bytes, 'g/inner');
    expect(Array.from(inner.data)).toEqual([7, 8, 9]);
    expect(inner.dtype).toBe('uint8');
  });

  it('x and y with different sample counts → DataError naming both shapes', async () => {
    const bytes = await makeHDF5((f) => {
      f.create_dataset({ name: 'x', data: new Float64Array(6), shape: [3, 2] });
      f.create_dataset({ name: 'y', data: new Float64Array(2) });
    });
    const path = join(dir, 'mismatch.h5');
    await writeFile(path, bytes);
    const e = await rejection(loadHDF5(path, { x: 'x', y: 'y' }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).where).toBe(path);
    expect(e.message).toContain('different numbers of samples');
    expect(e.message).toContain('(3, 2)');
    expect(e.message).toContain('(2,)');
  });

  it('string data where numbers are expected → DataError', async () => {
    const bytes = await makeHDF5((f) => {
      f.create_dataset({ name: 's', data: ['a', 'bb'] });
    });
    const e = await rejection(parseHDF5Dataset(bytes, 's', { source: 'strings.h5' }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain('strings');
  });
});

describe('loadHDF5 errors', () => {
  it('a missing file → FileFormatError "no such file" naming the path', async () => {
    const path = join(dir, 'does-not-exist.h5');
    const e = await rejection(loadHDF5(path, TEST_NAMES));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toContain('no such file');
  });

  it('a truncated copy → FileFormatError "not a readable HDF5 file", with nothing printed by HDF5', async () => {
    const whole = await readFile(TEST_FILE);
    const path = join(dir, 'truncated.h5');
    await writeFile(path, whole.subarray(0, 4096));
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const e = await rejection(loadHDF5(path, TEST_NAMES));
      expect(e).toBeInstanceOf(FileFormatError);
      expect((e as FileFormatError).where).toBe(path);
      expect(e.message).toContain(path);
      expect(e.message).toContain('not a readable HDF5 file');
      expect(e.message).toContain('truncated');
      // No HDF5-DIAG dump and no raw h5wasm stack.
      expect(e.message).not.toContain('H5F.c');
      expect(printed).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      stderr.mockRestore();
    }
    // The library still works after a failure.
    const d = await loadHDF5(TEST_FILE, TEST_NAMES);
    expect(d.m).toBe(50);
  });

  it('a file that is not HDF5 at all, or empty → FileFormatError', async () => {
    const path = join(dir, 'not.h5');
    await writeFile(path, 'just some text, not HDF5\n');
    const e = await rejection(loadHDF5(path, TEST_NAMES));
    expect(e).toBeInstanceOf(FileFormatError);
    expect(e.message).toContain('not a readable HDF5 file');
    const empty = await rejection(parseHDF5Dataset(new Uint8Array(0), 'x', { source: 'empty.h5' }));
    expect(empty).toBeInstanceOf(FileFormatError);
    expect(empty.message).toMatch(/^empty\.h5: not a readable HDF5 file/);
  });

  it('a directory → FileFormatError naming it', async () => {
    const e = await rejection(loadHDF5(dir, TEST_NAMES));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(dir);
  });

  it('a dataset name not in the file → FileFormatError listing the datasets there are', async () => {
    const e = await rejection(loadHDF5(TEST_FILE, { x: 'test_set_x', y: 'train_set_y' }));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(TEST_FILE);
    expect(e.message).toContain('"train_set_y"');
    expect(e.message).toContain('"list_classes", "test_set_x", "test_set_y"');
    const single = await rejection(readHDF5Dataset(TEST_FILE, 'nope'));
    expect(single).toBeInstanceOf(FileFormatError);
    expect(single.message).toContain('"test_set_x"');
  });
});
