/**
 * Export to ONNX (https://onnx.ai), so a trained nabla network runs in onnxruntime, in a
 * browser through onnxruntime-web, or anywhere else that reads `.onnx` files.
 *
 * The graph is the forward pass written with standard operators, one layer at a time:
 *
 *   Z1 = Gemm(X, W1, b1, transB=1)    (X·W1ᵀ + b1, i.e. (W1·Xᵀ + b1)ᵀ)
 *   A1 = Sigmoid | Tanh | Relu | LeakyRelu(alpha=0.01) | Softmax(axis=1) (Z1)   (nothing for linear)
 *   …
 *   probabilities = A[L]
 *
 * **Layout.** nabla keeps samples as columns, X (n_x, m). ONNX consumers expect samples as
 * rows, so the exported graph takes X as [batch, n_x] and returns [batch, n[L]]: feed it
 * Xᵀ and read back predictProba(X)ᵀ. The weights themselves are stored untransposed,
 * W[l] as (n[l], n[l−1]) and b[l] as the 1-D (n[l]), under the seeds' names (`W1`, `b1`, …;
 * `w`, `b` for logistic regression); `transB=1` on Gemm reads W[l] transposed in place.
 *
 * Elements are FLOAT for a float32 model and DOUBLE for a float64 one, so a float64 model
 * keeps its precision end to end.
 *
 * This module works on bytes only (no Node APIs), so it runs in a browser too; writing a
 * file is in `onnx-node.ts`.
 *
 * @example
 * const bytes = exportONNX(net);                       // opset 17, IR version 8
 * const session = await ort.InferenceSession.create(bytes);
 * const { probabilities } = await session.run({ X: new ort.Tensor('float64', xRows, [m, nx]) });
 */
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { ArgumentError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import type { ActivationName } from '../nn/activations.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { Sequential } from '../nn/sequential.js';
import { describeModelArgument } from '../nn/model.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { modelSpec } from './model-file.js';

// onnx-proto is CommonJS: its module object is the protobufjs root holding the `onnx` namespace.
const { onnx } = onnxProto;

/** How `exportONNX` builds the file. Every field is optional. */
export interface ExportONNXOptions {
  /** The `ai.onnx` operator set version (default 17). Supported: 8 … 23. */
  readonly opset?: number;
  /** The graph input's name (default `X`). */
  readonly inputName?: string;
  /** The graph output's name (default `probabilities`). */
  readonly outputName?: string;
  /** `producer_name` (default `nabla`). */
  readonly producerName?: string;
  /** `producer_version`, e.g. nabla's version (default: left empty). */
  readonly producerVersion?: string;
  /** `model_version`, a whole number ≥ 0 of your choosing (default: not set). */
  readonly modelVersion?: number;
  /** A description prepended to the model's `doc_string` (which always ends with the architecture). */
  readonly docString?: string;
  /**
   * Extra `metadata_props` entries. The keys nabla writes itself (`nabla.format`,
   * `nabla.model`, `nabla.input_layout`) cannot be overridden.
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * How a leakyRelu layer is written. `'operator'` emits ONNX's LeakyRelu; but its `alpha`
   * is a 32-bit float attribute (0.01f = 0.009999999776…), off by ~2e-10 relative from
   * nabla's 0.01. `'exact'` emits the equivalent Max(Z, Mul(Z, alpha)) with alpha as an
   * initializer of the model's dtype (for 0 ≤ alpha ≤ 1, max(z, αz) is z for z > 0 and αz
   * otherwise, exactly nabla's formula). Default `'auto'`: exact for float64, LeakyRelu for
   * float32 (where rounding alpha to 0.01f is below float32's own precision).
   */
  readonly leakyRelu?: 'auto' | 'operator' | 'exact';
}

/**
 * Lowest and highest `ai.onnx` opset accepted. Below 8 the exact float64 leakyRelu would need
 * Max-6, for which onnxruntime has no double kernel (and below 7 Gemm needs its old
 * `broadcast` attribute); 23 is the newest opset whose IR version is pinned here.
 */
export const ONNX_MIN_OPSET = 8;
export const ONNX_MAX_OPSET = 23;
export const ONNX_DEFAULT_OPSET = 17;

/** nabla's leakyRelu slope (ops/unary.ts's default, used by every leakyRelu layer). */
const LEAKY_RELU_ALPHA = 0.01;

/**
 * The IR version of the ONNX release that introduced each opset (onnx's own VERSION_TABLE):
 * the lowest IR version a model importing that opset may declare. Declaring the lowest keeps
 * the file readable by the oldest runtimes that know the opset.
 */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset === 9) return 4;
  if (opset === 10) return 5;
  if (opset === 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

const ELEM_FLOAT = onnx.TensorProto.DataType.FLOAT;
const ELEM_DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const ATTR_FLOAT = onnx.AttributeProto.AttributeType.FLOAT;
const ATTR_INT = onnx.AttributeProto.AttributeType.INT;

const RESERVED_METADATA = new Set(['nabla.format', 'nabla.model', 'nabla.input_layout']);

function checkName(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ArgumentError(where, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** The tensor's elements as little-endian bytes, ONNX's `raw_data` (compact and exact). */
function rawData(data: ArrayLike<number>, dtype: DType): Uint8Array {
  const size = dtype === 'float64' ? 8 : 4;
  const out = new Uint8Array(data.length * size);
  const view = new DataView(out.buffer);
  // DataView with an explicit endianness, so the file is right even on a big-endian host.
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float64') view.setFloat64(i * 8, data[i]!, true);
    else view.setFloat32(i * 4, data[i]!, true);
  }
  return out;
}

function initializer(name: string, dims: readonly number[], data: ArrayLike<number>, dtype: DType): Onnx.ITensorProto {
  return { name, dims: [...dims], dataType: dtype === 'float64' ? ELEM_DOUBLE : ELEM_FLOAT, rawData: rawData(data, dtype) };
}

/** A tensor value's type: `dims` entries are sizes, or a string for a symbolic one (`batch`). */
function valueInfo(name: string, dtype: DType, dims: readonly (number | string)[], docString?: string): Onnx.IValueInfoProto {
  return {
    name,
    ...(docString === undefined ? {} : { docString }),
    type: {
      tensorType: {
        elemType: dtype === 'float64' ? ELEM_DOUBLE : ELEM_FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function intAttr(name: string, value: number): Onnx.IAttributeProto {
  return { name, type: ATTR_INT, i: value };
}

function floatAttr(name: string, value: number): Onnx.IAttributeProto {
  return { name, type: ATTR_FLOAT, f: value };
}

/** One dense layer as the graph sees it: Z = Gemm(A, W, b), then g. */
interface LayerPlan {
  readonly index: number;
  readonly W: Tensor;
  readonly b: Tensor;
  readonly wName: string;
  readonly bName: string;
  /** Whether W is stored (units, inputs) and read transposed (Sequential) or (inputs, units) (logistic's w). */
  readonly transB: boolean;
  readonly units: number;
  readonly activation: ActivationName;
}

function plan(model: Sequential | LogisticRegression): LayerPlan[] {
  if (model instanceof LogisticRegression) {
    // z = wᵀx + b per sample; with samples as rows that is X·w + b, so w (n_x, 1) is used as is.
    return [{ index: 1, W: model.w, b: model.b, wName: 'w', bName: 'b', transB: false, units: 1, activation: 'sigmoid' }];
  }
  return model.layers.map((layer) => ({
    index: layer.index,
    W: layer.W,
    b: layer.b,
    wName: `W${layer.index}`,
    bName: `b${layer.index}`,
    transB: true,
    units: layer.W.shape[0]!,
    activation: layer.activation,
  }));
}

/** `4 → 5 (tanh) → 3 (relu) → 2 (sigmoid)`: the architecture in one line. */
function describe(model: Sequential | LogisticRegression): string {
  if (model instanceof LogisticRegression) return `nabla LogisticRegression: ${model.inputSize} → 1 (sigmoid), ${model.dtype}`;
  const layers = model.layers.map((layer) => `${layer.W.shape[0]} (${layer.activation})`);
  return `nabla Sequential: ${[model.inputSize, ...layers].join(' → ')}, ${model.dtype}, trained with ${model.loss}`;
}

/**
 * Serialises a model as an ONNX ModelProto.
 *
 * The graph's input is X of shape [batch, n_x] with **samples as rows** — the transpose of
 * the (n_x, m) columns nabla's own `predictProba` takes — and its output is the
 * probabilities A[L] as [batch, n[L]], i.e. predictProba(X)ᵀ. Elements are FLOAT or DOUBLE
 * as the model's dtype. The IR version is the lowest the opset allows (opset 17 → IR 8).
 *
 * @throws ArgumentError for a model of another class, an unsupported opset, an empty or
 *   clashing input/output name, a bad model version, or metadata under a reserved key.
 */
export function exportONNX(model: Sequential | LogisticRegression, options: ExportONNXOptions = {}): Uint8Array {
  checkOptions(options, 'exportONNX', optionKeys<ExportONNXOptions>()(['opset', 'inputName', 'outputName', 'producerName', 'producerVersion', 'modelVersion', 'docString', 'metadata', 'leakyRelu']));
  if (!(model instanceof Sequential) && !(model instanceof LogisticRegression)) {
    throw new ArgumentError('exportONNX', `only Sequential and LogisticRegression models can be exported, got ${describeModelArgument(model)}`);
  }
  const opset = options.opset ?? ONNX_DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < ONNX_MIN_OPSET || opset > ONNX_MAX_OPSET) {
    throw new ArgumentError('opset', `must be a whole number from ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}, got ${opset}`);
  }
  const inputName = checkName(options.inputName ?? 'X', 'inputName');
  const outputName = checkName(options.outputName ?? 'probabilities', 'outputName');
  if (inputName === outputName) throw new ArgumentError('outputName', `must differ from the input's name '${inputName}'`);
  const producerName = checkName(options.producerName ?? 'nabla', 'producerName');
  const modelVersion = options.modelVersion;
  if (modelVersion !== undefined && (!Number.isSafeInteger(modelVersion) || modelVersion < 0)) {
    throw new ArgumentError('modelVersion', `must be a whole number ≥ 0, got ${modelVersion}`);
  }
  const leakyMode = options.leakyRelu ?? 'auto';
  if (leakyMode !== 'auto' && leakyMode !== 'operator' && leakyMode !== 'exact') {
    throw new ArgumentError('leakyRelu', `must be 'auto', 'operator' or 'exact', got ${JSON.stringify(leakyMode)}`);
  }
  const dtype = model.dtype;
  const exactLeaky = leakyMode === 'exact' || (leakyMode === 'auto' && dtype === 'float64');

  const layers = plan(model);
  const nodes: Onnx.INodeProto[] = [];
  const initializers: Onnx.ITensorProto[] = [];
  const alphaName = 'leaky_relu_alpha';
  let A = inputName;
  let width = model.inputSize;

  for (const [i, layer] of layers.entries()) {
    const last = i === layers.length - 1;
    const l = layer.index;
    const Z = last && layer.activation === 'linear' ? outputName : `Z${l}`;
    const out = last ? outputName : `A${l}`;
    // b is (units, 1) in nabla; Gemm's C is broadcast over the batch rows, so the 1-D (units) does it.
    initializers.push(initializer(layer.wName, layer.W.shape, layer.W.data, dtype));
    initializers.push(initializer(layer.bName, [layer.units], layer.b.data, dtype));
    nodes.push({
      name: `layer${l}/Gemm`,
      opType: 'Gemm',
      input: [A, layer.wName, layer.bName],
      output: [Z],
      attribute: layer.transB ? [intAttr('transB', 1)] : [],
      docString: `Z[${l}]ᵀ = A[${l - 1}]ᵀ·${layer.transB ? `${layer.wName}ᵀ` : layer.wName} + ${layer.bName} (samples as rows)`,
    });
    switch (layer.activation) {
      case 'linear':
        A = Z;
        break;
      case 'sigmoid':
        nodes.push({ name: `layer${l}/Sigmoid`, opType: 'Sigmoid', input: [Z], output: [out] });
        A = out;
        break;
      case 'tanh':
        nodes.push({ name: `layer${l}/Tanh`, opType: 'Tanh', input: [Z], output: [out] });
        A = out;
        break;
      case 'relu':
        nodes.push({ name: `layer${l}/Relu`, opType: 'Relu', input: [Z], output: [out] });
        A = out;
        break;
      case 'leakyRelu':
        if (exactLeaky) {
          if (!initializers.some((t) => t.name === alphaName)) initializers.push(initializer(alphaName, [], [LEAKY_RELU_ALPHA], dtype));
          nodes.push({ name: `layer${l}/LeakyRelu/Mul`, opType: 'Mul', input: [Z, alphaName], output: [`alphaZ${l}`] });
          nodes.push({
            name: `layer${l}/LeakyRelu/Max`,
            opType: 'Max',
            input: [Z, `alphaZ${l}`],
            output: [out],
            docString: `leakyRelu(Z[${l}]) = max(Z, ${LEAKY_RELU_ALPHA}·Z), alpha in full ${dtype} precision`,
          });
        } else {
          nodes.push({ name: `layer${l}/LeakyRelu`, opType: 'LeakyRelu', input: [Z], output: [out], attribute: [floatAttr('alpha', LEAKY_RELU_ALPHA)] });
        }
        A = out;
        break;
      case 'softmax':
        // nabla normalizes over the units (axis 0 of its columns); with samples as rows that is axis 1.
        // Before opset 13 Softmax flattens to 2-D at `axis`, which for a [batch, units] input is the same thing.
        nodes.push({ name: `layer${l}/Softmax`, opType: 'Softmax', input: [Z], output: [out], attribute: [intAttr('axis', 1)] });
        A = out;
        break;
    }
    width = layer.units;
  }

  const spec = modelSpec(model);
  const layout = `${inputName}: [batch, ${model.inputSize}], one sample per row (nabla's (n_x, m) transposed); ${outputName}: [batch, ${width}] = predictProba(X)ᵀ`;
  const architecture = describe(model);
  const metadata: Onnx.IStringStringEntryProto[] = [
    { key: 'nabla.format', value: 'onnx-export/1' },
    { key: 'nabla.model', value: JSON.stringify(spec) },
    { key: 'nabla.input_layout', value: layout },
  ];
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (RESERVED_METADATA.has(key)) throw new ArgumentError('metadata', `'${key}' is written by nabla and cannot be overridden`);
    if (typeof value !== 'string') throw new ArgumentError('metadata', `'${key}' must be a string, got ${typeof value}`);
    metadata.push({ key, value });
  }

  // Every name in the graph must be unique (SSA): the caller's input/output names may not reuse
  // ours. Only the last node writes the output, so every other node output is an internal name.
  const internal = new Set<string>([...initializers.map((t) => t.name ?? ''), ...nodes.slice(0, -1).flatMap((n) => n.output ?? [])]);
  for (const [where, name] of [['inputName', inputName], ['outputName', outputName]] as const) {
    if (internal.has(name)) throw new ArgumentError(where, `'${name}' is already the name of a parameter or an intermediate value in the graph`);
  }

  const irVersion = irVersionForOpset(opset);
  const inputs = [valueInfo(inputName, dtype, ['batch', model.inputSize], 'samples as rows: [batch, n_x]')];
  // IR 3 (opset 8) requires every initializer to be listed among the graph inputs too.
  if (irVersion < 4) for (const t of initializers) inputs.push(valueInfo(t.name ?? '', dtype, (t.dims ?? []).map(Number)));

  const docString = [options.docString, architecture, layout].filter((s) => s !== undefined && s !== '').join('\n');
  const proto = onnx.ModelProto.create({
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName,
    ...(options.producerVersion === undefined ? {} : { producerVersion: options.producerVersion }),
    ...(modelVersion === undefined ? {} : { modelVersion }),
    docString,
    metadataProps: metadata,
    graph: {
      name: model instanceof LogisticRegression ? 'nabla_logistic_regression' : 'nabla_sequential',
      docString: architecture,
      node: nodes,
      initializer: initializers,
      input: inputs,
      output: [valueInfo(outputName, dtype, ['batch', width], `predictProba(X)ᵀ: [batch, ${width}]`)],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
