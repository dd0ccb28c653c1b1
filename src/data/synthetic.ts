import { ArgumentError } from '../errors.js';
import { createRandom } from '../tensor/random/create.js';
import type { RandomSource } from '../tensor/random/source.js';
import { Tensor } from '../tensor/tensor.js';

/** A 2-D dataset in the seeds' layout: X is (2, m), Y is (1, m). */
export interface PlanarData {
  X: Tensor;
  Y: Tensor;
}

export interface SyntheticOptions {
  /** Number of samples m (default 400). */
  m?: number;
  /** Standard deviation of Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  seed?: number;
  rng?: RandomSource;
}

function setup(options: SyntheticOptions, where: string): { m: number; noise: number; rng: RandomSource } {
  const m = options.m ?? 400;
  const noise = options.noise ?? 0.1;
  if (!Number.isInteger(m) || m < 2) throw new ArgumentError(where, `m must be a whole number ≥ 2, got ${m}`);
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new ArgumentError(where, `noise must be a finite number ≥ 0, got ${noise}`);
  return { m, noise, rng: options.rng ?? createRandom(options.seed ?? 0) };
}

function pack(points: Float64Array, labels: Float64Array, m: number): PlanarData {
  return { X: new Tensor(points, [2, m]), Y: new Tensor(labels, [1, m]) };
}

/**
 * Two concentric circles (radius 1 → label 0, radius 0.5 → label 1): no straight line
 * separates them, so logistic regression fails and one hidden layer succeeds.
 */
export function circles(options: SyntheticOptions = {}): PlanarData {
  const { m, noise, rng } = setup(options, 'circles');
  const X = new Float64Array(2 * m), Y = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const inner = j % 2;
    const r = inner ? 0.5 : 1;
    const t = 2 * Math.PI * rng.random();
    X[j] = r * Math.cos(t) + noise * rng.randn();
    X[m + j] = r * Math.sin(t) + noise * rng.randn();
    Y[j] = inner;
  }
  return pack(X, Y, m);
}

/** Points uniform in [−1, 1]²; label 1 where x₁ and x₂ have the same sign (the XOR pattern). */
export function xor(options: SyntheticOptions = {}): PlanarData {
  const { m, noise, rng } = setup(options, 'xor');
  const X = new Float64Array(2 * m), Y = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const x1 = 2 * rng.random() - 1, x2 = 2 * rng.random() - 1;
    Y[j] = x1 * x2 > 0 ? 1 : 0;
    X[j] = x1 + noise * rng.randn();
    X[m + j] = x2 + noise * rng.randn();
  }
  return pack(X, Y, m);
}
