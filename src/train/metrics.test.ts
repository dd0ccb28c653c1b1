import { describe, expect, it } from 'vitest';
import { tensor } from '../index.js';
import { confusionMatrix, f1Score, labelAccuracy, logLoss, precision, recall, rocAuc } from './metrics.js';

describe('metrics', () => {
  const Y = tensor([[1, 1, 1, 0, 0, 0, 1, 0]]);
  const P = tensor([[1, 1, 0, 0, 1, 0, 1, 0]]);
  it('binary: TP 3, FP 1, FN 1, TN 3', () => {
    expect(confusionMatrix(P, Y)).toEqual([[3, 1], [1, 3]]);
    expect(precision(P, Y)).toBe(0.75);
    expect(recall(P, Y)).toBe(0.75);
    expect(f1Score(P, Y)).toBe(0.75);
    expect(labelAccuracy(P, Y)).toBe(75);
    expect(() => confusionMatrix(tensor([[0, 3]]), tensor([[0, 1]]), 2)).toThrow('confusionMatrix: prediction 3 of sample 1 is not a class index in 0…1');
  });
  it('multi-class from one-hot columns', () => {
    const T = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]); // classes 0, 1, 2
    const Q = tensor([[1, 0, 1], [0, 1, 0], [0, 0, 0]]); // predicted 0, 1, 0
    expect(confusionMatrix(Q, T)).toEqual([[1, 0, 0], [0, 1, 0], [1, 0, 0]]);
    expect(labelAccuracy(Q, T)).toBeCloseTo(200 / 3, 12);
  });
  it('log loss (clipped) and ROC AUC with ties', () => {
    expect(logLoss(tensor([[0.9, 0.2]]), tensor([[1, 0]]))).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
    expect(logLoss(tensor([[0]]), tensor([[1]]))).toBeCloseTo(-Math.log(1e-15), 10);
    // positives score 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4, 0.8>0.1, 0.4=0.4 → ½, 0.4>0.1) = 3.5/4
    expect(rocAuc(tensor([[0.8, 0.4, 0.4, 0.1]]), tensor([[1, 1, 0, 0]]))).toBe(0.875);
    expect(rocAuc(tensor([[0.1, 0.9]]), tensor([[0, 1]]))).toBe(1);
  });
});
