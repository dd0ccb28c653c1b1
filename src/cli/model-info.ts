/**
 * What `nabla train` writes into a model file besides the weights, and reading it back for
 * eval, predict and export: the task, the class names, the feature names, the fitted
 * scaler, and where the label was in a CSV file.
 *
 * The model file's `preprocessing` entry holds what applies to every input (the pixel scale
 * and picture size); the rest goes into its string `notes` as JSON, under the keys below.
 * A file without these notes (from the library, or the course's cat job) still works: the
 * task follows from the output layer, and classes are numbered.
 */
import { checkScaler, type Scaler } from '../index.js';
import type { ModelFileMetadata, Preprocessing } from '../node.js';

export type Task = 'binary' | 'multiclass' | 'regression';

/** Which kind of data a model was trained on. */
export type DataKind = 'csv' | 'images' | 'idx' | 'builtin';

/** Where the label column was in the training CSV. */
export interface CSVInfo {
  readonly label: string;
  /** 0-based; absent when it could not be told (a named column of a file without header). */
  readonly labelColumn?: number;
  readonly layout: 'rows' | 'columns';
  readonly delimiter: string;
}

/** What nabla train records about the data, to prepare new inputs the same way. */
export interface DataRecord {
  readonly task: Task;
  readonly kind: DataKind;
  /** Class index k ↦ classNames[k] (binary: [negative, positive]). */
  readonly classNames?: readonly string[] | undefined;
  readonly featureNames?: readonly string[] | undefined;
  readonly scaler?: Scaler | undefined;
  readonly csv?: CSVInfo | undefined;
  /** IDX pictures' size. */
  readonly idx?: { readonly rows: number; readonly cols: number } | undefined;
  /** The built-in set's name. */
  readonly builtin?: string | undefined;
  readonly preprocessing?: Preprocessing | undefined;
}

/** The notes that store a DataRecord (string values, as safetensors metadata requires). */
export function dataNotes(record: DataRecord): Record<string, string> {
  const notes: Record<string, string> = { task: record.task, data: record.kind };
  if (record.classNames !== undefined) notes.classes = JSON.stringify(record.classNames);
  if (record.featureNames !== undefined) notes.features = JSON.stringify(record.featureNames);
  if (record.scaler !== undefined) notes.scaler = JSON.stringify(record.scaler);
  if (record.csv !== undefined) notes.csv = JSON.stringify(record.csv);
  if (record.idx !== undefined) notes.idx = JSON.stringify(record.idx);
  if (record.builtin !== undefined) notes.builtin = record.builtin;
  return notes;
}

/** A model file's data record, with the gaps filled from its architecture. */
export interface ModelInfo extends DataRecord {
  readonly classNames: readonly string[];
  /** Units of the output layer. */
  readonly outputs: number;
  readonly inputs: number;
  /** One line describing the network, e.g. `[4, 16, 3] (relu, softmax)`. */
  readonly architecture: string;
}

function parseJSON(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Notes are informational: a malformed one is treated as absent.
    return undefined;
  }
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Reads the data record of a loaded model file (`path` names it in errors). */
export function modelInfo(metadata: ModelFileMetadata, path: string): ModelInfo {
  const spec = metadata.model;
  const notes = metadata.notes;
  const sizes = spec.kind === 'sequential' ? spec.layerSizes : [spec.inputSize, 1];
  const activations = spec.kind === 'sequential' ? spec.activations : ['sigmoid' as const];
  const outputs = sizes[sizes.length - 1]!;
  const output = activations[activations.length - 1]!;
  const inferred: Task = output === 'softmax' ? 'multiclass' : output === 'sigmoid' ? (outputs === 1 ? 'binary' : 'multiclass') : 'regression';
  const noted = notes.task;
  const task: Task = noted === 'binary' || noted === 'multiclass' || noted === 'regression' ? noted : inferred;

  const classes = parseJSON(notes.classes);
  const classCount = task === 'binary' ? 2 : task === 'multiclass' ? outputs : 0;
  const classNames = isStrings(classes) && classes.length === classCount ? classes : Array.from({ length: classCount }, (_, k) => String(k));
  const features = parseJSON(notes.features);
  const featureNames = isStrings(features) && features.length === sizes[0] ? features : undefined;
  let scaler: Scaler | undefined;
  if (notes.scaler !== undefined) {
    const raw = parseJSON(notes.scaler);
    // A scaler that cannot be read would silently give wrong predictions: refuse it.
    scaler = checkScaler(raw, `${path} (the scaler in its notes)`);
  }
  const csvRaw = parseJSON(notes.csv);
  let csv: CSVInfo | undefined;
  if (typeof csvRaw === 'object' && csvRaw !== null && 'label' in csvRaw && typeof csvRaw.label === 'string') {
    const c = csvRaw as Record<string, unknown>;
    csv = {
      label: csvRaw.label,
      ...(typeof c.labelColumn === 'number' && Number.isInteger(c.labelColumn) ? { labelColumn: c.labelColumn } : {}),
      layout: c.layout === 'columns' ? 'columns' : 'rows',
      delimiter: typeof c.delimiter === 'string' && c.delimiter.length === 1 ? c.delimiter : ',',
    };
  }
  const idxRaw = parseJSON(notes.idx);
  const idx = typeof idxRaw === 'object' && idxRaw !== null && 'rows' in idxRaw && 'cols' in idxRaw && typeof idxRaw.rows === 'number' && typeof idxRaw.cols === 'number'
    ? { rows: idxRaw.rows, cols: idxRaw.cols }
    : undefined;
  const kindNote = notes.data;
  const kind: DataKind = kindNote === 'csv' || kindNote === 'images' || kindNote === 'idx' || kindNote === 'builtin'
    ? kindNote
    : metadata.preprocessing?.image !== undefined ? 'images' : 'csv';
  return {
    task,
    kind,
    classNames,
    featureNames,
    scaler,
    csv,
    idx,
    builtin: notes.builtin,
    preprocessing: metadata.preprocessing,
    outputs,
    inputs: sizes[0]!,
    architecture: `[${sizes.join(', ')}] (${activations.join(', ')})`,
  };
}
