// `npm run bench`: each workload on every registered backend (the cpu reference and, where
// WebAssembly SIMD is available, wasm), side by side with the speed-up over cpu. Not a test:
// timings vary with the machine, so they are printed, never asserted.
import os from 'node:os';
import { cast, getBackend, gradientDescentStep, listBackends, matmul, randn, rand, greater, setBackend, Sequential, type DType } from '../src/index.js';

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

// A workload measured on one backend: its median time, and how to print it.
interface Measure {
  ms: number;
  text: string;
}

function gemm(n: number, dtype: DType): Measure {
  const a = randn([n, n], { seed: 1, dtype }), b = randn([n, n], { seed: 2, dtype });
  const ms = time(() => matmul(a, b), { warmup: 2, runs: n > 512 ? 5 : 20 });
  return { ms, text: `${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s (${ms.toFixed(1)} ms)` };
}

function catIteration(dtype: DType): Measure {
  const X = randn([12288, 209], { seed: 3, dtype });
  const Y = cast(greater(rand([1, 209], { seed: 4 }), 0.5), dtype);
  const net = new Sequential({ layerSizes: [12288, 20, 7, 5, 1], seed: 1, dtype });
  net.checkData(X, Y);
  const ms = time(() => gradientDescentStep(net, X, Y, 0.0075), { warmup: 3, runs: 15 });
  return { ms, text: `${ms.toFixed(1)} ms per iteration` };
}

const workloads: Array<[string, () => Measure]> = [
  ['matmul 256×256 float32', () => gemm(256, 'float32')],
  ['matmul 256×256 float64', () => gemm(256, 'float64')],
  ['matmul 1024×1024 float32', () => gemm(1024, 'float32')],
  ['matmul 1024×1024 float64', () => gemm(1024, 'float64')],
  ['gradient descent [12288, 20, 7, 5, 1], m = 209, float32', () => catIteration('float32')],
  ['gradient descent [12288, 20, 7, 5, 1], m = 209, float64', () => catIteration('float64')],
];

const initial = getBackend().name;
// The reference first: every other backend's column is compared with it.
const names = ['cpu', ...listBackends().filter((b) => b !== 'cpu')];
console.log(`nabla bench — default backend '${initial}'`);
for (const name of names) console.log(`  ${name}: ${setBackend(name).description}`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}\n`);

const header = ['workload', ...names, ...names.slice(1).map((n) => `${n}/cpu speed`)];
const rows: string[][] = [];
for (const [label, run] of workloads) {
  const measures = names.map((name) => {
    setBackend(name);
    return run();
  });
  const reference = measures[0]!;
  rows.push([label, ...measures.map((m) => m.text), ...measures.slice(1).map((m) => `${(reference.ms / m.ms).toFixed(1)}×`)]);
}
setBackend(initial);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
