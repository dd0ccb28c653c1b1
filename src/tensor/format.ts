import type { Tensor } from './tensor.js';

const SUMMARIZE_ABOVE = 1000;
const EDGE = 3;

/**
 * Prints like numpy's repr: one bracket per dimension, aligned columns, 8 significant
 * digits, scientific notation when the magnitudes call for it, `...` past 1000 elements.
 */
export function formatTensor(t: Tensor): string {
  const summarize = t.size > SUMMARIZE_ABOVE;
  const shown = collectShown(t, summarize);
  const fmt = chooseFormat(shown);
  const width = shown.reduce((w, v) => Math.max(w, fmt(v).length), 0);
  const prefix = 'array(';
  if (t.rank === 0) return `${prefix}${fmt(t.data[0]!)}, dtype=${t.dtype})`;
  const body = formatDim(t, 0, 0, summarize, (v) => fmt(v).padStart(width), prefix.length);
  return `${prefix}${body}, dtype=${t.dtype})`;
}

function shownIndices(n: number, summarize: boolean): Array<number | null> {
  if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE }, (_, i) => i);
  const tail = Array.from({ length: EDGE }, (_, i) => n - EDGE + i);
  return [...head, null, ...tail];
}

function formatDim(t: Tensor, dim: number, offset: number, summarize: boolean, fmt: (v: number) => string, indent: number): string {
  const n = t.shape[dim]!;
  let stride = 1;
  for (let d = dim + 1; d < t.rank; d++) stride *= t.shape[d]!;
  const parts = shownIndices(n, summarize).map((i) => {
    if (i === null) return '...';
    if (dim === t.rank - 1) return fmt(t.data[offset + i]!);
    return formatDim(t, dim + 1, offset + i * stride, summarize, fmt, indent + 1);
  });
  if (dim === t.rank - 1) return `[${wrapRow(parts, indent + 1)}]`;
  const sep = ',' + '\n'.repeat(t.rank - dim - 1) + ' '.repeat(indent + 1);
  return `[${parts.join(sep)}]`;
}

function collectShown(t: Tensor, summarize: boolean): number[] {
  if (!summarize) return Array.from(t.data);
  // Only the corners are printed; sample those so the format fits what is shown.
  const out: number[] = [];
  const n = t.data.length;
  for (let i = 0; i < Math.min(n, 64); i++) out.push(t.data[i]!);
  for (let i = Math.max(0, n - 64); i < n; i++) out.push(t.data[i]!);
  return out;
}

function chooseFormat(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e16)) {
    return (v) => special(v) ?? `${v}.`;
  }
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  if (max >= 1e8 || min < 1e-4 || max / min > 1e3) {
    return (v) => special(v) ?? v.toExponential(8).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  }
  // numpy's rule: as many decimals as the longest value needs, at most 8.
  const decimals = Math.max(
    ...finite.map((v) => {
      const s = v.toFixed(8).replace(/0+$/, '');
      return s.length - s.indexOf('.') - 1;
    }),
    1,
  );
  return (v) => special(v) ?? v.toFixed(decimals);
}

// numpy wraps a long row at 75 characters, continuing under its first element.
const LINE_WIDTH = 75;
function wrapRow(parts: string[], indent: number): string {
  let out = '';
  let line = indent;
  parts.forEach((part, i) => {
    const piece = i === 0 ? part : `, ${part}`;
    if (i > 0 && line + piece.length + 1 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${part}`;
      line = indent + part.length;
    } else {
      out += piece;
      line += piece.length;
    }
  });
  return out;
}
