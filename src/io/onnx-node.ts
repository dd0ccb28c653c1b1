/**
 * ONNX files on disk (Node only). The export itself is in `onnx.ts`.
 *
 * @example
 * await exportONNXFile('runs/cat.onnx', net);
 * // python: onnxruntime.InferenceSession('runs/cat.onnx').run(None, {'X': X.T})
 */
import type { LogisticRegression } from '../nn/logistic-regression.js';
import type { Sequential } from '../nn/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { exportONNX, type ExportONNXOptions } from './onnx.js';

/**
 * Writes `exportONNX(model, options)` to `path`. The bytes go to a temporary file in the same
 * folder, which is then renamed over `path`: a runtime watching the file never loads a
 * half-written model, and a failed write leaves any previous file at `path` intact.
 *
 * @throws ArgumentError for the options `exportONNX` refuses (nothing is written then);
 *   FileFormatError (where = the path) when the file cannot be written.
 */
export async function exportONNXFile(path: string, model: Sequential | LogisticRegression, options: ExportONNXOptions = {}): Promise<void> {
  // Serialise first, so invalid options fail before anything touches the disk.
  const bytes = exportONNX(model, options);
  writeFileAtomic(path, bytes, 'the ONNX model');
}
