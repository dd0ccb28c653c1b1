/**
 * CSV files as datasets (Node only: reads the file). The parsing is the browser-safe
 * `parseCSV` in `csv-parse.ts`; this file turns a path into text and names the path in
 * every error.
 *
 * @example
 * const { X, Y, classNames, scaler } = await loadCSV('iris.csv', { label: 'species', scale: 'standardize' });
 * X.shape; // [4, 150]
 * Y.shape; // [3, 150] — one-hot; classNames ['setosa', 'versicolor', 'virginica']
 */
import { readFileBytes } from './hdf5-node.js';
import { parseCSV, type CSVDataset, type CSVOptions } from './csv-parse.js';

/**
 * Reads a CSV file, one sample per row, into X (n_x, m) and Y (samples as columns). See
 * `CSVOptions` for the header, label and scaling rules and `parseCSV` for the errors; each
 * names the file (as `where`) and the line and column.
 *
 * @throws FileFormatError (where = the path): no such file, plus everything `parseCSV` throws.
 */
export async function loadCSV(path: string, options: CSVOptions = {}): Promise<CSVDataset> {
  const bytes = await readFileBytes(path);
  // TextDecoder drops a UTF-8 byte-order mark, which spreadsheet exports often start with.
  const text = new TextDecoder('utf-8').decode(bytes);
  return parseCSV(text, options, path);
}
