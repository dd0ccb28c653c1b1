/**
 * CSV files as the CLI needs them beyond `parseCSV`: the raw table (to find the header and
 * the label column again at eval and predict time), a features-only reader for predict
 * (files without a label column), and `--layout columns` — one sample per COLUMN of the
 * file, as the course's X (n_x, m) would be saved — by transposing the table before
 * `parseCSV` and translating the line/column in its errors back to the file's.
 */
import { parse } from 'csv-parse/browser/esm/sync';
import { ArgumentError, DataError, FileFormatError, NablaError, Tensor } from '../index.js';
import { readFileBytes } from '../data/hdf5-node.js';
import { nameList } from './model-info.js';
import { MISSING, csvSyntaxError, isNumber, looksLikeHeader } from '../data/csv-parse.js';

/** One record of the table, with where each cell came from in the file. */
export interface TableRow {
  readonly cells: string[];
  /** The file line of each cell (all the same for rows; one per cell for columns). */
  readonly lines: number[];
  /** The file column (1-based) of each cell. */
  readonly columns: number[];
}

export interface Table {
  readonly path: string;
  readonly rows: TableRow[];
  readonly layout: 'rows' | 'columns';
  /** The text parseCSV should read: the file's own, or the transposed table. */
  readonly text: string;
}

/** A plain decimal number, as parseCSV accepts for features. */

/** What spreadsheets and pandas write for "no value" (as parseCSV). */

/** The delimiter for a file: the one given, else tab for .tsv and ',' otherwise. */
export function delimiterFor(path: string, given: string | undefined): string {
  return given ?? (/\.tsv$/i.test(path) ? '\t' : ',');
}

/** Reads and tokenizes a CSV file; `columns` transposes it so each record is a sample. */
export async function readTable(path: string, delimiter: string, layout: 'rows' | 'columns'): Promise<Table> {
  // TextDecoder drops a UTF-8 byte-order mark, which spreadsheet exports often start with.
  const text = new TextDecoder('utf-8').decode(await readFileBytes(path));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw csvSyntaxError(e, text, path);
  }
  const fileRows: TableRow[] = records.map(({ record, info }) => {
    // info.lines is the line a record ENDS on; a quoted cell may span lines.
    let inner = 0;
    for (const cell of record) for (const ch of cell) if (ch === '\n') inner++;
    const line = info.lines - inner;
    return { cells: record, lines: record.map(() => line), columns: record.map((_, c) => c + 1) };
  });
  if (fileRows.length === 0) throw new FileFormatError(path, 'the file is empty: no rows to read');
  if (layout === 'rows') return { path, rows: fileRows, layout, text };

  const width = fileRows[0]!.cells.length;
  for (const row of fileRows) {
    if (row.cells.length !== width) {
      throw new FileFormatError(path, `line ${row.lines[0]}: expected ${width} cells (as line ${fileRows[0]!.lines[0]}), found ${row.cells.length}`);
    }
  }
  const rows: TableRow[] = [];
  for (let c = 0; c < width; c++) {
    rows.push({
      cells: fileRows.map((r) => r.cells[c]!),
      lines: fileRows.map((r) => r.lines[c]!),
      columns: fileRows.map(() => c + 1),
    });
  }
  // One record per line, every cell quoted (so an empty cell is still a cell and a record
  // is never an empty line): line L of this text is record L, which the errors rely on.
  const quote = (cell: string): string => `"${cell.replace(/[\r\n]+/g, ' ').replace(/"/g, '""')}"`;
  const transposed = rows.map((r) => r.cells.map(quote).join(delimiter)).join('\n') + '\n';
  return { path, rows, layout, text: transposed };
}

/**
 * Runs `read` (a parseCSV call on `table.text`) and, for a transposed table, rewrites the
 * `line L, column C` of its errors into the file's own line and column, so a message still
 * points at the cell to fix.
 */
export function withFileLocations<T>(table: Table, read: () => T): T {
  if (table.layout === 'rows') return read();
  try {
    return read();
  } catch (e) {
    if (!(e instanceof NablaError)) throw e;
    const where = e.where;
    const body = where !== '' && e.message.startsWith(`${where}: `) ? e.message.slice(where.length + 2) : e.message;
    const mapped = body
      .replace(/line (\d+), column (\d+)/g, (text, l: string, c: string) => {
        const row = table.rows[Number(l) - 1];
        const line = row?.lines[Number(c) - 1];
        const column = row?.columns[Number(c) - 1];
        return line === undefined || column === undefined ? text : `line ${line}, column ${column}`;
      })
      // A "line L" alone (the header) is record L: a column of the file.
      .replace(/\bline (\d+)(?!, column)/g, (text, l: string) => (table.rows[Number(l) - 1] ? `column ${l}` : text));
    if (e instanceof DataError) throw new DataError(where, mapped);
    if (e instanceof ArgumentError) throw new ArgumentError(where, mapped);
    if (e instanceof FileFormatError) throw new FileFormatError(where, mapped);
    throw e;
  }
}

/** Whether the first record is a header, by parseCSV's rule. */
export function hasHeader(table: Table): boolean {
  return looksLikeHeader(table.rows[0]!.cells, table.rows[1]?.cells);
}

/**
 * The 0-based index of the label column `label` (a name, or an index with negatives from
 * the end) in a table, or undefined when it cannot be found.
 */
export function labelIndex(table: Table, label: string | number | undefined): number | undefined {
  const width = table.rows[0]!.cells.length;
  if (label === undefined) return width - 1;
  if (typeof label === 'number') return label >= -width && label < width ? (label + width) % width : undefined;
  if (!hasHeader(table)) return undefined;
  const names = table.rows[0]!.cells;
  const exact = names.indexOf(label);
  if (exact !== -1) return exact;
  const folded = names.flatMap((n, i) => (n.toLowerCase() === label.toLowerCase() ? [i] : []));
  return folded.length === 1 ? folded[0] : undefined;
}

/** Says where a cell is: `line 4, column 2 ("petal_width")`. */
function at(row: TableRow, c: number, names: readonly string[] | undefined): string {
  const name = names?.[c];
  return `line ${row.lines[c]}, column ${row.columns[c]}${name === undefined ? '' : ` (${JSON.stringify(name)})`}`;
}

export interface FeatureRows {
  /** (n, m): the features in the model's order, unscaled. */
  readonly X: Tensor;
  /** Where each sample is in the file: its line (rows layout) or its column (columns layout). */
  readonly positions: number[];
}

/**
 * The feature columns of a table for a model with `featureNames` (in order): by header
 * name when the file has a header holding them all; else by position, the file holding
 * exactly the features, or the features and the label column at `labelColumn`.
 *
 * @throws DataError naming the file, line and column of a missing or non-numeric cell, or
 *   saying which columns the model needs when the file does not have them.
 */
export function featureRows(table: Table, featureNames: readonly string[], labelColumn: number | undefined): FeatureRows {
  const where = table.path;
  const n = featureNames.length;
  const header = hasHeader(table);
  const names = header ? table.rows[0]!.cells : undefined;
  const data = header ? table.rows.slice(1) : table.rows;
  if (data.length === 0) throw new DataError(where, 'no data rows: the file holds only a header');
  const width = table.rows[0]!.cells.length;
  const row1 = table.layout === 'rows' ? 'line' : 'column';

  let columns: number[] | undefined;
  if (names !== undefined) {
    const found = featureNames.map((f) => names.indexOf(f));
    if (found.every((c) => c !== -1)) columns = found;
  }
  if (columns === undefined) {
    const all = [...Array(width).keys()];
    if (width === n) columns = all;
    else if (width === n + 1 && labelColumn !== undefined && labelColumn < width) columns = all.filter((c) => c !== labelColumn);
    else {
      const missing = names === undefined ? '' : `; the header lacks ${nameList(featureNames.filter((f) => !names.includes(f)).map((f) => JSON.stringify(f)))}`;
      throw new DataError(
        where,
        `${row1} ${table.rows[0]!.lines[0]} has ${width} ${table.layout === 'rows' ? 'columns' : 'rows'}, but the model takes ${n} features (${nameList(featureNames)})${labelColumn === undefined ? '' : ' and the file may add the label'}${missing}`,
      );
    }
  }

  const m = data.length;
  const X = new Float64Array(n * m);
  data.forEach((row, j) => {
    if (row.cells.length !== width) {
      throw new FileFormatError(where, `line ${row.lines[0]}: expected ${width} cells (as line ${table.rows[0]!.lines[0]}), found ${row.cells.length}`);
    }
    columns!.forEach((c, i) => {
      const cell = row.cells[c]!;
      if (MISSING.has(cell.toLowerCase())) throw new DataError(where, `${at(row, c, names)}: missing value (${cell === '' ? 'empty cell' : JSON.stringify(cell)})`);
      if (!isNumber(cell)) throw new DataError(where, `${at(row, c, names)}: ${JSON.stringify(cell)} is not a number (feature columns must be numeric)`);
      const value = Number(cell);
      if (!Number.isFinite(value)) throw new DataError(where, `${at(row, c, names)}: ${JSON.stringify(cell)} overflows to ${value}`);
      X[i * m + j] = value;
    });
  });
  return { X: new Tensor(X, [n, m]), positions: data.map((r) => (table.layout === 'rows' ? r.lines[0]! : r.columns[0]!)) };
}
