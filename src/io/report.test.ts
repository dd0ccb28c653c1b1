import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors.js';
import { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { costCurveSVG, decisionBoundarySVG, reportHTML, type ReportImage } from './report.js';

const count = (text: string, needle: string | RegExp): number =>
  typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(new RegExp(needle, 'g')) ?? []).length;

// A 1×1 PNG: the report only checks that a picture is a base64 image data URI.
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

describe('costCurveSVG', () => {
  const iterations = Array.from({ length: 2500 }, (_, i) => i);
  const costs = iterations.map((i) => 0.7 * Math.exp(-i / 800) + 0.05);

  it('is a standalone SVG with a title, both axes, tick labels, axis labels and the curve', () => {
    const svg = costCurveSVG(iterations, costs, { title: 'Cost <L-layer> & co' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title id="cost-curve-title">Cost &lt;L-layer&gt; &amp; co</title>');
    expect(svg).toContain('class="x-axis"');
    expect(svg).toContain('class="y-axis"');
    expect(svg).toContain('>iteration</text>');
    expect(svg).toContain('>cost J</text>');
    // Nice ticks: 0, 500, … 2500 on x; 0.0 … 0.8 on y (starting at 0).
    const xTicks = [...svg.matchAll(/class="x-tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(xTicks).toEqual(['0', '500', '1000', '1500', '2000', '2500']);
    expect(svg).toMatch(/class="y-tick"[^>]*>0\.0<\/text>/);
    expect(svg).toMatch(/class="y-tick"[^>]*>0\.8<\/text>/);
    const points = /<polyline class="cost"[^>]* points="([^"]+)"/.exec(svg)?.[1];
    expect(points?.split(' ')).toHaveLength(2500);
    // Every coordinate lies inside the 640×360 picture.
    for (const p of points!.split(' ')) {
      const [x, y] = p.split(',').map(Number);
      expect(x! >= 0 && x! <= 640 && y! >= 0 && y! <= 360).toBe(true);
    }
    expect(count(svg, '<text')).toBe(count(svg, '</text>'));
  });

  it('copes with one point, a flat curve and no points at all', () => {
    expect(costCurveSVG([0], [0.69])).toMatch(/<polyline[^>]*points="[\d.]+,[\d.]+"/);
    expect(costCurveSVG([0, 1, 2], [0.5, 0.5, 0.5])).not.toContain('NaN');
    expect(costCurveSVG([0], [0.69])).not.toMatch(/class="x-tick"[^>]*>-/);
    expect(costCurveSVG([], [])).toContain('no costs recorded');
  });

  it('refuses iterations and costs of different lengths', () => {
    expect(() => costCurveSVG([0, 1], [0.5])).toThrow(ArgumentError);
    expect(() => costCurveSVG([{ name: 'train', x: [1, 2], y: [0.5] }])).toThrow(/series 'train' has 2 x values but 1 costs/);
  });

  it('draws several series on the same axes, each in its own color, with a legend', () => {
    const epochs = [1, 2, 3, 4, 5];
    const svg = costCurveSVG(
      [
        { name: 'train', x: epochs, y: [0.7, 0.5, 0.4, 0.35, 0.3] },
        { name: 'validation', x: epochs, y: [0.72, 0.6, 0.55, 0.56, 0.9], dashed: true },
      ],
      { title: 'Cost', xLabel: 'epoch' },
    );
    const lines = [...svg.matchAll(/<polyline class="cost" data-series="([^"]+)" fill="none" stroke="([^"]+)"[^>]*?( stroke-dasharray="[^"]+")? points="([^"]+)"/g)];
    expect(lines.map((m) => m[1])).toEqual(['train', 'validation']);
    expect(lines[0]![2]).not.toBe(lines[1]![2]);
    expect(lines[0]![3]).toBeUndefined();
    expect(lines[1]![3]).toBeDefined();
    expect(lines.every((m) => m[4]!.split(' ').length === 5)).toBe(true);
    expect(svg).toContain('<g class="legend">');
    expect(svg).toContain('>validation</text>');
    expect(svg).toContain('>epoch</text>');
    // The y axis covers both curves: its top tick is at least the validation cost's 0.9.
    const yTicks = [...svg.matchAll(/class="y-tick"[^>]*>([^<]*)<\/text>/g)].map((m) => Number(m[1]));
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(0.9);
    // One curve in the series form draws no legend.
    expect(costCurveSVG([{ name: 'train', x: epochs, y: [1, 2, 3, 4, 5] }])).not.toContain('class="legend"');
  });
});

describe('decisionBoundarySVG', () => {
  // Two blobs, 0 around (−1, −1) and 1 around (1, 1), and a net that separates them.
  const m = 40;
  const X = new Tensor(new Float64Array(2 * m), [2, m]);
  const Y = new Tensor(new Float64Array(m), [1, m]);
  for (let j = 0; j < m; j++) {
    const s = j % 2 === 0 ? -1 : 1;
    X.data[j] = s + 0.3 * Math.sin(j);
    X.data[m + j] = s + 0.3 * Math.cos(3 * j);
    Y.data[j] = s > 0 ? 1 : 0;
  }
  const net = new Sequential({ layerSizes: [2, 1], activations: ['sigmoid'], seed: 1 });
  net.setParameter('W1', new Tensor(Float64Array.from([4, 4]), [1, 2]));

  it('draws P(class) as a heat map under the points, each point in its class color', () => {
    const svg = decisionBoundarySVG(net, X, Y, { classNames: ['blue', 'red'], title: 'Blobs & co', resolution: 20 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title id="decision-boundary-title">Blobs &amp; co</title>');
    const points = [...svg.matchAll(/<circle class="point" data-class="(\d)"[^>]*fill="([^"]+)"/g)];
    expect(points).toHaveLength(m);
    expect(points.filter((p) => p[1] === '1')).toHaveLength(m / 2);
    // Points of a class share a color, the two classes differ.
    expect(new Set(points.filter((p) => p[1] === '0').map((p) => p[2])).size).toBe(1);
    expect(points.find((p) => p[1] === '0')![2]).not.toBe(points.find((p) => p[1] === '1')![2]);
    // The grid: at most one rect per cell (runs of a color merge), at least one per row.
    const cells = svg.split('<g class="probability"')[1]!.split('</g>')[0]!.match(/<rect /g) ?? [];
    expect(cells.length).toBeGreaterThanOrEqual(20);
    expect(cells.length).toBeLessThanOrEqual(400);
    expect(svg).toContain('>blue</text>');
    expect(svg).toContain('>red</text>');
    expect(svg).not.toContain('NaN');
  });

  it('colors by the most probable class for a softmax output, from one-hot labels', () => {
    const softmax = new Sequential({ layerSizes: [2, 3], activations: ['softmax'], seed: 2 });
    const onehot = new Tensor(new Float64Array(3 * m), [3, m]);
    for (let j = 0; j < m; j++) onehot.data[(j % 3) * m + j] = 1;
    const svg = decisionBoundarySVG(softmax, X, onehot, { resolution: 10 });
    const classes = new Set([...svg.matchAll(/data-class="(\d)"/g)].map((p) => p[1]));
    expect(classes).toEqual(new Set(['0', '1', '2']));
    expect(svg).toContain('>2</text>');
  });

  it('refuses data that is not 2-D or labels that do not match', () => {
    expect(() => decisionBoundarySVG(net, new Tensor(new Float64Array(3 * m), [3, m]), Y)).toThrow(ShapeError);
    expect(() => decisionBoundarySVG(net, X, new Tensor(new Float64Array(m - 1), [1, m - 1]))).toThrow(/Y must be/);
    expect(() => decisionBoundarySVG(net, X, Y, { resolution: 1 })).toThrow(ArgumentError);
  });
});

describe('reportHTML', () => {
  const images: ReportImage[] = [
    { pngDataUri: PIXEL, trueLabel: 1, predicted: 1, probability: 0.91 }, // cat, right
    { pngDataUri: PIXEL, trueLabel: 0, predicted: 0, probability: 0.12 }, // non-cat, right
    { pngDataUri: PIXEL, trueLabel: 1, predicted: 0, probability: 0.31 }, // missed cat
    { pngDataUri: PIXEL, trueLabel: 0, predicted: 1, probability: 0.77 }, // false alarm
    { pngDataUri: PIXEL, trueLabel: 1, predicted: 0, probability: 0.45 }, // missed cat
  ];
  const html = reportHTML({
    title: 'Cats <& dogs>',
    subtitle: 'a run',
    costIterations: [0, 1, 2],
    costs: [0.7, 0.6, 0.5],
    trainAccuracy: 98.56459330143539,
    testAccuracy: 80,
    images,
    details: [['learning rate', '0.0075']],
  });

  it('is one self-contained page: inline CSS and SVG, pictures as data URIs, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).not.toMatch(/<link|<script|src="(?!data:)|url\(/);
    expect(count(html, '<img ')).toBe(5);
    expect(count(html, `src="${PIXEL}"`)).toBe(5);
    expect(html).toContain('<title>Cats &lt;&amp; dogs&gt;</title>');
    expect(html).toContain('98.56 %');
    expect(html).toContain('80 %');
    expect(html).toContain('<th>learning rate</th><td>0.0075</td>');
  });

  it('marks each picture with its true and predicted label, and mistakes by kind', () => {
    const tiles = html.match(/<figure class="tile [^"]*"/g) ?? [];
    expect(tiles).toEqual([
      '<figure class="tile right"',
      '<figure class="tile right"',
      '<figure class="tile wrong missed"',
      '<figure class="tile wrong false-alarm"',
      '<figure class="tile wrong missed"',
    ]);
    expect(count(html, '✗ missed cat')).toBe(2);
    expect(count(html, '✗ false alarm')).toBe(1);
    expect(html).toContain('true: cat · predicted: non-cat');
    expect(html).toContain('P(cat) = 0.310');
    // Mistakes get a red border.
    expect(html).toMatch(/figure\.tile\.wrong \{[^}]*border-color: #d1242f/);
  });

  it('sums the mistakes up in one line', () => {
    expect(html).toContain('<p class="summary" id="summary">5 test pictures: 2 right, 3 wrong — 2 missed cats, 1 false alarm.</p>');
    const none = reportHTML({ title: 't', costIterations: [], costs: [], trainAccuracy: 100, testAccuracy: 100, images: images.slice(0, 2) });
    expect(none).toContain('2 test pictures: 2 right, 0 wrong.');
  });

  it('uses the given class names', () => {
    const other = reportHTML({ title: 't', costIterations: [0], costs: [1], trainAccuracy: 1, testAccuracy: 1, images: images.slice(2, 3), classes: ['dog', 'wolf'] });
    expect(other).toContain('✗ missed wolf');
    expect(other).toContain('P(wolf) = 0.310');
  });

  it('refuses labels other than 0/1 and pictures that are not image data URIs', () => {
    const base = { title: 't', costIterations: [], costs: [], trainAccuracy: 0, testAccuracy: 0 };
    expect(() => reportHTML({ ...base, images: [{ ...images[0]!, predicted: 2 }] })).toThrow(/images\[0\]\.predicted is 2/);
    expect(() => reportHTML({ ...base, images: [{ ...images[0]!, pngDataUri: 'x" onerror="alert(1)' }] })).toThrow(ArgumentError);
  });
});
