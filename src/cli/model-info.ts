/**
 * What `nabla train` writes into a model file besides the weights, and reading it back for
 * eval, predict and export: the task, the class names, the feature names, the fitted
 * scaler, and where the label was in a CSV file.
 *
 * The model file's `preprocessing` entry holds what applies to every input (the pixel scale
 * and picture size); the rest goes into its string `notes` as JSON, under the keys below.
 * `scaler`, `classes` and `features` are the library's own (`saveModel`'s options of those
 * names; `loadModel` checks them); `task`, `data`, `csv`, `idx` and `builtin` are the
 * command line's, checked here. A file without these notes (from the library, or the
 * course's cat job) still works: the task follows from the class names or the output layer,
 * and classes are numbered.
 */
import { FileFormatError, type Scaler } from '../index.js';
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

/**
 * A list of names for a message, shortened when long: `x1, x2, x3, x4, x5, … (12281 more),
 * x12287, x12288`; each name at most 40 characters.
 */
export function nameList(names: readonly string[], max = 8): string {
  const one = (name: string): string => (name.length > 40 ? `${name.slice(0, 39)}…` : name);
  if (names.length <= max) return names.map(one).join(', ');
  return [...names.slice(0, 5).map(one), `… (${names.length - 7} more)`, ...names.slice(-2).map(one)].join(', ');
}

/** A note's text for a message: at most about 60 characters. */
function shown(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
const KINDS: readonly DataKind[] = ['csv', 'images', 'idx', 'builtin'];

/**
 * Reads the data record of a loaded model file (`path` names it in errors). The scaler, class
 * names and feature names were checked against the network by `loadModel`; the notes only the
 * command line reads (task, csv, idx, data) are checked here, since a wrong one would make
 * predict and eval read the data wrongly or print malformed output.
 *
 * @throws FileFormatError (where = path): `not a valid nabla model file: …` with every
 *   inconsistent or malformed note.
 */
export function modelInfo(metadata: ModelFileMetadata, path: string): ModelInfo {
  const spec = metadata.model;
  const notes = metadata.notes;
  const sizes = spec.kind === 'sequential' ? spec.layerSizes : [spec.inputSize, 1];
  const activations = spec.kind === 'sequential' ? spec.activations : ['sigmoid' as const];
  const inputs = sizes[0]!;
  const outputs = sizes[sizes.length - 1]!;
  const output = activations[activations.length - 1]!;
  const problems: string[] = [];
  const parse = (key: string): unknown => {
    const text = notes[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      problems.push(`${key} is not valid JSON (got ${shown(text)})`);
      return undefined;
    }
  };

  // The task: as noted, else what the class names or the output layer say.
  const classNames = metadata.classNames;
  let task: Task;
  const noted = notes.task;
  if (noted !== undefined) {
    if (!(TASKS as readonly string[]).includes(noted)) {
      problems.push(`task must be one of ${TASKS.join(', ')}, got ${shown(noted)}`);
      task = 'regression';
    } else task = noted as Task;
  } else if (classNames !== undefined) task = outputs === 1 ? 'binary' : 'multiclass';
  else task = output === 'softmax' ? 'multiclass' : output === 'sigmoid' ? (outputs === 1 ? 'binary' : 'multiclass') : 'regression';
  if (noted !== undefined && problems.length === 0) {
    if (task === 'binary' && outputs > 2) problems.push(`task is 'binary' but the network has ${outputs} outputs (one per class: 'multiclass')`);
    if (task === 'multiclass' && outputs < 2) problems.push(`task is 'multiclass' but the network has 1 output (one sigmoid unit: 'binary')`);
    if (task === 'regression' && classNames !== undefined) problems.push(`task is 'regression' but the file lists classes (${nameList(classNames)})`);
  }

  // The data kind and where its label column was.
  const kindNote = notes.data;
  if (kindNote !== undefined && !(KINDS as readonly string[]).includes(kindNote)) problems.push(`data must be one of ${KINDS.join(', ')}, got ${shown(kindNote)}`);
  const kind: DataKind = kindNote !== undefined && (KINDS as readonly string[]).includes(kindNote)
    ? (kindNote as DataKind)
    : metadata.preprocessing?.image !== undefined ? 'images' : 'csv';

  let csv: CSVInfo | undefined;
  const csvRaw = parse('csv');
  if (csvRaw !== undefined) {
    const before = problems.length;
    if (!isRecord(csvRaw)) problems.push(`csv must be an object { label, labelColumn, layout, delimiter }, got ${shown(notes.csv!)}`);
    else {
      const { label, labelColumn, layout, delimiter } = csvRaw;
      if (typeof label !== 'string') problems.push(`csv.label must be the label column's name, got ${JSON.stringify(label)}`);
      // The label column sits among the inputs' columns: 0 … inputs (0-based).
      if (labelColumn !== undefined && !(isWhole(labelColumn, 0) && labelColumn <= inputs)) {
        problems.push(`csv.labelColumn must be a column index from 0 to ${inputs} (the network has ${plural(inputs, 'input')}), got ${JSON.stringify(labelColumn)}`);
      }
      if (layout !== undefined && layout !== 'rows' && layout !== 'columns') problems.push(`csv.layout must be 'rows' or 'columns', got ${JSON.stringify(layout)}`);
      if (delimiter !== undefined && !(typeof delimiter === 'string' && delimiter.length === 1)) problems.push(`csv.delimiter must be one character, got ${JSON.stringify(delimiter)}`);
      if (problems.length === before) {
        csv = {
          label: label as string,
          ...(labelColumn !== undefined ? { labelColumn: labelColumn as number } : {}),
          layout: layout === 'columns' ? 'columns' : 'rows',
          delimiter: typeof delimiter === 'string' ? delimiter : ',',
        };
      }
    }
  }
  let idx: { rows: number; cols: number } | undefined;
  const idxRaw = parse('idx');
  if (idxRaw !== undefined) {
    if (!isRecord(idxRaw) || !isWhole(idxRaw.rows, 1) || !isWhole(idxRaw.cols, 1)) problems.push(`idx must be { rows, cols } in whole pixels ≥ 1, got ${shown(notes.idx!)}`);
    else if (idxRaw.rows * idxRaw.cols !== inputs) problems.push(`idx says ${idxRaw.rows}×${idxRaw.cols} pictures (${idxRaw.rows * idxRaw.cols} pixels) but the network has ${plural(inputs, 'input')}`);
    else idx = { rows: idxRaw.rows, cols: idxRaw.cols };
  }
  if (problems.length > 0) throw new FileFormatError(path, `not a valid nabla model file: ${problems.join('; ')}`);

  const classCount = task === 'binary' ? 2 : task === 'multiclass' ? outputs : 0;
  return {
    task,
    kind,
    classNames: classNames ?? Array.from({ length: classCount }, (_, k) => String(k)),
    featureNames: metadata.featureNames,
    scaler: metadata.scaler,
    csv,
    idx,
    builtin: notes.builtin,
    preprocessing: metadata.preprocessing,
    outputs,
    inputs,
    architecture: `[${sizes.join(', ')}] (${activations.join(', ')})`,
  };
}
