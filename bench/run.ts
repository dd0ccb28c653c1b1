// `npm run bench`: the baseline figures of the reference backend. Not a test: timings vary
// with the machine, so they are printed, never asserted.
import os from 'node:os';
import { cast, getBackend, gradientDescentStep, matmul, randn, rand, greater, Sequential, type DType } from '../src/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, { warmup, runs }: { warmup: number; runs: number }): number {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

function gemm(n: number, dtype: DType): string {
  const a = randn([n, n], { seed: 1, dtype }), b = randn([n, n], { seed: 2, dtype });
  const ms = time(() => matmul(a, b), { warmup: 2, runs: n > 512 ? 5 : 20 });
  return `${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s (${ms.toFixed(1)} ms)`;
}

function catIteration(dtype: DType): string {
  const X = randn([12288, 209], { seed: 3, dtype });
  const Y = cast(greater(rand([1, 209], { seed: 4 }), 0.5), dtype);
  const net = new Sequential({ layerSizes: [12288, 20, 7, 5, 1], seed: 1, dtype });
  net.checkData(X, Y);
  const ms = time(() => gradientDescentStep(net, X, Y, 0.0075), { warmup: 3, runs: 15 });
  return `${ms.toFixed(1)} ms per iteration`;
}

console.log(`nabla bench — backend '${getBackend().name}' (${getBackend().description})`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}\n`);
const rows: Array<[string, string]> = [
  ['matmul 256×256 float32', gemm(256, 'float32')],
  ['matmul 1024×1024 float32', gemm(1024, 'float32')],
  ['matmul 1024×1024 float64', gemm(1024, 'float64')],
  ['gradient descent [12288, 20, 7, 5, 1], m = 209, float32', catIteration('float32')],
  ['gradient descent [12288, 20, 7, 5, 1], m = 209, float64', catIteration('float64')],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
