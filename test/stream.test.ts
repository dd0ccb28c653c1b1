import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, DataError, Sequential, fit } from '../src/index.js';
import { loadCSV } from '../src/data/csv.js';
import { streamCSV } from '../src/data/csv-stream.js';
import { fitStream } from '../src/train/fit-stream.js';

const moons = new URL('../examples/data/moons.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nabla-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming a CSV in mini-batches', () => {
  it('trains exactly as the in-memory fit with the same batches (no shuffling)', async () => {
    const make = () => new Sequential({ layerSizes: [2, 6, 1], activations: ['tanh', 'sigmoid'], seed: 4 });
    const data = await loadCSV(moons, { label: 'label', scale: 'none' });
    expect(data.classNames).toEqual(['lower', 'upper']);
    const a = make();
    const memory = fit(a, data.X, data.Y, { epochs: 3, batchSize: 64, shuffle: false, optimizer: new Adam({ learningRate: 0.01 }) });
    const b = make();
    const streamed = await fitStream(b, () => streamCSV(moons, { label: 'label', classNames: ['lower', 'upper'], batchSize: 64 }), { epochs: 3, optimizer: new Adam({ learningRate: 0.01 }) });
    expect(streamed.samples).toBe(300);
    expect(streamed.cost).toEqual(memory.cost);
    expect(b.getParameter('W1').toFlatArray()).toEqual(a.getParameter('W1').toFlatArray());
  });

  it('holds one batch at a time and names bad cells by line and column', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'a,b,y\n1,2,0\n3,x,1\n');
    const read = async () => { for await (const _ of streamCSV(path, { label: 'y', batchSize: 1 })) void _; };
    await expect(read()).rejects.toThrow(DataError);
    await expect(read()).rejects.toThrow("line 3, column 2: 'x' is not a number");
    let batches = 0;
    for await (const { X } of streamCSV(moons, { label: 'label', classNames: ['lower', 'upper'], batchSize: 100 })) {
      expect(X.shape).toEqual([2, 100]);
      batches++;
    }
    expect(batches).toBe(3);
  });
});
