import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, DataError, Sequential, Tensor, fit, getBackend, listBackends, setBackend, sliceColumns, useCompiledSteps } from '../src/index.js';
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

  it('runs on the compiled step where the backend has one: float64 bit for bit the autograd path, batches of growing size', async () => {
    const programBackends = listBackends().filter((name) => {
      setBackend(name);
      return typeof getBackend().compileDense === 'function';
    });
    const before = listBackends().includes('wasm') ? 'wasm' : 'cpu';
    let s = 7;
    const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
    const X = new Tensor(Float64Array.from({ length: 3 * 90 }, r), [3, 90]);
    const Y = new Tensor(Float64Array.from({ length: 90 }, () => (r() > 0 ? 1 : 0)), [1, 90]);
    // 10, then 30, then 50 columns: the program is made for 10 and made again, larger, twice.
    const bounds = [0, 10, 40, 90];
    const batches = (): AsyncIterable<{ X: Tensor; Y: Tensor }> => (async function* () {
      for (let i = 0; i + 1 < bounds.length; i++) yield { X: sliceColumns(X, bounds[i]!, bounds[i + 1]!), Y: sliceColumns(Y, bounds[i]!, bounds[i + 1]!) };
    })();
    try {
      for (const name of programBackends) {
        setBackend(name);
        const run = async (compiled: boolean): Promise<{ cost: number[]; params: number[][]; state: unknown }> => {
          useCompiledSteps(compiled);
          const net = new Sequential({ layerSizes: [3, 5, 1], activations: ['relu', 'sigmoid'], seed: 2 });
          const optimizer = new Adam({ learningRate: 0.05 });
          const { cost } = await fitStream(net, batches, { epochs: 3, optimizer });
          return { cost, params: [...net.parameters().values()].map((p) => Array.from(p.data)), state: optimizer.state() };
        };
        const graph = await run(false);
        const fast = await run(true);
        expect(fast, name).toEqual(graph);
      }
      expect(programBackends.length).toBeGreaterThan(0);
    } finally {
      useCompiledSteps(true);
      setBackend(before);
    }
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
