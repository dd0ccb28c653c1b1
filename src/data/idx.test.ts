import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, FileFormatError } from '../errors.js';
import { parseIDX } from './idx.js';
import { loadIDX } from './idx-node.js';
import { rejection } from '../../test/helpers.js';

/** An IDX file: magic 00 00 type ndims, big-endian uint32 dims, then big-endian elements. */
function idx(type: number, dims: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type] ?? 1;
  const bytes = new Uint8Array(4 + 4 * dims.length + size * values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  let p = 4 + 4 * dims.length;
  for (const v of values) {
    if (type === 0x08) view.setUint8(p, v);
    else if (type === 0x09) view.setInt8(p, v);
    else if (type === 0x0b) view.setInt16(p, v, false);
    else if (type === 0x0c) view.setInt32(p, v, false);
    else if (type === 0x0d) view.setFloat32(p, v, false);
    else view.setFloat64(p, v, false);
    p += size;
  }
  return bytes;
}

describe('parseIDX', () => {
  it('reads every IDX element type, big-endian', () => {
    expect(parseIDX(idx(0x08, [3], [0, 128, 255]))).toEqual({ shape: [3], data: Float64Array.from([0, 128, 255]), type: 'ubyte' });
    expect(parseIDX(idx(0x09, [2], [-128, 127])).data).toEqual(Float64Array.from([-128, 127]));
    expect(parseIDX(idx(0x0b, [2], [-30000, 258])).data).toEqual(Float64Array.from([-30000, 258]));
    expect(parseIDX(idx(0x0c, [2], [-2e9, 16909060])).data).toEqual(Float64Array.from([-2e9, 16909060]));
    expect(parseIDX(idx(0x0d, [2], [1.5, -0.25])).data).toEqual(Float64Array.from([1.5, -0.25]));
    expect(parseIDX(idx(0x0e, [1, 2], [Math.PI, -1e300]))).toEqual({ shape: [1, 2], data: Float64Array.from([Math.PI, -1e300]), type: 'double' });
  });

  it('reads from a view into a larger buffer', () => {
    const file = idx(0x08, [2, 2], [1, 2, 3, 4]);
    const padded = new Uint8Array(file.length + 8);
    padded.set(file, 5);
    expect(parseIDX(padded.subarray(5, 5 + file.length)).shape).toEqual([2, 2]);
  });

  it('wrong magic → FileFormatError naming the file and the bytes found', () => {
    const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(() => parseIDX(bytes, 'digits.zip')).toThrow(FileFormatError);
    expect(() => parseIDX(bytes, 'digits.zip')).toThrow(/^digits\.zip: not an IDX file: it starts with 50 4b 03 04/);
    expect(() => parseIDX(gzipSync(idx(0x08, [1], [1])), 'x.gz')).toThrow(/gzip-compressed/);
    expect(() => parseIDX(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), 'f')).toThrow(/unknown IDX element type 0x07/);
    expect(() => parseIDX(Uint8Array.from([0, 0]), 'f')).toThrow(/too short/);
  });

  it('dims claiming more bytes than the file holds are refused before allocating', () => {
    // 4 billion × 4 billion ubyte pictures in a 12-byte file: must not try to allocate.
    const liar = idx(0x08, [0xffffffff, 0xffffffff], []);
    expect(() => parseIDX(liar, 'liar.idx')).toThrow(FileFormatError);
    expect(() => parseIDX(liar, 'liar.idx')).toThrow(/^liar\.idx: .*bytes expected, the file holds 12/);
    const short = idx(0x0c, [3], [1, 2, 3]).subarray(0, 18);
    expect(() => parseIDX(short, 'short.idx')).toThrow(/\(3\) of int \(4 bytes each\): 20 bytes expected, the file holds 18/);
    const long = Uint8Array.from([...idx(0x08, [2], [1, 2]), 9]);
    expect(() => parseIDX(long, 'long.idx')).toThrow(/1 extra byte after the data/);
    expect(() => parseIDX(Uint8Array.from([0, 0, 8, 3, 0, 0]), 'hdr.idx')).toThrow(/truncated IDX header: 3 dimensions need 16/);
  });
});

describe('loadIDX', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nabla-idx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function file(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  }

  // Three 2×2 pictures: picture j has pixels 10j + (0, 1, 2, 3).
  const pixels = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23];

  it('X (rows·cols, m) /255 with pictures as columns; Y one-hot (K, m); gzip accepted', async () => {
    const images = await file('images.idx', idx(0x08, [3, 2, 2], pixels));
    const labels = await file('labels.idx.gz', gzipSync(idx(0x08, [3], [2, 0, 1])));
    const d = await loadIDX(images, labels, { classes: 3 });
    expect(d.X.shape).toEqual([4, 3]);
    expect(d.rows).toBe(2);
    expect(d.cols).toBe(2);
    expect(d.X.toArray()).toEqual([0, 1, 2, 3].map((i) => [i / 255, (10 + i) / 255, (20 + i) / 255]));
    expect(d.Y.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(d.labels.toArray()).toEqual([[2, 0, 1]]);
    expect((await loadIDX(images, labels)).Y.shape).toEqual([10, 3]);
  });

  it('refuses labels outside 0..K−1, mismatched counts, swapped or non-byte files', async () => {
    const images = await file('i.idx', idx(0x08, [3, 2, 2], pixels));
    const labels = await file('l.idx', idx(0x08, [3], [0, 1, 7]));
    const e = await rejection(loadIDX(images, labels, { classes: 5 }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain(`${labels}: label 2 (counting from 0) is 7, outside the 5 classes 0..4`);
    const half = await file('half.idx', idx(0x0d, [3], [0, 1.5, 1]));
    expect((await rejection(loadIDX(images, half))).message).toContain('label 1 (counting from 0) is 1.5, not a whole class number');
    const none = await file('none.idx', idx(0x08, [0, 2, 2], []));
    const noLabels = await file('nolabels.idx', idx(0x08, [0], []));
    expect((await rejection(loadIDX(none, noLabels))).message).toContain('the file holds 0 images');
    const flat = await file('flat.idx', idx(0x08, [3, 0, 4], []));
    expect((await rejection(loadIDX(flat, labels))).message).toContain('images of 0×4 pixels');
    const two = await file('two.idx', idx(0x08, [2], [0, 1]));
    expect((await rejection(loadIDX(images, two))).message).toMatch(/3 images but .*two\.idx holds 2 labels/);
    expect(await rejection(loadIDX(labels, images))).toBeInstanceOf(FileFormatError);
    const floats = await file('f.idx', idx(0x0d, [1, 1, 1], [0.5]));
    expect((await rejection(loadIDX(floats, await file('one.idx', idx(0x08, [1], [0]))))).message).toMatch(/unsigned byte/);
  });

  it('names a damaged file', async () => {
    const bad = await file('bad.idx', Uint8Array.from([1, 2, 3, 4]));
    const e = await rejection(loadIDX(bad, bad));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(bad);
  });
});
