/**
 * A CSV table as a dataset in the seeds' layout (browser-safe: takes the text; `loadCSV`
 * in `csv.ts` reads a file and calls this).
 *
 * Each CSV row is a sample and becomes a COLUMN of X (n_x, m); one column of the file is
 * the label and becomes Y. Every problem is reported with the file, the line (1-based, as
 * an editor shows it) and the column (1-based, with its header name when there is one).
 *
 * Tokenizing is csv-parse's sync API (quotes, escaped quotes, CRLF, BOM). Its browser build
 * is imported because the Node build needs the global `Buffer`, which browsers lack; the
 * browser build bundles its own and behaves the same in Node.
 *
 * @example
 * const { X, Y, classNames } = parseCSV('x1,x2,species\n1,2,cat\n3,4,dog\n', {}, 'pets.csv');
 * X.shape; // [2, 2]
 * Y.toArray(); // [[0, 1]] — binary: 'cat' → 0, 'dog' → 1 (sorted); classNames ['cat', 'dog']
 */
import { parse } from 'csv-parse/browser/esm/sync';
import { ArgumentError, DataError, FileFormatError } from '../errors.js';
import { checkOptions as checkKeys, optionKeys } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { applyScaler, fitScaler, type Scaler } from './scaling.js';

/** How the label column is turned into Y. */
export type CSVLabelKind = 'binary' | 'classes' | 'regression';

export interface CSVOptions {
  /** The label column: its header name, or its 0-based index (negative counts from the end). Default: the last column. */
  readonly label?: string | number;
  /**
   * Whether line 1 holds column names. Default: detected — line 1 is a header when every
   * non-empty cell in it is not a number. (Not "any cell": a header-less file whose label
   * column is text, like iris's `5.1,3.5,1.4,0.2,setosa`, must not lose its first sample.)
   */
  readonly header?: boolean;
  /** The cell separator (default `,`). */
  readonly delimiter?: string;
  /**
   * How to read the label column. Default: detected —
   * exactly 2 distinct values → `'binary'`; up to 20 distinct whole-number or text values →
   * `'classes'`; otherwise `'regression'` (numbers only).
   * - `'binary'`: Y (1, m) of 0/1. Labels already 0/1 stay as they are; any other two
   *   values map in sorted order (`-1`/`1` → 0/1, `'no'`/`'yes'` → 0/1).
   * - `'classes'`: Y one-hot (K, m); class k is the k-th label value in sorted order
   *   (numerically when all are numbers).
   * - `'regression'`: Y (1, m), the numbers as they are.
   */
  readonly labels?: CSVLabelKind;
  /** Feature scaling fitted on this file (default `'none'`); the fitted scaler is returned to apply to new data. */
  readonly scale?: 'standardize' | 'minmax' | 'none';
}

export interface CSVDataset {
  /** (n_x, m): one column per data row, features in file order without the label column. */
  readonly X: Tensor;
  /** (1, m) for binary and regression, one-hot (K, m) for classes. */
  readonly Y: Tensor;
  /** The feature columns' header names (`col1`, `col2`, … by file position without a header). */
  readonly featureNames: string[];
  /** The label column's name. */
  readonly labelName: string;
  /** How the labels were read (the detected kind when `labels` was not given). */
  readonly labels: CSVLabelKind;
  /** Binary and classes: the label value of each class index (index k ↦ classNames[k]). */
  readonly classNames?: string[];
  /** Present when `scale` was not `'none'`: what X was scaled with (plain data, JSON-safe). */
  readonly scaler?: Scaler;
}

/** Auto-detection treats at most this many distinct labels as classes. */
const MAX_AUTO_CLASSES = 20;

/** What spreadsheets and pandas write for "no value". */
export const MISSING: ReadonlySet<string> = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/** A plain decimal number; stricter than Number(), which also takes '', ' ', '0x1F', 'Infinity'. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const isNumber = (cell: string): boolean => NUMBER.test(cell);

interface Row {
  readonly cells: string[];
  /** The line the row starts on. */
  readonly line: number;
}

function tokenize(text: string, delimiter: string, where: string): Row[] {
  let parsed: unknown;
  try {
    parsed = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Ragged rows are reported below, in our words, with the counts.
      relax_column_count: true,
      info: true,
    });
  } catch (e) {
    throw csvSyntaxError(e, text, where);
  }
  // With `info: true` each record comes as { record, info }; the typings do not model that.
  const records = parsed as { record: string[]; info: { lines: number } }[];
  return records.map(({ record, info }) => {
    // info.lines is the line the record ENDS on; a quoted cell may span lines.
    let inner = 0;
    for (const cell of record) for (const ch of cell) if (ch === '\n') inner++;
    return { cells: record, line: info.lines - inner };
  });
}

/**
 * The CSV parser's error in our words. An unclosed quote is reported by the parser where the
 * text ends, which may be many lines on; the line where that quote opened is what to fix.
 */
export function csvSyntaxError(e: unknown, text: string, where: string): FileFormatError {
  const message = e instanceof Error ? e.message : String(e);
  if ((e as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = unclosedQuoteLine(text);
    if (line !== null) return new FileFormatError(where, `line ${line}: a quoted cell opens with " and is never closed (the file ends inside it)`);
  }
  return new FileFormatError(where, `cannot parse the CSV: ${message}`);
}

// The line of the quote still open at the end of the text: a quote opens a quoted cell, and ""
// inside one is an escaped quote. Null when every quote closes.
function unclosedQuoteLine(text: string): number | null {
  let line = 1, open: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    else if (ch === '"') {
      if (open === null) open = line;
      else if (text[i + 1] === '"') i++;
      else open = null;
    }
  }
  return open;
}

/** Says where a cell is: `line 4, column 2 ('petal_width')`. */
function at(row: Row, column: number, names: readonly string[] | undefined): string {
  const name = names?.[column];
  return `line ${row.line}, column ${column + 1}${name === undefined ? '' : ` (${JSON.stringify(name)})`}`;
}

/**
 * Whether line 1 holds column names: every cell of it is text, or some cell is text where line 2
 * holds a number in the same column (a name over numeric data, as in `x,2024,label` over
 * `1,2,0`: "2024" is a name there too). A label column of text ("cat") is text on every line,
 * so it alone does not make line 1 a header.
 */
export function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  const filled = first.filter((c) => c !== '');
  if (filled.length === 0) return false;
  if (filled.every((c) => !isNumber(c))) return true;
  // A missing-value marker ('?', 'NA') over numbers is data with a hole, not a name.
  const name = (c: string): boolean => !isNumber(c) && !MISSING.has(c.toLowerCase());
  return second !== undefined && first.some((c, i) => name(c) && second[i] !== undefined && isNumber(second[i]!));
}

function resolveLabel(label: string | number | undefined, width: number, names: readonly string[] | undefined, headerRow: Row | undefined, where: string): number {
  if (label === undefined) return width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < -width || label >= width) {
      throw new ArgumentError('label', `${where}: label column index ${label} is outside the file's ${width} columns (0..${width - 1}, or −1..−${width} from the end)`);
    }
    return label < 0 ? width + label : label;
  }
  if (names === undefined || headerRow === undefined) {
    throw new ArgumentError('label', `${where}: label ${JSON.stringify(label)} is a column name, but the file has no header row (line 1 holds data); pass header: true if line 1 holds the names, or give the column's index`);
  }
  const exact = names.indexOf(label);
  if (exact !== -1) return exact;
  const folded = names.flatMap((n, i) => (n.toLowerCase() === label.toLowerCase() ? [i] : []));
  if (folded.length === 1) return folded[0]!;
  throw new ArgumentError('label', `${where}: no column named ${JSON.stringify(label)} in the header (line ${headerRow.line}); the columns are: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
}

/** The feature cell as a number, or an error that says where it is and what is wrong. */
function featureValue(cell: string, row: Row, column: number, names: readonly string[] | undefined, delimiter: string, headerGiven: boolean, where: string): number {
  if (MISSING.has(cell.toLowerCase())) {
    throw new DataError(where, `${at(row, column, names)}: missing value (${cell === '' ? 'empty cell' : JSON.stringify(cell)}); fill or drop incomplete rows first`);
  }
  if (!isNumber(cell)) {
    let hint = '';
    const other = [';', '\t', ','].find((d) => d !== delimiter && cell.includes(d));
    if (other !== undefined) hint = `; is the delimiter ${JSON.stringify(other)}? pass delimiter: ${JSON.stringify(other)}`;
    else if (row.line === 1 && !headerGiven) hint = '; if line 1 holds column names, pass header: true';
    throw new DataError(where, `${at(row, column, names)}: ${JSON.stringify(cell)} is not a number (feature columns must be numeric)${hint}`);
  }
  const v = Number(cell);
  if (!Number.isFinite(v)) throw new DataError(where, `${at(row, column, names)}: ${JSON.stringify(cell)} overflows to ${v}`);
  return v;
}

interface LabelColumn {
  readonly cells: string[];
  readonly rows: Row[];
  readonly column: number;
  readonly names: readonly string[] | undefined;
}

/** A distinct label value: its canonical name and, for numbers, its value for sorting. */
interface LabelValue {
  readonly name: string;
  readonly value: number | undefined;
}

function distinctLabels(col: LabelColumn): { keys: string[]; byKey: Map<string, LabelValue>; numeric: boolean } {
  const numeric = col.cells.every(isNumber);
  const byKey = new Map<string, LabelValue>();
  // Numbers are keyed by value, so '1', '1.0' and '+1' are the same class.
  const keys = col.cells.map((cell) => {
    const value = numeric ? Number(cell) : undefined;
    const key = value === undefined ? cell : String(value);
    if (!byKey.has(key)) byKey.set(key, { name: key, value });
    return key;
  });
  return { keys, byKey, numeric };
}

function detectKind(col: LabelColumn, where: string): CSVLabelKind {
  const { byKey, numeric } = distinctLabels(col);
  const distinct = [...byKey.values()];
  const label = (cell: string): string => JSON.stringify(cell);
  if (distinct.length === 2) return 'binary';
  if (distinct.length === 1) {
    const only = distinct[0]!;
    if (only.value === 0 || only.value === 1) return 'binary';
    throw new DataError(where, `the label column (column ${col.column + 1}) holds the single value ${label(only.name)}: there is nothing to learn; pass labels explicitly if that is intended`);
  }
  if (numeric) {
    const whole = distinct.every((d) => Number.isInteger(d.value));
    return whole && distinct.length <= MAX_AUTO_CLASSES ? 'classes' : 'regression';
  }
  if (distinct.length <= MAX_AUTO_CLASSES) return 'classes';
  // Mostly numbers with a stray word looks like a typo in a regression target: point at it.
  const j = col.cells.findIndex((c) => !isNumber(c));
  const row = col.rows[j]!;
  throw new DataError(
    where,
    `${at(row, col.column, col.names)}: label ${label(col.cells[j]!)} is not a number, and ${distinct.length} distinct labels are too many to detect as classes (at most ${MAX_AUTO_CLASSES}); fix the cell, pass labels: 'classes', or choose another label column`,
  );
}

function buildY(col: LabelColumn, kind: CSVLabelKind, where: string): { Y: Tensor; classNames?: string[] } {
  const m = col.cells.length;
  if (kind === 'regression') {
    const y = new Float64Array(m);
    col.cells.forEach((cell, j) => {
      if (!isNumber(cell)) throw new DataError(where, `${at(col.rows[j]!, col.column, col.names)}: label ${JSON.stringify(cell)} is not a number (regression labels must be numeric)`);
      y[j] = Number(cell);
    });
    return { Y: new Tensor(y, [1, m]) };
  }
  const { keys, byKey, numeric } = distinctLabels(col);
  const sorted = [...byKey.values()].sort((a, b) => (numeric ? a.value! - b.value! : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let classNames = sorted.map((d) => d.name);
  if (kind === 'binary') {
    if (sorted.length > 2) {
      const shown = classNames.slice(0, 5).map((n) => JSON.stringify(n)).join(', ');
      throw new DataError(where, `labels: 'binary' needs 2 distinct labels, column ${col.column + 1} has ${sorted.length} (${shown}${sorted.length > 5 ? ', …' : ''}); use labels: 'classes'`);
    }
    // Labels already 0/1 keep their meaning even when only one of them occurs (a small split).
    if (numeric && sorted.every((d) => d.value === 0 || d.value === 1)) classNames = ['0', '1'];
    else if (sorted.length < 2) {
      throw new DataError(where, `labels: 'binary' with the single label ${JSON.stringify(classNames[0])} (not 0 or 1): which class it is is ambiguous`);
    }
  }
  const index = new Map(classNames.map((name, k) => [name, k]));
  const y = keys.map((key) => index.get(byKey.get(key)!.name)!);
  if (kind === 'binary') return { Y: new Tensor(Float64Array.from(y), [1, m]), classNames };
  const K = classNames.length;
  const onehot = new Float64Array(K * m);
  y.forEach((k, j) => (onehot[k * m + j] = 1));
  return { Y: new Tensor(onehot, [K, m]), classNames };
}

function checkOptions(options: CSVOptions): void {
  checkKeys(options, 'CSV options', optionKeys<CSVOptions>()(['label', 'header', 'delimiter', 'labels', 'scale']));
  const { labels, scale, delimiter } = options;
  if (labels !== undefined && labels !== 'binary' && labels !== 'classes' && labels !== 'regression') {
    throw new ArgumentError('labels', `unknown labels ${JSON.stringify(labels)}: expected 'binary', 'classes' or 'regression' (or none, to detect)`);
  }
  if (scale !== undefined && scale !== 'standardize' && scale !== 'minmax' && scale !== 'none') {
    throw new ArgumentError('scale', `unknown scale ${JSON.stringify(scale)}: expected 'standardize', 'minmax' or 'none'`);
  }
  if (delimiter !== undefined && (typeof delimiter !== 'string' || delimiter.length === 0)) {
    throw new ArgumentError('delimiter', `the delimiter must be a non-empty string, got ${JSON.stringify(delimiter)}`);
  }
}

/**
 * Parses CSV text into X (n_x, m) and Y; see `CSVOptions` for header, label and scaling
 * rules.
 *
 * @param where names the source in errors (the file path; default `<csv>`).
 * @throws FileFormatError (where): an empty text; unparsable CSV (an unclosed quote…); a
 *   ragged row — line L has M cells where N were expected.
 * @throws DataError (where): no data rows; a missing value or a non-numeric feature cell
 *   (line, column and the cell's text); labels that do not fit the requested kind.
 * @throws ArgumentError: a label column name not in the header (the header is listed), or
 *   an index out of range; unknown option values.
 */
export function parseCSV(text: string, options: CSVOptions = {}, where = '<csv>'): CSVDataset {
  checkOptions(options);
  const delimiter = options.delimiter ?? ',';
  const rows = tokenize(text, delimiter, where);
  const first = rows[0];
  if (first === undefined) throw new FileFormatError(where, 'the file is empty: no rows to read');
  const headerGiven = options.header !== undefined;
  const hasHeader = options.header ?? looksLikeHeader(first.cells, rows[1]?.cells);
  const width = first.cells.length;
  for (const row of rows) {
    if (row.cells.length !== width) {
      throw new FileFormatError(where, `line ${row.line}: expected ${width} cells (as line ${first.line}), found ${row.cells.length}`);
    }
  }
  const names = hasHeader ? first.cells.map((n, c) => (n === '' ? `col${c + 1}` : n)) : undefined;
  if (names) {
    // Two columns of one name: --label and a model's features would pick the first, silently.
    const seen = new Map<string, number>();
    names.forEach((name, c) => {
      const before = seen.get(name);
      if (before !== undefined) throw new FileFormatError(where, `line ${first.line}: the column name ${JSON.stringify(name)} appears twice (columns ${before + 1} and ${c + 1}); names must be unique`);
      seen.set(name, c);
    });
  }
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new DataError(where, `no data rows: the file holds only a header (line ${first.line})`);
  if (width < 2) throw new DataError(where, `line ${first.line}: a dataset needs at least 2 columns (features and a label), found ${width}${width === 1 && first.cells[0]!.includes(';') ? "; is the delimiter ';'?" : ''}`);
  const labelColumn = resolveLabel(options.label, width, names, hasHeader ? first : undefined, where);

  const m = data.length;
  const featureColumns = [...Array(width).keys()].filter((c) => c !== labelColumn);
  const n = featureColumns.length;
  const X = new Float64Array(n * m);
  const labelCells: string[] = [];
  data.forEach((row, j) => {
    featureColumns.forEach((c, i) => {
      X[i * m + j] = featureValue(row.cells[c]!, row, c, names, delimiter, headerGiven, where);
    });
    const cell = row.cells[labelColumn]!;
    if (MISSING.has(cell.toLowerCase())) {
      throw new DataError(where, `${at(row, labelColumn, names)}: missing label (${cell === '' ? 'empty cell' : JSON.stringify(cell)})`);
    }
    labelCells.push(cell);
  });

  const col: LabelColumn = { cells: labelCells, rows: data, column: labelColumn, names };
  const kind = options.labels ?? detectKind(col, where);
  const { Y, classNames } = buildY(col, kind, where);
  let Xt = new Tensor(X, [n, m]);
  const scale = options.scale ?? 'none';
  const scaler = scale === 'none' ? undefined : fitScaler(Xt, scale);
  if (scaler !== undefined) Xt = applyScaler(scaler, Xt);
  const featureNames = featureColumns.map((c) => names?.[c] ?? `col${c + 1}`);
  const labelName = names?.[labelColumn] ?? `col${labelColumn + 1}`;
  return {
    X: Xt,
    Y,
    featureNames,
    labelName,
    labels: kind,
    ...(classNames !== undefined ? { classNames } : {}),
    ...(scaler !== undefined ? { scaler } : {}),
  };
}
