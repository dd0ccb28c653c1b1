/**
 * The command line and model files: export never overwrites the model it reads; predict reads
 * a CSV's features by name and refuses binary data; the loader refuses non-finite weights,
 * notes that contradict the network and files that are not models; a model saved by the
 * library with its scaler and class names predicts and evaluates as the library does.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogisticRegression, Sequential, fit } from '../src/index.js';
import { loadCSV, loadModelFile, saveModelFile } from '../src/node.js';
import { join8, nabla, type Run } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MOONS = join(root, 'examples', 'data', 'moons.csv');
const LONG = 120_000;

/** The header and data of a model file, to forge variants of it. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>, data: bytes.subarray(8 + n) };
}

/** Every error line but the usage hint a usage error adds. */
const firstLine = (r: Run): string => r.stderr.split('\n')[0]!;

describe('nabla and model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-models-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** M: the README's moons model (fewer epochs). */
  let model = '';
  let modelBytes = new Uint8Array(0);
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  /** A copy of M with its __metadata__ entries changed, or its bytes changed by `poke`. */
  const forged = (name: string, meta: Record<string, string>, poke?: (header: Record<string, unknown>, data: Uint8Array) => void): string => {
    const { header, data } = split(modelBytes);
    Object.assign(header.__metadata__ as Record<string, string>, meta);
    const copy = data.slice();
    poke?.(header, copy);
    return file(name, join8(header, copy));
  };

  beforeAll(async () => {
    const out = join(dir, 'runs');
    const r = await nabla('train', MOONS, '--label', 'label', '--validation-split', '0.2', '--early-stopping', '10', '--epochs', '30', '--out', out, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    model = join(out, readdirSync(out)[0]!, 'model.safetensors');
    modelBytes = new Uint8Array(readFileSync(model));
  }, LONG);

  it('export refuses to write over the model it reads, by any path to it (exit 2, both flags named); the model is intact', async () => {
    const v = file('v.safetensors', modelBytes);
    mkdirSync(join(dir, 'sub'));
    symlinkSync(v, join(dir, 'link.safetensors'));
    linkSync(v, join(dir, 'hard.safetensors'));
    const other = file('other.safetensors', modelBytes);
    const [same, dotted, link, hard, otherModel, fresh] = await Promise.all([
      nabla('export', '--model', v, '--onnx', v),
      nabla('export', '--model', v, '--onnx', join(dir, 'sub', '..', 'v.safetensors')),
      nabla('export', '--model', v, '--onnx', join(dir, 'link.safetensors')),
      nabla('export', '--model', join(dir, 'hard.safetensors'), '--onnx', v),
      nabla('export', '--model', v, '--onnx', other),
      nabla('export', '--model', v, '--onnx', join(dir, 'v.onnx')),
    ]);
    for (const r of [same, dotted, link, hard]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(firstLine(r)).toMatch(/^error: --onnx .+ is the file given as --model .+: the export would overwrite the model; choose another output path/);
    }
    expect(firstLine(same)).toBe(`error: --onnx ${v} is the file given as --model ${v}: the export would overwrite the model; choose another output path (e.g. a .onnx file)`);
    expect(otherModel.code).toBe(2);
    expect(firstLine(otherModel)).toBe(`error: --onnx ${other} is an existing nabla model file (safetensors), not the --model ${v}: the export would overwrite it with ONNX; choose another output path (e.g. a .onnx file)`);
    for (const path of [v, other]) expect(new Uint8Array(readFileSync(path))).toEqual(modelBytes);
    // Another path is written as before.
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain(`Wrote ${join(dir, 'v.onnx')}`);
  }, LONG);

  it("predict refuses a header without the model's features instead of reading other columns in their place", async () => {
    const a = file('a.csv', 'x1,x3\n0.3,0.5\n');
    const b = file('b.csv', 'x1,label\n0.5,1\n');
    const reordered = file('reordered.csv', 'label,x2,x1\nupper,0.5,0.3\n');
    const headerless = file('headerless.csv', '0.3,0.5\n');
    const [ra, rb, rr, rh] = await Promise.all([
      nabla('predict', '--model', model, a),
      nabla('predict', '--model', model, b),
      nabla('predict', '--model', model, reordered),
      nabla('predict', '--model', model, headerless),
    ]);
    expect(ra.code).toBe(1);
    expect(ra.stdout).toBe('');
    expect(ra.stderr).toBe(`error: ${a}: the model was trained on the features x1, x2; the file has x1, x3 (missing x2)\n`);
    expect(rb.code).toBe(1);
    expect(rb.stderr).toBe(`error: ${b}: the model was trained on the features x1, x2; the file has x1, label (missing x2)\n`);
    // By name in any order, or by position without a header: the same sample, the same answer.
    expect(rr.code, rr.stderr).toBe(0);
    expect(rh.code, rh.stderr).toBe(0);
    const probabilities = (r: Run): string => r.stdout.trimEnd().split('\n')[1]!.split(',').slice(1).join(',');
    expect(probabilities(rr)).toBe(probabilities(rh));
  }, LONG);

  it('refuses a model with NaN weights in predict, eval and export, naming the file and the tensor; export writes nothing', async () => {
    // W3 is (1, 8): the third value is row 0, column 2.
    const nan = forged('nan.safetensors', {}, (header, data) => {
      const start = (header.W3 as { data_offsets: number[] }).data_offsets[0]!;
      new DataView(data.buffer).setFloat64(start + 2 * 8, NaN, true);
    });
    const onnx = join(dir, 'nan.onnx');
    const [p, e, x] = await Promise.all([
      nabla('predict', '--model', nan, MOONS),
      nabla('eval', '--model', nan, MOONS),
      nabla('export', '--model', nan, '--onnx', onnx),
    ]);
    const message = `error: ${nan}: not a valid nabla model file: W3 holds NaN at row 0, column 2\n`;
    for (const r of [p, e, x]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(message);
    }
    expect(existsSync(onnx)).toBe(false);
  }, LONG);

  it('refuses notes (classes, task, features, scaler) that contradict the network, naming the file', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ classes: '["a"]' }, 'classes lists 1 name but the network has 1 output (a binary model: 2 classes, [negative, positive])'],
      [{ classes: '["a","b","c"]' }, 'classes lists 3 names but the network has 1 output (a binary model: 2 classes, [negative, positive])'],
      [{ classes: '[lower' }, 'classes is not valid JSON (got "[lower")'],
      [{ task: 'multiclass' }, "task is 'multiclass' but the network has 1 output (one sigmoid unit: 'binary')"],
      [{ task: 'banana' }, 'task must be one of binary, multiclass, regression, got "banana"'],
      [{ features: '["x1","x2","x3"]' }, 'features lists 3 names but the network has 2 inputs'],
      [{ scaler: '{"kind":"standardize","offset":[0.5],"scale":[0.8]}' }, 'scaler was fitted to 1 feature but the network has 2 inputs'],
      [{ csv: '{"label":"label","labelColumn":7,"layout":"rows","delimiter":","}' }, 'csv.labelColumn must be a column index from 0 to 2'],
    ];
    const paths = cases.map(([meta], k) => forged(`notes-${k}.safetensors`, meta));
    const runs = await Promise.all(paths.map((p) => nabla('predict', '--model', p, MOONS)));
    runs.forEach((r, k) => {
      expect(r.code, cases[k]![1]).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^error: ${paths[k]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a valid nabla model file: `));
      expect(r.stderr).toContain(cases[k]![1]);
      expect(r.stderr.split('\n')).toHaveLength(2);
    });
    // eval reads the same notes the same way.
    const e = await nabla('eval', '--model', paths[6]!, MOONS);
    expect(e.code).toBe(1);
    expect(e.stderr).toBe(`error: ${paths[6]}: not a valid nabla model file: scaler was fitted to 1 feature but the network has 2 inputs\n`);
  }, LONG);

  it('shortens the feature list of a model with 12288 inputs', async () => {
    const wide = join(dir, 'wide.safetensors');
    await saveModelFile(wide, new LogisticRegression(12288));
    const r = await nabla('predict', '--model', wide, file('p.csv', '0.1,0.2\n0.3,0.4\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${join(dir, 'p.csv')}: line 1 has 2 columns, but the model takes 12288 features (x1, x2, x3, x4, x5, … (12281 more), x12287, x12288)\n`);
  }, LONG);

  it('refuses binary data as CSV, and CSV as a model, saying what the file looks like', async () => {
    const idx = file('digits.idx3', new Uint8Array([0, 0, 0x08, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0x22, 0x2c, 0x0a, 0xff]));
    const blob = file('blob.csv', new Uint8Array([0x22, 0x41, 0x00, 0x01, 0x02, 0x0a]));
    const onnx = join(dir, 'm.onnx');
    expect((await nabla('export', '--model', model, '--onnx', onnx)).code).toBe(0);
    const [asData, idxData, blobData, onnxData, evalData, csvModel] = await Promise.all([
      nabla('predict', '--model', model, model),
      nabla('predict', '--model', model, idx),
      nabla('predict', '--model', model, blob),
      nabla('predict', '--model', model, onnx),
      nabla('eval', '--model', model, model),
      nabla('predict', '--model', MOONS, MOONS),
    ]);
    expect(asData.code).toBe(1);
    expect(asData.stderr).toBe(`error: ${model}: not a CSV file (binary data; it looks like a nabla model — did you mean --model?)\n`);
    expect(idxData.stderr).toBe(`error: ${idx}: not a CSV file (binary data; it looks like an IDX file)\n`);
    expect(blobData.stderr).toBe(`error: ${blob}: not a CSV file (binary data)\n`);
    expect(onnxData.stderr).toBe(`error: ${onnx}: not a CSV file (binary data; it looks like an ONNX model)\n`);
    expect(evalData.code).toBe(1);
    expect(evalData.stderr).toBe(`error: ${model}: not a CSV file (binary data; it looks like a nabla model — did you mean --model?)\n`);
    for (const r of [asData, idxData, blobData, onnxData, evalData]) expect(r.stderr).not.toMatch(/[\u0000-\u0008]|Invalid Opening Quote/);
    expect(csvModel.code).toBe(1);
    expect(csvModel.stderr).toBe(`error: ${MOONS}: not a nabla model file (it looks like text/CSV)\n`);
  }, LONG);

  it('a model saved by the library with its scaler and classes predicts and evaluates as the library does', async () => {
    const { X, Y, scaler, classNames, featureNames } = await loadCSV(MOONS, { label: 'label', scale: 'standardize' });
    expect(scaler).toBeDefined();
    const net = new Sequential({ layerSizes: [2, 8, 1], activations: ['relu', 'sigmoid'], seed: 1, dropout: 0.2 });
    fit(net, X, Y, { epochs: 30, batchSize: 32, seed: 0, learningRate: 0.5 });
    const path = join(dir, 'library.safetensors');
    await saveModelFile(path, net, { scaler: scaler!, classNames: classNames!, featureNames });
    expect((await loadModelFile(path)).model).toMatchObject({ dropout: 0.2 });

    const [predicted, evaluated] = await Promise.all([nabla('predict', '--model', path, MOONS), nabla('eval', '--model', path, MOONS, '--json')]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = predicted.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('line,prediction,p_lower,p_upper');
    const P = net.predictProba(X).data; // X is the scaled data
    expect(lines).toHaveLength(P.length + 1);
    lines.slice(1).forEach((line, j) => {
      const [at, name, , upper] = line.split(',');
      expect(Number(at)).toBe(j + 2);
      expect(Math.abs(Number(upper) - P[j]!)).toBeLessThan(1e-12);
      expect(name).toBe(P[j]! > 0.5 ? 'upper' : 'lower');
    });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const figures = JSON.parse(evaluated.stdout) as { classes: string[]; accuracy: number; positive_class: string };
    expect(figures.classes).toEqual(['lower', 'upper']);
    expect(figures.positive_class).toBe('upper');
    let correct = 0;
    for (let j = 0; j < P.length; j++) if ((P[j]! > 0.5 ? 1 : 0) === Y.data[j]) correct++;
    expect(figures.accuracy).toBeCloseTo((correct / P.length) * 100, 10);
  }, LONG);
});
