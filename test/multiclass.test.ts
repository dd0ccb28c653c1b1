import { describe, expect, it } from 'vitest';
import { Adam, Sequential, accuracy, fit, oneHot, spirals, takeColumns, confusionMatrix } from '../src/index.js';

describe('multi-class: softmax + categorical cross-entropy', () => {
  it('learns three interleaved spirals to ≥ 95 % on held-out points', () => {
    const { X, Y } = spirals({ m: 600, classes: 3, noise: 0.02, seed: 1 });
    const Yk = oneHot(Y, 3);
    const train = Array.from({ length: 600 }, (_, j) => j).filter((j) => j % 4 !== 0);
    const test = Array.from({ length: 600 }, (_, j) => j).filter((j) => j % 4 === 0);
    const net = new Sequential({ layerSizes: [2, 32, 32, 3], activations: ['relu', 'relu', 'softmax'], init: 'he', seed: 3 });
    expect(net.loss).toBe('categoricalCrossEntropy');
    fit(net, takeColumns(X, train), takeColumns(Yk, train), { epochs: 400, batchSize: 32, optimizer: new Adam({ learningRate: 0.01 }), seed: 4 });
    const held = accuracy(net, takeColumns(X, test), takeColumns(Yk, test));
    console.log(`spirals, 3 classes: held-out accuracy ${held.toFixed(2)} %`);
    expect(held).toBeGreaterThanOrEqual(95);
    const cm = confusionMatrix(net.predict(takeColumns(X, test)), takeColumns(Yk, test));
    expect(cm.length).toBe(3);
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(150);
  });
});
