import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArgumentError, LogisticRegression, Sequential, accuracy, fit, fitAsync, fitStream, gradientDescent, gradientDescentStep,
  makeGradientDescentStep, planarFlower, traceStep,
} from '../src/index.js';
import { decisionBoundarySVG, loadModelFile, saveModelFile } from '../src/node.js';
import { exportONNX } from '../src/onnx.js';

// What a JavaScript caller (no compiler to stop them) passes where a model belongs: the object
// loadModelFile returns, nothing, a name. Each is named, never "model.checkData is not a function".
describe('a model argument that is not a model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-model-arg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { X, Y } = planarFlower();
  const net = new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 1 });

  const takers: Record<string, (model: unknown) => unknown> = {
    accuracy: (m) => accuracy(m as never, X, Y),
    fit: (m) => fit(m as never, X, Y, { epochs: 1 }),
    gradientDescent: (m) => gradientDescent(m as never, X, Y, { learningRate: 0.1, iterations: 1 }),
    gradientDescentStep: (m) => gradientDescentStep(m as never, X, Y, 0.1),
    makeGradientDescentStep: (m) => makeGradientDescentStep(m as never, X, Y, 0.1),
  };

  it('is named with what it was, in every function that trains or scores', async () => {
    const path = join(dir, 'net.safetensors');
    await saveModelFile(path, net);
    const loaded = await loadModelFile(path);
    for (const [name, take] of Object.entries(takers)) {
      expect(() => take(loaded), name).toThrow(ArgumentError);
      expect(() => take(loaded), name).toThrow(
        `${name}: model: expected a Sequential, a LogisticRegression or a Model of your own, got an object with keys model, metadata (loadModelFile and readCheckpoint return { model, … }: pass its .model)`,
      );
      expect(() => take(undefined), name).toThrow(/model: expected .*, got undefined$/);
      expect(() => take('net'), name).toThrow(/got the string "net"$/);
      expect(() => take(Sequential), name).toThrow(/got the function Sequential$/);
    }
    await expect(fitAsync(loaded as never, X, Y, { epochs: 1 })).rejects.toThrow('fitAsync: model: expected a Sequential');
    const batches = async function* () {
      yield { X, Y };
    };
    await expect(fitStream(loaded as never, batches)).rejects.toThrow('fitStream: model: expected a Sequential');
    // The same calls with its .model work.
    expect(accuracy(loaded.model, X, Y)).toBe(accuracy(net, X, Y));
  });

  it('saving, exporting, tracing and plotting say what they got', () => {
    const loaded = { model: net, metadata: {} };
    expect(() => exportONNX(loaded as never)).toThrow('exportONNX: only Sequential and LogisticRegression models can be exported, got an object with keys model, metadata (loadModelFile');
    expect(() => traceStep(loaded as never, X, Y)).toThrow('traceStep: model: expected a Sequential network, got an object with keys model, metadata');
    expect(() => traceStep(new LogisticRegression(2) as never, X, Y)).toThrow(
      'traceStep: model: expected a Sequential network, got a LogisticRegression: logistic regression is the network [n_x, 1] with a sigmoid output',
    );
    expect(() => decisionBoundarySVG(loaded as never, X, Y)).toThrow('decisionBoundarySVG: model: expected an object with predictProba, got an object with keys model, metadata');
    expect(decisionBoundarySVG(net, X, Y)).toContain('<svg');
  });

  it('a model of your own, with the Model methods, is taken', () => {
    const own = {
      dtype: net.dtype,
      parameters: () => net.parameters(),
      cost: (x: typeof X, y: typeof Y) => net.cost(x, y),
      checkData: (x: typeof X, y?: typeof Y) => net.checkData(x, y),
      predictProba: (x: typeof X) => net.predictProba(x),
      predict: (x: typeof X) => net.predict(x),
    };
    expect(accuracy(own, X, Y)).toBe(accuracy(net, X, Y));
    expect(gradientDescentStep(own, X, Y, 0.1)).toBeGreaterThan(0);
  });

  it('a learning rate given as an options object is described, not printed as [object Object]', () => {
    expect(() => makeGradientDescentStep(net, X, Y, { learningRate: 0.1 } as never)).toThrow('learningRate: must be a finite number > 0, got an object with keys learningRate');
    expect(() => gradientDescentStep(net, X, Y, '0.1' as never)).toThrow('learningRate: must be a finite number > 0, got the string "0.1"');
  });
});
