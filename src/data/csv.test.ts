import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, DataError, FileFormatError } from '../errors.js';
import { loadCSV } from './csv.js';
import { parseCSV } from './csv-parse.js';
import { applyScaler } from './scaling.js';
import { rejection } from '../../test/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadCSV', () => {
  it('header, numeric features, 0/1 labels in the last column → X (n_x, m), Y (1, m) binary', async () => {
    const path = await csv('binary.csv', 'x1,x2,y\n1,2,0\n3,4,1\n5,6,1\n');
    const d = await loadCSV(path);
    expect(d.X.shape).toEqual([2, 3]);
    expect(d.X.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(d.Y.toArray()).toEqual([[0, 1, 1]]);
    expect(d.labels).toBe('binary');
    expect(d.featureNames).toEqual(['x1', 'x2']);
    expect(d.labelName).toBe('y');
    expect(d.classNames).toEqual(['0', '1']);
    expect(d.scaler).toBeUndefined();
  });

  it('two text labels → binary in sorted order; −1/1 → 0/1', async () => {
    const a = await loadCSV(await csv('yesno.csv', 'a,b,answer\n1,2,yes\n3,4,no\n'));
    expect(a.Y.toArray()).toEqual([[1, 0]]);
    expect(a.classNames).toEqual(['no', 'yes']);
    const b = await loadCSV(await csv('pm.csv', 'a,y\n1,1\n2,-1\n3,1\n'));
    expect(b.Y.toArray()).toEqual([[1, 0, 1]]);
    expect(b.classNames).toEqual(['-1', '1']);
  });

  it('text class labels without a header (iris style): header not detected, one-hot (K, m), names sorted', async () => {
    const path = await csv('iris.csv', '5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n4.9,3.0,setosa\n');
    const d = await loadCSV(path);
    expect(d.X.shape).toEqual([2, 4]);
    expect(d.labels).toBe('classes');
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.Y.toArray()).toEqual([
      [1, 0, 0, 1],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    expect(d.featureNames).toEqual(['col1', 'col2']);
  });

  it('whole-number classes sort numerically (10 after 9); many distinct numbers → regression', async () => {
    const c = await loadCSV(await csv('digits.csv', 'p,digit\n0,10\n1,9\n2,2\n'));
    expect(c.labels).toBe('classes');
    expect(c.classNames).toEqual(['2', '9', '10']);
    expect(c.Y.shape).toEqual([3, 3]);
    const rows = Array.from({ length: 25 }, (_, i) => `${i},${i * 1.5}`).join('\n');
    const r = await loadCSV(await csv('reg.csv', `x,price\n${rows}\n`));
    expect(r.labels).toBe('regression');
    expect(r.Y.shape).toEqual([1, 25]);
    expect(r.Y.at(0, 3)).toBe(4.5);
    expect(r.classNames).toBeUndefined();
    // Three non-integer values: not classes, regression.
    expect((await loadCSV(await csv('reg3.csv', 'x,y\n1,0.5\n2,1.5\n3,2.25\n'))).labels).toBe('regression');
  });

  it('label by name or index (negative from the end); explicit labels kind', async () => {
    const path = await csv('pick.csv', 'target,a,b\n1,10,20\n2,30,40\n3,50,60\n');
    const byName = await loadCSV(path, { label: 'target', labels: 'regression' });
    expect(byName.X.toArray()).toEqual([[10, 30, 50], [20, 40, 60]]);
    expect(byName.Y.toArray()).toEqual([[1, 2, 3]]);
    const byIndex = await loadCSV(path, { label: 0, labels: 'regression' });
    expect(byIndex.Y.toArray()).toEqual([[1, 2, 3]]);
    const last = await loadCSV(path, { label: -1, labels: 'regression' });
    expect(last.Y.toArray()).toEqual([[20, 40, 60]]);
    expect(last.featureNames).toEqual(['target', 'a']);
    // Case-insensitive when unambiguous.
    expect((await loadCSV(path, { label: 'TARGET', labels: 'classes' })).Y.shape).toEqual([3, 3]);
  });

  it('quotes, CRLF, a BOM, spaces around cells, blank lines and another delimiter', async () => {
    const path = await csv('messy.csv', '\ufeff"x 1" ; "x;2" ; label\r\n 1.5 ; -2e1 ; "a"\r\n\r\n.5;+3;b\r\n');
    const d = await loadCSV(path, { delimiter: ';' });
    expect(d.featureNames).toEqual(['x 1', 'x;2']);
    expect(d.X.toArray()).toEqual([[1.5, 0.5], [-20, 3]]);
    expect(d.classNames).toEqual(['a', 'b']);
  });

  it('header: false keeps line 1 as data; header: true drops it', async () => {
    const path = await csv('nohdr.csv', '1,2,0\n3,4,1\n');
    expect((await loadCSV(path)).X.shape).toEqual([2, 2]);
    expect((await loadCSV(path, { header: true })).X.shape).toEqual([2, 1]);
  });

  it('scale: fits on the file, returns the plain-data scaler', async () => {
    const path = await csv('scale.csv', 'a,b,y\n0,5,0\n10,5,1\n');
    const d = await loadCSV(path, { scale: 'minmax' });
    expect(d.X.toArray()).toEqual([[0, 1], [0, 0]]);
    expect(d.scaler).toEqual({ kind: 'minmax', offset: [0, 5], scale: [10, 1] });
    const s = await loadCSV(path, { scale: 'standardize' });
    expect(s.X.toArray()).toEqual([[-1, 1], [0, 0]]);
    // The raw file through the returned scaler gives the same X.
    expect(applyScaler(s.scaler!, (await loadCSV(path)).X).toArray()).toEqual(s.X.toArray());
  });

  describe('errors name the file, the line and the column', () => {
    it('a missing value (empty cell)', async () => {
      const path = await csv('missing.csv', 'a,b,y\n1,2,0\n3,,1\n');
      const e = await rejection(loadCSV(path));
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).where).toBe(path);
      expect(e.message).toContain('line 3, column 2 ("b"): missing value (empty cell)');
    });

    it('NA-style missing values too', async () => {
      const e = await rejection(loadCSV(await csv('na.csv', 'a,b,y\n1,NA,0\n3,4,1\n')));
      expect(e.message).toMatch(/line 2, column 2 \("b"\): missing value \("NA"\)/);
    });

    it('a missing label', async () => {
      const e = await rejection(loadCSV(await csv('nolabel.csv', 'a,y\n1,0\n2,\n')));
      expect(e).toBeInstanceOf(DataError);
      expect(e.message).toContain('line 3, column 2 ("y"): missing label');
    });

    it('a non-numeric feature cell, shown', async () => {
      const path = await csv('text.csv', 'a,b,y\n1,2,0\n3,4,1\n5,abc,0\n');
      const e = await rejection(loadCSV(path));
      expect(e).toBeInstanceOf(DataError);
      expect(e.message).toContain(path);
      expect(e.message).toContain('line 4, column 2 ("b"): "abc" is not a number');
    });

    it('a wrong delimiter gets a hint', async () => {
      const e = await rejection(loadCSV(await csv('semi.csv', 'a,b\n1;2,0\n')));
      expect(e.message).toContain('pass delimiter: ";"');
    });

    it('a non-numeric feature cell on line 1 of a header-less file suggests header: true', async () => {
      const e = await rejection(loadCSV(await csv('hdr.csv', '1,abc,0\n2,def,1\n')));
      expect(e.message).toMatch(/line 1, column 2: "abc" is not a number.*header: true/);
    });

    it('a header with a number among its names is a header (a name over numeric data), a missing marker is not', async () => {
      const { featureNames, X } = await loadCSV(await csv('year.csv', 'id,1990,y\n1,2,0\n3,4,1\n'));
      expect(featureNames).toEqual(['id', '1990']);
      expect(X.toArray()).toEqual([[1, 3], [2, 4]]);
      const e = await rejection(loadCSV(await csv('hole.csv', '?,2,0\n1,2,1\n')));
      expect(e.message).toMatch(/line 1, column 1/);
    });

    it('a column name that appears twice', async () => {
      const e = await rejection(loadCSV(await csv('dup.csv', 'a,a,label\n1,2,0\n3,4,1\n')));
      expect(e).toBeInstanceOf(FileFormatError);
      expect(e.message).toContain('line 1: the column name "a" appears twice (columns 1 and 2)');
    });

    it('a ragged row: expected N cells, found M', async () => {
      const path = await csv('ragged.csv', 'a,b,y\n1,2,0\n\n3,4\n');
      const e = await rejection(loadCSV(path));
      expect(e).toBeInstanceOf(FileFormatError);
      expect((e as FileFormatError).where).toBe(path);
      expect(e.message).toContain('line 4: expected 3 cells (as line 1), found 2');
    });

    it('an unknown label column name lists the header', async () => {
      const path = await csv('names.csv', 'a,b,y\n1,2,0\n');
      const e = await rejection(loadCSV(path, { label: 'species' }));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toContain(path);
      expect(e.message).toContain('no column named "species" in the header (line 1); the columns are: "a", "b", "y"');
    });

    it('a label name without a header, an index out of range', async () => {
      const path = await csv('nonames.csv', '1,2,0\n');
      expect((await rejection(loadCSV(path, { label: 'y' }))).message).toMatch(/no header row/);
      expect((await rejection(loadCSV(path, { label: 3 }))).message).toMatch(/index 3 is outside the file's 3 columns/);
    });

    it('an empty file; a header without data rows', async () => {
      const empty = await csv('empty.csv', '');
      const e = await rejection(loadCSV(empty));
      expect(e).toBeInstanceOf(FileFormatError);
      expect(e.message).toContain(`${empty}: the file is empty`);
      const only = await rejection(loadCSV(await csv('header-only.csv', 'a,b,y\n')));
      expect(only).toBeInstanceOf(DataError);
      expect(only.message).toContain('no data rows');
    });

    it('an unclosed quote names the line', async () => {
      // The parser notices at the end of the text; the line to fix is where the quote opened.
      const e = await rejection(loadCSV(await csv('quote.csv', 'a,y\n1,"0"\n"2,1\n3,0\n4,1\n')));
      expect(e).toBeInstanceOf(FileFormatError);
      expect(e.message).toContain('line 3: a quoted cell opens with " and is never closed');
      // An escaped quote ("") on a later line of the open cell does not move where it opened.
      const escaped = await rejection(loadCSV(await csv('quote2.csv', 'a,y\n"x\ny""z,1\n')));
      expect(escaped.message).toContain('line 2: a quoted cell opens');
    });

    it('labels that do not fit the kind asked for', async () => {
      const path = await csv('three.csv', 'a,y\n1,a\n2,b\n3,c\n');
      expect((await rejection(loadCSV(path, { labels: 'binary' }))).message).toMatch(/needs 2 distinct labels, column 2 has 3/);
      expect((await rejection(loadCSV(path, { labels: 'regression' }))).message).toMatch(/line 2, column 2 \("y"\): label "a" is not a number/);
    });

    it('no such file', async () => {
      const e = await rejection(loadCSV(join(dir, 'nope.csv')));
      expect(e).toBeInstanceOf(FileFormatError);
      expect(e.message).toMatch(/no such file/);
    });
  });
});

describe('parseCSV (text, browser-safe)', () => {
  it('parses text and names <csv> in errors by default', () => {
    expect(parseCSV('a,y\n1,0\n2,1\n').X.shape).toEqual([1, 2]);
    expect(() => parseCSV('a,y\n1,0\nx,1\n')).toThrow(/^<csv>: line 3, column 1/);
  });
});
