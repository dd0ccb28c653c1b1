// The threaded backend in Node: it is the default here, its helper worker really computes half
// of each large product, and small products never leave the calling thread. (The browser's Web
// Worker helper: test/browser/threads.test.ts. Its numbers: the conformance suite.)
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, matmul, randn, setBackend, Sequential, gradientDescent, planarFlower } from '../src/index.js';
import { THREAD_THRESHOLD, helperJobs, threadsAvailable } from '../src/backend/wasm/threads.js';

const initial = getBackend().name;
afterEach(() => void setBackend(initial));

const pause = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

describe('wasm-threads in Node', () => {
  it('is available and the default', () => {
    expect(threadsAvailable()).toBe(true);
    expect(initial).toBe('wasm-threads');
    expect(getBackend().description).toContain('split across 2 threads');
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
