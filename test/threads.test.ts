// The threaded backend in Node: it is the default here, its helper worker really computes half
// of each large product, and small products never leave the calling thread. (The browser's Web
// Worker helper: test/browser/threads.test.ts. Its numbers: the conformance suite.)
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, matmul, randn, setBackend, Sequential, gradientDescent, planarFlower } from '../src/index.js';
import { THREAD_THRESHOLD, helperJobs, threadsAvailable, tooFewCores } from '../src/backend/wasm/threads.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const initial = getBackend().name;
afterEach(() => void setBackend(initial));

const pause = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

describe('wasm-threads in Node', () => {
  it('is available and the default', () => {
    expect(threadsAvailable()).toBe(true);
    expect(initial).toBe('wasm-threads');
    expect(getBackend().description).toContain('split across 2 threads');
  });

  it('on one core stays on one thread, and says why (the two threads would take turns, each spinning while it waits)', () => {
    expect(tooFewCores(1)).toBe('one CPU core here: a second thread would only take turns with this one');
    expect(tooFewCores(2)).toBeNull();
    expect(tooFewCores(null)).toBeNull();
    // A process allowed one core (Linux: taskset): 'wasm' is the default, 'wasm-threads' says why.
    if (!existsSync('/usr/bin/taskset')) return;
    const root = fileURLToPath(new URL('..', import.meta.url));
    const script = "import { getBackend, setBackend } from './src/index.ts'; console.log(getBackend().name); console.log(setBackend('wasm-threads').description);";
    const r = spawnSync('/usr/bin/taskset', ['-c', '0', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [name, description] = r.stdout.trim().split('\n');
    expect(name).toBe('wasm');
    expect(description).toContain('one thread: one CPU core here');
  });

  it('hands half of a product of 2^22 multiply-adds or more to its helper, none of a smaller one', async () => {
    setBackend('wasm-threads');
    // The flower network's products (4×2·2×400 and the like) never reach the helper.
    const { X, Y } = planarFlower({ seed: 1 });
    const before = helperJobs();
    gradientDescent(new Sequential({ layerSizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], seed: 2 }), X, Y, { learningRate: 1.2, iterations: 200 });
    const small = randn([128, 128], { seed: 3 });
    for (let i = 0; i < 20; i++) matmul(small, small);
    expect(helperJobs()).toBe(before);

    // 256·512·256 = 2^25. The helper starts with the first such product (tens of milliseconds,
    // during which the calling thread computes both halves), then takes every other half.
    expect(256 * 512 * 256).toBeGreaterThanOrEqual(THREAD_THRESHOLD);
    const A = randn([256, 512], { seed: 4 }), B = randn([512, 256], { seed: 5 });
    for (let i = 0; i < 300 && helperJobs() === before; i++) {
      matmul(A, B);
      await pause(5);
    }
    const started = helperJobs();
    expect(started).toBeGreaterThan(before);
    for (let i = 0; i < 10; i++) matmul(A, B);
    expect(helperJobs()).toBeGreaterThan(started);
  });
});

describe('wasm-threads: C\'s rows shared out as the threads come free', () => {
  it('is bit for bit the one-thread backend\'s, float32 and float64, every transpose case, with the helper taking rows', async () => {
    // Products of 2^22 multiply-adds or more with at least 96 rows (float64: 80) and 8 columns:
    // op(B) is packed once, then both threads take blocks of rows until none are left. Ragged
    // sizes: rows not a multiple of any block, 9 columns (one full panel and a 1-wide one), K past
    // several 256-deep slices, N past one block of packed columns (float32 2048, float64 1024).
    // A and B go in piece by piece while the helper already packs and computes: a piece taken
    // before its rows are there would be packed from the last product's values.
    // And products of at most 48 rows with B not transposed: B is copied in 256-row slices, the
    // helper computing its columns of each as soon as it is there (SplitGemm.gemmSliced).
    const shapes: Array<[number, number, number]> = [[101, 9, 5000], [300, 250, 70], [1000, 64, 70], [96, 2100, 600], [20, 209, 4100], [48, 17, 6000]];
    for (const [M, N, K] of shapes) expect(M * N * K).toBeGreaterThanOrEqual(THREAD_THRESHOLD);
    setBackend('wasm-threads');
    // Start the helper first, so that it takes part in the products compared below.
    const warm = randn([256, 512], { seed: 1 });
    const before = helperJobs();
    for (let i = 0; i < 300 && helperJobs() === before; i++) {
      matmul(warm, warm, { transB: true });
      await pause(5);
    }
    let seed = 10;
    setBackend('wasm');
    for (const [M, N, K] of shapes) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const A = randn(transA ? [K, M] : [M, K], { seed: seed++, dtype }), B = randn(transB ? [N, K] : [K, N], { seed: seed++, dtype });
            const label = `${dtype} ${M}×${K}·${K}×${N} transA=${transA} transB=${transB}`;
            const one = matmul(A, B, { transA, transB }).data; // on 'wasm', one thread
            setBackend('wasm-threads');
            // A helper that has gone to sleep (after half a millisecond without work) may wake
            // after the calling thread has taken every row; products back to back find it awake.
            let helped = false;
            for (let i = 0; i < 20 && !helped; i++) {
              const jobs = helperJobs();
              const here = matmul(A, B, { transA, transB });
              helped = helperJobs() > jobs;
              // The first element that differs, if any (a diff of two 200,000-element arrays
              // takes the test runner minutes).
              const at = here.data.findIndex((v, j) => !Object.is(v, one[j]));
              expect(at < 0 ? 'the same' : `element ${at}: ${here.data[at]}, not ${one[at]}`, label).toBe('the same');
            }
            setBackend('wasm');
            expect(helped, label).toBe(true);
          }
        }
      }
    }
  });
});
