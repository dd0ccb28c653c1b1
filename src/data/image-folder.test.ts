import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, FileFormatError } from '../errors.js';
import { loadImageAsColumn } from './image.js';
import { loadImageFolder } from './image-folder.js';
import { rejection } from '../../test/helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nabla-imgdir-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A solid-colour size×size PNG at `path` (folders created as needed). */
async function png(path: string, rgb: [number, number, number], size = 4): Promise<string> {
  const img = new pngjs.PNG({ width: size, height: size });
  for (let p = 0; p < size * size; p++) img.data.set([...rgb, 255], p * 4);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, pngjs.PNG.sync.write(img));
  return path;
}

describe('loadImageFolder', () => {
  it('two classes: sorted folder names are classes 0/1, Y (1, m), columns /255, the classes interleaved', async () => {
    const dir = join(root, 'two');
    await png(join(dir, 'dog', 'b.png'), [0, 0, 255]);
    await png(join(dir, 'cat', 'z.png'), [255, 0, 0]);
    await png(join(dir, 'cat', 'a.png'), [0, 255, 0]);
    await writeFile(join(dir, 'cat', '.DS_Store'), 'junk');
    await writeFile(join(dir, 'README.txt'), 'loose files beside the class folders are ignored');
    const d = await loadImageFolder(dir, { width: 2, height: 2 });
    expect(d.classNames).toEqual(['cat', 'dog']);
    // cat's two pictures sit at 1/4 and 3/4 of the columns, dog's one at 1/2.
    expect(d.files).toEqual([join(dir, 'cat', 'a.png'), join(dir, 'dog', 'b.png'), join(dir, 'cat', 'z.png')]);
    expect(d.X.shape).toEqual([12, 3]);
    expect(d.Y.toArray()).toEqual([[0, 1, 0]]);
    // Column 0 is green a.png: (h, w, c) order → every third value from index 1 is 1.
    const col0 = Array.from({ length: 12 }, (_, i) => d.X.at(i, 0));
    expect(col0).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
    expect(d.X.at(2, 1)).toBe(1);
    expect(d.X.at(0, 2)).toBe(1);
  });

  it('matches loadImageAsColumn for the same picture (same preprocessing as prediction)', async () => {
    const dir = join(root, 'same');
    const pattern = new pngjs.PNG({ width: 7, height: 5 });
    for (let p = 0; p < 35; p++) pattern.data.set([(p * 37) % 256, (p * 11) % 256, (p * 91) % 256, 255], p * 4);
    await mkdir(join(dir, 'a'), { recursive: true });
    await writeFile(join(dir, 'a', 'p.png'), pngjs.PNG.sync.write(pattern));
    await png(join(dir, 'b', 'q.png'), [1, 2, 3]);
    const d = await loadImageFolder(dir, { width: 3, height: 4 });
    const x = await loadImageAsColumn(join(dir, 'a', 'p.png'), { width: 3, height: 4 });
    expect(Array.from({ length: 36 }, (_, i) => d.X.at(i, 0))).toEqual(x.toFlatArray());
  });

  it('more than two classes: one-hot (K, m); pictures in nested folders count', async () => {
    const dir = join(root, 'three');
    await png(join(dir, 'a', 'x.png'), [0, 0, 0]);
    await png(join(dir, 'b', 'deeper', 'x.png'), [0, 0, 0]);
    await png(join(dir, 'c', 'x.png'), [0, 0, 0]);
    await png(join(dir, 'c', 'y.png'), [0, 0, 0]);
    const d = await loadImageFolder(dir, { width: 1, height: 1, dtype: 'float32' });
    expect(d.X.shape).toEqual([3, 4]);
    expect(d.X.dtype).toBe('float32');
    // Positions (i + ½)/n: c/x 0.25, a/x 0.5, b/x 0.5, c/y 0.75.
    expect(d.Y.toArray()).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 1],
    ]);
  });

  it('a tail of the columns (validationSplit) holds every class in its share', async () => {
    const dir = join(root, 'share');
    for (let i = 0; i < 6; i++) await png(join(dir, 'a', `${i}.png`), [0, 0, 0]);
    for (let i = 0; i < 3; i++) await png(join(dir, 'b', `${i}.png`), [0, 0, 0]);
    const d = await loadImageFolder(dir, { width: 1, height: 1 });
    const tail = Array.from(d.Y.data).slice(-3);
    expect(tail.filter((k) => k === 1)).toHaveLength(1);
    expect(tail.filter((k) => k === 0)).toHaveLength(2);
  });

  it('default size is 64×64', async () => {
    const dir = join(root, 'default');
    await png(join(dir, 'a', 'x.png'), [9, 9, 9], 8);
    await png(join(dir, 'b', 'x.png'), [9, 9, 9], 8);
    expect((await loadImageFolder(dir)).X.shape).toEqual([64 * 64 * 3, 2]);
  });

  it('an undecodable file → FileFormatError naming the file', async () => {
    const dir = join(root, 'bad');
    await png(join(dir, 'a', 'x.png'), [0, 0, 0]);
    await mkdir(join(dir, 'b'), { recursive: true });
    const bad = join(dir, 'b', 'broken.png');
    await writeFile(bad, 'not a picture');
    const e = await rejection(loadImageFolder(dir));
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(bad);
    expect(e.message).toMatch(/cannot decode/);
  });

  it('fewer than 2 classes, an empty class folder → DataError naming the folder', async () => {
    const one = join(root, 'one');
    await png(join(one, 'only', 'x.png'), [0, 0, 0]);
    const e1 = await rejection(loadImageFolder(one));
    expect(e1).toBeInstanceOf(DataError);
    expect((e1 as DataError).where).toBe(one);
    expect(e1.message).toMatch(/at least 2 classes; found only "only"/);

    const none = join(root, 'none');
    await mkdir(none, { recursive: true });
    expect((await rejection(loadImageFolder(none))).message).toMatch(/found none/);

    const hollow = join(root, 'hollow');
    await png(join(hollow, 'a', 'x.png'), [0, 0, 0]);
    await mkdir(join(hollow, 'b'), { recursive: true });
    const e2 = await rejection(loadImageFolder(hollow));
    expect(e2).toBeInstanceOf(DataError);
    expect((e2 as DataError).where).toBe(join(hollow, 'b'));
  });

  it('a missing folder → FileFormatError', async () => {
    const e = await rejection(loadImageFolder(join(root, 'missing')));
    expect(e).toBeInstanceOf(FileFormatError);
    expect(e.message).toMatch(/no such folder/);
  });
});
