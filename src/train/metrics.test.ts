import { describe, expect, it } from 'vitest';
import { DataError, ShapeError, tensor } from '../index.js';
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

  describe('rejects what a metric cannot read', () => {
    const Y4 = tensor([[1, 0, 1, 0]]);
    // Expects fn to throw an error of class cls whose message contains each of parts.
    const throwsWith = (fn: () => unknown, cls: typeof DataError | typeof ShapeError, ...parts: string[]): void => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(cls);
      for (const part of parts) expect((error as Error).message).toContain(part);
    };

    it('precision, recall, f1Score: probabilities instead of 0/1 predictions', () => {
      const probs = tensor([[0.2, 0.9, 0.7, 0.1]]);
      for (const [name, fn] of [['precision', precision], ['recall', recall], ['f1Score', f1Score]] as const) {
        throwsWith(() => fn(probs, Y4), DataError, `${name}: Ŷ must hold 0/1 predictions (from predict), found 0.2 at row 0, column 0; pass probabilities to rocAuc or logLoss`);
      }
      // float32 probabilities print as written, not as 0.20000000298023224
      throwsWith(() => precision(tensor([[1, 0.2]], { dtype: 'float32' }), tensor([[1, 0]])), DataError, 'found 0.2 at row 0, column 1');
    });

    it('precision, recall, f1Score: a label other than 0/1', () => {
      const Y2 = tensor([[1, 0, 1, 2]]);
      for (const fn of [precision, recall, f1Score]) throwsWith(() => fn(tensor([[1, 0, 1, 0]]), Y2), DataError, 'Y must hold 0/1 labels, found 2 at row 0, column 3', 'use confusionMatrix');
    });

    it('binary metrics reject one-hot (K, m) with K > 1', () => {
      const T = tensor([[1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]]);
      const Q = tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]);
      for (const [name, fn] of [['precision', precision], ['recall', recall], ['f1Score', f1Score]] as const) {
        throwsWith(() => fn(Q, T), ShapeError, `${name}: Ŷ is (3, 4), but ${name} is a binary metric of one row (1, m)`, 'use confusionMatrix');
        throwsWith(() => fn(tensor([[1, 0, 0, 1]]), T), ShapeError, `${name}: Y is (3, 4), but ${name} is a binary metric`);
      }
      const S = tensor([[0.7, 0.1, 0.2, 0.1], [0.2, 0.8, 0.1, 0.3], [0.1, 0.1, 0.7, 0.6]]);
      throwsWith(() => rocAuc(S, T), ShapeError, 'rocAuc: A is (3, 4), but rocAuc is a binary metric of one row (1, m)', 'one class against the rest');
      throwsWith(() => rocAuc(tensor([[0.7, 0.1, 0.2, 0.1]]), T), ShapeError, 'rocAuc: Y is (3, 4), but rocAuc is a binary metric');
      // a column (m, 1) by mistake: the hint says samples go in columns
      throwsWith(() => precision(tensor([[1], [0]]), tensor([[1, 0]])), ShapeError, 'Ŷ is (2, 1)', 'samples go in columns: pass Ŷ as (1, 2)');
    });

    it('NaN or ±Inf in scores or labels is a DataError naming the argument and the column', () => {
      throwsWith(() => rocAuc(tensor([[0.8, NaN, 0.4, 0.1]]), tensor([[1, 1, 0, 0]])), DataError, 'rocAuc: A holds NaN at row 0, column 1');
      throwsWith(() => rocAuc(tensor([[0.8, 0.3, 0.4, 0.1]]), tensor([[1, 1, Infinity, 0]])), DataError, 'rocAuc: Y holds Infinity at row 0, column 2');
      throwsWith(() => logLoss(tensor([[0.9, -Infinity]]), tensor([[1, 0]])), DataError, 'logLoss: A holds -Infinity at row 0, column 1');
      throwsWith(() => logLoss(tensor([[0.9, 0.2]]), tensor([[NaN, 0]])), DataError, 'logLoss: Y holds NaN at row 0, column 0');
      throwsWith(() => precision(tensor([[1, NaN]]), tensor([[1, 0]])), DataError, 'precision: Ŷ holds NaN at row 0, column 1');
      throwsWith(() => recall(tensor([[1, 0]]), tensor([[1, NaN]])), DataError, 'recall: Y holds NaN at row 0, column 1');
      // one-hot with a NaN: the argmax used to skip it silently
      throwsWith(() => confusionMatrix(tensor([[1, 0], [NaN, 1]]), tensor([[1, 0], [0, 1]])), DataError, 'confusionMatrix: Ŷ holds NaN at row 1, column 0');
      throwsWith(() => logLoss(tensor([[0.5, 0.2], [0.5, 0.8]]), tensor([[1, 0], [0, NaN]])), DataError, 'logLoss: Y holds NaN at row 1, column 1');
    });

    it('rocAuc: labels other than 0/1, and one class only, are DataErrors', () => {
      throwsWith(() => rocAuc(tensor([[0.8, 0.4, 0.4, 0.1]]), tensor([[1, 2, 0, 0]])), DataError, 'rocAuc: Y must hold 0/1 labels, found 2 at row 0, column 1');
      throwsWith(() => rocAuc(tensor([[0.8, 0.4]]), tensor([[1, 1]])), DataError, 'rocAuc: Y holds only positive (1) labels; the ROC curve needs both positive and negative samples');
      throwsWith(() => rocAuc(tensor([[0.8, 0.4]]), tensor([[0, 0]])), DataError, 'Y holds only negative (0) labels');
    });

    it('logLoss: probabilities outside [0, 1] and labels other than 0/1', () => {
      throwsWith(() => logLoss(tensor([[0.9, 1.2]]), tensor([[1, 0]])), DataError, 'logLoss: A must hold probabilities in [0, 1] (from predictProba), found 1.2 at row 0, column 1');
      throwsWith(() => logLoss(tensor([[-0.5, 0.2]]), tensor([[1, 0]])), DataError, 'found -0.5 at row 0, column 0');
      throwsWith(() => logLoss(tensor([[0.9, 0.2]]), tensor([[1, 2]])), DataError, 'logLoss: Y must hold 0/1 labels, found 2 at row 0, column 1');
      throwsWith(() => logLoss(tensor([[0.5, 0.2], [0.5, 1.8]]), tensor([[1, 0], [0, 1]])), DataError, 'found 1.8 at row 1, column 1');
    });

    it('logLoss of (K, m): shapes that differ, labels not one-hot, columns not summing to 1', () => {
      const A = tensor([[0.7, 0.2], [0.2, 0.5], [0.1, 0.3]]);
      throwsWith(() => logLoss(A, tensor([[0, 1]])), ShapeError, 'logLoss: probabilities A (3, 2) and labels Y (1, 2) differ', 'both (K, m) with K > 1');
      throwsWith(() => logLoss(tensor([[0.7, 0.2]]), tensor([[1, 0], [0, 1], [0, 0]])), ShapeError, 'A (1, 2) and labels Y (3, 2) differ');
      throwsWith(() => logLoss(A, tensor([[1, 0], [0, 1], [0, 1]])), DataError, 'column 1 holds 2 ones', 'categorical cross-entropy');
      throwsWith(() => logLoss(A, tensor([[1, 0], [0, 0], [0, 0]])), DataError, 'column 1 holds 0 ones');
      throwsWith(() => logLoss(A, tensor([[1, 0], [0, 0.5], [0, 0.5]])), DataError, 'Y must be one-hot (K, m) for probabilities A (3, 2), found 0.5 at row 1, column 1');
      throwsWith(() => logLoss(tensor([[0.9, 0.2], [0.8, 0.5]]), tensor([[1, 0], [0, 1]])), DataError, 'column 0 of A sums to 1.7, not 1');
    });
  });

  it('logLoss of softmax (K, m) against one-hot Y is the categorical cross-entropy', () => {
    // column 0: class 0 with a = 0.7; column 1: class 2 with a = 0.3
    const A = tensor([[0.7, 0.2], [0.2, 0.5], [0.1, 0.3]]);
    const Y = tensor([[1, 0], [0, 0], [0, 1]]);
    expect(logLoss(A, Y)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.3)) / 2, 12);
    // not the binary formula over all six entries
    const binary = -[0.7, 0.2, 0.2, 0.5, 0.1, 0.3].reduce((s, a, i) => s + ([1, 0, 0, 0, 0, 1][i]! ? Math.log(a) : Math.log(1 - a)), 0) / 6;
    expect(Math.abs(logLoss(A, Y) - binary)).toBeGreaterThan(0.1);
    // clipped as the binary case: a sure mistake costs −log(1e-15), not ∞
    expect(logLoss(tensor([[1, 0], [0, 1]]), tensor([[0, 0], [1, 1]]))).toBeCloseTo(-(Math.log(1e-15) + Math.log(1 - 1e-15)) / 2, 10);
  });
});
