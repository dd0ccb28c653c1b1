// Canvas drawing: the plane (decision boundary under the points), the cost curves and the
// network diagram. Everything drawn here was computed by the library in the worker; this
// module only maps numbers to pixels.
import type { DataMessage, Matrix, UpdateMessage } from './protocol.ts';

type RGB = [number, number, number];

/** Class colours (orange, blue, green): distinguishable with the common colour blindnesses. */
export const CLASS_COLORS: RGB[] = [[245, 147, 34], [8, 119, 189], [44, 160, 95]];
const WHITE: RGB = [255, 255, 255];

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** t in [0, 1] → orange (0) … white (0.5) … blue (1). */
function diverging(t: number): RGB {
  const s = Math.min(1, Math.max(0, t));
  return s < 0.5 ? mix(CLASS_COLORS[0]!, WHITE, s * 2) : mix(WHITE, CLASS_COLORS[1]!, (s - 0.5) * 2);
}

function css([r, g, b]: RGB, alpha = 1): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}

/** Paints a G×G image whose pixel k has colour `color(k)`, scaled (smoothly) into a rectangle. */
function paintGrid(ctx: CanvasRenderingContext2D, G: number, color: (k: number) => RGB, x: number, y: number, w: number, h: number): void {
  const image = new ImageData(G, G);
  for (let k = 0; k < G * G; k++) {
    const [r, g, b] = color(k);
    image.data[4 * k] = r;
    image.data[4 * k + 1] = g;
    image.data[4 * k + 2] = b;
    image.data[4 * k + 3] = 255;
  }
  const off = new OffscreenCanvas(G, G);
  off.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, x, y, w, h);
}

/** The output's colour at grid point k: P(class 1) on the diverging scale, or the classes' colours mixed by their probabilities. */
function outputColor(out: Matrix, k: number): RGB {
  const [K, n] = [out.shape[0]!, out.shape[1]!];
  if (K === 1) return mix(WHITE, diverging(out.data[k]!), 0.75);
  let c: RGB = [0, 0, 0];
  for (let i = 0; i < K; i++) {
    const p = out.data[i * n + k]!;
    const col = CLASS_COLORS[i % CLASS_COLORS.length]!;
    c = [c[0] + p * col[0], c[1] + p * col[1], c[2] + p * col[2]];
  }
  return mix(WHITE, c, 0.65);
}

export function drawPlane(canvas: HTMLCanvasElement, data: DataMessage | undefined, update: UpdateMessage | undefined, showTest: boolean): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (!data) return;
  const last = update?.outputs[update.outputs.length - 1];
  if (update && last) paintGrid(ctx, update.grid, (k) => outputColor(last, k), 0, 0, width, height);
  const [x0, x1, y0, y1] = data.bounds;
  const px = (x: number): number => ((x - x0) / (x1 - x0)) * width;
  const py = (y: number): number => ((y1 - y) / (y1 - y0)) * height;
  const points = (set: DataMessage['train'], stroke: string): void => {
    const m = set.labels.length;
    for (let j = 0; j < m; j++) {
      ctx.beginPath();
      ctx.arc(px(set.X[j]!), py(set.X[m + j]!), 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = css(CLASS_COLORS[set.labels[j]! % CLASS_COLORS.length]!);
      ctx.fill();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1;
      ctx.stroke();
    }
  };
  points(data.train, '#fff');
  // Test points get a black ring, so they can be told apart from the training points.
  if (showTest) points(data.test, '#000');
}

export function drawCurves(canvas: HTMLCanvasElement, train: readonly number[], test: readonly number[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const pad = { l: 44, r: 8, t: 8, b: 22 };
  const n = Math.max(train.length, test.length);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(pad.l, pad.t, width - pad.l - pad.r, height - pad.t - pad.b);
  ctx.fillStyle = '#333';
  ctx.font = '11px system-ui, sans-serif';
  if (n === 0) {
    ctx.fillText('no epochs yet', pad.l + 8, pad.t + 16);
    return;
  }
  const finite = [...train, ...test].filter(Number.isFinite);
  const top = Math.max(1e-9, ...finite);
  const W = width - pad.l - pad.r, H = height - pad.t - pad.b;
  ctx.fillText(top.toPrecision(3), 2, pad.t + 10);
  ctx.fillText('0', pad.l - 12, pad.t + H);
  ctx.fillText(`epoch ${n}`, width - pad.r - 70, height - 6);
  const line = (values: readonly number[], color: string, dash: number[]): void => {
    if (values.length === 0) return;
    ctx.beginPath();
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.8;
    // At most one vertex per pixel column: long runs stay cheap to draw.
    const stride = Math.max(1, Math.floor(values.length / W));
    let first = true;
    for (let i = 0; i < values.length; i += stride) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const x = pad.l + (n === 1 ? 0 : (i / (n - 1)) * W);
      const y = pad.t + H - (v / top) * H;
      if (first) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
      first = false;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(train, css(CLASS_COLORS[1]!), []);
  line(test, css(CLASS_COLORS[0]!), [5, 3]);
}

/** The range a neuron's image is coloured over: the activation's own range where it has one. */
function rangeOf(activation: string | undefined, values: Float64Array, offset: number, n: number): [number, number] {
  if (activation === 'tanh') return [-1, 1];
  if (activation === 'sigmoid' || activation === 'softmax') return [0, 1];
  let big = 1e-12;
  for (let k = 0; k < n; k++) big = Math.max(big, Math.abs(values[offset + k]!));
  return [-big, big];
}

/**
 * The network: a column per layer, a small picture per unit (its A over the plane, orange
 * low … blue high), and an edge per weight, blue for positive, orange for negative, thicker
 * for larger |w|.
 */
export function drawNetwork(canvas: HTMLCanvasElement, data: DataMessage | undefined, update: UpdateMessage | undefined): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (!data) return;
  const sizes = data.layerSizes;
  const widest = Math.max(...sizes);
  const box = Math.max(10, Math.min(40, (height - 30) / widest - 8));
  const colX = (l: number): number => 30 + (l / (sizes.length - 1)) * (width - 60 - box) + box / 2;
  const nodeY = (l: number, i: number): number => {
    const n = sizes[l]!;
    const gap = Math.min(box + 12, (height - 30) / n);
    return 20 + (height - 30) / 2 + (i - (n - 1) / 2) * gap;
  };
  const layers = update?.trace.layers ?? [];
  let wmax = 1e-12;
  for (const t of layers) for (const w of t.W.data) wmax = Math.max(wmax, Math.abs(w));
  for (const t of layers) {
    const [rows, cols] = [t.W.shape[0]!, t.W.shape[1]!];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const w = t.W.data[i * cols + j]!;
        ctx.beginPath();
        ctx.moveTo(colX(t.l - 1) + box / 2, nodeY(t.l - 1, j));
        ctx.lineTo(colX(t.l) - box / 2, nodeY(t.l, i));
        ctx.strokeStyle = css(w >= 0 ? CLASS_COLORS[1]! : CLASS_COLORS[0]!, 0.35 + 0.65 * (Math.abs(w) / wmax));
        ctx.lineWidth = 0.5 + 5 * (Math.abs(w) / wmax);
        ctx.stroke();
      }
    }
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  ctx.textAlign = 'center';
  sizes.forEach((n, l) => {
    ctx.fillText(l === 0 ? 'input' : l === sizes.length - 1 ? `layer ${l} (out)` : `layer ${l}`, colX(l), 12);
    const out = update?.outputs[l];
    for (let i = 0; i < n; i++) {
      const x = colX(l) - box / 2, y = nodeY(l, i) - box / 2;
      if (out && update) {
        const G2 = out.shape[1]!;
        const [lo, hi] = rangeOf(l === 0 ? undefined : data.activations[l - 1], out.data, i * G2, G2);
        paintGrid(ctx, update.grid, (k) => diverging((out.data[i * G2 + k]! - lo) / (hi - lo)), x, y, box, box);
      }
      ctx.strokeStyle = '#555';
      ctx.lineWidth = 1;
      ctx.strokeRect(x, y, box, box);
    }
  });
  ctx.textAlign = 'start';
}
