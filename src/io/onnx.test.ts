import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, FileFormatError } from '../errors.js';
import { ACTIVATIONS } from '../nn/activations.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';
import { RandomState } from '../tensor/random/numpy.js';
import { Tensor } from '../tensor/tensor.js';
import { exportONNX, irVersionForOpset, ONNX_MAX_OPSET, ONNX_MIN_OPSET, type ExportONNXOptions } from './onnx.js';
import { exportONNXFile } from './onnx-node.js';

const { onnx } = onnxProto;

/** Standard normal values (n, m) in `dtype`, numpy's generator so runs repeat. */
function randomTensor(n: number, m: number, dtype: DType, seed: number, scale = 1): Tensor {
  const rng = new RandomState(seed);
  const data = dtype === 'float32' ? new Float32Array(n * m) : new Float64Array(n * m);
  for (let i = 0; i < data.length; i++) data[i] = scale * rng.randn();
  return new Tensor(data, [n, m]);
}

/** Non-zero biases, so the test sees whether b reaches Gemm's C with the right layout. */
function randomizeBiases(net: Sequential, seed: number): Sequential {
  for (const layer of net.layers) net.setParameter(`b${layer.index}`, randomTensor(layer.b.shape[0]!, 1, net.dtype, seed + layer.index, 0.5));
  return net;
}

function randomLogistic(nx: number, dtype: DType, seed: number): LogisticRegression {
  const lr = new LogisticRegression(nx, { dtype });
  lr.w.data.set(randomTensor(nx, 1, dtype, seed).data);
  lr.b.data[0] = 0.3;
  return lr;
}

/** X (n_x, m) as the row-major [m, n_x] buffer ONNX consumers feed: Xᵀ. */
function rowsOf(X: Tensor): Float32Array | Float64Array {
  const [n, m] = [X.shape[0]!, X.shape[1]!];
  const out = X.dtype === 'float32' ? new Float32Array(n * m) : new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = X.data[i * m + j]!;
  return out;
}

/** Runs the exported model on X (samples as columns, as nabla has them): the output tensor, [m, n_L]. */
async function runONNX(model: Uint8Array | string, X: Tensor, names: { input?: string; output?: string } = {}): Promise<{ data: Float32Array | Float64Array; dims: readonly number[] }> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const feed = new ort.Tensor(X.dtype, rowsOf(X), [X.shape[1]!, X.shape[0]!]);
    const results = await session.run({ [names.input ?? 'X']: feed });
    const out = results[names.output ?? 'probabilities'];
    if (out === undefined) throw new Error(`no output '${names.output ?? 'probabilities'}' in ${Object.keys(results).join(', ')}`);
    const data = out.data;
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) throw new Error(`unexpected output type ${out.type}`);
    return { data, dims: out.dims };
  } finally {
    await session.release();
  }
}

/**
 * The largest |onnx − nabla| over all outputs, relative to max(1, |nabla|): onnxruntime's
 * [m, n_L] against predictProba(X)ᵀ.
 */
async function maxError(model: Sequential | LogisticRegression, X: Tensor, options: ExportONNXOptions = {}): Promise<number> {
  const expected = model.predictProba(X);
  const [nL, m] = [expected.shape[0]!, expected.shape[1]!];
  const { data, dims } = await runONNX(exportONNX(model, options), X, {
    ...(options.inputName === undefined ? {} : { input: options.inputName }),
    ...(options.outputName === undefined ? {} : { output: options.outputName }),
  });
  expect(dims).toEqual([m, nL]);
  expect(data instanceof Float64Array).toBe(model.dtype === 'float64');
  let worst = 0;
  for (let i = 0; i < nL; i++) {
    for (let j = 0; j < m; j++) {
      const e = expected.data[i * m + j]!;
      const err = Math.abs(data[j * nL + i]! - e) / Math.max(1, Math.abs(e));
      if (!(err <= worst)) worst = err; // NaN sticks, so a NaN output fails the bound
    }
  }
  return worst;
}

const TOL: Record<DType, number> = { float64: 1e-12, float32: 1e-5 };

/** What the tests read from a decoded file: onnx-proto's optional fields filled with their defaults. */
interface Attr { readonly name: string; readonly i: number; readonly f: number }
interface Node { readonly opType: string; readonly input: string[]; readonly output: string[]; readonly attribute: Attr[] }
interface Initializer { readonly name: string; readonly dims: number[]; readonly dataType: number; readonly rawData: Uint8Array }
interface Value { readonly name: string; readonly elemType: number; readonly dims: (string | number)[] }
interface Decoded {
  readonly irVersion: number;
  readonly opsetImport: [string, number][];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly modelVersion: number;
  readonly docString: string;
  readonly metadata: Record<string, string>;
  readonly graph: { readonly node: Node[]; readonly initializer: Initializer[]; readonly input: Value[]; readonly output: Value[] };
}

/** Parses the bytes back with onnx-proto's own decoder (int64 fields arrive as Long or number). */
function decode(bytes: Uint8Array): Decoded {
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph ?? {};
  const value = (v: Onnx.IValueInfoProto): Value => ({
    name: v.name ?? '',
    elemType: v.type?.tensorType?.elemType ?? 0,
    dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0))),
  });
  return {
    irVersion: Number(m.irVersion),
    opsetImport: m.opsetImport.map((o) => [o.domain ?? '', Number(o.version ?? 0)]),
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    modelVersion: Number(m.modelVersion),
    docString: m.docString,
    metadata: Object.fromEntries(m.metadataProps.map((p) => [p.key ?? '', p.value ?? ''])),
    graph: {
      node: (g.node ?? []).map((n) => ({
        opType: n.opType ?? '',
        input: n.input ?? [],
        output: n.output ?? [],
        attribute: (n.attribute ?? []).map((a) => ({ name: a.name ?? '', i: Number(a.i ?? 0), f: a.f ?? 0 })),
      })),
      initializer: (g.initializer ?? []).map((t) => ({ name: t.name ?? '', dims: (t.dims ?? []).map(Number), dataType: t.dataType ?? 0, rawData: t.rawData ?? new Uint8Array(0) })),
      input: (g.input ?? []).map(value),
      output: (g.output ?? []).map(value),
    },
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('exportONNX runs in onnxruntime and matches predictProba', () => {
  it('a float64 [4, 5, 3, 2] tanh/relu/sigmoid network to ~1e-12', async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [4, 5, 3, 2], activations: ['tanh', 'relu', 'sigmoid'], seed: 3 }), 10);
    const X = randomTensor(4, 11, 'float64', 1);
    expect(await maxError(net, X)).toBeLessThanOrEqual(1e-12);
  });

  it('the same network in float32 to 1e-5', async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [4, 5, 3, 2], activations: ['tanh', 'relu', 'sigmoid'], seed: 3, dtype: 'float32' }), 10);
    expect(await maxError(net, randomTensor(4, 11, 'float32', 1))).toBeLessThanOrEqual(1e-5);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    for (const activation of ACTIVATIONS) {
      it(`${activation} as hidden and output activation, ${dtype}`, async () => {
        const net = randomizeBiases(new Sequential({ layerSizes: [3, 6, 4], activations: [activation, activation], seed: 5, dtype }), 20);
        // scale 2 puts a good share of the Z's below zero, where relu and leakyRelu differ
        expect(await maxError(net, randomTensor(3, 13, dtype, 2, 2))).toBeLessThanOrEqual(TOL[dtype]);
      });
    }

    it(`a softmax classifier over every hidden activation, ${dtype}`, async () => {
      const hidden = ACTIVATIONS.filter((a) => a !== 'softmax');
      const sizes = [5, ...hidden.map((_, i) => 4 + (i % 3)), 3];
      const net = randomizeBiases(new Sequential({ layerSizes: sizes, activations: [...hidden, 'softmax'], seed: 8, dtype }), 30);
      expect(await maxError(net, randomTensor(5, 9, dtype, 3))).toBeLessThanOrEqual(TOL[dtype]);
    });

    it(`LogisticRegression, ${dtype}`, async () => {
      const lr = randomLogistic(7, dtype, 4);
      expect(await maxError(lr, randomTensor(7, 10, dtype, 5))).toBeLessThanOrEqual(TOL[dtype]);
    });
  }

  it('one exported model takes any batch size, including one sample', async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'sigmoid'], seed: 1 }), 40);
    for (const m of [1, 2, 50]) expect(await maxError(net, randomTensor(2, m, 'float64', m))).toBeLessThanOrEqual(1e-12);
  });

  it('every supported opset loads and agrees (IR 3 files list the initializers as inputs)', async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [3, 4, 4, 4, 4, 4, 2], activations: ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'], seed: 2 }), 50);
    const X = randomTensor(3, 6, 'float64', 6);
    for (let opset = ONNX_MIN_OPSET; opset <= ONNX_MAX_OPSET; opset++) {
      expect(await maxError(net, X, { opset }), `opset ${opset}`).toBeLessThanOrEqual(1e-12);
      const model = decode(exportONNX(net, { opset }));
      expect(model.irVersion, `opset ${opset}`).toBe(irVersionForOpset(opset));
      expect(model.graph.input.length).toBe(opset <= 8 ? 1 + 12 + 1 : 1); // X, W1…b6, leaky_relu_alpha
    }
  });

  it("leakyRelu: 'operator' emits LeakyRelu, whose float32 alpha costs float64 ~1e-10", async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [3, 5, 2], activations: ['leakyRelu', 'leakyRelu'], seed: 9 }), 60);
    const X = randomTensor(3, 8, 'float64', 7, 3);
    const ops = (options: ExportONNXOptions): string[] => decode(exportONNX(net, options)).graph.node.map((n) => n.opType);
    expect(ops({ leakyRelu: 'operator' })).toEqual(['Gemm', 'LeakyRelu', 'Gemm', 'LeakyRelu']);
    expect(ops({})).toEqual(['Gemm', 'Mul', 'Max', 'Gemm', 'Mul', 'Max']);
    const opErr = await maxError(net, X, { leakyRelu: 'operator' });
    expect(opErr).toBeLessThanOrEqual(1e-8);
    expect(await maxError(net, X)).toBeLessThanOrEqual(1e-12);
    // float32 defaults to the operator
    const net32 = new Sequential({ layerSizes: [3, 5, 2], activations: ['leakyRelu', 'leakyRelu'], seed: 9, dtype: 'float32' });
    expect(decode(exportONNX(net32)).graph.node.map((n) => n.opType)).toEqual(['Gemm', 'LeakyRelu', 'Gemm', 'LeakyRelu']);
    expect(await maxError(net32, randomTensor(3, 8, 'float32', 7, 3), { leakyRelu: 'exact' })).toBeLessThanOrEqual(1e-5);
  });

  it('custom input and output names are the graph’s', async () => {
    const net = new Sequential({ layerSizes: [2, 3, 2], activations: ['tanh', 'linear'], seed: 4 });
    expect(await maxError(net, randomTensor(2, 5, 'float64', 8), { inputName: 'features', outputName: 'scores' })).toBeLessThanOrEqual(1e-12);
  });
});

describe('the exported file, decoded with onnx-proto', () => {
  const net = randomizeBiases(new Sequential({ layerSizes: [4, 5, 3, 2], activations: ['tanh', 'relu', 'sigmoid'], seed: 3 }), 10);
  const model = decode(exportONNX(net));
  const graph = model.graph;

  it('has IR version 8, opset 17 of the default domain, and nabla as producer', () => {
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([['', 17]]);
    expect(model.producerName).toBe('nabla');
  });

  it('has the nodes Gemm, activation per layer, and the seeds’ initializer names', () => {
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Tanh', 'Gemm', 'Relu', 'Gemm', 'Sigmoid']);
    expect(graph.initializer.map((t) => t.name)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    for (const gemm of graph.node.filter((n) => n.opType === 'Gemm')) {
      expect(gemm.attribute.map((a) => [a.name, a.i])).toEqual([['transB', 1]]);
    }
    expect(graph.node[0]!.input).toEqual(['X', 'W1', 'b1']);
    expect(graph.node.at(-1)!.output).toEqual(['probabilities']);
  });

  it('stores W[l] as (n[l], n[l−1]) and b[l] as 1-D (n[l]), DOUBLE, values exact', () => {
    for (const t of graph.initializer) {
      const p = net.getParameter(t.name);
      expect(t.dataType).toBe(onnx.TensorProto.DataType.DOUBLE);
      expect(t.dims).toEqual(t.name.startsWith('W') ? p.shape : [p.shape[0]]);
      const raw = t.rawData;
      const values = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      expect(Array.from(values)).toEqual(Array.from(p.data));
    }
  });

  it('declares X as [batch, n_x] and probabilities as [batch, n_L]', () => {
    expect(graph.input.map((v) => v.name)).toEqual(['X']);
    expect(graph.input[0]!.dims).toEqual(['batch', 4]);
    expect(graph.input[0]!.elemType).toBe(onnx.TensorProto.DataType.DOUBLE);
    expect(graph.output.map((v) => v.name)).toEqual(['probabilities']);
    expect(graph.output[0]!.dims).toEqual(['batch', 2]);
  });

  it('describes the architecture in doc_string and metadata_props', () => {
    expect(model.docString).toContain('4 → 5 (tanh) → 3 (relu) → 2 (sigmoid)');
    expect(model.docString).toContain('one sample per row');
    const meta = model.metadata;
    expect(JSON.parse(meta['nabla.model']!)).toEqual({ kind: 'sequential', layerSizes: [4, 5, 3, 2], activations: ['tanh', 'relu', 'sigmoid'], loss: 'binaryCrossEntropy', dtype: 'float64' });
    expect(meta['nabla.input_layout']).toContain('X: [batch, 4]');
  });

  it('softmax is over axis 1, leakyRelu alpha 0.01, FLOAT for float32, w/b for logistic regression', () => {
    const net32 = new Sequential({ layerSizes: [3, 4, 3], activations: ['leakyRelu', 'softmax'], seed: 1, dtype: 'float32' });
    const g = decode(exportONNX(net32)).graph;
    const leaky = g.node.find((n) => n.opType === 'LeakyRelu')!;
    expect(leaky.attribute[0]!.name).toBe('alpha');
    expect(leaky.attribute[0]!.f).toBeCloseTo(0.01, 9);
    const softmax = g.node.find((n) => n.opType === 'Softmax')!;
    expect(softmax.attribute.map((a) => [a.name, a.i])).toEqual([['axis', 1]]);
    expect(g.initializer.every((t) => t.dataType === onnx.TensorProto.DataType.FLOAT)).toBe(true);
    expect(g.input[0]!.elemType).toBe(onnx.TensorProto.DataType.FLOAT);

    const lr = decode(exportONNX(randomLogistic(6, 'float64', 1))).graph;
    expect(lr.node.map((n) => n.opType)).toEqual(['Gemm', 'Sigmoid']);
    expect(lr.node[0]!.attribute).toEqual([]); // w is (n_x, 1): X·w needs no transpose
    expect(lr.initializer.map((t) => [t.name, t.dims])).toEqual([['w', [6, 1]], ['b', [1]]]);
  });

  it('a linear output layer ends in the Gemm itself', () => {
    const g = decode(exportONNX(new Sequential({ layerSizes: [2, 3, 1], activations: ['relu', 'linear'], seed: 1 }))).graph;
    expect(g.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm']);
    expect(g.node.at(-1)!.output).toEqual(['probabilities']);
  });

  it('carries the producer options and extra metadata', () => {
    const m = decode(exportONNX(net, { opset: 13, producerName: 'cats', producerVersion: '0.1.0', modelVersion: 3, docString: 'cat vs non-cat', metadata: { accuracy: '0.8' } }));
    expect([m.producerName, m.producerVersion, m.modelVersion, m.irVersion]).toEqual(['cats', '0.1.0', 3, 7]);
    expect(m.docString.startsWith('cat vs non-cat\n')).toBe(true);
    expect(m.metadata['accuracy']).toBe('0.8');
  });
});

describe('exportONNX refuses', () => {
  const net = new Sequential({ layerSizes: [2, 3, 1], seed: 1 });
  it.each([
    ['opset 7', { opset: 7 }, 'opset'],
    [`opset ${ONNX_MAX_OPSET + 1}`, { opset: ONNX_MAX_OPSET + 1 }, 'opset'],
    ['a fractional opset', { opset: 17.5 }, 'opset'],
    ['an empty input name', { inputName: '' }, 'inputName'],
    ['the same input and output name', { inputName: 'Y', outputName: 'Y' }, 'outputName'],
    ['an input named like a parameter', { inputName: 'W1' }, 'inputName'],
    ['an output named like an intermediate value', { outputName: 'Z1' }, 'outputName'],
    ['a reserved metadata key', { metadata: { 'nabla.model': 'x' } }, 'metadata'],
    ['a negative model version', { modelVersion: -1 }, 'modelVersion'],
  ] as const)('%s', (_label, options, where) => {
    const e = thrown(() => exportONNX(net, options));
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ArgumentError).where).toBe(where);
  });

  it('a model of another class', () => {
    expect(thrown(() => exportONNX({} as unknown as Sequential))).toBeInstanceOf(ArgumentError);
  });
});

describe('exportONNXFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-onnx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a file onnxruntime opens by path, leaving no temporary file', async () => {
    const net = randomizeBiases(new Sequential({ layerSizes: [3, 4, 2], activations: ['relu', 'softmax'], seed: 6 }), 70);
    const path = join(dir, 'net.onnx');
    await exportONNXFile(path, net);
    await exportONNXFile(path, net); // over an existing file
    expect(readdirSync(dir)).toEqual(['net.onnx']);
    expect(readFileSync(path)).toEqual(Buffer.from(exportONNX(net)));
    const X = randomTensor(3, 4, 'float64', 9);
    const { data } = await runONNX(path, X);
    const expected = net.predictProba(X);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) expect(Math.abs(data[j * 2 + i]! - expected.data[i * 4 + j]!)).toBeLessThanOrEqual(1e-12);
  });

  it('reports a missing folder as a FileFormatError naming the path', async () => {
    const path = join(dir, 'no-such-folder', 'net.onnx');
    const e = await exportONNXFile(path, new LogisticRegression(2)).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).where).toBe(path);
  });
});
