// What every benchmarked library ("peer") shares: the workloads, their data, the timing and the
// line protocol a peer's process speaks to `run.ts`. A peer only says how to do each piece of
// work with its library; the timing, the data and the reporting are the same code for all.

/** The workloads of issue 5's table, in its order. */
export const WORKLOADS = [
  { id: 'gemm', label: 'GEMM 1024×1024, GFLOP/s' },
  { id: 'gemm64', label: 'GEMM 1024×1024 in float64, GFLOP/s' },
  { id: 'skinny', label: '(20×12288)·(12288×209), GFLOP/s' },
  { id: 'cat', label: 'cat L-layer [12288,20,7,5,1], m = 209, ms/iteration' },
  { id: 'flower', label: 'flower [2,4,1], m = 400, ms/iteration' },
  { id: 'mlp', label: 'MLP [784,128,10], batch 64, 1 epoch of 60,000, s' },
] as const;

export type WorkloadId = (typeof WORKLOADS)[number]['id'];

export const GEMM = { M: 1024, K: 1024, N: 1024 } as const;
export const SKINNY = { M: 20, K: 12288, N: 209 } as const;
export const MLP = { sizes: [784, 128, 10], samples: 60_000, batchSize: 64, learningRate: 0.01 } as const;
/** Batches of the untimed warm-up before the timed MLP epoch. */
export const MLP_WARMUP_BATCHES = 10;
/** Batches timed, then extrapolated to the full epoch, on the slow (plain JavaScript) peers. */
export const MLP_PARTIAL_BATCHES = 150;

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'softmax';

/** A dense network, trained by one full-batch gradient-descent iteration per call. */
export interface NetSpec {
  /** A tag unique within the process (tfjs needs unique variable names). */
  tag: string;
  sizes: readonly number[];
  activations: readonly Activation[];
  learningRate: number;
}

export const CAT: NetSpec = { tag: 'cat', sizes: [12288, 20, 7, 5, 1], activations: ['relu', 'relu', 'relu', 'sigmoid'], learningRate: 0.0075 };
export const CAT_M = 209;
export const FLOWER: NetSpec = { tag: 'flower', sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], learningRate: 1.2 };
export const FLOWER_M = 400;
export const MLP_NET: NetSpec = { tag: 'mlp', sizes: MLP.sizes, activations: ['relu', 'softmax'], learningRate: MLP.learningRate };

/**
 * Training data of m samples, as flat float32 values. The inputs are i.i.d. random, so each peer
 * reads `x` in its own layout — samples as columns (n0, m) or as rows (m, n0) — without a copy.
 * The labels are class indices (0/1 for a single sigmoid output).
 */
export interface Data {
  x: Float32Array;
  labels: Int32Array;
  m: number;
}

/** One-hot (or 0/1 for K = 1) targets, samples as columns: (K, m), row-major. */
export function targetsColumns(labels: Int32Array, K: number): Float32Array {
  const m = labels.length;
  const y = new Float32Array(K * m);
  for (let j = 0; j < m; j++) y[K === 1 ? j : labels[j]! * m + j] = K === 1 ? labels[j]! : 1;
  return y;
}

/** The same targets, samples as rows: (m, K), row-major. */
export function targetsRows(labels: Int32Array, K: number): Float32Array {
  const m = labels.length;
  const y = new Float32Array(m * K);
  for (let j = 0; j < m; j++) y[K === 1 ? j : j * K + labels[j]!] = K === 1 ? labels[j]! : 1;
  return y;
}

/** xorshift32: fast, seeded, the same stream in every process. */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** n uniform values in [lo, hi). */
export function uniform(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const next = generator(seed);
  const out = new Float32Array(n);
  const w = hi - lo;
  for (let i = 0; i < n; i++) out[i] = lo + w * next();
  return out;
}

export function randomData(nx: number, m: number, classes: number, seed: number): Data {
  const next = generator(seed + 7919);
  const labels = new Int32Array(m);
  for (let j = 0; j < m; j++) labels[j] = Math.min(Math.max(classes, 2) - 1, Math.floor(next() * Math.max(classes, 2)));
  return { x: uniform(nx * m, seed), labels, m };
}

/** A GEMM workload: `product()` computes A·B once, for A (M×K) and B (K×N). */
export interface Product {
  product: () => void;
  dispose?: () => void;
}

/** A network workload: `step()` runs one full-batch iteration and returns the cost before it. */
export interface Trainer {
  step: () => number;
  dispose?: () => void;
}

/** The MLP workload: `run(batches)` trains on the first `batches` mini-batches, in order. */
export interface EpochRunner {
  /**
   * Returns the milliseconds of the batch loop alone and of the whole call; nabla also of a
   * second whole call with fit's running training accuracy (no pass over the data at the end).
   */
  run: (batches: number) => { ms: number; epochMs: number; runningMs?: number };
  dispose?: () => void;
}

/** What a library says how to do; the driver below times it. */
export interface Peer {
  name: string;
  description: string;
  matmul(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Product;
  /** The same in float64, where the library has it (TensorFlow.js has no float64). */
  matmul64?(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Product;
  net(spec: NetSpec, data: Data): Trainer;
  mlp(data: Data): EpochRunner;
}

/** Lines a peer's process writes to stdout, each prefixed with MARK. */
export type Message =
  | { kind: 'peer'; peer: string; description: string }
  | { kind: 'result'; peer: string; id: WorkloadId; ms: number; runs: number; note?: string; epochMs?: number; runningMs?: number; batches?: number }
  | { kind: 'rss'; peer: string; at: 'loaded' | 'workloads' | 'end'; mib: number }
  | { kind: 'memory'; peer: string; iterations: number; peakMiB: number; rssAt100MiB: number; rssEndMiB: number }
  | { kind: 'share64'; peer: string; share: number; pairs: number }
  | { kind: 'error'; peer: string; id?: WorkloadId; message: string };

export const MARK = '@@bench ';

export function emit(message: Message): void {
  process.stdout.write(MARK + JSON.stringify(message) + '\n');
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

interface Plan {
  /** Untimed calls first: at least `warmup` of them, and for at least `warmupMs`. */
  warmup: number;
  warmupMs: number;
  /** Then as many timed calls as fit in `budgetMs`, within [minRuns, maxRuns]. */
  budgetMs: number;
  minRuns: number;
  maxRuns: number;
}

/** Each timed call's milliseconds. */
export function time(fn: () => unknown, plan: Plan): number[] {
  const start = performance.now();
  let last = 0;
  for (let i = 0; i < plan.warmup || performance.now() - start < plan.warmupMs; i++) {
    const t = performance.now();
    fn();
    last = performance.now() - t;
  }
  const runs = Math.max(plan.minRuns, Math.min(plan.maxRuns, Math.floor(plan.budgetMs / Math.max(last, 1e-3))));
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

const PLANS: Record<'gemm' | 'gemm64' | 'skinny' | 'cat' | 'flower', Plan> = {
  gemm: { warmup: 1, warmupMs: 300, budgetMs: 3000, minRuns: 3, maxRuns: 21 },
  gemm64: { warmup: 1, warmupMs: 300, budgetMs: 3000, minRuns: 3, maxRuns: 21 },
  skinny: { warmup: 2, warmupMs: 300, budgetMs: 2000, minRuns: 5, maxRuns: 41 },
  cat: { warmup: 3, warmupMs: 300, budgetMs: 3000, minRuns: 5, maxRuns: 41 },
  flower: { warmup: 200, warmupMs: 500, budgetMs: 1500, minRuns: 51, maxRuns: 5001 },
};

/** Float64 GEMM's speed as a share of float32's: the median over PAIRS of (t32 / t64), each pair timed back to back. */
const PAIRS = 15;
function pairedShare(product32: () => unknown, product64: () => unknown): { share: number; pairs: number } {
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    let t = performance.now();
    product32();
    const t32 = performance.now() - t;
    t = performance.now();
    product64();
    ratios.push(t32 / (performance.now() - t));
  }
  return { share: median(ratios), pairs: PAIRS };
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

/**
 * Runs every workload on `peer`, reporting each result (or its error) as one line. `partialEpoch`:
 * time MLP_PARTIAL_BATCHES batches of the MLP epoch and extrapolate, instead of the whole epoch.
 */
export function drive(peer: Peer, { partialEpoch }: { partialEpoch: boolean }): void {
  const name = peer.name;
  emit({ kind: 'peer', peer: name, description: peer.description });
  emit({ kind: 'rss', peer: name, at: 'loaded', mib: peakRssMiB() });
  const attempt = (id: WorkloadId, body: () => void): void => {
    try {
      body();
    } catch (e) {
      emit({ kind: 'error', peer: name, id, message: e instanceof Error ? e.message : String(e) });
    }
  };
  const timed = (id: 'gemm' | 'gemm64' | 'skinny' | 'cat' | 'flower', fn: () => unknown, dispose?: () => void): void => {
    try {
      const ms = time(fn, PLANS[id]);
      emit({ kind: 'result', peer: name, id, ms: median(ms), runs: ms.length });
    } finally {
      dispose?.();
    }
  };

  // The float32 GEMM, then the float64 one on the same values, then both alternated: the float64
  // share is a ratio of two timings, and a host that slows one core for a second or two would
  // skew it if they were taken a few seconds apart (float64 share below).
  attempt('gemm', () => {
    const { M, K, N } = GEMM;
    const a = uniform(M * K, 1, -1, 1), b = uniform(K * N, 2, -1, 1);
    const p32 = peer.matmul(a, b, M, K, N);
    try {
      timed('gemm', p32.product);
      const matmul64 = peer.matmul64?.bind(peer);
      if (!matmul64) return;
      attempt('gemm64', () => {
        const p64 = matmul64(Float64Array.from(a), Float64Array.from(b), M, K, N);
        try {
          timed('gemm64', p64.product);
          emit({ kind: 'share64', peer: name, ...pairedShare(p32.product, p64.product) });
        } finally {
          p64.dispose?.();
        }
      });
    } finally {
      p32.dispose?.();
    }
  });
  attempt('skinny', () => {
    const { M, K, N } = SKINNY;
    const p = peer.matmul(uniform(M * K, 3, -1, 1), uniform(K * N, 4, -1, 1), M, K, N);
    timed('skinny', p.product, p.dispose);
  });
  attempt('cat', () => {
    const t = peer.net(CAT, randomData(CAT.sizes[0]!, CAT_M, 1, 5));
    timed('cat', () => check(t.step()), t.dispose);
  });
  attempt('flower', () => {
    const t = peer.net(FLOWER, randomData(FLOWER.sizes[0]!, FLOWER_M, 1, 6));
    timed('flower', () => check(t.step()), t.dispose);
  });
  emit({ kind: 'rss', peer: name, at: 'workloads', mib: peakRssMiB() });

  attempt('mlp', () => {
    const all = Math.ceil(MLP.samples / MLP.batchSize);
    const batches = partialEpoch ? MLP_PARTIAL_BATCHES : all;
    const runner = peer.mlp(randomData(MLP.sizes[0], MLP.samples, MLP.sizes[2], 8));
    try {
      runner.run(MLP_WARMUP_BATCHES);
      const r = runner.run(batches);
      const samples = Math.min(batches * MLP.batchSize, MLP.samples);
      const scale = MLP.samples / samples;
      emit({
        kind: 'result',
        peer: name,
        id: 'mlp',
        ms: r.ms * scale,
        runs: 1,
        batches,
        epochMs: r.epochMs * scale,
        ...(r.runningMs !== undefined ? { runningMs: r.runningMs * scale } : {}),
        ...(batches < all ? { note: `extrapolated from ${batches} batches (${samples.toLocaleString('en')} samples)` } : {}),
      });
    } finally {
      runner.dispose?.();
    }
  });
  emit({ kind: 'rss', peer: name, at: 'end', mib: peakRssMiB() });
}

/** Cat-training memory: iterations for at most this long, or CAT_MEMORY_ITERATIONS. */
export const CAT_MEMORY_ITERATIONS = 10_000;
const CAT_MEMORY_BUDGET_MS = 25_000;

const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;

/**
 * The cat network trained alone in a fresh process (nothing else loaded or run): its peak RSS,
 * and the RSS after 100 iterations and at the end, which show whether it stays flat.
 */
export function driveCatMemory(peer: Peer): void {
  const name = peer.name;
  try {
    const t = peer.net(CAT, randomData(CAT.sizes[0]!, CAT_M, 1, 5));
    let rssAt100 = 0, i = 0;
    const start = performance.now();
    for (; i < CAT_MEMORY_ITERATIONS && (i < 100 || performance.now() - start < CAT_MEMORY_BUDGET_MS); i++) {
      check(t.step());
      if (i === 99) rssAt100 = rssMiB();
    }
    emit({ kind: 'memory', peer: name, iterations: i, peakMiB: peakRssMiB(), rssAt100MiB: rssAt100, rssEndMiB: rssMiB() });
    t.dispose?.();
  } catch (e) {
    emit({ kind: 'error', peer: name, message: `cat memory: ${e instanceof Error ? e.message : String(e)}` });
  }
}

function check(cost: number): number {
  if (!Number.isFinite(cost)) throw new Error(`the cost became ${cost}`);
  return cost;
}
