// The host probe: how much of the machine the benchmark had. On a shared virtual machine the
// host takes cores away for seconds at a time, invisibly from inside (no steal time, no load),
// and a run's figures move with it by a third or more. So the bench times one fixed piece of
// work before and after the peers: the float32 GEMM's register tile (asm/gemm.ts) on operands
// that stay in the caches, first on one thread, then on two at once (the two-thread peers need
// both cores). Its median against its best says how busy the host was; the best is about what
// a core left alone gives. nabla's own kernel, but it times the machine, not a peer.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { decode, wasmFeatures } from '../src/backend/wasm/index.js';
import { RELAXED_SIMD_WASM_BASE64, SIMD_WASM_BASE64 } from '../src/backend/wasm/kernels.generated.js';

interface TileKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scratchBytes(N: number, double: number): number;
  packedBytes(N: number, K: number, double: number): number;
  packBF32(b: number, packed: number, N: number, K: number, transB: number): void;
  gemmF32Packed(a: number, packed: number, c: number, M: number, N: number, K: number, ai: number, ap: number, ldc: number, scratch: number): void;
}

/** The tile's rate on one thread: median and best GFLOP/s of (M×K)·(K×N) products over `ms`. */
export interface TileRate {
  median: number;
  best: number;
}

// One row block by one K-block by 1024 columns: A (120 KiB) and packed B (1 MiB) stay in L2.
const M = 120, K = 256, N = 1024;

function tileRate(ms: number): TileRate {
  const variant = wasmFeatures();
  if (!variant) return { median: NaN, best: NaN };
  const module = new WebAssembly.Module(decode(variant === 'relaxed' ? RELAXED_SIMD_WASM_BASE64 : SIMD_WASM_BASE64));
  const k = new WebAssembly.Instance(module, {}).exports as unknown as TileKernels;
  const align = (n: number): number => Math.ceil(n / 64) * 64;
  const a = align(k.heapBase()), b = align(a + M * K * 4), packed = align(b + K * N * 4);
  const c = align(packed + k.packedBytes(N, K, 0)), scratch = align(c + M * N * 4), end = scratch + k.scratchBytes(N, 0);
  if (end > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / 65536));
  const view = new Float32Array(k.memory.buffer);
  for (let i = 0; i < M * K + K * N; i++) view[a / 4 + i] = ((i * 7919) % 1000) / 1000 - 0.5;
  k.packBF32(b, packed, N, K, 0);
  const times: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until || times.length < 5) {
    const t = performance.now();
    for (let r = 0; r < 5; r++) k.gemmF32Packed(a, packed, c, M, N, K, K, 1, N, scratch);
    times.push((performance.now() - t) / 5);
  }
  times.sort((x, y) => x - y);
  const rate = (t: number): number => (2 * M * N * K) / (t * 1e6);
  return { median: rate(times[times.length >> 1]!), best: rate(times[0]!) };
}

function inWorker(ms: number): Promise<TileRate> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { probeMs: ms } });
    worker.once('message', (r: TileRate) => resolve(r));
    worker.once('error', reject);
  });
}

/** The tile's rate on this thread alone, then on two worker threads at once. */
export async function probeHost(ms = 1500): Promise<{ one: TileRate; two: [TileRate, TileRate] }> {
  const one = tileRate(ms);
  const two = await Promise.all([inWorker(ms), inWorker(ms)]);
  return { one, two };
}

const g = (x: number): string => x.toFixed(1);
/** "one thread 44.0 (best 48.2), two at once 41.0 + 40.3 (47.9, 48.0)" */
export function describeProbe(p: { one: TileRate; two: [TileRate, TileRate] }): string {
  return `one thread ${g(p.one.median)} (best ${g(p.one.best)}), two at once ${g(p.two[0].median)} + ${g(p.two[1].median)} (best ${g(p.two[0].best)}, ${g(p.two[1].best)})`;
}

if (!isMainThread && (workerData as { probeMs?: number } | null)?.probeMs !== undefined) {
  parentPort!.postMessage(tileRate((workerData as { probeMs: number }).probeMs));
}
