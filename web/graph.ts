// The seeds' computation graph J = 3(a + b·c), as u = b·c, v = a + u, J = 3v. Forward values
// and every derivative come from the library's autograd (scalar/add/mul, .backward(), .grad):
// the page only lays them out, forward left to right and backward right to left.
import { add, mul, scalar } from '../src/index.ts';

export interface GraphValues {
  u: number;
  v: number;
  J: number;
  /** 1: backward's seed, read back from J.grad. */
  dJdJ: number;
  dJdv: number;
  dJdu: number;
  dJda: number;
  dJdb: number;
  dJdc: number;
}

export function evaluateGraph(a: number, b: number, c: number): GraphValues {
  const A = scalar(a, { requiresGrad: true, name: 'a' });
  const B = scalar(b, { requiresGrad: true, name: 'b' });
  const C = scalar(c, { requiresGrad: true, name: 'c' });
  // retainGrad: u and v are intermediate nodes, whose .grad autograd frees unless asked.
  const u = mul(B, C).retainGrad();
  const v = add(A, u).retainGrad();
  const J = mul(v, 3).retainGrad();
  J.backward();
  const grad = (t: { grad: { item(): number } | null }): number => t.grad?.item() ?? 0;
  return { u: u.item(), v: v.item(), J: J.item(), dJdJ: grad(J), dJdv: grad(v), dJdu: grad(u), dJda: grad(A), dJdb: grad(B), dJdc: grad(C) };
}

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Numbers as a person writes them: integers plainly, others to 6 significant digits. */
export function fmt(x: number): string {
  return String(Number.isInteger(x) ? x : Number(x.toPrecision(6))).replaceAll('-', '−');
}

interface NodeSpec {
  id: string;
  x: number;
  y: number;
  label: string;
}

// Positions in the SVG's own units (it scales with the page).
const NODES: NodeSpec[] = [
  { id: 'a', x: 70, y: 45, label: 'a' },
  { id: 'b', x: 70, y: 145, label: 'b' },
  { id: 'c', x: 70, y: 235, label: 'c' },
  { id: 'u', x: 300, y: 190, label: 'u = b·c' },
  { id: 'v', x: 500, y: 120, label: 'v = a + u' },
  { id: 'J', x: 690, y: 120, label: 'J = 3v' },
];
const EDGES: [string, string, string][] = [
  // from, to, the local derivative d(to)/d(from) the chain rule multiplies by
  ['b', 'u', '∂u/∂b = c'],
  ['c', 'u', '∂u/∂c = b'],
  ['a', 'v', '∂v/∂a = 1'],
  ['u', 'v', '∂v/∂u = 1'],
  ['v', 'J', '∂J/∂v = 3'],
];
const W = 120, H = 46;

/** Draws the graph once; `update` then only changes the numbers. */
export function buildGraph(svg: SVGSVGElement): (g: GraphValues, a: number, b: number, c: number) => void {
  svg.replaceChildren();
  const defs = el('defs', {});
  for (const [id, color] of [['fwd', '#222'], ['bwd', '#c0392b']] as const) {
    const marker = el('marker', { id: `arrow-${id}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
    defs.append(marker);
  }
  svg.append(defs);
  const at = (id: string): NodeSpec => NODES.find((n) => n.id === id)!;
  for (const [from, to, local] of EDGES) {
    const p = at(from), q = at(to);
    const x1 = p.x + W / 2, x2 = q.x - W / 2;
    // Forward arrow on the straight line; backward arrow just below it, pointing back.
    svg.append(el('line', { x1, y1: p.y, x2: x2 - 2, y2: q.y, stroke: '#222', 'stroke-width': 1.6, 'marker-end': 'url(#arrow-fwd)' }));
    svg.append(el('line', { x1: x2 - 2, y1: q.y + 12, x2: x1 + 2, y2: p.y + 12, stroke: '#c0392b', 'stroke-width': 1.4, 'stroke-dasharray': '5 3', 'marker-end': 'url(#arrow-bwd)' }));
    // The local derivative sits beside the backward arrow, offset along the edge's normal
    // so that it crosses no line.
    const len = Math.hypot(x2 - x1, q.y - p.y);
    const [nx, ny] = [-(q.y - p.y) / len, (x2 - x1) / len];
    svg.append(el('text', { x: (x1 + x2) / 2 + nx * 20, y: (p.y + q.y) / 2 + 12 + ny * 20 + 4, class: 'local', 'text-anchor': 'middle' }, local));
  }
  for (const n of NODES) {
    const g = el('g', { id: `graph-node-${n.id}` });
    g.append(el('rect', { x: n.x - W / 2, y: n.y - H / 2, width: W, height: H, rx: 8, class: 'node' }));
    g.append(el('text', { x: n.x, y: n.y - 4, 'text-anchor': 'middle', class: 'label' }, n.label));
    const value = el('text', { x: n.x, y: n.y + 15, 'text-anchor': 'middle', class: 'value' });
    value.append(el('tspan', {}, '= '), el('tspan', { id: `graph-${n.id}` }));
    g.append(value);
    // The derivative of J with respect to this node, above it, in the backward colour.
    const d = el('text', { x: n.x, y: n.y - H / 2 - 7, 'text-anchor': 'middle', class: 'deriv' });
    d.append(el('tspan', {}, n.id === 'J' ? 'dJ/dJ = ' : `dJ/d${n.id} = `), el('tspan', { id: `graph-dJd${n.id}` }));
    g.append(d);
    svg.append(g);
  }
  const set = (id: string, x: number): void => {
    const node = svg.querySelector(`#${id}`);
    if (node) node.textContent = fmt(x);
  };
  return (g, a, b, c) => {
    set('graph-a', a); set('graph-b', b); set('graph-c', c);
    set('graph-u', g.u); set('graph-v', g.v); set('graph-J', g.J);
    set('graph-dJda', g.dJda); set('graph-dJdb', g.dJdb); set('graph-dJdc', g.dJdc);
    set('graph-dJdu', g.dJdu); set('graph-dJdv', g.dJdv); set('graph-dJdJ', g.dJdJ);
  };
}
