import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../errors.js';
import { decodeImage, encodePNG, loadImageAsColumn, readImageRGB, resizeRGB } from './image.js';
import { rejection } from '../../test/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A width×height RGBA PNG, pixel colour (and alpha) from `pixel(x, y)`, written with pngjs. */
async function writePNG(name: string, width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Promise<string> {
  const png = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const [r, g, b, a] = pixel(x, y);
      png.data[p] = r;
      png.data[p + 1] = g;
      png.data[p + 2] = b;
      png.data[p + 3] = a;
    }
  }
  const path = join(dir, name);
  await writeFile(path, pngjs.PNG.sync.write(png));
  return path;
}


/** A pattern with distinct values per position and channel, alpha varying (it must be ignored). */
const pattern = (x: number, y: number): [number, number, number, number] => [(x * 4 + y) % 256, (y * 3 + 7) % 256, (x * y) % 256, (x + y) % 256];

describe('loadImageAsColumn', () => {
  it('a 64×64 PNG gives exactly its RGB pixels / 255, row-major (h, w, c), alpha dropped', async () => {
    const path = await writePNG('exact.png', 64, 64, pattern);
    const x = await loadImageAsColumn(path);
    expect(x.shape).toEqual([12288, 1]);
    expect(x.dtype).toBe('float64');
    for (let y = 0; y < 64; y++) {
      for (let xx = 0; xx < 64; xx++) {
        const [r, g, b] = pattern(xx, y);
        const i = (y * 64 + xx) * 3;
        expect([x.at(i, 0), x.at(i + 1, 0), x.at(i + 2, 0)]).toEqual([r / 255, g / 255, b / 255]);
      }
    }
  });

  it('a constant-colour 128×128 PNG is resized to a (12288, 1) column of that colour', async () => {
    const path = await writePNG('big.png', 128, 128, () => [200, 100, 50, 255]);
    const x = await loadImageAsColumn(path);
    expect(x.shape).toEqual([12288, 1]);
    for (let i = 0; i < 12288; i += 3) {
      expect(x.data[i]).toBe(200 / 255);
      expect(x.data[i + 1]).toBe(100 / 255);
      expect(x.data[i + 2]).toBe(50 / 255);
    }
  });

  it('halving averages each 2×2 block (area averaging)', async () => {
    // Block (bx, by) holds 10, 20, 30, 40 (+ bx) in its four pixels: the mean is 25 + bx.
    const path = await writePNG('blocks.png', 128, 128, (x, y) => {
      const v = 10 + 10 * ((x % 2) + 2 * (y % 2)) + (x >> 1);
      return [v, v, 255 - v, 255];
    });
    const img = await readImageRGB(path);
    expect(img).toMatchObject({ width: 64, height: 64, sourceWidth: 128, sourceHeight: 128, format: 'PNG' });
    for (let by = 0; by < 64; by += 7) {
      for (let bx = 0; bx < 64; bx += 5) {
        const p = (by * 64 + bx) * 3;
        expect([img.rgb[p], img.rgb[p + 1], img.rgb[p + 2]]).toEqual([25 + bx, 25 + bx, 230 - bx]);
      }
    }
  });

  it('takes another size, and enlarges a constant picture to the same constant', async () => {
    const path = await writePNG('small.png', 10, 6, () => [1, 2, 3, 255]);
    const x = await loadImageAsColumn(path, { width: 32, height: 16 });
    expect(x.shape).toEqual([32 * 16 * 3, 1]);
    expect(x.at(0, 0)).toBe(1 / 255);
    expect(x.at(32 * 16 * 3 - 1, 0)).toBe(3 / 255);
  });

  it('reads a JPEG (made with jpeg-js) to the right shape and roughly its colour', async () => {
    const width = 80;
    const height = 60;
    const data = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) data.set([180, 90, 30, 255], p * 4);
    const path = join(dir, 'photo.jpg');
    await writeFile(path, jpeg.encode({ data, width, height }, 95).data);
    const img = await readImageRGB(path);
    expect(img.format).toBe('JPEG');
    expect([img.sourceWidth, img.sourceHeight]).toEqual([80, 60]);
    const x = await loadImageAsColumn(path);
    expect(x.shape).toEqual([12288, 1]);
    // JPEG is lossy: within a few levels of the colour it was made with.
    expect(Math.abs(x.at(0, 0) * 255 - 180)).toBeLessThan(6);
    expect(Math.abs(x.at(1, 0) * 255 - 90)).toBeLessThan(6);
    expect(Math.abs(x.at(2, 0) * 255 - 30)).toBeLessThan(6);
  });

  it('a missing file → FileFormatError naming the path', async () => {
    const path = join(dir, 'nope.png');
    const e = await rejection(loadImageAsColumn(path));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(path);
    expect(e.message).toContain('no such file');
  });

  it('an undecodable file → FileFormatError naming the path and the supported formats', async () => {
    const path = join(dir, 'not-an-image.png');
    await writeFile(path, 'this is text');
    const e = await rejection(loadImageAsColumn(path));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toContain('PNG, JPEG');

    // A PNG signature followed by garbage: recognised, but damaged.
    const broken = join(dir, 'broken.png');
    await writeFile(broken, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]));
    const e2 = await rejection(loadImageAsColumn(broken));
    expect(e2).toBeInstanceOf(FileFormatError);
    expect(e2.message).toContain('damaged PNG');
    expect(e2.message).toContain('PNG, JPEG');
  });
});

describe('encodePNG', () => {
  it('round-trips RGB pixels through a PNG', () => {
    const width = 5;
    const height = 3;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 17) % 256);
    const png = encodePNG(rgb, width, height);
    expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const back = decodeImage(png, 'roundtrip.png');
    expect(back).toMatchObject({ width, height, format: 'PNG' });
    expect(Array.from(back.rgb)).toEqual(Array.from(rgb));
  });
});

describe('resizeRGB', () => {
  it('returns a copy at the same size, and rejects sizes that are not positive integers', () => {
    const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const same = resizeRGB({ rgb, width: 2, height: 1 }, 2, 1);
    expect(Array.from(same.rgb)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(same.rgb).not.toBe(rgb);
    expect(() => resizeRGB({ rgb, width: 2, height: 1 }, 0, 1)).toThrow();
  });

  it('enlarges bilinearly between pixel centres', () => {
    // 2×1 → 4×1: centres at x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const out = resizeRGB({ rgb: Uint8Array.from([0, 0, 0, 100, 100, 100]), width: 2, height: 1 }, 4, 1);
    expect(Array.from(out.rgb.filter((_, i) => i % 3 === 0))).toEqual([0, 25, 75, 100]);
  });
});
