import { describe, expect, it } from 'vitest';
import { NablaError } from '../errors.js';
import { exponentialDecay, inverseTimeDecay, stepDecay } from './schedules.js';

function whereOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NablaError) return e.where;
    throw e;
  }
  throw new Error('expected an error');
}

describe('learning-rate schedules', () => {
  it('stepDecay: α₀ · factor^⌊epoch/dropEvery⌋', () => {
    const s = stepDecay({ dropEvery: 10, factor: 0.5 });
    expect(s(0, 0.1)).toBe(0.1);
    expect(s(9, 0.1)).toBe(0.1);
    expect(s(10, 0.1)).toBe(0.05);
    expect(s(25, 0.1)).toBe(0.025);
    expect(stepDecay({ dropEvery: 1, factor: 1 })(100, 0.3)).toBe(0.3);
  });

  it('exponentialDecay: α₀ · rate^epoch', () => {
    const s = exponentialDecay({ rate: 0.95 });
    expect(s(0, 0.1)).toBe(0.1);
    expect(s(1, 0.1)).toBeCloseTo(0.095, 16);
    expect(s(2, 0.1)).toBeCloseTo(0.09025, 16);
    expect(s(10, 0.1)).toBeCloseTo(0.1 * 0.5987369392383789, 16);
  });

  it('inverseTimeDecay: α₀ / (1 + decayRate·⌊epoch/decayEvery⌋), the course-2 forms', () => {
    // The course's formulas evaluated by numpy: learning_rate0 / (1 + decay_rate * epoch_num)
    // with (0.5, 2, 1), and learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    // with (0.5, 100, 0.3, 100).
    expect(inverseTimeDecay({ decayRate: 1 })(2, 0.5)).toBe(0.16666666666666666);
    expect(inverseTimeDecay({ decayRate: 0.3, decayEvery: 100 })(100, 0.5)).toBe(0.3846153846153846);
    const s = inverseTimeDecay({ decayRate: 1, decayEvery: 1000 });
    expect(s(0, 0.1)).toBe(0.1);
    expect(s(999, 0.1)).toBe(0.1);
    expect(s(1000, 0.1)).toBe(0.05);
    expect(s(2500, 0.1)).toBe(0.1 / 3);
    expect(inverseTimeDecay({ decayRate: 0 })(50, 0.2)).toBe(0.2);
  });

  it('validates the settings and the epoch, naming the argument', () => {
    expect(whereOf(() => stepDecay({ dropEvery: 0, factor: 0.5 }))).toBe('dropEvery');
    expect(whereOf(() => stepDecay({ dropEvery: 2.5, factor: 0.5 }))).toBe('dropEvery');
    expect(whereOf(() => stepDecay({ dropEvery: 2, factor: 0 }))).toBe('factor');
    expect(whereOf(() => stepDecay({ dropEvery: 2, factor: 1.5 }))).toBe('factor');
    expect(whereOf(() => exponentialDecay({ rate: 0 }))).toBe('rate');
    expect(whereOf(() => exponentialDecay({ rate: Number.NaN }))).toBe('rate');
    expect(whereOf(() => inverseTimeDecay({ decayRate: -1 }))).toBe('decayRate');
    expect(whereOf(() => inverseTimeDecay({ decayRate: 1, decayEvery: 0 }))).toBe('decayEvery');
    const s = exponentialDecay({ rate: 0.9 });
    expect(whereOf(() => s(-1, 0.1))).toBe('epoch');
    expect(whereOf(() => s(0.5, 0.1))).toBe('epoch');
    expect(whereOf(() => s(1, 0))).toBe('initial');
  });
});
