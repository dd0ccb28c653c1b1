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
 * holds `format: 'nabla'`, `version: '1'`, the architecture as a JSON string under `model`
 * (with the dropout rate, when not 0), and optionally how inputs were prepared under
 * `preprocessing`. What the command line needs to read raw data for a model is stored as
 * JSON strings too, from `SaveModelOptions` (the keys `nabla train` has always written):
 *
 *   scaler    {"kind":"standardize","offset":[…],"scale":[…]}: one entry per input
 *   classes   ["lower","upper"]: class k's name (two for one sigmoid output, else one per output)
 *   features  ["x1","x2"]: the input columns' names, one per input
 *
 * `loadModel` checks these against the network and returns them parsed; every other entry is
 * a free-form note. Files without them (older ones, or saved without the options) still load.
 *
 * This module works on bytes only (no Node APIs), so it runs in a browser too; the Node
 * helpers that read and write files are in `model-file-node.ts`.
 *
 * @example
 * const bytes = saveModel(net, { preprocessing: { scale: 1 / 255, image: { width: 64, height: 64 } } });
 * const { model } = loadModel(bytes);
 *
 * @example
 * // A CSV model that `nabla predict` and `nabla eval` can read raw data for:
 * const { X, Y, scaler, classNames, featureNames } = await loadCSV('moons.csv', { label: 'label', scale: 'standardize' });
 * fit(net, X, Y, { epochs: 100 });
 * await saveModelFile('moons.safetensors', net, { scaler, classNames, featureNames });
 */
import { checkScaler, type Scaler } from '../data/scaling.js';
import { ArgumentError, FileFormatError, NablaError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { ACTIVATIONS, type ActivationName } from '../nn/activations.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { LOSSES, type LossName } from '../nn/losses.js';
import { Sequential } from '../nn/sequential.js';
import { describeModelArgument } from '../nn/model.js';
import type { DType } from '../tensor/dtype.js';

/** The architecture a model file describes: enough to rebuild the model before setting its parameters. */
export type ModelSpec =
  | {
      readonly kind: 'sequential';
      readonly layerSizes: readonly number[];
      readonly activations: readonly ActivationName[];
      readonly loss: LossName;
      readonly dtype: DType;
      /** The dropout rate of the hidden layers (`Sequential({ dropout })`); absent when 0. */
      readonly dropout?: number;
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
   * The scaler the training inputs went through — `loadCSV(path, { scale })`'s `scaler`, or
   * `fitScaler`'s — one offset and scale per input. Stored under `__metadata__.scaler`;
   * `nabla predict` and `nabla eval` apply it to raw inputs, as `applyScaler` does.
   */
  readonly scaler?: Scaler;
  /**
   * The classes' names, class k ↦ classNames[k] (`loadCSV`'s `classNames`): two for a network
   * with one sigmoid output ([negative, positive]), else one per output unit. Stored under
   * `__metadata__.classes`; the command line prints them and matches eval labels against them.
   */
  readonly classNames?: readonly string[];
  /**
   * The inputs' names in order (`loadCSV`'s `featureNames`), one per input. Stored under
   * `__metadata__.features`; the command line finds these columns by name in a CSV header.
   */
  readonly featureNames?: readonly string[];
  /**
   * Free-form notes kept in `__metadata__` (string values, as safetensors requires), e.g. the
   * accuracies or the command that trained the model. The reserved keys `format`, `version`,
   * `model` and `preprocessing` cannot be overridden. The notes `scaler`, `classes` and
   * `features` are the options above as JSON: they are checked like them, and may not
   * contradict them.
   */
  readonly notes?: Readonly<Record<string, string>>;
}

/** What a model file says about itself. */
export interface ModelFileMetadata {
  readonly format: 'nabla';
  readonly version: '1';
  readonly model: ModelSpec;
  readonly preprocessing?: Preprocessing;
  /** The input scaler saved with the model (`SaveModelOptions.scaler`), checked against its inputs. */
  readonly scaler?: Scaler;
  /** The class names saved with the model, checked against its outputs. */
  readonly classNames?: readonly string[];
  /** The feature names saved with the model, one per input. */
  readonly featureNames?: readonly string[];
  /** Every `__metadata__` entry but `format`, `version`, `model` and `preprocessing` (the raw `scaler`, `classes` and `features` strings included). */
  readonly notes: Readonly<Record<string, string>>;
}

export interface LoadedModel {
  readonly model: Sequential | LogisticRegression;
  readonly metadata: ModelFileMetadata;
}

const FORMAT = 'nabla';
const VERSION = '1';
const RESERVED = new Set(['format', 'version', 'model', 'preprocessing']);
/** The notes that hold the data options, as JSON: option name ↦ note key. */
const DATA_NOTES = { scaler: 'scaler', classNames: 'classes', featureNames: 'features' } as const;
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
    // Only when set, so files of networks without dropout are as before.
    ...(model.dropout > 0 ? { dropout: model.dropout } : {}),
  };
}

/** The network's input and output widths. */
function widths(spec: ModelSpec): { inputs: number; outputs: number } {
  if (spec.kind === 'logistic') return { inputs: spec.inputSize, outputs: 1 };
  return { inputs: spec.layerSizes[0]!, outputs: spec.layerSizes[spec.layerSizes.length - 1]! };
}

/** A value for a message: at most about 60 characters of its JSON. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 57))}…` : JSON.stringify(text);
}

/** A list of names (each a string, no two alike), or undefined with the problem pushed. */
function checkNames(value: unknown, what: string, problems: string[]): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(`${what} must be a list of names (strings), got ${shown(value)}`);
    return undefined;
  }
  const seen = new Set<string>();
  for (const name of value as string[]) {
    if (seen.has(name)) {
      problems.push(`${what} lists ${shown(name)} twice`);
      return undefined;
    }
    seen.add(name);
  }
  return (value as string[]).slice();
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface DataNotes {
  scaler?: Scaler;
  classNames?: string[];
  featureNames?: string[];
}

/**
 * Checks the scaler, class names and feature names against the network: as much as the
 * inputs and outputs imply. Problems are pushed in the words of the file's keys.
 */
/** The scaler, class and feature notes of `notes` parsed from JSON; one that is not JSON is a problem (`bad`'s words). */
function parseDataNotes(
  notes: Record<string, string | undefined>,
  problems: string[],
  bad: (key: string, text: string) => string,
): { scaler?: unknown; classNames?: unknown; featureNames?: unknown } {
  const raw: { scaler?: unknown; classNames?: unknown; featureNames?: unknown } = {};
  for (const [option, key] of Object.entries(DATA_NOTES) as [keyof typeof DATA_NOTES, string][]) {
    const text = notes[key];
    if (text === undefined) continue;
    try {
      raw[option] = JSON.parse(text) as unknown;
    } catch {
      problems.push(bad(key, text));
    }
  }
  return raw;
}

function checkDataNotes(raw: { scaler?: unknown; classNames?: unknown; featureNames?: unknown }, spec: ModelSpec | undefined, problems: string[]): DataNotes {
  const out: DataNotes = {};
  const size = spec === undefined ? undefined : widths(spec);
  if (raw.scaler !== undefined) {
    try {
      const scaler = checkScaler(raw.scaler, 'scaler');
      if (size !== undefined && scaler.offset.length !== size.inputs) {
        problems.push(`scaler was fitted to ${plural(scaler.offset.length, 'feature')} but the network has ${plural(size.inputs, 'input')}`);
      } else out.scaler = scaler;
    } catch (e) {
      if (!(e instanceof NablaError)) throw e;
      problems.push(`scaler is not a usable scaler: ${e.message.replace(/^scaler: /, '')}`);
    }
  }
  if (raw.classNames !== undefined) {
    const names = checkNames(raw.classNames, 'classes', problems);
    if (names !== undefined && size !== undefined) {
      const expected = size.outputs === 1 ? 2 : size.outputs;
      if (names.length !== expected) {
        const has = size.outputs === 1 ? '1 output (a binary model: 2 classes, [negative, positive])' : `${size.outputs} outputs`;
        problems.push(`classes lists ${plural(names.length, 'name')} but the network has ${has}`);
      } else out.classNames = names;
    }
  }
  if (raw.featureNames !== undefined) {
    const names = checkNames(raw.featureNames, 'features', problems);
    if (names !== undefined && size !== undefined) {
      if (names.length !== size.inputs) problems.push(`features lists ${plural(names.length, 'name')} but the network has ${plural(size.inputs, 'input')}`);
      else out.featureNames = names;
    }
  }
  return out;
}

/** The first non-finite value of a row-major (rows, cols) block, as `NaN at row 0, column 2`. */
function firstNonFinite(count: number, cols: number, get: (k: number) => number): { text: string; more: number } | undefined {
  let first: string | undefined;
  let more = 0;
  for (let k = 0; k < count; k++) {
    const v = get(k);
    if (Number.isFinite(v)) continue;
    if (first === undefined) first = `${v} at row ${Math.floor(k / cols)}, column ${k % cols}`;
    else more++;
  }
  return first === undefined ? undefined : { text: first, more };
}

function nonFiniteText(name: string, found: { text: string; more: number }): string {
  return `${name} holds ${found.text}${found.more > 0 ? ` (and ${plural(found.more, 'more non-finite value')})` : ''}`;
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
 *   non-string note, invalid preprocessing, a scaler, class names or feature names that do
 *   not fit the network (or contradict the notes of the same name), or a parameter holding
 *   NaN or ±Inf (named with its row and column: such a file could not be loaded).
 */
export function saveModel(model: Sequential | LogisticRegression, options: SaveModelOptions = {}): Uint8Array {
  checkOptions(options, 'saveModel', optionKeys<SaveModelOptions>()(['preprocessing', 'scaler', 'classNames', 'featureNames', 'notes']));
  if (!(model instanceof Sequential) && !(model instanceof LogisticRegression)) {
    throw new ArgumentError('saveModel', `only Sequential and LogisticRegression models can be saved, got ${describeModelArgument(model)}`);
  }
  const spec = modelSpec(model);
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.notes ?? {})) {
    if (RESERVED.has(key)) throw new ArgumentError('saveModel', `the note '${key}' would overwrite a reserved metadata entry (${[...RESERVED].join(', ')})`);
    if (typeof value !== 'string') throw new ArgumentError('saveModel', `the note '${key}' must be a string (safetensors metadata holds strings only)`);
    metadata[key] = value;
  }
  // The data options, as the notes the command line reads; a note of the same name (how
  // `nabla train` passes them) must say the same thing.
  for (const [option, key] of Object.entries(DATA_NOTES) as [keyof typeof DATA_NOTES, string][]) {
    const value = options[option];
    if (value === undefined) continue;
    // The scaler as checkScaler returns it: its three entries, in the order nabla writes them.
    const json = JSON.stringify(option === 'scaler' && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { kind: (value as Scaler).kind, offset: (value as Scaler).offset, scale: (value as Scaler).scale }
      : value);
    if (metadata[key] !== undefined && metadata[key] !== json) {
      throw new ArgumentError('saveModel', `the note '${key}' and the option ${option} disagree: give one of them`);
    }
    metadata[key] = json;
  }
  const problems: string[] = [];
  checkDataNotes(parseDataNotes(metadata, problems, (key) => `the note '${key}' is not valid JSON`), spec, problems);
  if (problems.length > 0) throw new ArgumentError('saveModel', problems.join('; '));
  metadata.format = FORMAT;
  metadata.version = VERSION;
  metadata.model = JSON.stringify(spec);
  if (options.preprocessing !== undefined) {
    const pre = checkPreprocessing(options.preprocessing, problems);
    if (problems.length > 0 || pre === undefined) throw new ArgumentError('saveModel', `preprocessing: ${problems.join('; ')}`);
    metadata.preprocessing = JSON.stringify(pre);
  }
  // A model with NaN or ±Inf weights would be refused when loaded: refuse it now, by name.
  for (const [name, p] of model.parameters()) {
    const cols = p.shape.length >= 2 ? p.shape[p.shape.length - 1]! : 1;
    const found = firstNonFinite(p.size, Math.max(cols, 1), (k) => p.data[k]!);
    if (found !== undefined) throw new ArgumentError('saveModel', `${nonFiniteText(name, found)}: a model with non-finite parameters cannot be saved`);
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
  // Absent in files written before dropout was saved (and whenever it is 0).
  const dropout = value.dropout;
  if (dropout !== undefined && (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1))) {
    problems.push(`model.dropout must be a probability in [0, 1), got ${JSON.stringify(dropout)}`);
  }
  if (problems.length > before) return undefined;
  return {
    kind: 'sequential',
    layerSizes: sizes as number[],
    activations: acts as ActivationName[],
    loss: value.loss as LossName,
    dtype: dtype as DType,
    ...(typeof dropout === 'number' && dropout > 0 ? { dropout } : {}),
  };
}

/**
 * Whether bytes (a whole file, or its first few KiB) start like a safetensors file: a header
 * length within the format's limit, then a JSON object.
 */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  return declared >= 2n && declared <= BigInt(MAX_HEADER_BYTES) && bytes[8] === 0x7b;
}

/**
 * Whether a file's first bytes (up to 4 KiB) are text: no control characters but tab, line
 * breaks and form feed, and the first 8 plain ASCII (as a CSV header or a number is).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  // A UTF-8 byte-order mark, as spreadsheet exports often start with, is skipped.
  const from = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const n = Math.min(bytes.length, 4096);
  if (n <= from) return false;
  for (let i = from; i < n; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) return false;
    if (i < from + 8 && b > 0x7e) return false;
  }
  return true;
}

/**
 * What a file that is not a safetensors file most likely is, from its first bytes: "text/CSV",
 * "a PNG picture", "an ONNX model"…, or undefined when nothing is recognised.
 */
export function guessFormat(bytes: Uint8Array): string | undefined {
  const starts = (...magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG picture';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG picture';
  if (starts(0x89, 0x48, 0x44, 0x46)) return 'an HDF5 file';
  if (starts(0x1f, 0x8b)) return 'a gzip-compressed file';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive';
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return 'UTF-16 text';
  // IDX: two zero bytes, the element type (0x08 unsigned byte … 0x0e double), 1–4 dimensions.
  if (bytes.length >= 4 && starts(0, 0) && bytes[2]! >= 0x08 && bytes[2]! <= 0x0e && bytes[3]! >= 1 && bytes[3]! <= 4) return 'an IDX file';
  // ONNX (protobuf): field 1 (ir_version, a small number), then another field of the ModelProto.
  if (bytes.length >= 3 && bytes[0] === 0x08 && bytes[1]! >= 3 && bytes[1]! <= 12 && [0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a, 0x42].includes(bytes[2]!)) return 'an ONNX model';
  if (looksLikeText(bytes)) return 'text/CSV';
  return undefined;
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
  // Another kind of file altogether (a CSV given as the model, an ONNX export…): say what it
  // looks like, rather than what its first 8 bytes would mean as a header length.
  if (!looksLikeSafetensors(bytes)) {
    const other = guessFormat(bytes);
    if (other !== undefined) throw new FileFormatError(where, `not a nabla model file (it looks like ${other})`);
  }
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
  // The scaler, class names and feature names (JSON strings), checked against the network.
  const dataNotes = checkDataNotes(parseDataNotes(meta, problems, (key, text) => `${key} is not valid JSON (got ${shown(text)})`), spec, problems);

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

  // NaN or ±Inf in a parameter gives NaN predictions: refuse, naming the first of each tensor.
  const start = 8 + headerLength;
  for (const [name, shape] of expectedParameters(spec)) {
    const e = entries.get(name)!;
    const item = ITEM_BYTES[e.code];
    const count = shape.reduce((a, b) => a * b, 1);
    const found = firstNonFinite(count, shape[1] ?? 1, (k) =>
      e.code === 'F64' ? view.getFloat64(start + e.start + k * item, true) : view.getFloat32(start + e.start + k * item, true));
    if (found !== undefined) problems.push(nonFiniteText(name, found));
  }
  if (problems.length > 0) throw fail(where, problems);

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
          dropout: spec.dropout ?? 0,
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
  const metadata: ModelFileMetadata = {
    format: FORMAT,
    version: VERSION,
    model: spec,
    ...(preprocessing === undefined ? {} : { preprocessing }),
    ...dataNotes,
    notes,
  };
  return { model, metadata };
}
