// The "backprop, visible" panel: for a chosen layer l, the Z[l], A[l], dZ[l], dW[l], db[l]
// of the library's traceStep, each with its shape and values, next to the seeds' formula it
// comes from. Nothing is recomputed here: the numbers are the trace's, as the worker sent them.
import type { LayerSnapshot, Matrix, TraceSnapshot } from './protocol.ts';

/** At most this many samples (columns of an (n[l], m) matrix) are shown; the rest are counted. */
const MAX_SAMPLES = 8;

const G_FORMULA: Record<string, { g: string; dg: string }> = {
  sigmoid: { g: 'σ(Z[l]) = 1 / (1 + e^−Z[l])', dg: 'A[l] * (1 − A[l])' },
  tanh: { g: 'tanh(Z[l])', dg: '1 − A[l]²' },
  relu: { g: 'max(0, Z[l])', dg: '1 where Z[l] > 0, else 0' },
  leakyRelu: { g: 'max(0.01·Z[l], Z[l])', dg: '1 where Z[l] > 0, else 0.01' },
  linear: { g: 'Z[l]', dg: '1' },
  softmax: { g: 'e^Z[l] / Σ e^Z[l] (per column)', dg: '(the softmax Jacobian)' },
};

function withL(formula: string, l: number): string {
  return formula.replaceAll('[l+1]', `[${l + 1}]`).replaceAll('[l−1]', `[${l - 1}]`).replaceAll('[l]', `[${l}]`);
}

export function fmtShape(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

function fmtNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e-3 && a < 1e4 ? x.toFixed(Math.max(0, 4 - Math.floor(Math.log10(a)))) : x.toExponential(3);
  return s.replaceAll('-', '−');
}

function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A matrix as a table, with its name, shape and formula. */
function tensorFigure(key: string, name: string, t: Matrix, formula: string, options: { perSample?: boolean; note?: string } = {}): HTMLElement {
  const [rows, cols] = [t.shape[0] ?? 1, t.shape[1] ?? 1];
  // Weights and their gradients are small (units are capped): shown whole. Per-sample
  // matrices have m columns: the first few are enough to read.
  const shown = options.perSample ? Math.min(cols, MAX_SAMPLES) : cols;
  const table = h('table', { class: 'matrix' });
  for (let i = 0; i < rows; i++) {
    const tr = h('tr');
    for (let j = 0; j < shown; j++) tr.append(h('td', {}, fmtNumber(t.data[i * cols + j]!)));
    if (shown < cols) tr.append(h('td', { class: 'more' }, '…'));
    table.append(tr);
  }
  const caption = h('figcaption', {}, h('span', { class: 'name' }, name), ' ', h('span', { class: 'shape' }, fmtShape(t.shape)), ' = ', h('span', { class: 'formula' }, formula));
  const attrs: Record<string, string> = { id: `explain-${key}`, class: 'tensor', 'data-name': name, 'data-shape': JSON.stringify(t.shape) };
  // The full values of the small matrices (weights and their gradients), at full precision:
  // JSON writes each float64 so that it parses back to the same number. Per-sample matrices
  // would put m columns into the DOM several times a second; they are left out.
  if (!options.perSample) attrs['data-values'] = JSON.stringify(Array.from(t.data));
  const figure = h('figure', attrs, caption, table);
  if (shown < cols) figure.append(h('p', { class: 'note' }, `first ${shown} of ${cols} columns (one per sample)`));
  if (options.note) figure.append(h('p', { class: 'note' }, options.note));
  return figure;
}

export interface ExplainContext {
  trace: TraceSnapshot;
  epoch: number;
  l2: number;
  /** Samples per update (0: all of them). */
  batch: number;
}

export function renderExplain(container: HTMLElement, ctx: ExplainContext, l: number): void {
  const { trace } = ctx;
  const L = trace.layers.length;
  const t: LayerSnapshot | undefined = trace.layers[l - 1];
  if (!t) {
    container.replaceChildren(h('p', {}, 'No trace yet.'));
    return;
  }
  const g = G_FORMULA[t.activation] ?? { g: `${t.activation}(Z[l])`, dg: `${t.activation}′(Z[l])` };
  // dA[l], then dZ[l] through g′ element by element, except for softmax, whose outputs each
  // depend on every Z of their column (as the library's formatTrace writes it).
  const dA = l === L ? (trace.loss === 'squaredError' ? `2(A[${l}] − Y)` : null) : withL('(W[l+1]ᵀ·dZ[l+1])', l);
  const dZformula = dA === null
    ? `A[${l}] − Y`
    : t.activation === 'softmax'
      ? `softmax′(Z[${l}])ᵀ·${dA}, column by column (softmax's Jacobian: each output depends on every Z of its column)`
      : `${dA} * g′(Z[${l}])`;
  const dZnote = l === L
    ? trace.loss === 'squaredError' ? 'squared error: the cost J = (1/m)·Σ (A − Y)²' : `${t.activation} output with cross-entropy: the derivative simplifies to A − Y`
    : withL(`g′(Z[l]) = ${g.dg} for ${t.activation}`, l);
  const intro = h('p', { class: 'intro' },
    `Step at epoch ${ctx.epoch}: one forward and backward pass of the library's traceStep over the m = ${trace.m} training samples `,
    `at the current weights; cost J = ${fmtNumber(trace.cost)}. dZ is the seeds' dZ = m·∂J/∂Z: the 1/m goes into dW and db.`,
    // fit adds λ/(2m)·Σ‖W‖² to each batch's cost, m being that batch's size.
    ctx.l2 > 0 ? ` The trace is of the cost without the L2 term; training adds (λ/m)·W[${l}] to dW[${l}]${ctx.batch > 0 && ctx.batch < trace.m ? `, with m = the batch size (${ctx.batch}), not ${trace.m}` : ''}.` : '');
  container.replaceChildren(
    intro,
    h('h3', {}, 'Forward propagation (left to right)'),
    h('div', { class: 'tensors' },
      tensorFigure('W', `W[${l}]`, t.W, 'the current weights'),
      tensorFigure('b', `b[${l}]`, t.b, 'the current biases'),
      tensorFigure('Z', `Z[${l}]`, t.Z, withL('W[l]·A[l−1] + b[l]', l), { perSample: true }),
      tensorFigure('A', `A[${l}]`, t.A, withL(`g[l](Z[l]) = ${g.g}`, l), { perSample: true })),
    h('h3', {}, 'Backward propagation (right to left)'),
    h('div', { class: 'tensors' },
      tensorFigure('dZ', `dZ[${l}]`, t.dZ, dZformula, { perSample: true, note: dZnote }),
      tensorFigure('dW', `dW[${l}]`, t.dW, withL('(1/m)·dZ[l]·A[l−1]ᵀ', l)),
      tensorFigure('db', `db[${l}]`, t.db, withL('(1/m)·Σ dZ[l] (sum over the columns)', l))),
  );
}
