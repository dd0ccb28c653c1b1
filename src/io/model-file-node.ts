/**
 * Model files on disk (Node only). The format itself is in `model-file.ts`.
 *
 * @example
 * await saveModelFile('runs/cat.safetensors', net, { preprocessing: { scale: 1 / 255 } });
 * const { model, metadata } = await loadModelFile('runs/cat.safetensors');
 *
 * @example
 * // With what `nabla predict` / `nabla eval` need to read raw CSV rows for it:
 * const { X, Y, scaler, classNames, featureNames } = await loadCSV('moons.csv', { label: 'label', scale: 'standardize' });
 * await saveModelFile('moons.safetensors', net, { scaler, classNames, featureNames });
 */
import { readFileBytes } from '../data/hdf5-node.js';
import type { LogisticRegression } from '../nn/logistic-regression.js';
import type { Sequential } from '../nn/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { loadModel, saveModel, type LoadedModel, type SaveModelOptions } from './model-file.js';

/**
 * Writes a model file (see `SaveModelOptions` for the scaler, class names and feature names
 * it can carry). The bytes go to a temporary file in the same folder, which is then
 * renamed over `path`: a reader never sees a half-written model, and an interrupted save
 * leaves any previous file at `path` intact.
 *
 * @throws ArgumentError for what `saveModel` refuses (nothing is written then);
 *   FileFormatError (where = the path) when the file cannot be written.
 */
export async function saveModelFile(path: string, model: Sequential | LogisticRegression, options: SaveModelOptions = {}): Promise<void> {
  const bytes = saveModel(model, options);
  writeFileAtomic(path, bytes, 'the model');
}

/**
 * Reads a model file written by `saveModelFile` (or `saveModel`).
 *
 * @throws FileFormatError (where = the path): no such file, or any problem `loadModel` finds.
 */
export async function loadModelFile(path: string): Promise<LoadedModel> {
  return loadModel(await readFileBytes(path), path);
}
