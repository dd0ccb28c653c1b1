import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, FileFormatError } from '../errors.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { RandomState } from '../tensor/random/numpy.js';
import { Tensor } from '../tensor/tensor.js';
import { fitScaler, type Scaler } from '../data/scaling.js';
import { loadModel, saveModel, type LoadedModel } from './model-file.js';
import { loadModelFile, saveModelFile } from './model-file-node.js';
import { join8 } from '../../test/helpers.js';

/** Random inputs (n, m) in the model's dtype. */
function inputs(n: number, m: number, dtype: DType, seed = 7): Tensor {
  const rng = new RandomState(seed);
  const data = dtype === 'float32' ? new Float32Array(n * m) : new Float64Array(n * m);
  for (let i = 0; i < data.length; i++) data[i] = rng.randn();
  return new Tensor(data, [n, m]);
}

/** Parameters and predictions equal bit for bit (Object.is also tells -0 from 0). */
function expectBitIdentical(a: Sequential | LogisticRegression, b: Sequential | LogisticRegression, X: Tensor): void {
  const pa = a.parameters();
  const pb = b.parameters();
  expect([...pb.keys()]).toEqual([...pa.keys()]);
  for (const [name, t] of pa) {
    const u = pb.get(name)!;
    expect(u.shape, name).toEqual(t.shape);
    expect(u.dtype, name).toBe(t.dtype);
    for (let k = 0; k < t.size; k++) if (!Object.is(u.data[k], t.data[k])) throw new Error(`${name}[${k}]: ${u.data[k]} vs ${t.data[k]}`);
  }
  const ya = a.predictProba(X).data;
  const yb = b.predictProba(X).data;
  expect(yb.length).toBe(ya.length);
  for (let k = 0; k < ya.length; k++) if (!Object.is(yb[k], ya[k])) throw new Error(`prediction ${k}: ${yb[k]} vs ${ya[k]}`);
}

/** The FileFormatError that `fn` throws (failing the test if it throws anything else). */
function formatError(fn: () => unknown): FileFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FileFormatError) return e;
    throw new Error(`expected a FileFormatError, got ${String(e)}`);
  }
  throw new Error('expected a FileFormatError, nothing was thrown');
}

/** The header and data of a model file, to forge variants of it. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>, data: bytes.subarray(8 + n) };
}

function net(dtype: DType = 'float64'): Sequential {
  return new Sequential({ layerSizes: [6, 4, 3, 1], activations: ['relu', 'tanh', 'sigmoid'], seed: 3, dtype });
}

describe('model files: save → load round trip', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`Sequential in ${dtype}: the same architecture, bit-identical parameters and predictions`, () => {
      const a = net(dtype);
      // Values that a decimal round trip would mangle: -0, subnormals, extremes.
      const W1 = a.getParameter('W1');
      W1.data[0] = -0;
      W1.data[1] = dtype === 'float64' ? 5e-324 : 1.4e-45;
      W1.data[2] = dtype === 'float64' ? 1.7976931348623157e308 : 3.4028234663852886e38;
      a.getParameter('b2').data[1] = 0.1;
      const bytes = saveModel(a, { preprocessing: { scale: 1 / 255, image: { width: 2, height: 1 } }, notes: { trainAccuracy: '98.5' } });
      const { model, metadata } = loadModel(bytes);
      expect(model).toBeInstanceOf(Sequential);
      const b = model as Sequential;
      expect(b.layerSizes).toEqual([6, 4, 3, 1]);
      expect(b.layers.map((l) => l.activation)).toEqual(['relu', 'tanh', 'sigmoid']);
      expect(b.loss).toBe('binaryCrossEntropy');
      expect(b.dtype).toBe(dtype);
      expectBitIdentical(a, b, inputs(6, 9, dtype));
      expect(metadata.model).toEqual({ kind: 'sequential', layerSizes: [6, 4, 3, 1], activations: ['relu', 'tanh', 'sigmoid'], loss: 'binaryCrossEntropy', dtype });
      expect(metadata.preprocessing).toEqual({ scale: 1 / 255, image: { width: 2, height: 1 } });
      expect(metadata.notes).toEqual({ trainAccuracy: '98.5' });
    });

    it(`LogisticRegression in ${dtype}`, () => {
      const a = new LogisticRegression(5, { dtype });
      const rng = new RandomState(11);
      for (let k = 0; k < 5; k++) a.w.data[k] = rng.randn();
      a.b.data[0] = -0.25;
      const { model, metadata } = loadModel(saveModel(a));
      expect(model).toBeInstanceOf(LogisticRegression);
      expect(metadata.model).toEqual({ kind: 'logistic', inputSize: 5, dtype });
      expect(metadata.preprocessing).toBeUndefined();
      expectBitIdentical(a, model, inputs(5, 4, dtype));
    });
  }

  it('writes a valid safetensors layout: LE header length, 8-byte aligned data, tensors tiling the buffer', () => {
    const bytes = saveModel(net());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const { header, data } = split(bytes);
    expect(header.W1).toEqual({ dtype: 'F64', shape: [4, 6], data_offsets: [0, 192] });
    expect(header.b3).toEqual({ dtype: 'F64', shape: [1, 1], data_offsets: [data.length - 8, data.length] });
    const meta = header.__metadata__ as Record<string, string>;
    expect(meta.format).toBe('nabla');
    expect(meta.version).toBe('1');
    expect(Object.values(meta).every((v) => typeof v === 'string')).toBe(true);
  });

  it('refuses notes that would overwrite the reserved metadata', () => {
    expect(() => saveModel(net(), { notes: { model: 'x' } })).toThrow(/reserved/);
  });
});

describe('model files: bad input', () => {
  const good = saveModel(net());

  it('reports every missing, unexpected and mismatched tensor in one error', () => {
    const { header, data } = split(good);
    header.W9 = header.W2; // unexpected (and W2 missing)
    delete header.W2;
    delete header.b3; // missing
    header.extra = { dtype: 'F64', shape: [0], data_offsets: [0, 0] }; // unexpected
    (header.W1 as { shape: number[] }).shape = [6, 4]; // transposed: wrong shape, same size
    (header.b1 as { dtype: string; shape: number[]; data_offsets: number[] }).dtype = 'F32';
    (header.b1 as { data_offsets: number[] }).data_offsets = [192, 208]; // 4 F32 = 16 bytes
    const e = formatError(() => loadModel(join8(header, data), 'forged.safetensors'));
    expect(e.where).toBe('forged.safetensors');
    expect(e.message).toMatch(/^forged\.safetensors: not a valid nabla model file/);
    expect(e.message).toContain('missing tensors W2, b3');
    expect(e.message).toContain('unexpected tensors');
    expect(e.message).toContain('W9');
    expect(e.message).toContain('extra');
    expect(e.message).toContain('W1 is (6, 4) in the file but the architecture needs (4, 6)');
    expect(e.message).toContain("b1 is F32 but the model's dtype is float64");
    expect(e.message).not.toContain('\n');
  });

  it('refuses files cut short anywhere with a FileFormatError, never a crash', () => {
    for (let n = 0; n < good.length; n += n < 64 ? 1 : 97) {
      const e = formatError(() => loadModel(good.slice(0, n), 'cut.safetensors'));
      expect(e.where).toBe('cut.safetensors');
    }
    expect(formatError(() => loadModel(good.slice(0, 5))).message).toContain('too short for the 8-byte header length');
    expect(formatError(() => loadModel(good.slice(0, good.length - 1))).message).toMatch(/truncated/);
  });

  it('refuses a forged header length before reading or allocating anything', () => {
    for (const claimed of [2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 40n, BigInt(good.length)]) {
      const forged = good.slice();
      new DataView(forged.buffer).setBigUint64(0, claimed, true);
      const e = formatError(() => loadModel(forged));
      expect(e.message).toContain(`the header claims ${claimed} bytes`);
    }
  });

  it('refuses tensors bigger than the file before building the model', () => {
    // An architecture of 10^10 weights: building it first would exhaust memory.
    const spec = { kind: 'sequential', layerSizes: [100000, 100000, 1], activations: ['relu', 'sigmoid'], loss: 'binaryCrossEntropy', dtype: 'float64' };
    const header = {
      W1: { dtype: 'F64', shape: [100000, 100000], data_offsets: [0, 8e10] },
      b1: { dtype: 'F64', shape: [100000, 1], data_offsets: [8e10, 8e10 + 8e5] },
      W2: { dtype: 'F64', shape: [1, 100000], data_offsets: [8e10 + 8e5, 8e10 + 16e5] },
      b2: { dtype: 'F64', shape: [1, 1], data_offsets: [8e10 + 16e5, 8e10 + 16e5 + 8] },
      __metadata__: { format: 'nabla', version: '1', model: JSON.stringify(spec) },
    };
    const e = formatError(() => loadModel(join8(header, new Uint8Array(64))));
    expect(e.message).toContain("tensor 'W1'");
    expect(e.message).toContain('truncated');
    expect(e.message).toContain("tensor 'b2'");
  });

  it('refuses offsets that do not match the shape, overlap, or leave holes', () => {
    const { header, data } = split(good);
    (header.W2 as { data_offsets: number[] }).data_offsets = [0, 96]; // right size, overlaps W1
    const e1 = formatError(() => loadModel(join8(header, data)));
    expect(e1.message).toContain("tensors 'W2' (bytes 0–96) and 'W1' (bytes 0–192) overlap");
    expect(e1.message).toMatch(/belong to no tensor/);
    const h2 = split(good).header;
    (h2.W1 as { data_offsets: number[] }).data_offsets = [0, 8];
    expect(formatError(() => loadModel(join8(h2, data))).message).toContain("tensor 'W1' (4, 6) F64 needs 192 bytes but data_offsets span 8");
    const extraBytes = new Uint8Array(data.length + 8);
    extraBytes.set(data);
    expect(formatError(() => loadModel(join8(split(good).header, extraBytes))).message).toContain('8 bytes after the last tensor');
  });

  it('refuses headers that are not JSON, or not nabla metadata', () => {
    expect(formatError(() => loadModel(join8('x').map((b, i) => (i > 8 ? 0xff : b)))).message).toContain('not UTF-8 JSON');
    expect(formatError(() => loadModel(join8([1, 2]))).message).toContain('must be a JSON object');
    const { header, data } = split(good);
    delete header.__metadata__;
    expect(formatError(() => loadModel(join8(header, data))).message).toContain("no '__metadata__'");
    const meta = (h: Record<string, unknown>): Record<string, unknown> => h.__metadata__ as Record<string, unknown>;
    const v2 = split(good).header;
    meta(v2).version = '2';
    meta(v2).format = 'other';
    const e = formatError(() => loadModel(join8(v2, data)));
    expect(e.message).toContain("version \"2\" is not supported");
    expect(e.message).toContain("format must be 'nabla'");
    const bad = split(good).header;
    meta(bad).model = JSON.stringify({ kind: 'sequential', layerSizes: [6, 0], activations: ['nope'], loss: 'mse', dtype: 'float16' });
    meta(bad).preprocessing = JSON.stringify({ scale: -1 });
    meta(bad).count = 3;
    const e2 = formatError(() => loadModel(join8(bad, data)));
    for (const part of ['model.dtype', 'model.layerSizes', 'model.activations', 'model.loss', 'preprocessing.scale', '__metadata__.count must be a string']) {
      expect(e2.message).toContain(part);
    }
  });
});

/** The ArgumentError that `fn` throws. */
function argumentError(fn: () => unknown): ArgumentError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArgumentError) return e;
    throw new Error(`expected an ArgumentError, got ${String(e)}`);
  }
  throw new Error('expected an ArgumentError, nothing was thrown');
}

/** A binary classifier on two features, as `nabla train moons.csv` builds (smaller). */
function binary(): Sequential {
  return new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'sigmoid'], seed: 5 });
}

/** A forged copy of `bytes` with its __metadata__ entries changed (undefined deletes one). */
function withMeta(bytes: Uint8Array, changes: Record<string, string | undefined>): Uint8Array {
  const { header, data } = split(bytes);
  const meta = header.__metadata__ as Record<string, string>;
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete meta[k];
    else meta[k] = v;
  }
  return join8(header, data);
}

describe('model files: the scaler, class names and feature names the command line reads', () => {
  const scaler: Scaler = { kind: 'standardize', offset: [0.5, -1.25], scale: [0.85, 2] };

  it('saves them in the format nabla train writes, and loads them back checked', () => {
    const bytes = saveModel(binary(), { scaler, classNames: ['lower', 'upper'], featureNames: ['x1', 'x2'], notes: { source: 'moons.csv' } });
    const meta = split(bytes).header.__metadata__ as Record<string, string>;
    expect(meta.scaler).toBe('{"kind":"standardize","offset":[0.5,-1.25],"scale":[0.85,2]}');
    expect(meta.classes).toBe('["lower","upper"]');
    expect(meta.features).toBe('["x1","x2"]');
    const { metadata } = loadModel(bytes);
    expect(metadata.scaler).toEqual(scaler);
    expect(metadata.classNames).toEqual(['lower', 'upper']);
    expect(metadata.featureNames).toEqual(['x1', 'x2']);
    expect(metadata.notes).toMatchObject({ source: 'moons.csv', classes: '["lower","upper"]' });
    // A fitted scaler (fitScaler's, loadCSV's) goes in as it is.
    const fitted = fitScaler(new Tensor(Float64Array.from([1, 2, 3, 10, 20, 40]), [2, 3]), 'minmax');
    expect(loadModel(saveModel(binary(), { scaler: fitted })).metadata.scaler).toEqual(fitted);
  });

  it('reads files that carry them as notes (nabla train before the options, and now), and files without them', () => {
    const asNotes = saveModel(binary(), { notes: { scaler: JSON.stringify(scaler), classes: '["no","yes"]', features: '["a","b"]', task: 'binary' } });
    const { metadata } = loadModel(asNotes);
    expect(metadata.scaler).toEqual(scaler);
    expect(metadata.classNames).toEqual(['no', 'yes']);
    expect(metadata.featureNames).toEqual(['a', 'b']);
    // The same value as option and note is fine; different ones are refused.
    expect(() => saveModel(binary(), { classNames: ['no', 'yes'], notes: { classes: '["no","yes"]' } })).not.toThrow();
    expect(argumentError(() => saveModel(binary(), { classNames: ['a', 'b'], notes: { classes: '["no","yes"]' } })).message).toContain("the note 'classes' and the option classNames disagree");
    const plain = loadModel(saveModel(binary())).metadata;
    expect(plain.scaler).toBeUndefined();
    expect(plain.classNames).toBeUndefined();
    expect('featureNames' in plain).toBe(false);
  });

  it('refuses to save ones that do not fit the network', () => {
    const cases: Array<[Parameters<typeof saveModel>[1], string]> = [
      [{ classNames: ['a', 'b', 'c'] }, 'classes lists 3 names but the network has 1 output (a binary model: 2 classes'],
      [{ classNames: ['a', 'a'] }, 'classes lists "a" twice'],
      [{ featureNames: ['x1', 'x2', 'x3'] }, 'features lists 3 names but the network has 2 inputs'],
      [{ scaler: { kind: 'standardize', offset: [0], scale: [1] } }, 'scaler was fitted to 1 feature but the network has 2 inputs'],
      [{ scaler: { kind: 'standardize', offset: [0, NaN], scale: [1, 1] } }, 'scaler is not a usable scaler: offset and scale must be arrays of finite numbers'],
      [{ notes: { classes: 'lower,upper' } }, "the note 'classes' is not valid JSON"],
    ];
    for (const [options, message] of cases) expect(argumentError(() => saveModel(binary(), options)).message, message).toContain(message);
  });

  it('refuses files whose notes contradict the network, naming the file', () => {
    const good = saveModel(binary(), { scaler, classNames: ['lower', 'upper'], featureNames: ['x1', 'x2'] });
    const cases: Array<[Record<string, string>, string]> = [
      [{ classes: '["a"]' }, 'classes lists 1 name but the network has 1 output (a binary model: 2 classes, [negative, positive])'],
      [{ classes: '["a","b","c"]' }, 'classes lists 3 names but the network has 1 output'],
      [{ classes: 'lower,upper' }, 'classes is not valid JSON (got "lower,upper")'],
      [{ classes: '{"0":"a"}' }, 'classes must be a list of names (strings)'],
      [{ features: '["x1","x2","x3"]' }, 'features lists 3 names but the network has 2 inputs'],
      [{ scaler: '{"kind":"standardize","offset":[0],"scale":[1]}' }, 'scaler was fitted to 1 feature but the network has 2 inputs'],
      [{ scaler: '{"kind":"robust","offset":[0,0],"scale":[1,1]}' }, 'scaler is not a usable scaler: unknown scaling "robust"'],
    ];
    for (const [changes, message] of cases) {
      const e = formatError(() => loadModel(withMeta(good, changes), 'model.safetensors'));
      expect(e.where).toBe('model.safetensors');
      expect(e.message, message.slice(0, 20)).toMatch(/^model\.safetensors: not a valid nabla model file: /);
      expect(e.message).toContain(message);
    }
    // A softmax network: one class name per output.
    const three = new Sequential({ layerSizes: [2, 3], activations: ['softmax'], loss: 'categoricalCrossEntropy' });
    const e = formatError(() => loadModel(withMeta(saveModel(three), { classes: '["a","b"]' }), 'm'));
    expect(e.message).toBe('m: not a valid nabla model file: classes lists 2 names but the network has 3 outputs');
  });
});

describe('model files: dropout', () => {
  it('is saved and restored (0.3 stays 0.3); without it, as before', () => {
    const a = new Sequential({ layerSizes: [2, 4, 1], activations: ['relu', 'sigmoid'], dropout: 0.3 });
    const { model, metadata } = loadModel(saveModel(a));
    expect((model as Sequential).dropout).toBe(0.3);
    expect(metadata.model).toMatchObject({ dropout: 0.3 });
    const none = loadModel(saveModel(binary())).metadata.model;
    expect('dropout' in none).toBe(false);
    expect((loadModel(saveModel(binary())).model as Sequential).dropout).toBe(0);
  });

  it('refuses a dropout rate outside [0, 1)', () => {
    const bytes = saveModel(binary());
    const spec = JSON.parse((split(bytes).header.__metadata__ as Record<string, string>).model!) as Record<string, unknown>;
    const e = formatError(() => loadModel(withMeta(bytes, { model: JSON.stringify({ ...spec, dropout: 1.5 }) })));
    expect(e.message).toContain('model.dropout must be a probability in [0, 1), got 1.5');
  });
});

describe('model files: non-finite parameters', () => {
  /** The model file of `net()` with one value of a tensor replaced. */
  function poisoned(dtype: DType, name: string, index: number, value: number): Uint8Array {
    const bytes = saveModel(net(dtype));
    const { header, data } = split(bytes);
    const entry = header[name] as { data_offsets: [number, number] };
    const copy = data.slice();
    const view = new DataView(copy.buffer);
    if (dtype === 'float64') view.setFloat64(entry.data_offsets[0] + index * 8, value, true);
    else view.setFloat32(entry.data_offsets[0] + index * 4, value, true);
    return join8(header, copy);
  }

  it('refuses NaN and ±Inf weights, naming the file, the tensor, the row and the column', () => {
    // W3 is (1, 3): index 2 is row 0, column 2.
    const e = formatError(() => loadModel(poisoned('float64', 'W3', 2, NaN), 'model.safetensors'));
    expect(e.where).toBe('model.safetensors');
    expect(e.message).toBe('model.safetensors: not a valid nabla model file: W3 holds NaN at row 0, column 2');
    // b1 is (4, 1): index 3 is row 3, column 0. W1 is (4, 6): index 7 is row 1, column 1.
    expect(formatError(() => loadModel(poisoned('float64', 'b1', 3, Infinity))).message).toContain('b1 holds Infinity at row 3, column 0');
    expect(formatError(() => loadModel(poisoned('float32', 'W1', 7, -Infinity))).message).toContain('W1 holds -Infinity at row 1, column 1');
  });

  it('refuses to save a model with non-finite weights (the file would not load)', () => {
    const a = net();
    a.getParameter('W2').data[4] = NaN; // W2 is (3, 4): row 1, column 0
    a.getParameter('W2').data[5] = Infinity;
    expect(argumentError(() => saveModel(a)).message).toBe('saveModel: W2 holds NaN at row 1, column 0 (and 1 more non-finite value): a model with non-finite parameters cannot be saved');
  });
});

describe('model files: other kinds of file', () => {
  it('says what a file that is not a model looks like, instead of reading its first bytes as a length', () => {
    const text = new TextEncoder().encode('x1,x2,label\n0.8177,0.3560,upper\n2.1174,0.1106,lower\n');
    expect(formatError(() => loadModel(text, 'moons.csv')).message).toBe('moons.csv: not a nabla model file (it looks like text/CSV)');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
    expect(formatError(() => loadModel(bom, 'bom.csv')).message).toContain('it looks like text/CSV');
    // nabla export's ONNX files start with ir_version (field 1), then producer_name.
    const onnx = new Uint8Array([0x08, 0x08, 0x12, 0x05, 0x6e, 0x61, 0x62, 0x6c, 0x61, 0x1a, 0x05]);
    expect(formatError(() => loadModel(onnx, 'm.onnx')).message).toBe('m.onnx: not a nabla model file (it looks like an ONNX model)');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(formatError(() => loadModel(png, 'cat.png')).message).toContain('it looks like a PNG picture');
    const idx = new Uint8Array([0, 0, 0x08, 0x03, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(formatError(() => loadModel(idx, 'train-images-idx3-ubyte')).message).toContain('it looks like an IDX file');
  });
});

describe('model files on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saveModelFile → loadModelFile round trip, with no temporary file left behind', async () => {
    const a = net();
    const path = join(dir, 'net.safetensors');
    await saveModelFile(path, a, { preprocessing: { scale: 1 / 255 } });
    // Overwriting an existing file goes through the same temp-and-rename.
    await saveModelFile(path, a, { preprocessing: { scale: 1 / 255 } });
    expect(readdirSync(dir)).toEqual(['net.safetensors']);
    const loaded: LoadedModel = await loadModelFile(path);
    expectBitIdentical(a, loaded.model, inputs(6, 3, 'float64'));
  });

  it('names the path when the file is missing, damaged or cannot be written', async () => {
    const missing = join(dir, 'missing.safetensors');
    await expect(loadModelFile(missing)).rejects.toThrow(new FileFormatError(missing, 'no such file'));
    const damaged = join(dir, 'damaged.safetensors');
    writeFileSync(damaged, saveModel(net()).slice(0, 100));
    await expect(loadModelFile(damaged)).rejects.toThrow(/damaged\.safetensors: not a valid nabla model file/);
    const nowhere = join(dir, 'no-such-folder', 'x.safetensors');
    await expect(saveModelFile(nowhere, net())).rejects.toThrow(FileFormatError);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });
});
