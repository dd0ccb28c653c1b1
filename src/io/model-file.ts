/**
 * Model files in the safetensors format (https://github.com/huggingface/safetensors), so a
 * trained nabla network can be opened by any safetensors reader (Python, Rust, …):
 *
 *   [8 bytes: N, the header length, unsigned little-endian]
 *   [N bytes: a UTF-8 JSON header]
 *   [the tensors' bytes, little-endian, row-major]
 *
 * The header maps each parameter name (`W1`, `b1`, … or `w`, `b`) to
 * `{ dtype: 'F64' | 'F32', shape, data_offsets: [start, end] }` (offsets into the byte
 * buffer after the header), and `__metadata__` — string values only, as the format demands —
 * holds `format: 'nabla'`, `version: '1'`, the architecture as a JSON string under `model`,
 * and optionally how inputs were prepared under `preprocessing`.
 *
 * This module works on bytes only (no Node APIs), so it runs in a browser too; the Node
 * helpers that read and write files are in `model-file-node.ts`.
 *
 * @example
 * const bytes = saveModel(net, { preprocessing: { scale: 1 / 255, image: { width: 64, height: 64 } } });
 * const { model } = loadModel(bytes);
 */
import { ArgumentError, FileFormatError, NablaError } from '../errors.js';
import { ACTIVATIONS, type ActivationName } from '../nn/activations.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { LOSSES, type LossName } from '../nn/losses.js';
import { Sequential } from '../nn/sequential.js';
import type { DType } from '../tensor/dtype.js';

/** The architecture a model file describes: enough to rebuild the model before setting its parameters. */
export type ModelSpec =
  | {
      readonly kind: 'sequential';
      readonly layerSizes: readonly number[];
      readonly activations: readonly ActivationName[];
      readonly loss: LossName;
      readonly dtype: DType;
    }
  | { readonly kind: 'logistic'; readonly inputSize: number; readonly dtype: DType };

/** How raw inputs were turned into the model's input columns during training. */
export interface Preprocessing {
  /** Each raw value was multiplied by this (1/255 for 8-bit pixels; the course divides by 255). */
  readonly scale?: number;
  /** Inputs are pictures of this size, flattened row-major over (height, width, RGB). */
  readonly image?: { readonly width: number; readonly height: number };
}

/** What `saveModel` may store besides the parameters. */
export interface SaveModelOptions {
  readonly preprocessing?: Preprocessing;
  /**
   * Free-form notes kept in `__metadata__` (string values, as safetensors requires), e.g. the
   * accuracies or the command that trained the model. The reserved keys `format`, `version`,
   * `model` and `preprocessing` cannot be overridden.
   */
  readonly notes?: Readonly<Record<string, string>>;
}

/** What a model file says about itself. */
export interface ModelFileMetadata {
  readonly format: 'nabla';
  readonly version: '1';
  readonly model: ModelSpec;
  readonly preprocessing?: Preprocessing;
  /** Every other `__metadata__` entry. */
  readonly notes: Readonly<Record<string, string>>;
}

export interface LoadedModel {
  readonly model: Sequential | LogisticRegression;
  readonly metadata: ModelFileMetadata;
}

const FORMAT = 'nabla';
const VERSION = '1';
const RESERVED = new Set(['format', 'version', 'model', 'preprocessing']);
/** safetensors' own limit on the header (100 MB): a longer one is refused before it is read. */
export const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_CODES: Record<DType, 'F64' | 'F32'> = { float64: 'F64', float32: 'F32' };
const ITEM_BYTES: Record<'F64' | 'F32', number> = { F64: 8, F32: 4 };

/** The architecture of a model, as stored under `__metadata__.model`. */
export function modelSpec(model: Sequential | LogisticRegression): ModelSpec {
  if (model instanceof LogisticRegression) return { kind: 'logistic', inputSize: model.inputSize, dtype: model.dtype };
  return {
    kind: 'sequential',
    layerSizes: [...model.layerSizes],
    activations: model.layers.map((layer) => layer.activation),
    loss: model.loss,
    dtype: model.dtype,
  };
}

/** The parameter names and shapes a spec implies, in the model's own order. */
function expectedParameters(spec: ModelSpec): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (spec.kind === 'logistic') {
    out.set('w', [spec.inputSize, 1]);
    out.set('b', [1, 1]);
    return out;
  }
  for (let l = 1; l < spec.layerSizes.length; l++) {
    out.set(`W${l}`, [spec.layerSizes[l]!, spec.layerSizes[l - 1]!]);
    out.set(`b${l}`, [spec.layerSizes[l]!, 1]);
  }
  return out;
}

/**
 * Serialises a model's parameters and architecture as a safetensors file.
 *
 * @throws ArgumentError for a model of another class, a note under a reserved key or a
 *   non-string note, or invalid preprocessing.
 */
export function saveModel(model: Sequential | LogisticRegression, options: SaveModelOptions = {}): Uint8Array {
  if (!(model instanceof Sequential) && !(model instanceof LogisticRegression)) {
    throw new ArgumentError('saveModel', 'only Sequential and LogisticRegression models can be saved');
  }
  const spec = modelSpec(model);
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.notes ?? {})) {
    if (RESERVED.has(key)) throw new ArgumentError('saveModel', `the note '${key}' would overwrite a reserved metadata entry (${[...RESERVED].join(', ')})`);
    if (typeof value !== 'string') throw new ArgumentError('saveModel', `the note '${key}' must be a string (safetensors metadata holds strings only)`);
    metadata[key] = value;
  }
  metadata.format = FORMAT;
  metadata.version = VERSION;
  metadata.model = JSON.stringify(spec);
  if (options.preprocessing !== undefined) {
    const problems: string[] = [];
    const pre = checkPreprocessing(options.preprocessing, problems);
    if (problems.length > 0 || pre === undefined) throw new ArgumentError('saveModel', `preprocessing: ${problems.join('; ')}`);
    metadata.preprocessing = JSON.stringify(pre);
  }

  const code = DTYPE_CODES[model.dtype];
  const item = ITEM_BYTES[code];
  const header: Record<string, unknown> = {};
  const params = [...model.parameters()];
  let offset = 0;
  for (const [name, p] of params) {
    const end = offset + p.size * item;
    header[name] = { dtype: code, shape: [...p.shape], data_offsets: [offset, end] };
    offset = end;
  }
  header.__metadata__ = metadata;

  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces (allowed by the format) so the tensor data starts on an
  // 8-byte boundary: readers can then view it as a Float64Array without copying.
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withPad = new Uint8Array(padded).fill(0x20);
    withPad.set(json);
    json = withPad;
  }
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  // DataView writes little-endian whatever the machine's byte order is.
  let at = 8 + json.length;
  for (const [, p] of params) {
    const d = p.data;
    if (code === 'F64') for (let k = 0; k < d.length; k++, at += 8) view.setFloat64(at, d[k]!, true);
    else for (let k = 0; k < d.length; k++, at += 4) view.setFloat32(at, d[k]!, true);
  }
  return bytes;
}

interface TensorEntry {
  readonly name: string;
  readonly code: 'F64' | 'F32';
  readonly shape: number[];
  readonly start: number;
  readonly end: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function fmt(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function checkPreprocessing(value: unknown, problems: string[]): Preprocessing | undefined {
  if (!isRecord(value)) {
    problems.push('preprocessing must be an object');
    return undefined;
  }
  const out: { scale?: number; image?: { width: number; height: number } } = {};
  for (const key of Object.keys(value)) {
    if (key !== 'scale' && key !== 'image') problems.push(`preprocessing has an unknown entry '${key}' (expected scale, image)`);
  }
  if (value.scale !== undefined) {
    if (typeof value.scale !== 'number' || !Number.isFinite(value.scale) || value.scale <= 0) {
      problems.push(`preprocessing.scale must be a finite number > 0, got ${JSON.stringify(value.scale)}`);
    } else out.scale = value.scale;
  }
  if (value.image !== undefined) {
    const image = value.image;
    if (!isRecord(image) || !isCount(image.width) || !isCount(image.height) || image.width < 1 || image.height < 1) {
      problems.push(`preprocessing.image must be { width, height } in whole pixels ≥ 1, got ${JSON.stringify(image)}`);
    } else out.image = { width: image.width, height: image.height };
  }
  return out;
}

function checkSpec(raw: string | undefined, problems: string[]): ModelSpec | undefined {
  if (raw === undefined) {
    problems.push("__metadata__ has no 'model' entry (the architecture)");
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push("__metadata__.model is not valid JSON");
    return undefined;
  }
  if (!isRecord(value)) {
    problems.push('__metadata__.model must be a JSON object');
    return undefined;
  }
  const before = problems.length;
  const dtype = value.dtype;
  if (dtype !== 'float64' && dtype !== 'float32') problems.push(`model.dtype must be 'float64' or 'float32', got ${JSON.stringify(dtype)}`);
  if (value.kind === 'logistic') {
    if (!isCount(value.inputSize) || value.inputSize < 1) problems.push(`model.inputSize must be a whole number ≥ 1, got ${JSON.stringify(value.inputSize)}`);
    if (problems.length > before) return undefined;
    return { kind: 'logistic', inputSize: value.inputSize as number, dtype: dtype as DType };
  }
  if (value.kind !== 'sequential') {
    problems.push(`model.kind must be 'sequential' or 'logistic', got ${JSON.stringify(value.kind)}`);
    return undefined;
  }
  const sizes = value.layerSizes;
  const goodSizes = Array.isArray(sizes) && sizes.length >= 2 && sizes.every((n) => isCount(n) && n >= 1);
  if (!goodSizes) problems.push(`model.layerSizes must list at least two whole numbers ≥ 1, got ${JSON.stringify(sizes)}`);
  const acts = value.activations;
  if (!Array.isArray(acts) || !acts.every((g) => typeof g === 'string' && (ACTIVATIONS as readonly string[]).includes(g))) {
    problems.push(`model.activations must list activation names (${ACTIVATIONS.join(', ')}), got ${JSON.stringify(acts)}`);
  } else if (goodSizes && acts.length !== (sizes as unknown[]).length - 1) {
    problems.push(`model.activations has ${acts.length} entries for ${(sizes as unknown[]).length - 1} layers`);
  }
  if (typeof value.loss !== 'string' || !(LOSSES as readonly string[]).includes(value.loss)) {
    problems.push(`model.loss must be one of ${LOSSES.join(', ')}, got ${JSON.stringify(value.loss)}`);
  }
  if (problems.length > before) return undefined;
  return {
    kind: 'sequential',
    layerSizes: sizes as number[],
    activations: acts as ActivationName[],
    loss: value.loss as LossName,
    dtype: dtype as DType,
  };
}

function fail(where: string, problems: readonly string[]): FileFormatError {
  // One line (`; `-separated) so a command-line tool can print it as a single error.
  return new FileFormatError(where, `not a valid nabla model file: ${problems.join('; ')}`);
}

/**
 * Reads a model file made by `saveModel`: rebuilds the model from `__metadata__.model` and
 * sets its parameters. Everything is checked before anything is allocated, and every
 * problem found (each missing tensor, unexpected tensor, wrong shape or dtype, bad offsets)
 * is reported together in one error.
 *
 * @param where names the file in errors (its path).
 * @throws FileFormatError (where = `where`) for a truncated or malformed file, a header
 *   length beyond the file, or parameters that do not match the architecture.
 */
export function loadModel(bytes: Uint8Array, where = '<bytes>'): LoadedModel {
  if (!(bytes instanceof Uint8Array)) throw new FileFormatError(where, 'expected the file as a Uint8Array');
  if (bytes.length < 8) {
    throw fail(where, [`the file is ${bytes.length} bytes long, too short for the 8-byte header length (truncated?)`]);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  // Compare as BigInt first: a forged length near 2^64 must not lose precision as a Number.
  if (declared > BigInt(bytes.length - 8)) {
    throw fail(where, [`the header claims ${declared} bytes but only ${bytes.length - 8} follow the length field (truncated, or not a model file)`]);
  }
  if (declared > BigInt(MAX_HEADER_BYTES)) throw fail(where, [`the header claims ${declared} bytes, more than the format's limit of ${MAX_HEADER_BYTES}`]);
  const headerLength = Number(declared);
  if (headerLength < 2) throw fail(where, [`the header is ${headerLength} bytes long, too short for a JSON object`]);

  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    header = JSON.parse(text);
  } catch {
    throw fail(where, ['the header is not UTF-8 JSON (truncated, or not a safetensors file)']);
  }
  if (!isRecord(header)) throw fail(where, ['the header must be a JSON object']);

  const problems: string[] = [];
  const bufferLength = bytes.length - 8 - headerLength;

  // __metadata__: string values only, as safetensors requires.
  const rawMeta = header.__metadata__;
  const meta: Record<string, string> = {};
  if (rawMeta === undefined) problems.push("the header has no '__metadata__' (it was not written by nabla)");
  else if (!isRecord(rawMeta)) problems.push('__metadata__ must be an object');
  else {
    for (const [k, v] of Object.entries(rawMeta)) {
      if (typeof v === 'string') meta[k] = v;
      else problems.push(`__metadata__.${k} must be a string`);
    }
    if (meta.format !== FORMAT) problems.push(`__metadata__.format must be '${FORMAT}', got ${JSON.stringify(meta.format)}`);
    if (meta.version !== VERSION) problems.push(`__metadata__.version ${JSON.stringify(meta.version)} is not supported (this nabla reads version '${VERSION}')`);
  }
  const spec = rawMeta === undefined ? undefined : checkSpec(meta.model, problems);
  let preprocessing: Preprocessing | undefined;
  if (meta.preprocessing !== undefined) {
    try {
      preprocessing = checkPreprocessing(JSON.parse(meta.preprocessing), problems);
    } catch {
      problems.push('__metadata__.preprocessing is not valid JSON');
    }
  }

  // The tensor entries, each checked on its own against the byte buffer.
  const entries = new Map<string, TensorEntry>();
  let tensorCount = 0;
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensorCount++;
    if (!isRecord(raw)) {
      problems.push(`tensor '${name}' must be an object`);
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = raw;
    const before = problems.length;
    if (dtype !== 'F64' && dtype !== 'F32') problems.push(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; nabla reads F64 and F32`);
    if (!Array.isArray(shape) || !shape.every(isCount)) problems.push(`tensor '${name}' has shape ${JSON.stringify(shape)}, not a list of whole numbers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !isCount(offsets[0]) || !isCount(offsets[1]) || offsets[0] > offsets[1]) {
      problems.push(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}, not [start, end] with start ≤ end`);
    }
    if (problems.length > before) continue;
    const entry: TensorEntry = { name, code: dtype as 'F64' | 'F32', shape: shape as number[], start: (offsets as number[])[0]!, end: (offsets as number[])[1]! };
    const need = entry.shape.reduce((a, b) => a * b, 1) * ITEM_BYTES[entry.code];
    if (entry.end - entry.start !== need) {
      problems.push(`tensor '${name}' ${fmt(entry.shape)} ${entry.code} needs ${need} bytes but data_offsets span ${entry.end - entry.start}`);
      continue;
    }
    if (entry.end > bufferLength) {
      problems.push(`tensor '${name}' ends at byte ${entry.end} of the data but the file holds ${bufferLength} (truncated?)`);
      continue;
    }
    entries.set(name, entry);
  }

  // The format requires the tensors to tile the buffer exactly: no overlaps, no holes. Only
  // checked when every entry was readable, since a rejected entry would look like a hole.
  if (entries.size === tensorCount) {
    const sorted = [...entries.values()].sort((a, b) => a.start - b.start || a.end - b.end);
    let covered = 0;
    let previous: TensorEntry | undefined;
    for (const e of sorted) {
      if (e.start < covered && previous) {
        problems.push(`tensors '${previous.name}' (bytes ${previous.start}–${previous.end}) and '${e.name}' (bytes ${e.start}–${e.end}) overlap`);
      } else if (e.start > covered) problems.push(`bytes ${covered}–${e.start} of the data belong to no tensor`);
      if (e.end > covered) {
        covered = e.end;
        previous = e;
      }
    }
    if (covered < bufferLength) problems.push(`the file has ${bufferLength - covered} bytes after the last tensor`);
  }

  // Against the architecture: every missing, unexpected and mismatched parameter.
  if (spec !== undefined) {
    const expected = expectedParameters(spec);
    const code = DTYPE_CODES[spec.dtype];
    const missing = [...expected.keys()].filter((name) => !(name in header));
    if (missing.length > 0) problems.push(`missing ${missing.length === 1 ? 'tensor' : 'tensors'} ${missing.join(', ')}`);
    const unexpected = Object.keys(header).filter((name) => name !== '__metadata__' && !expected.has(name));
    if (unexpected.length > 0) {
      problems.push(`unexpected ${unexpected.length === 1 ? 'tensor' : 'tensors'} ${unexpected.join(', ')} (the model has ${[...expected.keys()].join(', ')})`);
    }
    for (const [name, shape] of expected) {
      const e = entries.get(name);
      if (!e) continue;
      if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
        problems.push(`${name} is ${fmt(e.shape)} in the file but the architecture needs ${fmt(shape)}`);
      }
      if (e.code !== code) problems.push(`${name} is ${e.code} but the model's dtype is ${spec.dtype} (${code})`);
    }
  }
  if (problems.length > 0 || spec === undefined) throw fail(where, problems);

  // Only now, with every size checked against the file, is anything allocated.
  let model: Sequential | LogisticRegression;
  try {
    model = spec.kind === 'logistic'
      ? new LogisticRegression(spec.inputSize, { dtype: spec.dtype })
      : new Sequential({
          layerSizes: spec.layerSizes,
          activations: spec.activations,
          loss: spec.loss,
          dtype: spec.dtype,
          // The weights drawn here are overwritten below; 'small' is valid for any depth.
          init: 'small',
        });
  } catch (e) {
    if (e instanceof NablaError) throw fail(where, [`the architecture cannot be built: ${e.message}`]);
    throw e;
  }
  const base = 8 + headerLength;
  for (const [name, p] of model.parameters()) {
    const e = entries.get(name)!;
    // DataView reads little-endian whatever the machine's byte order, and needs no alignment.
    const data = p.data;
    let at = base + e.start;
    if (e.code === 'F64') for (let k = 0; k < data.length; k++, at += 8) data[k] = view.getFloat64(at, true);
    else for (let k = 0; k < data.length; k++, at += 4) data[k] = view.getFloat32(at, true);
  }

  const notes: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) if (!RESERVED.has(k)) notes[k] = v;
  const metadata: ModelFileMetadata = preprocessing === undefined
    ? { format: FORMAT, version: VERSION, model: spec, notes }
    : { format: FORMAT, version: VERSION, model: spec, preprocessing, notes };
  return { model, metadata };
}
