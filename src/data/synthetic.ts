import { ArgumentError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate } from '../tensor/dtype.js';
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

/** A dataset with K classes: Y holds class indices 0..K−1 (turn it into (K, m) with `oneHot`). */
export interface ClassData {
  /** (d, m): one sample per column (d = 2 for the planar sets). */
  X: Tensor;
  /** (1, m): the class index of each sample. */
  Y: Tensor;
  /** The number of classes K. */
  classes: number;
}

const SYNTHETIC_KEYS = optionKeys<SyntheticOptions>()(['m', 'noise', 'seed', 'rng']);

function setup(options: SyntheticOptions, where: string, defaultNoise = 0.1): { m: number; noise: number; rng: RandomSource } {
  const m = options.m ?? 400;
  const noise = options.noise ?? defaultNoise;
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
  checkOptions(options, 'circles', SYNTHETIC_KEYS);
  const { m, noise, rng } = setup(options, 'circles');
  const X = allocate('float64', 2 * m) as Float64Array, Y = allocate('float64', m) as Float64Array;
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
  checkOptions(options, 'xor', SYNTHETIC_KEYS);
  const { m, noise, rng } = setup(options, 'xor');
  const X = allocate('float64', 2 * m) as Float64Array, Y = allocate('float64', m) as Float64Array;
  for (let j = 0; j < m; j++) {
    const x1 = 2 * rng.random() - 1, x2 = 2 * rng.random() - 1;
    Y[j] = x1 * x2 > 0 ? 1 : 0;
    X[j] = x1 + noise * rng.randn();
    X[m + j] = x2 + noise * rng.randn();
  }
  return pack(X, Y, m);
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): the upper one of radius 1
 * centred at (0, 0) is label 0, the lower one centred at (1, 0.5) is label 1. Each half
 * reaches into the other's hollow, so a straight line misclassifies the tips.
 */
export function moons(options: SyntheticOptions = {}): PlanarData {
  checkOptions(options, 'moons', SYNTHETIC_KEYS);
  const { m, noise, rng } = setup(options, 'moons');
  const X = allocate('float64', 2 * m) as Float64Array, Y = allocate('float64', m) as Float64Array;
  for (let j = 0; j < m; j++) {
    // Alternate the labels, as circles does, so any m gives balanced classes.
    const lower = j % 2;
    const t = Math.PI * rng.random();
    const x1 = lower ? 1 - Math.cos(t) : Math.cos(t);
    const x2 = lower ? 0.5 - Math.sin(t) : Math.sin(t);
    X[j] = x1 + noise * rng.randn();
    X[m + j] = x2 + noise * rng.randn();
    Y[j] = lower;
  }
  return pack(X, Y, m);
}

export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms K, one class each (default 3). */
  classes?: number;
  /** How many times each arm winds around the centre (default 1). */
  turns?: number;
}

function checkClasses(K: number, m: number, where: string): number {
  if (!Number.isInteger(K) || K < 2) throw new ArgumentError(where, `the number of classes must be a whole number ≥ 2, got ${K}`);
  if (m < K) throw new ArgumentError(where, `m = ${m} samples cannot cover ${K} classes: m must be ≥ K`);
  return K;
}

/**
 * K interleaved spiral arms (the CS231n spiral): arm k starts at the centre and winds
 * outwards to radius 1, rotated by 2πk/K from arm 0. Labels are the arm indices 0..K−1, so
 * a softmax output layer (and hidden layers) are needed to separate them.
 */
export function spirals(options: SpiralOptions = {}): ClassData {
  checkOptions(options, 'spirals', optionKeys<SpiralOptions>()(['m', 'noise', 'seed', 'rng', 'classes', 'turns']));
  const { m, noise, rng } = setup(options, 'spirals');
  const K = checkClasses(options.classes ?? 3, m, 'spirals');
  const turns = options.turns ?? 1;
  if (!(turns > 0) || !Number.isFinite(turns)) throw new ArgumentError('spirals', `turns must be a finite number > 0, got ${turns}`);
  const X = allocate('float64', 2 * m) as Float64Array, Y = allocate('float64', m) as Float64Array;
  for (let j = 0; j < m; j++) {
    const k = j % K;
    // Radius uniform in (0, 1]: points spread along the whole arm, the centre included.
    const r = 1 - rng.random();
    const t = 2 * Math.PI * (turns * r + k / K);
    X[j] = r * Math.cos(t) + noise * rng.randn();
    X[m + j] = r * Math.sin(t) + noise * rng.randn();
    Y[j] = k;
  }
  return { X: new Tensor(X, [2, m]), Y: new Tensor(Y, [1, m]), classes: K };
}

export interface BlobOptions extends SyntheticOptions {
  /**
   * The clusters: a count K (default 3), placed evenly on the unit circle, or the centres
   * themselves as K points of equal dimension d (X is then (d, m)). `noise` is each
   * cluster's standard deviation (default 0.2).
   */
  centers?: number | readonly (readonly number[])[];
}

function blobCenters(centers: number | readonly (readonly number[])[], m: number): number[][] {
  if (typeof centers === 'number') {
    const K = checkClasses(centers, m, 'blobs');
    // Evenly spaced on the unit circle: the clusters never overlap by the luck of a draw.
    return Array.from({ length: K }, (_, k) => [Math.cos((2 * Math.PI * k) / K), Math.sin((2 * Math.PI * k) / K)]);
  }
  checkClasses(centers.length, m, 'blobs');
  const d = centers[0]?.length ?? 0;
  return centers.map((c, k) => {
    if (c.length !== d || d === 0) throw new ArgumentError('blobs', `center ${k} has ${c.length} coordinates, center 0 has ${d}: all centers need the same dimension ≥ 1`);
    if (!c.every(Number.isFinite)) throw new ArgumentError('blobs', `center ${k} [${c.join(', ')}] has a non-finite coordinate`);
    return c.slice();
  });
}

/**
 * K Gaussian clusters (scikit-learn's `make_blobs`): sample j belongs to cluster j mod K
 * and is its center plus N(0, noise²) noise in each coordinate. Labels are the cluster
 * indices 0..K−1.
 *
 * @example
 * const { X, Y } = blobs({ centers: [[0, 0, 0], [3, 3, 3]], m: 100 }); // X (3, 100), Y (1, 100)
 */
export function blobs(options: BlobOptions = {}): ClassData {
  checkOptions(options, 'blobs', optionKeys<BlobOptions>()(['m', 'noise', 'seed', 'rng', 'centers']));
  const { m, noise, rng } = setup(options, 'blobs', 0.2);
  const centers = blobCenters(options.centers ?? 3, m);
  const K = centers.length;
  const d = centers[0]!.length;
  const X = allocate('float64', d * m) as Float64Array, Y = allocate('float64', m) as Float64Array;
  for (let j = 0; j < m; j++) {
    const k = j % K;
    const c = centers[k]!;
    for (let i = 0; i < d; i++) X[i * m + j] = c[i]! + noise * rng.randn();
    Y[j] = k;
  }
  return { X: new Tensor(X, [d, m]), Y: new Tensor(Y, [1, m]), classes: K };
}
