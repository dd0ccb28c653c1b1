/**
 * A training run as something a person can look at: the cost curve as an SVG, and one
 * self-contained HTML page (inline CSS, the SVG inline, pictures as data URIs — no files
 * beside it, no network) with the accuracies and every test picture marked with its true and
 * predicted label, mistakes in red.
 *
 * String builders only, no Node APIs: the PNG data URIs are made by the caller (in Node,
 * `encodePNG` from `nabla/node` and `Buffer.toString('base64')`).
 */
import { ArgumentError } from '../errors.js';

/** Escapes text for HTML/SVG content and attribute values. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A round number for coordinates: SVG needs no more than 1/100 of a pixel. */
function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** Tick values covering [lo, hi] in nice steps, and the axis range rounded out to them. */
function ticks(lo: number, hi: number, count: number, integer = false): { lo: number; hi: number; step: number; values: number[] } {
  if (!(hi > lo) && integer) hi = lo + 1;
  if (!(hi > lo)) {
    // A single value (one iteration, or a flat cost): widen so the axis still has a span.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  // Iterations are whole numbers: no tick at 0.5.
  const step = integer ? Math.max(1, niceStep(hi - lo, count)) : niceStep(hi - lo, count);
  const a = Math.floor(lo / step) * step;
  const b = Math.ceil(hi / step) * step;
  const values: number[] = [];
  // Index-based, so accumulating floating-point steps never adds or drops a tick.
  for (let k = 0; a + k * step <= b + step * 1e-9; k++) values.push(a + k * step);
  return { lo: a, hi: b, step, values };
}

function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 12));
}

export interface CostCurveOptions {
  /** Shown above the plot and as the SVG's accessible title. */
  title?: string;
  /** Pixels. Default 640 × 360. */
  width?: number;
  height?: number;
  /** Axis labels. Default `iteration` and `cost J`. */
  xLabel?: string;
  yLabel?: string;
}

/**
 * The cost J against the iteration as a standalone SVG document (it opens in a browser on its
 * own and can be inlined in HTML): axes with nice ticks and grid lines, axis labels, a title.
 *
 * @example
 * writeFileSync('cost-curve.svg', costCurveSVG(run.costIterations, run.costs, { title: 'L-layer, α = 0.0075' }));
 * @throws ArgumentError when the two arrays differ in length.
 */
export function costCurveSVG(costIterations: readonly number[], costs: readonly number[], options: CostCurveOptions = {}): string {
  if (costIterations.length !== costs.length) {
    throw new ArgumentError('costCurveSVG', `${costIterations.length} iterations but ${costs.length} costs: give one iteration per cost`);
  }
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const title = options.title ?? 'Cost during training';
  const xLabel = options.xLabel ?? 'iteration';
  const yLabel = options.yLabel ?? 'cost J';
  const margin = { left: 72, right: 20, top: 40, bottom: 52 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;

  // Non-finite costs cannot be drawn; gradient descent stops before recording one anyway.
  const points: Array<[number, number]> = [];
  costIterations.forEach((it, k) => {
    const c = costs[k]!;
    if (Number.isFinite(it) && Number.isFinite(c)) points.push([it, c]);
  });

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="cost-curve-title" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title id="cost-curve-title">${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${px(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#222">${esc(title)}</text>`,
  );

  if (points.length === 0) {
    out.push(
      `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
      `<text x="${px(margin.left + plotW / 2)}" y="${px(margin.top + plotH / 2)}" text-anchor="middle" fill="#666">no costs recorded</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  const xt = ticks(xMin, xMax, 6, true);
  // Costs of the course's losses are ≥ 0: start the axis at 0 so the drop reads true to scale.
  const yt = ticks(yMin >= 0 ? 0 : yMin, yMax, 5);
  const sx = (x: number): number => margin.left + ((x - xt.lo) / (xt.hi - xt.lo)) * plotW;
  const sy = (y: number): number => margin.top + plotH - ((y - yt.lo) / (yt.hi - yt.lo)) * plotH;

  out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
  for (const v of yt.values) out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${px(sy(v))}" y2="${px(sy(v))}"/>`);
  for (const v of xt.values) out.push(`<line x1="${px(sx(v))}" x2="${px(sx(v))}" y1="${margin.top}" y2="${margin.top + plotH}"/>`);
  out.push('</g>');

  out.push('<g class="axes" stroke="#333" stroke-width="1">');
  out.push(`<line class="x-axis" x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}"/>`);
  out.push(`<line class="y-axis" x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}"/>`);
  for (const v of xt.values) out.push(`<line x1="${px(sx(v))}" x2="${px(sx(v))}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}"/>`);
  for (const v of yt.values) out.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${px(sy(v))}" y2="${px(sy(v))}"/>`);
  out.push('</g>');

  out.push('<g class="tick-labels" fill="#333">');
  for (const v of xt.values) {
    out.push(`<text class="x-tick" x="${px(sx(v))}" y="${margin.top + plotH + 19}" text-anchor="middle">${tickLabel(v, xt.step)}</text>`);
  }
  for (const v of yt.values) {
    out.push(`<text class="y-tick" x="${margin.left - 9}" y="${px(sy(v) + 4)}" text-anchor="end">${tickLabel(v, yt.step)}</text>`);
  }
  out.push('</g>');

  out.push(
    `<text class="x-label" x="${px(margin.left + plotW / 2)}" y="${height - 12}" text-anchor="middle" fill="#222">${esc(xLabel)}</text>`,
    `<text class="y-label" x="18" y="${px(margin.top + plotH / 2)}" text-anchor="middle" fill="#222" transform="rotate(-90 18 ${px(margin.top + plotH / 2)})">${esc(yLabel)}</text>`,
  );

  const line = points.map(([x, y]) => `${px(sx(x))},${px(sy(y))}`).join(' ');
  out.push(`<polyline class="cost" fill="none" stroke="#1f6feb" stroke-width="2" stroke-linejoin="round" points="${line}"/>`);
  const [lastX, lastY] = points[points.length - 1]!;
  out.push(`<circle cx="${px(sx(lastX))}" cy="${px(sy(lastY))}" r="3" fill="#1f6feb"><title>iteration ${lastX}: J = ${lastY}</title></circle>`);
  out.push('</svg>');
  return out.join('\n');
}

/** One test picture in the report. */
export interface ReportImage {
  /** The picture as `data:image/png;base64,…` (or `data:image/jpeg;base64,…`). */
  pngDataUri: string;
  /** The true label, 0 or 1. */
  trueLabel: number;
  /** The predicted label, 0 or 1. */
  predicted: number;
  /** The model's P(label 1) for the picture. */
  probability: number;
}

export interface ReportOptions {
  title: string;
  costIterations: readonly number[];
  costs: readonly number[];
  /** Percent. */
  trainAccuracy: number;
  /** Percent. */
  testAccuracy: number;
  images: readonly ReportImage[];
  /** Names of label 0 and label 1. Default `['non-cat', 'cat']`. */
  classes?: readonly [string, string];
  /** Rows for a "run" table: network, learning rate, time taken, … */
  details?: ReadonlyArray<readonly [string, string]>;
  /** A line under the title, e.g. when and how the run was made. */
  subtitle?: string;
}

const DATA_URI = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]*={0,2}$/;

function checkLabel(value: number, what: string, k: number): number {
  if (value !== 0 && value !== 1) throw new ArgumentError('reportHTML', `images[${k}].${what} is ${value}, expected 0 or 1`);
  return value;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #f6f7f9; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
.subtitle { color: #555; margin: 0 0 20px; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.stat { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.stat .value { font-size: 26px; font-weight: 650; }
.stat .label { color: #555; font-size: 13px; }
table.details { border-collapse: collapse; background: #fff; border: 1px solid #ddd; }
table.details th, table.details td { text-align: left; padding: 4px 12px; border-bottom: 1px solid #eee; }
table.details th { color: #555; font-weight: 500; }
.curve { background: #fff; border: 1px solid #ddd; border-radius: 8px; display: inline-block; padding: 4px; max-width: 100%; }
.curve svg { max-width: 100%; height: auto; }
.summary { font-size: 16px; margin: 8px 0 12px; }
.legend { color: #555; font-size: 13px; margin-bottom: 12px; }
.legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin: 0 4px 0 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
figure.tile { margin: 0; background: #fff; border: 3px solid #2e9e44; border-radius: 8px; padding: 8px; text-align: center; }
figure.tile.wrong { border-color: #d1242f; background: #fff1f1; box-shadow: 0 0 0 2px #d1242f33; }
figure.tile img { width: 128px; height: 128px; image-rendering: pixelated; display: block; margin: 0 auto 6px; border-radius: 3px; }
figure.tile figcaption { font-size: 12.5px; line-height: 1.35; }
.verdict { display: block; font-weight: 650; font-size: 13.5px; }
figure.tile.right .verdict { color: #1a7f37; }
figure.tile.wrong .verdict { color: #d1242f; text-transform: uppercase; letter-spacing: 0.02em; }
.prob { color: #555; }
footer { margin-top: 32px; color: #777; font-size: 12px; }
`;

/**
 * One self-contained HTML page for a run: title, accuracies, run details, the cost curve
 * (inline SVG) and a grid of the test pictures. Each picture shows its true and predicted
 * label and P(label 1); a mistake gets a red border and says which kind it is — "missed cat"
 * (a cat predicted as non-cat) or "false alarm" (a non-cat predicted as cat) — and a summary
 * line counts them.
 *
 * @throws ArgumentError for a label other than 0/1 or a picture that is not an image data URI.
 */
export function reportHTML(options: ReportOptions): string {
  const [neg, pos] = options.classes ?? ['non-cat', 'cat'];
  const images = options.images.map((img, k) => {
    if (typeof img.pngDataUri !== 'string' || !DATA_URI.test(img.pngDataUri)) {
      throw new ArgumentError('reportHTML', `images[${k}].pngDataUri is not a base64 PNG or JPEG data URI`);
    }
    return { ...img, trueLabel: checkLabel(img.trueLabel, 'trueLabel', k), predicted: checkLabel(img.predicted, 'predicted', k), index: k };
  });
  const missed = images.filter((i) => i.trueLabel === 1 && i.predicted === 0).length;
  const falseAlarms = images.filter((i) => i.trueLabel === 0 && i.predicted === 1).length;
  const wrong = missed + falseAlarms;
  const right = images.length - wrong;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const missedWord = `missed ${pos}`;
  const summary =
    `${plural(images.length, 'test picture', 'test pictures')}: ${right} right, ${wrong} wrong` +
    (wrong > 0 ? ` — ${plural(missed, missedWord, `${missedWord}s`)}, ${plural(falseAlarms, 'false alarm', 'false alarms')}` : '') +
    '.';

  const label = (y: number): string => (y === 1 ? pos : neg);
  const tiles = images.map((img) => {
    const ok = img.trueLabel === img.predicted;
    const verdict = ok ? `✓ ${label(img.trueLabel)}` : img.trueLabel === 1 ? `✗ ${missedWord}` : '✗ false alarm';
    const kind = ok ? 'right' : img.trueLabel === 1 ? 'wrong missed' : 'wrong false-alarm';
    const p = Number.isFinite(img.probability) ? img.probability.toFixed(3) : String(img.probability);
    const alt = `test picture ${img.index}: ${label(img.trueLabel)}, predicted ${label(img.predicted)}`;
    return [
      `<figure class="tile ${kind}" data-index="${img.index}" data-true="${img.trueLabel}" data-predicted="${img.predicted}">`,
      `<img src="${img.pngDataUri}" width="64" height="64" alt="${esc(alt)}">`,
      `<figcaption><span class="verdict">${esc(verdict)}</span>`,
      `#${img.index} · true: ${esc(label(img.trueLabel))} · predicted: ${esc(label(img.predicted))}<br>`,
      `<span class="prob">P(${esc(pos)}) = ${p}</span></figcaption>`,
      '</figure>',
    ].join('');
  });

  const details = options.details ?? [];
  const fmtPct = (v: number): string => `${Number.isFinite(v) ? Number(v.toFixed(2)) : v} %`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(options.title)}</h1>`,
    options.subtitle !== undefined ? `<p class="subtitle">${esc(options.subtitle)}</p>` : '',
    '<div class="stats">',
    `<div class="stat"><div class="value" id="train-accuracy">${esc(fmtPct(options.trainAccuracy))}</div><div class="label">train accuracy</div></div>`,
    `<div class="stat"><div class="value" id="test-accuracy">${esc(fmtPct(options.testAccuracy))}</div><div class="label">test accuracy</div></div>`,
    `<div class="stat"><div class="value">${wrong}</div><div class="label">test mistakes (${missed} missed, ${plural(falseAlarms, 'false alarm', 'false alarms')})</div></div>`,
    '</div>',
    details.length > 0
      ? `<table class="details">${details.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`
      : '',
    '<h2>Cost</h2>',
    `<div class="curve">${costCurveSVG(options.costIterations, options.costs, { title: 'Cost J during training' })}</div>`,
    '<h2>Test pictures</h2>',
    `<p class="summary" id="summary">${esc(summary)}</p>`,
    `<p class="legend"><span class="swatch" style="background:#2e9e44"></span>right`,
    `<span class="swatch" style="background:#d1242f"></span>wrong: “${esc(missedWord)}” = a ${esc(pos)} predicted as ${esc(neg)}, “false alarm” = a ${esc(neg)} predicted as ${esc(pos)}</p>`,
    `<div class="grid">${tiles.join('\n')}</div>`,
    '<footer>Made by nabla. Predicted label: P &gt; 0.5.</footer>',
    '</body>',
    '</html>',
  ];
  return html.filter((s) => s !== '').join('\n') + '\n';
}
