// The threaded backend in a real browser: a check page (test/browser/threads/) built with Vite
// and served twice — cross-origin isolated (COOP/COEP headers) and not. In a Web Worker of the
// isolated page, wasm-threads is the default and splits large products with a helper Web
// Worker: float64 bit for bit one thread's, and within 1e-12 of the cpu backend's. The page's
// own thread, which may not block, and a page that is not isolated run on one thread, saying
// why; a page whose policy refuses the helper gets one line of warning and the same numbers
// from one thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, launchChromium, repoRoot, serveStatic } from './page.js';

// What the check page reports (test/browser/threads/worker.ts's Report, main.ts's threadsCheck);
// redeclared, since that page is its own TypeScript project.
interface Report {
  isolated: boolean;
  backends: string[];
  backend: string;
  description: string;
  helperJobsBefore: number;
  helperJobsAfter: number;
  f64Differences: number;
  f64MaxRelative: number;
  f32MaxRelative: number;
  costs: number[];
  oneThreadCosts: number[];
  cpuCosts: number[];
  warnings: string[];
}

interface Check {
  page: { backends: string[]; backend: string; description: string };
  worker?: Report;
  error?: string;
}

const outDir = mkdtempSync(join(tmpdir(), 'nabla-threads-page-'));
let browser: Browser;
const servers: { url: string; close: () => Promise<void> }[] = [];

beforeAll(async () => {
  const launching = launchChromium();
  launching.catch(() => undefined);
  await build({
    configFile: false,
    root: join(repoRoot, 'test', 'browser', 'threads'),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    worker: { format: 'es' },
  });
  servers.push(
    await serveStatic(outDir, ISOLATION_HEADERS),
    await serveStatic(outDir),
    // Workers only from the page's own origin: the helper, a blob: worker, is refused.
    await serveStatic(outDir, { ...ISOLATION_HEADERS, 'content-security-policy': "worker-src 'self'" }),
  );
  browser = await launching;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(outDir, { recursive: true, force: true });
});

async function check(url: string): Promise<{ result: Check; console: string[] }> {
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${String(e)}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.threadsCheck !== undefined, undefined, { timeout: 60_000, polling: 100 });
    return { result: (await page.evaluate(() => window.threadsCheck)) as Check, console: messages };
  } finally {
    await page.close();
  }
}

describe('wasm-threads in Chromium', () => {
  it('in a Web Worker of a cross-origin isolated page: the default, a helper Web Worker computes half of each large product, float64 bit for bit one thread\'s and within 1e-12 of the cpu backend\'s', async () => {
    const { result, console: messages } = await check(servers[0]!.url);
    expect(result.error).toBeUndefined();
    const w = result.worker!;
    expect(w.isolated).toBe(true);
    expect(w.backends).toEqual(['cpu', 'wasm', 'wasm-threads']);
    expect(w.backend).toBe('wasm-threads');
    expect(w.description).toContain('split across 2 threads');
    // The helper really took jobs: half of the products and of the training's layer-1 products.
    expect(w.helperJobsAfter).toBeGreaterThan(w.helperJobsBefore);
    expect(w.f64Differences).toBe(0);
    expect(w.f64MaxRelative).toBeGreaterThanOrEqual(0);
    expect(w.f64MaxRelative).toBeLessThan(1e-12);
    expect(w.f32MaxRelative).toBeGreaterThanOrEqual(0);
    expect(w.f32MaxRelative).toBeLessThan(1e-5);
    expect(w.costs).toHaveLength(4);
    expect(w.costs).toEqual(w.oneThreadCosts);
    w.costs.forEach((c, i) => expect(Math.abs(c - w.cpuCosts[i]!)).toBeLessThan(1e-12 * w.cpuCosts[i]!));
    expect(w.warnings).toEqual([]);
    expect(messages.filter((m) => /^(error|pageerror|warning)/.test(m))).toEqual([]);

    // The page's main thread may not block in Atomics.wait: the backend exists there but runs on
    // one thread, says why, and is not the default.
    expect(result.page.backends).toContain('wasm-threads');
    expect(result.page.backend).toBe('wasm');
  });

  it('on a page that is not cross-origin isolated: no shared memory, so one thread (wasm) and no threaded backend', async () => {
    const { result } = await check(servers[1]!.url);
    expect(result.error).toBeUndefined();
    const w = result.worker!;
    expect(w.isolated).toBe(false);
    expect(w.backends).toEqual(['cpu', 'wasm']);
    expect(w.backend).toBe('wasm');
    expect(w.helperJobsAfter).toBe(0);
  });

  it('where the page refuses the helper worker (CSP worker-src), one line of warning and the same results on one thread, never a hang', async () => {
    const { result } = await check(servers[2]!.url);
    expect(result.error).toBeUndefined();
    const w = result.worker!;
    expect(w.backend).toBe('wasm-threads');
    expect(w.helperJobsAfter).toBe(0);
    expect(w.f64Differences).toBe(0);
    expect(w.costs).toEqual(w.oneThreadCosts);
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toMatch(/^nabla: wasm-threads could not use its worker thread \(.+\); running on one thread$/);
  });
});

declare global {
  interface Window {
    threadsCheck?: Check;
  }
}
