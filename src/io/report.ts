/**
 * A training run as something a person can look at: the cost curves and a classifier's
 * decision regions as SVGs, and one
 * self-contained HTML page (inline CSS, the SVG inline, pictures as data URIs — no files
 * beside it, no network) with the accuracies and every test picture marked with its true and
 * predicted label, mistakes in red.
 *
 * String builders only, no Node APIs: the PNG data URIs are made by the caller (in Node,
 * `encodePNG` from `nabla/node` and `Buffer.toString('base64')`).
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { expectModel } from '../nn/model.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

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

/** One curve of a cost plot, e.g. the training or the validation cost per epoch. */
export interface CurveSeries {
  /** The legend's text, e.g. `train` or `validation`. */
  name: string;
  /** x of each point (iteration or epoch). */
  x: readonly number[];
  /** The cost at each x. */
  y: readonly number[];
  /** A CSS color; default from a palette, one color per series. */
  color?: string;
  /** A dashed line (default: solid). */
  dashed?: boolean;
}

/** Colors of the curves, in order: blue, orange, green, violet. */
const SERIES_COLORS = ['#1f6feb', '#e8590c', '#2f9e44', '#7048e8'];

/** The frame shared by the plots: margins, scales, grid, axes, ticks and axis labels. */
interface Frame {
  sx: (x: number) => number;
  sy: (y: number) => number;
  plotW: number;
  plotH: number;
  margin: { left: number; right: number; top: number; bottom: number };
}

function svgOpen(out: string[], width: number, height: number, title: string, id: string): void {
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title id="${id}">${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${px(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#222">${esc(title)}</text>`,
  );
}

/**
 * Draws the grid, axes, ticks and axis labels for x in `xt` and y in `yt`; `under` is drawn
 * between the background and the grid (a heat map). Returns the scales.
 */
function drawFrame(
  out: string[],
  size: { width: number; height: number },
  xt: ReturnType<typeof ticks>,
  yt: ReturnType<typeof ticks>,
  labels: { x: string; y: string },
  under?: (frame: Frame) => void,
): Frame {
  const { width, height } = size;
  const margin = { left: 72, right: 20, top: 40, bottom: 52 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (x: number): number => margin.left + ((x - xt.lo) / (xt.hi - xt.lo)) * plotW;
  const sy = (y: number): number => margin.top + plotH - ((y - yt.lo) / (yt.hi - yt.lo)) * plotH;
  const frame: Frame = { sx, sy, plotW, plotH, margin };
  under?.(frame);

  out.push(`<g class="grid" stroke="${under ? '#ffffff' : '#e5e5e5'}" stroke-opacity="${under ? '0.5' : '1'}" stroke-width="1">`);
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
    `<text class="x-label" x="${px(margin.left + plotW / 2)}" y="${height - 12}" text-anchor="middle" fill="#222">${esc(labels.x)}</text>`,
    `<text class="y-label" x="18" y="${px(margin.top + plotH / 2)}" text-anchor="middle" fill="#222" transform="rotate(-90 18 ${px(margin.top + plotH / 2)})">${esc(labels.y)}</text>`,
  );
  return frame;
}

/** A legend in the plot's top-right corner: a swatch (line or dot) and a name per entry. */
function drawLegend(out: string[], frame: Frame, entries: ReadonlyArray<{ name: string; color: string; dashed?: boolean; dot?: boolean }>): void {
  const longest = Math.max(...entries.map((e) => e.name.length));
  // About 6.5 px per character at 12 px: wide enough without measuring text.
  const boxW = 36 + longest * 6.5 + 10;
  const boxH = 8 + entries.length * 18;
  const x = frame.margin.left + frame.plotW - boxW - 8;
  const y = frame.margin.top + 8;
  out.push(`<g class="legend"><rect x="${px(x)}" y="${y}" width="${px(boxW)}" height="${boxH}" rx="4" fill="#ffffff" fill-opacity="0.85" stroke="#ccc"/>`);
  entries.forEach((e, k) => {
    const cy = y + 4 + 18 * k + 9;
    if (e.dot) out.push(`<circle cx="${px(x + 18)}" cy="${cy}" r="4" fill="${esc(e.color)}" stroke="#222" stroke-width="0.6"/>`);
    else out.push(`<line x1="${px(x + 8)}" x2="${px(x + 28)}" y1="${cy}" y2="${cy}" stroke="${esc(e.color)}" stroke-width="2"${e.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${px(x + 36)}" y="${cy + 4}" fill="#222">${esc(e.name)}</text>`);
  });
  out.push('</g>');
}

/**
 * Cost curves as a standalone SVG document (it opens in a browser on its own and can be
 * inlined in HTML): axes with nice ticks and grid lines, axis labels, a title and, for
 * several curves, a legend. Two forms:
 *
 * - `costCurveSVG(iterations, costs, options)`: one curve, the cost J against the iteration.
 * - `costCurveSVG(series, options)`: several curves on the same axes, e.g. the training and
 *   the validation cost per epoch.
 *
 * @example
 * writeFileSync('cost-curve.svg', costCurveSVG(run.costIterations, run.costs, { title: 'L-layer, α = 0.0075' }));
 * costCurveSVG([{ name: 'train', x: epochs, y: history.cost }, { name: 'validation', x: epochs, y: history.valCost, dashed: true }],
 *   { xLabel: 'epoch' });
 * @throws ArgumentError when a curve's x and y differ in length.
 */
export function costCurveSVG(series: readonly CurveSeries[], options?: CostCurveOptions): string;
export function costCurveSVG(costIterations: readonly number[], costs: readonly number[], options?: CostCurveOptions): string;
export function costCurveSVG(
  first: readonly number[] | readonly CurveSeries[],
  second?: readonly number[] | CostCurveOptions,
  third?: CostCurveOptions,
): string {
  // The two-array form is the one-curve case; it is told apart by its second argument.
  const single = Array.isArray(second);
  const options: CostCurveOptions = (single ? third : (second as CostCurveOptions | undefined)) ?? {};
  const series: CurveSeries[] = single
    ? [{ name: 'cost', x: first as readonly number[], y: second as readonly number[] }]
    : [...(first as readonly CurveSeries[])];
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      const what = single ? `${s.x.length} iterations but ${s.y.length} costs: give one iteration per cost` : `series '${s.name}' has ${s.x.length} x values but ${s.y.length} costs`;
      throw new ArgumentError('costCurveSVG', what);
    }
  }
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const title = options.title ?? 'Cost during training';
  const xLabel = options.xLabel ?? 'iteration';
  const yLabel = options.yLabel ?? 'cost J';

  // Non-finite costs cannot be drawn; gradient descent stops before recording one anyway.
  const curves = series.map((s, k) => {
    const points: Array<[number, number]> = [];
    s.x.forEach((x, i) => {
      const c = s.y[i]!;
      if (Number.isFinite(x) && Number.isFinite(c)) points.push([x, c]);
    });
    return { ...s, color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length]!, points };
  });
  const all = curves.flatMap((c) => c.points);

  const out: string[] = [];
  svgOpen(out, width, height, title, 'cost-curve-title');
  if (all.length === 0) {
    const margin = { left: 72, right: 20, top: 40, bottom: 52 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    out.push(
      `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
      `<text x="${px(margin.left + plotW / 2)}" y="${px(margin.top + plotH / 2)}" text-anchor="middle" fill="#666">no costs recorded</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xt = ticks(Math.min(...xs), Math.max(...xs), 6, true);
  // Costs of the course's losses are ≥ 0: start the axis at 0 so the drop reads true to scale.
  const yMin = Math.min(...ys);
  const yt = ticks(yMin >= 0 ? 0 : yMin, Math.max(...ys), 5);
  const frame = drawFrame(out, { width, height }, xt, yt, { x: xLabel, y: yLabel });
  const { sx, sy } = frame;

  for (const c of curves) {
    if (c.points.length === 0) continue;
    const line = c.points.map(([x, y]) => `${px(sx(x))},${px(sy(y))}`).join(' ');
    const tag = single ? '' : ` data-series="${esc(c.name)}"`;
    const dash = c.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<polyline class="cost"${tag} fill="none" stroke="${esc(c.color)}" stroke-width="2" stroke-linejoin="round"${dash} points="${line}"/>`);
    const [lastX, lastY] = c.points[c.points.length - 1]!;
    const label = single ? `iteration ${lastX}: J = ${lastY}` : `${c.name}, ${xLabel} ${lastX}: ${lastY}`;
    out.push(`<circle cx="${px(sx(lastX))}" cy="${px(sy(lastY))}" r="3" fill="${esc(c.color)}"><title>${esc(label)}</title></circle>`);
  }
  if (!single && curves.length > 1) drawLegend(out, frame, curves.map((c) => ({ name: c.name, color: c.color, ...(c.dashed ? { dashed: true } : {}) })));
  out.push('</svg>');
  return out.join('\n');
}

/** Class colors of the decision-boundary plot (light tints of them fill the background). */
const CLASS_COLORS = ['#d1242f', '#1f6feb', '#2f9e44', '#e8590c', '#7048e8', '#0c8599', '#c2255c', '#5c940d', '#862e9c', '#495057'];

function rgbOf(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** `a` blended towards `b` by t in [0, 1], as #rrggbb. */
function mix(a: [number, number, number], b: [number, number, number], t: number): string {
  const c = a.map((x, i) => Math.round(x + (b[i]! - x) * t));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export interface DecisionBoundaryOptions {
  /** Shown above the plot and as the SVG's accessible title. */
  title?: string;
  /** Pixels. Default 560 × 480. */
  width?: number;
  height?: number;
  /** Class index k ↦ name, for the legend. Default `0`, `1`, … */
  classNames?: readonly string[];
  /** Axis labels. Default `x1` and `x2`. */
  xLabel?: string;
  yLabel?: string;
  /** Cells of the probability grid along each axis (default 80). */
  resolution?: number;
}

/** What the plot needs of a model: its dtype and its output probabilities. */
export interface ProbabilityModel {
  readonly dtype: DType;
  predictProba(X: Tensor): Tensor;
}

/**
 * The decision regions of a classifier on 2-D data as a standalone SVG: a heat map of the
 * model's P(class) over a grid covering the points (padded by 10 %), under the points
 * themselves colored by their true class. One output unit (sigmoid): the background goes
 * from the color of class 0 (P = 0) through white (P = 0.5, the boundary) to that of
 * class 1; K outputs (softmax): each cell takes the tint of its most probable class,
 * stronger the more confident the model is.
 *
 * @param X (2, m): the samples as columns, as the model takes them.
 * @param Y (1, m) labels 0/1, or one-hot (K, m).
 * @throws ShapeError when X is not (2, m) or Y does not match it.
 */
export function decisionBoundarySVG(model: ProbabilityModel, X: Tensor, Y: Tensor, options: DecisionBoundaryOptions = {}): string {
  expectModel(model, 'decisionBoundarySVG', ['predictProba']);
  if (X.rank !== 2 || X.shape[0] !== 2) throw new ShapeError('decisionBoundarySVG', `X must be (2, m): two features, one column per sample, got ${fmtShape(X.shape)}`);
  const m = X.shape[1]!;
  if (Y.rank !== 2 || Y.shape[1] !== m) throw new ShapeError('decisionBoundarySVG', `Y must be (1, m) or (K, m) with m = ${m}, got ${fmtShape(Y.shape)}`);
  const resolution = options.resolution ?? 80;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 400) {
    throw new ArgumentError('decisionBoundarySVG', `resolution must be a whole number from 2 to 400, got ${resolution}`);
  }
  const width = options.width ?? 560;
  const height = options.height ?? 480;
  const title = options.title ?? 'Decision boundary';

  // Each sample's class: the 0/1 label, or the row of the one in a one-hot column.
  const K = Y.shape[0]!;
  const classOf = (j: number): number => {
    if (K === 1) return Y.data[j]! > 0.5 ? 1 : 0;
    let best = 0;
    for (let k = 1; k < K; k++) if (Y.data[k * m + j]! > Y.data[best * m + j]!) best = k;
    return best;
  };
  const classes = Math.max(2, K);
  const colorOf = (k: number): string => CLASS_COLORS[k % CLASS_COLORS.length]!;

  const x1 = X.data.subarray(0, m);
  const x2 = X.data.subarray(m, 2 * m);
  const range = (v: ArrayLike<number>): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < v.length; j++) if (Number.isFinite(v[j]!)) { lo = Math.min(lo, v[j]!); hi = Math.max(hi, v[j]!); }
    if (!(hi >= lo)) return [-1, 1];
    const pad = hi > lo ? (hi - lo) * 0.1 : 0.5;
    return [lo - pad, hi + pad];
  };
  const [xlo, xhi] = range(x1);
  const [ylo, yhi] = range(x2);
  const xt = ticks(xlo, xhi, 6);
  const yt = ticks(ylo, yhi, 6);

  // P(class) at the centre of each grid cell, all cells in one forward pass.
  const R = resolution;
  const grid = allocate(model.dtype, 2 * R * R);
  const cw = (xt.hi - xt.lo) / R, ch = (yt.hi - yt.lo) / R;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < R; c++) {
      grid[r * R + c] = xt.lo + (c + 0.5) * cw;
      grid[R * R + r * R + c] = yt.lo + (r + 0.5) * ch;
    }
  }
  const A = model.predictProba(new Tensor(grid, [2, R * R]));
  const outputs = A.shape[0]!;
  const white: [number, number, number] = [255, 255, 255];
  const cellColor = (i: number): string => {
    if (outputs === 1) {
      const p = A.data[i]!;
      // 0.5 is the boundary: white there, the class's tint growing towards P = 0 or 1.
      const t = Math.round(Math.abs(p - 0.5) * 2 * 8) / 8;
      return mix(white, rgbOf(colorOf(p > 0.5 ? 1 : 0)), 0.08 + 0.42 * t);
    }
    let best = 0;
    for (let k = 1; k < outputs; k++) if (A.data[k * R * R + i]! > A.data[best * R * R + i]!) best = k;
    const conf = A.data[best * R * R + i]!;
    const t = Math.round(Math.max(0, Math.min(1, (conf - 1 / outputs) / (1 - 1 / outputs))) * 8) / 8;
    return mix(white, rgbOf(colorOf(best)), 0.08 + 0.42 * t);
  };

  const out: string[] = [];
  svgOpen(out, width, height, title, 'decision-boundary-title');
  const frame = drawFrame(out, { width, height }, xt, yt, { x: options.xLabel ?? 'x1', y: options.yLabel ?? 'x2' }, ({ sx, sy }) => {
    out.push('<g class="probability" shape-rendering="crispEdges">');
    // Colors are quantized (8 steps), so runs of equal cells in a row merge into one rect.
    for (let r = 0; r < R; r++) {
      const top = sy(yt.lo + (r + 1) * ch), bottom = sy(yt.lo + r * ch);
      for (let c = 0; c < R; ) {
        const color = cellColor(r * R + c);
        let end = c + 1;
        while (end < R && cellColor(r * R + end) === color) end++;
        const left = sx(xt.lo + c * cw), right = sx(xt.lo + end * cw);
        out.push(`<rect x="${px(left)}" y="${px(top)}" width="${px(right - left + 0.5)}" height="${px(bottom - top + 0.5)}" fill="${color}"/>`);
        c = end;
      }
    }
    out.push('</g>');
  });

  // Every point up to 5000; beyond, every k-th so the file stays small.
  const stride = Math.max(1, Math.ceil(m / 5000));
  out.push('<g class="points" stroke="#222" stroke-width="0.6">');
  for (let j = 0; j < m; j += stride) {
    const k = classOf(j);
    out.push(`<circle class="point" data-class="${k}" cx="${px(frame.sx(x1[j]!))}" cy="${px(frame.sy(x2[j]!))}" r="3" fill="${colorOf(k)}"/>`);
  }
  out.push('</g>');
  const names = options.classNames ?? [];
  drawLegend(
    out,
    frame,
    Array.from({ length: classes }, (_, k) => ({ name: names[k] ?? String(k), color: colorOf(k), dot: true })),
  );
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
