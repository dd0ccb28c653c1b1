import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, Sequential, fit, circles } from '../src/index.js';
import { readCheckpoint, writeCheckpoint } from '../src/io/checkpoint-node.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoints', () => {
  it('a training state too large for JSON text is a clear error, and the previous checkpoint stays', () => {
    const net = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
    const path = join(dir, 'big.ckpt');
    let state: Parameters<typeof writeCheckpoint>[2] | undefined;
    fit(net, circles({ m: 20 }).X, circles({ m: 20 }).Y, { epochs: 1, checkpoint: { every: 1, save: (s) => (state = s) } });
    writeCheckpoint(path, net, state!);
    // What JSON.stringify throws past V8's longest string, without allocating 512 MiB here.
    const huge = { ...state!, toJSON: () => { throw new RangeError('Invalid string length'); } };
    expect(() => writeCheckpoint(path, net, huge)).toThrow(/^writeCheckpoint: the training state of this network \(13 parameters, with the optimizer's moments\) is too large for a checkpoint/);
    expect(readCheckpoint(path).state.epoch).toBe(state!.epoch);
  });

  it('resume continues with the same costs and weights as an uninterrupted run', () => {
    const { X, Y } = circles({ m: 120, seed: 3 });
    const make = () => new Sequential({ layerSizes: [2, 8, 1], activations: ['tanh', 'sigmoid'], seed: 5 });
    const opts = () => ({ epochs: 12, batchSize: 16, seed: 9, optimizer: new Adam({ learningRate: 0.02 }), validationSplit: 0.25, earlyStopping: { patience: 50 } });

    const whole = make();
    const full = fit(whole, X, Y, opts());

    const path = join(dir, 'run.ckpt');
    const first = make();
    fit(first, X, Y, { ...opts(), checkpoint: { every: 5, save: (state) => writeCheckpoint(path, first, state) }, shouldStop: () => false, epochs: 5 });
    const { model, state } = readCheckpoint(path);
    expect(state.epoch).toBe(5);
    const rest = fit(model, X, Y, { ...opts(), resumeFrom: state });
    expect(rest.cost).toEqual(full.cost);
    expect(rest.valCost).toEqual(full.valCost);
    expect(model.parameters().get('W1')!.toFlatArray()).toEqual(whole.parameters().get('W1')!.toFlatArray());
  });

  it('with dropout, a network rebuilt from the checkpoint resumes with the masks an unbroken run draws', () => {
    const { X, Y } = circles({ m: 90, seed: 4 });
    const make = () => new Sequential({ layerSizes: [2, 8, 6, 1], activations: ['relu', 'tanh', 'sigmoid'], seed: 7, dropout: 0.3 });
    const opts = () => ({ epochs: 8, batchSize: 20, seed: 2, optimizer: new Adam({ learningRate: 0.02 }) });
    const whole = make();
    const full = fit(whole, X, Y, opts());

    const path = join(dir, 'dropout.ckpt');
    const first = make();
    fit(first, X, Y, { ...opts(), checkpoint: { every: 3, save: (state) => writeCheckpoint(path, first, state) }, epochs: 3 });
    const { model: saved, state } = readCheckpoint(path);
    expect(state.dropout).toBeDefined();
    // As `nabla train --resume` does: the network the options describe, the checkpoint's weights.
    const rebuilt = make();
    for (const [name, value] of saved.parameters()) rebuilt.setParameter(name, value);
    const rest = fit(rebuilt, X, Y, { ...opts(), resumeFrom: state });
    expect(rest.cost).toEqual(full.cost);
    expect(rebuilt.parameters().get('W2')!.toFlatArray()).toEqual(whole.parameters().get('W2')!.toFlatArray());
    // Without the generator's state the rebuilt network would draw its masks from the seed again.
    const { dropout: _omit, ...withoutDropout } = state;
    const again = make();
    for (const [name, value] of saved.parameters()) again.setParameter(name, value);
    expect(fit(again, X, Y, { ...opts(), resumeFrom: withoutDropout }).cost).not.toEqual(full.cost);
  });

  it('shouldStop ends the run after the current epoch, with the state to resume from', () => {
    const { X, Y } = circles({ m: 40, seed: 1 });
    const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1 });
    let epochs = 0;
    const h = fit(net, X, Y, { epochs: 50, onEpochEnd: () => void epochs++, shouldStop: () => epochs >= 3 });
    expect(h.interrupted).toBe(true);
    expect(h.epochs).toBe(3);
    expect(h.state?.epoch).toBe(3);
  });

  it('a kill -9 in the middle of a checkpoint write leaves the previous checkpoint loadable', async () => {
    const path = join(dir, 'killed.ckpt');
    // A child writes a big checkpoint over and over; we kill it at a random moment.
    const script = `
      import { Sequential, fit } from './src/index.js';
      import { writeCheckpoint } from './src/io/checkpoint-node.js';
      import { circles } from './src/data/synthetic.js';
      const { X, Y } = circles({ m: 20, seed: 1 });
      const net = new Sequential({ layerSizes: [2, 600, 600, 1], seed: 1 });
      const h = fit(net, X, Y, { epochs: 1 });
      writeCheckpoint(${JSON.stringify(path)}, net, h.state);
      console.log('first');
      for (;;) writeCheckpoint(${JSON.stringify(path)}, net, h.state);
    `;
    const root = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150 + Math.random() * 200));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(path)).toBe(true);
    const { model, state } = readCheckpoint(path);
    expect(state.epoch).toBe(1);
    expect(model.parameters().get('W2')!.shape).toEqual([600, 600]);
  });
});
