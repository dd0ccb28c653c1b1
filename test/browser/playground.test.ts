// The playground in a real browser: build it, serve the static files, drive Debian's
// Chromium. It trains, explains, computes the graph, and refuses bad settings — and the
// numbers it shows are checked against the library run here in Node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Sequential, Tensor, accuracy, traceStep, type ActivationName, type LossName } from '../../src/index.js';
import { artifacts, buildPlayground, launchChromium, serveStatic, webDist } from './page.js';

// What window.playground.state() returns (see web/main.ts); redeclared, since the test
// does not import the page's modules.
interface Plain {
  shape: number[];
  data: number[];
}
interface PageState {
  epoch: number;
  running: boolean;
  layerSizes: number[];
  activations: string[];
  loss: string;
  params: Record<string, Plain>;
  traceX: Plain | null;
  traceY: Plain | null;
  trainCost: number[];
  testCost: number[];
}

// The course's planar-flower setup (seed 1, [2, 4, 1], tanh then sigmoid, α = 1.2, full batch).
const FLOWER = '?data=flower&noise=0&m=400&test=0.2&hidden=4&act=tanh&loss=crossEntropy&opt=gd&lr=1.2&batch=0&l2=0&seed=1';

let browser: Browser;
let server: { url: string; close: () => Promise<void> };
const pages: { page: Page; errors: string[] }[] = [];

beforeAll(async () => {
  // Fails (not skips) when Chromium is missing; see launchChromium.
  const launching = launchChromium();
  // Handled below, after the build; this only keeps an early rejection from being reported
  // as unhandled in the meantime.
  launching.catch(() => undefined);
  await buildPlayground();
  server = await serveStatic(webDist);
  browser = await launching;
}, 60_000);

// Each page's worker keeps running until its page closes.
afterEach(async () => {
  await Promise.all(pages.splice(0).map(({ page }) => page.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page that records every console error and uncaught exception. */
async function open(query: string, viewport = { width: 1320, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(server.url + query);
  const entry = { page, errors };
  pages.push(entry);
  return entry;
}

const state = (page: Page): Promise<PageState> => page.evaluate(() => window.playground!.state() as unknown as PageState);
const text = async (page: Page, selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? '';
const tensor = (p: Plain): Tensor => new Tensor(Float64Array.from(p.data), p.shape);

describe('the playground in Chromium', () => {
  it('trains [2, 4, 1] tanh on the flower to ≥ 85 % test accuracy; the explain panel shows the library\'s dW[1]; same URL, same costs', async () => {
    const { page, errors } = await open(FLOWER);
    await page.waitForSelector('#play:not([disabled])');
    // Keyboard-operable: focus Play and press Enter, as a keyboard user would.
    await page.focus('#play');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => parseFloat(document.querySelector('#test-accuracy')?.textContent ?? '') >= 85, undefined, { timeout: 30_000, polling: 100 });
    await page.click('#play');
    await page.waitForSelector('body[data-running="false"]');

    const s = await state(page);
    expect(s.layerSizes).toEqual([2, 4, 1]);
    expect(s.activations).toEqual(['tanh', 'sigmoid']);
    expect(s.epoch).toBeGreaterThan(0);
    expect(s.trainCost.length).toBe(s.epoch);
    const shownAccuracy = parseFloat(await text(page, '#test-accuracy'));
    expect(shownAccuracy).toBeGreaterThanOrEqual(85);

    // The explain panel (layer 1 is selected by default) against traceStep run here, in
    // Node, on the same weights and the same training batch.
    const dW = await page.$eval('#explain-dW', (el) => ({
      name: (el as HTMLElement).dataset['name'],
      shape: JSON.parse((el as HTMLElement).dataset['shape']!) as number[],
      values: JSON.parse((el as HTMLElement).dataset['values']!) as number[],
      caption: el.querySelector('figcaption')?.textContent ?? '',
    }));
    const net = new Sequential({ layerSizes: s.layerSizes, activations: s.activations as ActivationName[], loss: s.loss as LossName });
    for (const [name, p] of Object.entries(s.params)) net.setParameter(name, tensor(p));
    const X = tensor(s.traceX!), Y = tensor(s.traceY!);
    const trace = traceStep(net, X, Y);
    const expected = Array.from(trace.layers[0]!.dW.data);
    expect(dW.name).toBe('dW[1]');
    expect(dW.shape).toEqual([4, 2]);
    expect(dW.caption).toContain('(1/m)·dZ[1]·A[0]ᵀ');
    expect(dW.values).toHaveLength(8);
    dW.values.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 12));
    expect(expected.some((v) => v !== 0)).toBe(true);
    // The shown train accuracy is the library's on those weights too.
    expect(parseFloat(await text(page, '#train-accuracy'))).toBeCloseTo(accuracy(net, X, Y), 1);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });

    // Same URL, same run: a second page taking single steps reproduces the first page's
    // costs, which were trained in time slices — where the slices fell does not matter.
    const second = await open(FLOWER);
    await second.page.waitForSelector('#step:not([disabled])');
    const steps = 15;
    for (let i = 0; i < steps; i++) await second.page.click('#step');
    await second.page.waitForFunction((n) => document.querySelector('#epoch')?.textContent === String(n), steps);
    const s2 = await state(second.page);
    expect(s2.trainCost).toEqual(s.trainCost.slice(0, steps));
    expect(s2.testCost).toEqual(s.testCost.slice(0, steps));

    expect(errors).toEqual([]);
    expect(second.errors).toEqual([]);
  });

  it('explains the output layer of a 3-class softmax network trained with mini-batches, Adam and L2', async () => {
    const { page, errors } = await open('?data=spirals&noise=0.05&hidden=8-8&act=relu-tanh&opt=adam&lr=0.02&batch=32&l2=0.001&seed=3');
    await page.waitForSelector('#step:not([disabled])');
    for (let i = 0; i < 3; i++) await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#epoch')?.textContent === '3');
    await page.selectOption('#explain-layer', '3');
    const s = await state(page);
    expect(s.layerSizes).toEqual([2, 8, 8, 3]);
    expect(s.activations).toEqual(['relu', 'tanh', 'softmax']);
    expect(s.loss).toBe('categoricalCrossEntropy');
    expect(await text(page, '#explain-dZ figcaption')).toContain('A[3] − Y');
    expect(await text(page, '#explain-body .intro')).toContain('without the L2 term');
    const shown = await page.$eval('#explain-dW', (el) => JSON.parse((el as HTMLElement).dataset['values']!) as number[]);
    const net = new Sequential({ layerSizes: s.layerSizes, activations: s.activations as ActivationName[], loss: s.loss as LossName });
    for (const [name, p] of Object.entries(s.params)) net.setParameter(name, tensor(p));
    const trace = traceStep(net, tensor(s.traceX!), tensor(s.traceY!));
    const expected = Array.from(trace.layers[2]!.dW.data);
    expect(shown).toHaveLength(24);
    shown.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 12));
    expect(errors).toEqual([]);
  });

  it('computes the computation graph J = 3(a + b·c) with the library: 33, 3, 6, 9 at 5, 3, 2; and follows edits', async () => {
    const { page, errors } = await open(FLOWER);
    const read = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const id of ['u', 'v', 'J', 'dJda', 'dJdb', 'dJdc', 'dJdu', 'dJdv']) out[id] = await text(page, `#graph-${id}`);
      return out;
    };
    expect(await read()).toEqual({ u: '6', v: '11', J: '33', dJda: '3', dJdb: '6', dJdc: '9', dJdu: '3', dJdv: '3' });
    // Edit with the keyboard: a = 1, b = −2, c = 4 → J = 3(1 − 8) = −21, dJ/db = 3c = 12, dJ/dc = 3b = −6.
    for (const [k, v] of [['a', '1'], ['b', '-2'], ['c', '4']] as const) {
      await page.focus(`#graph-input-${k}`);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(v);
    }
    expect(await read()).toEqual({ u: '−8', v: '−7', J: '−21', dJda: '3', dJdb: '12', dJdc: '−6', dJdu: '3', dJdv: '3' });
    expect(errors).toEqual([]);
  });

  it('refuses bad settings with a visible message, never a blank page, and recovers when they are fixed', async () => {
    const cases: [string, RegExp, string][] = [
      ['?data=banana', /Unknown dataset "banana"/, '#data'],
      ['?hidden=4-0', /Hidden layer 2 has 0 units/, '#hidden'],
      ['?lr=0', /learning rate must be a number > 0/, '#lr'],
      ['?lr=-1', /learning rate must be a number > 0/, '#lr'],
    ];
    // Independent pages: opened side by side, to keep the suite quick.
    await Promise.all(cases.map(async ([query, message, field]) => {
      const { page, errors } = await open(query);
      await page.waitForSelector('#message:not([hidden])');
      expect(await text(page, '#message')).toMatch(message);
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.isDisabled('#play')).toBe(true);
      // The rest of the page is there and working.
      expect(await page.isVisible('#controls')).toBe(true);
      expect(await text(page, '#graph-J')).toBe('33');
      expect(errors).toEqual([]);
    }));

    // Fixing the setting in the form starts a fresh run.
    const { page } = await open('?data=banana');
    await page.selectOption('#data', 'moons');
    await page.waitForSelector('#play:not([disabled])');
    expect(await page.isHidden('#message')).toBe(true);
    expect(new URL(page.url()).searchParams.get('data')).toBe('moons');
  });

  it('pauses a diverging run (the cost becomes NaN) and says so, keeping the curve up to the failing epoch', async () => {
    const { page, errors } = await open('?data=flower&noise=0&hidden=4-4&act=linear&loss=crossEntropy&opt=gd&lr=1e4&batch=0&seed=1');
    await page.waitForSelector('#play:not([disabled])');
    await page.click('#play');
    await page.waitForSelector('#message.diverged:not([hidden])', { timeout: 15_000 });
    const message = await text(page, '#message');
    expect(message).toMatch(/Training paused: it diverged.*NaN/s);
    expect(message).toMatch(/learning rate α = 10000 is likely too large/);
    expect(message).not.toMatch(/clipNorm/);
    expect(await page.getAttribute('body', 'data-running')).toBe('false');
    expect(await page.isDisabled('#play')).toBe(true);
    // The message, the Epoch figure, the status line and the curve agree on the epoch.
    const failed = Number(/In epoch (\d+) /.exec(message)![1]);
    const s = await state(page);
    // Several epochs train before the overflow, all in one time slice: none of them is lost.
    expect(failed).toBeGreaterThan(2);
    expect(s.epoch).toBe(failed - 1);
    expect(s.trainCost).toHaveLength(s.epoch);
    expect(await text(page, '#epoch')).toBe(String(s.epoch));
    expect(await text(page, '#status')).toBe(`Stopped at epoch ${s.epoch}.`);
    expect(errors).toEqual([]);
  });

  it('pauses a run whose cost blows up but stays finite, with each optimizer, naming the learning rate', async () => {
    await Promise.all(['gd', 'momentum', 'rmsprop', 'adam'].map(async (opt) => {
      const { page, errors } = await open(`?opt=${opt}&lr=1e6`);
      await page.waitForSelector('#play:not([disabled])');
      await page.click('#play');
      await page.waitForSelector('#message.diverged:not([hidden])', { timeout: 15_000 });
      const message = await text(page, '#message');
      expect(message).toMatch(/Training paused: it diverged/);
      expect(message).toMatch(/over 10 times its starting 0\.\d{4}/);
      expect(message).toMatch(/learning rate α = 1000000 is likely too large/);
      expect(await page.getAttribute('body', 'data-running')).toBe('false');
      expect(await page.isDisabled('#step')).toBe(true);
      const s = await state(page);
      expect(s.trainCost).toHaveLength(s.epoch);
      expect(message).toContain(`in epoch ${s.epoch})`);
      // Large numbers in short scientific form, on the page and in the message.
      expect(await text(page, '#train-cost')).toMatch(/^\d\.\d\de\+\d+$/);
      expect(message).toMatch(/\(\d\.\d\de\+\d+ in epoch/);
      expect(errors).toEqual([]);
    }));
  });

  it('names L2 λ, not the learning rate, when a large λ makes gradient descent diverge', async () => {
    const { page, errors } = await open('?l2=1e9&opt=gd');
    await page.waitForSelector('#play:not([disabled])');
    await page.click('#play');
    await page.waitForSelector('#message.diverged:not([hidden])', { timeout: 15_000 });
    const message = await text(page, '#message');
    expect(message).toMatch(/L2 λ = 1000000000 is likely too large .*lower λ/);
    expect(message).not.toMatch(/clipNorm|learning rate/i);
    expect(message).not.toMatch(/\d{10}\.|\d\.\d{5,}e/);
    const s = await state(page);
    expect(s.trainCost).toHaveLength(s.epoch);
    expect(await text(page, '#epoch')).toBe(String(s.epoch));
    expect(errors).toEqual([]);
  });
});

describe('the playground for a learner', () => {
  it('refuses empty and unreadable numbers (URL and form) instead of using the defaults, marking the field', async () => {
    const cases: [string, RegExp, string][] = [
      ['?lr=', /Learning rate α is empty/, '#lr'],
      ['?m=0x64', /Points m is not a number: "0x64"/, '#m'],
      ['?seed=abc', /Seed is not a number: "abc"/, '#seed'],
      ['?hidden=-4', /Hidden layer 1 has −4 units/, '#hidden'],
      ['?hidden=4--8', /Hidden layer 2 has −8 units/, '#hidden'],
      ['?hidden=1e-1', /Hidden layer 1 has 1e−1 units/, '#hidden'],
      ['?hidden=4&act=tanh-relu', /2 activations for 1 hidden layer:/, '#act-1'],
    ];
    await Promise.all(cases.map(async ([query, message, field]) => {
      const { page } = await open(query);
      await page.waitForSelector('#message:not([hidden])');
      expect(await text(page, '#message')).toMatch(message);
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.isDisabled('#play')).toBe(true);
    }));

    // In the form: typed into a trained run, each bad value is refused; the run is not restarted.
    const { page, errors } = await open('?hidden=16-16');
    await page.waitForSelector('#step:not([disabled])');
    expect((await state(page)).layerSizes).toEqual([2, 16, 16, 1]);
    const typed: [string, string, RegExp][] = [
      // Chromium keeps '1e' in the field but cannot read it (badInput); letters it does not take.
      ['#lr', '1e', /Learning rate α is not a number\./],
      ['#lr', 'abc', /Learning rate α is empty/],
      ['#lr', '', /Learning rate α is empty/],
      ['#m', '', /Points m is empty/],
      ['#noise', '', /Noise σ is empty/],
      ['#batch', '', /Batch size is empty/],
      ['#seed', '', /Seed is empty/],
      ['#hidden', '4, -8', /Hidden layer 2 has −8 units/],
    ];
    for (const [field, value, message] of typed) {
      await page.click('#step');
      await page.waitForFunction(() => document.querySelector('#epoch')?.textContent === '1');
      await page.click(field, { clickCount: 3 });
      await page.keyboard.press('Backspace');
      if (value) await page.keyboard.type(value);
      await page.press(field, 'Tab');
      await page.waitForSelector('#message:not([hidden])');
      expect(await text(page, '#message')).toMatch(message);
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.isDisabled('#play')).toBe(true);
      expect(await text(page, '#epoch')).toBe('1');
      expect(new URL(page.url()).searchParams.get('lr')).toBe('0.03');
      // Back to the last valid settings (a fresh run at epoch 0) before the next case.
      await page.click('#reset');
      await page.waitForSelector('#step:not([disabled])');
      expect(await page.isHidden('#message')).toBe(true);
      await page.waitForFunction(() => document.querySelector('#epoch')?.textContent === '0');
    }
    expect(errors).toEqual([]);
  });

  it('marks the views as the last valid run when settings are refused, keeps the activation choices, and Reset goes back', async () => {
    const { page, errors } = await open('?hidden=5-3&act=tanh-relu');
    await page.waitForSelector('#step:not([disabled])');
    expect(await page.getAttribute('#reset', 'title')).toMatch(/same initial weights/);
    await page.selectOption('#act-2', 'sigmoid');
    await page.waitForSelector('#step:not([disabled])');
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#epoch')?.textContent === '1');
    const setHidden = async (value: string): Promise<void> => {
      await page.fill('#hidden', value);
      await page.press('#hidden', 'Tab');
    };
    await setHidden('5, x');
    await page.waitForSelector('#message:not([hidden])');
    expect(await text(page, '#message')).toMatch(/last valid settings/);
    expect(await page.isVisible('#views .stale-note')).toBe(true);
    expect(await page.isVisible('#explain .stale-note')).toBe(true);
    expect(Number(await page.$eval('#plane', (el) => getComputedStyle(el.closest('figure')!).opacity))).toBeLessThan(1);
    expect(await page.isDisabled('#reset')).toBe(false);
    expect(await page.isDisabled('#play')).toBe(true);
    expect(await text(page, '#status')).toMatch(/refused/);
    // Fewer layers, then the two again: layer 2 comes back with its choice.
    await setHidden('5');
    await page.waitForSelector('#message', { state: 'hidden' });
    expect(await page.isVisible('#views .stale-note')).toBe(false);
    await setHidden('5, 3');
    expect(await page.inputValue('#act-2')).toBe('sigmoid');
    // Refused again; Reset puts the last valid settings back and starts them.
    await setHidden('-5');
    await page.waitForSelector('#message:not([hidden])');
    await page.click('#reset');
    await page.waitForSelector('#step:not([disabled])');
    expect(await page.inputValue('#hidden')).toBe('5, 3');
    expect(await page.inputValue('#act-2')).toBe('sigmoid');
    expect(await page.isHidden('#message')).toBe(true);
    expect((await state(page)).activations).toEqual(['tanh', 'sigmoid', 'sigmoid']);
    expect(errors).toEqual([]);
  });

  it('keeps the status line and the train cost current after each step; the train cost is the explain panel\'s J', async () => {
    const { page, errors } = await open(FLOWER);
    await page.waitForSelector('#step:not([disabled])');
    for (let n = 1; n <= 2; n++) {
      await page.click('#step');
      await page.waitForFunction((k) => document.querySelector('#epoch')?.textContent === String(k), n);
      expect(await text(page, '#status')).toBe(`Paused at epoch ${n}.`);
    }
    const J = Number(/cost J = (\d+\.\d+)/.exec(await text(page, '#explain-body .intro'))![1]);
    const shown = Number(await text(page, '#train-cost'));
    expect(Math.abs(shown - J)).toBeLessThan(1e-4);
    // Not the cost fit recorded during epoch 2 (before its update): that is one epoch behind.
    const s = await state(page);
    expect(Math.abs(shown - s.trainCost[1]!)).toBeGreaterThan(1e-3);
    expect(Number(await text(page, '#test-cost'))).toBeCloseTo(s.testCost[1]!, 4);
    expect(errors).toEqual([]);
  });

  it('writes the explain panel right: softmax with squared error, L2 with mini-batches, one kind of minus sign', async () => {
    const softmax = await open('?data=spirals&loss=squaredError&hidden=4');
    await softmax.page.waitForSelector('#step:not([disabled])');
    await softmax.page.selectOption('#explain-layer', '2');
    const caption = await text(softmax.page, '#explain-dZ figcaption');
    expect(caption).toContain('softmax′(Z[2])ᵀ·2(A[2] − Y), column by column');
    expect(caption).not.toContain('* g′');

    const { page, errors } = await open('?data=moons&hidden=3&act=leakyRelu&l2=0.5&batch=32&opt=gd&lr=0.1');
    await page.waitForSelector('#step:not([disabled])');
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#epoch')?.textContent === '1');
    expect(await text(page, '#explain-body .intro')).toMatch(/adds \(λ\/m\)·W\[1\] to dW\[1\], with m = the batch size \(32\), not 320/);
    const cells = await page.$$eval('#explain-body td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells.some((c) => /−.*e−/.test(c))).toBe(true);
    expect(cells.filter((c) => c.includes('-'))).toEqual([]);
    expect(errors).toEqual([]);
    expect(softmax.errors).toEqual([]);
  });

  it('fits a phone-width window: wide tables scroll in their own box, Step and Reset stay on screen', async () => {
    const { page, errors } = await open('?data=spirals&hidden=16-16', { width: 375, height: 740 });
    await page.waitForSelector('#step:not([disabled])');
    await page.waitForSelector('#explain-dZ');
    const layout = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      reset: document.querySelector('#reset')!.getBoundingClientRect().right,
      dZ: document.querySelector('#explain-dZ')!.getBoundingClientRect().right,
      table: document.querySelector('#explain-dZ table')!.scrollWidth,
    }));
    expect(layout.table).toBeGreaterThan(375);
    expect(layout.page).toBeLessThanOrEqual(375);
    expect(layout.reset).toBeLessThanOrEqual(375);
    expect(layout.dZ).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
  });

  it('says when the computation graph overflows', async () => {
    const { page, errors } = await open('?data=moons');
    expect(await page.isHidden('#graph-message')).toBe(true);
    for (const k of ['a', 'b']) await page.fill(`#graph-input-${k}`, '1e308');
    await page.waitForSelector('#graph-message:not([hidden])');
    expect(await text(page, '#graph-message')).toMatch(/overflow/);
    expect(await text(page, '#graph-u')).toBe('Infinity');
    await page.fill('#graph-input-a', '1');
    await page.fill('#graph-input-b', '3');
    await page.waitForSelector('#graph-message', { state: 'hidden' });
    expect(errors).toEqual([]);
  });

  it('starts with the buttons disabled and says so when its script cannot load (opened from disk)', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    pages.push({ page, errors: [] });
    await page.goto(server.url);
    expect(await page.isDisabled('#play')).toBe(true);
    expect(await page.isDisabled('#step')).toBe(true);
    expect(await text(page, '#status')).toMatch(/Loading/);

    const fromDisk = await browser.newPage();
    pages.push({ page: fromDisk, errors: [] });
    await fromDisk.goto(pathToFileURL(join(webDist, 'index.html')).href);
    await fromDisk.waitForSelector('#message:not([hidden])');
    expect(await text(fromDisk, '#message')).toMatch(/could not load its script: a page opened from disk/);
    expect(await fromDisk.isDisabled('#play')).toBe(true);
  });
});

declare global {
  interface Window {
    playground?: { state(): unknown };
  }
}
