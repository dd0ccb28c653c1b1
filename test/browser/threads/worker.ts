// In a Web Worker (a thread that may block in Atomics.wait): which backend the library chose,
// then, on wasm-threads, products and a training run large enough to be split across the
// helper Web Worker, compared with the one-thread wasm backend (bit for bit: a split changes no
// element's arithmetic) and with the cpu reference backend, both run here too.
import { Sequential, Tensor, abs, cast, gradientDescent, getBackend, listBackends, matmul, randn, setBackend } from '../../../src/index.ts';
import { THREAD_THRESHOLD, helperJobs } from '../../../src/backend/wasm/threads.ts';

export interface Report {
  isolated: boolean;
  backends: string[];
  backend: string;
  description: string;
  /** Jobs the helper computed, before and after the work below. */
  helperJobsBefore: number;
  helperJobsAfter: number;
  /** Elements of the float64 product that differ from the one-thread wasm backend's. */
  f64Differences: number;
  /**
   * Largest difference of the float64 product from the cpu backend's, relative to Σₚ |A[i,p]|·|B[p,j]|
   * (the kernels fuse multiply-adds where relaxed SIMD is: the last bits may differ).
   */
  f64MaxRelative: number;
  /**
   * Largest difference of the float32 product from the cpu backend's, relative to
   * Σₚ |A[i,p]|·|B[p,j]| (the scale a change of summation order perturbs a dot product by, as in
   * test/conformance.test.ts).
   */
  f32MaxRelative: number;
  /** Costs of 4 gradient-descent iterations: threaded, one-thread wasm, cpu. */
  costs: number[];
  oneThreadCosts: number[];
  cpuCosts: number[];
  warnings: string[];
}

const warnings: string[] = [];
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  warnings.push(args.map(String).join(' '));
  warn(...args);
};

const pause = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

async function main(): Promise<Report> {
  const report: Report = {
    isolated: self.crossOriginIsolated,
    backends: listBackends(),
    backend: getBackend().name,
    description: getBackend().description,
    helperJobsBefore: helperJobs(),
    helperJobsAfter: 0,
    f64Differences: -1,
    f64MaxRelative: -1,
    f32MaxRelative: -1,
    costs: [],
    oneThreadCosts: [],
    cpuCosts: [],
    warnings,
  };
  if (report.backend !== 'wasm-threads') return report;

  // 256·512·256 = 2^25 multiply-adds: split. The helper starts with the first such product and
  // may not be up yet, so products are repeated (yielding between them) until it has taken one.
  const A = randn([256, 512], { seed: 1 }), B = randn([512, 256], { seed: 2 });
  if (256 * 512 * 256 < THREAD_THRESHOLD) throw new Error('the product is too small to be split');
  let C = matmul(A, B);
  for (let i = 0; i < 200 && helperJobs() === report.helperJobsBefore; i++) {
    await pause(10);
    C = matmul(A, B);
  }
  const A32 = cast(A, 'float32'), B32 = cast(B, 'float32');
  const C32 = matmul(A32, B32);
  const X = randn([4096, 300], { seed: 3 });
  const Y = new Tensor(Float64Array.from({ length: 300 }, (_, j) => j % 2), [1, 300]);
  const train = (): number[] => {
    const net = new Sequential({ layerSizes: [4096, 16, 1], activations: ['relu', 'sigmoid'], seed: 4 });
    return gradientDescent(net, X, Y, { learningRate: 0.01, iterations: 4 }).costs;
  };
  report.costs = train();
  report.helperJobsAfter = helperJobs();

  setBackend('wasm');
  const oneThread = matmul(A, B);
  report.oneThreadCosts = train();
  setBackend('cpu');
  const reference = matmul(A, B), reference32 = matmul(A32, B32);
  const scale = matmul(abs(A), abs(B));
  report.cpuCosts = train();
  let differences = 0, worst64 = 0, worst32 = 0;
  for (let k = 0; k < C.size; k++) {
    if (C.data[k] !== oneThread.data[k]) differences++;
    worst64 = Math.max(worst64, Math.abs(C.data[k]! - reference.data[k]!) / scale.data[k]!);
    worst32 = Math.max(worst32, Math.abs(C32.data[k]! - reference32.data[k]!) / scale.data[k]!);
  }
  report.f64Differences = differences;
  report.f64MaxRelative = worst64;
  report.f32MaxRelative = worst32;
  return report;
}

main().then(
  (report) => self.postMessage(report),
  (e: unknown) => {
    throw e;
  },
);
