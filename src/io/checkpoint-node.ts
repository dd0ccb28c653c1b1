/**
 * Training checkpoints on disk (Node only): the model file format (weights, architecture with
 * the dropout rate, and whatever `SaveModelOptions` add: scaler, class and feature names)
 * with the training state — next epoch, shuffling generator, optimizer moments, history — as
 * JSON in its metadata. Writes are atomic: temporary file, flushed to disk, renamed over the
 * target; a crash at any moment leaves the previous checkpoint whole.
 *
 * @example
 * fit(net, X, Y, { epochs: 100, checkpoint: { every: 5, save: (state) => writeCheckpoint('run.ckpt', net, state) } });
 * const { model, state } = readCheckpoint('run.ckpt');
 * fit(model, X, Y, { epochs: 100, resumeFrom: state });
 */
import { readFileSync } from 'node:fs';
import { ArgumentError, FileFormatError } from '../errors.js';
import type { LogisticRegression } from '../nn/logistic-regression.js';
import type { Sequential } from '../nn/sequential.js';
import type { TrainingState } from '../train/fit.js';
import { writeFileAtomic } from './atomic-write.js';
import { loadModel, saveModel, type SaveModelOptions } from './model-file.js';

const STATE_KEY = 'trainingState';

/** Saves the model and the training state to `path`, atomically. */
export function writeCheckpoint(path: string, model: Sequential | LogisticRegression, state: TrainingState, options: SaveModelOptions = {}): void {
  let json: string;
  try {
    json = JSON.stringify(state);
  } catch (e) {
    // The state is JSON text in the file's header; V8 caps a string at 2²⁹ − 24 characters,
    // about 20 per float64, so Adam's two moments fit up to about ten million parameters.
    if (!(e instanceof RangeError)) throw e;
    const values = [...model.parameters().values()].reduce((n, p) => n + p.size, 0);
    throw new ArgumentError(
      'writeCheckpoint',
      `the training state of this network (${values.toLocaleString('en')} parameters, with the optimizer's moments${state.early?.snapshot ? ' and the best weights' : ''}) is too large for a checkpoint, whose state is JSON text of at most 512 Mi characters; checkpoints hold networks of up to about ten million parameters`,
    );
  }
  const notes = { ...(options.notes ?? {}), [STATE_KEY]: json };
  writeFileAtomic(path, saveModel(model, { ...options, notes }), 'the checkpoint');
}

/**
 * Reads a checkpoint: the model with its weights (and its dropout rate), and the state to pass
 * as `resumeFrom`.
 *
 * @throws FileFormatError (where = the path): no such file, anything `loadModel` refuses (NaN
 *   weights included), or a missing or incomplete training state.
 */
export function readCheckpoint(path: string): { model: Sequential | LogisticRegression; state: TrainingState } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch {
    throw new FileFormatError(path, 'no such checkpoint file (or it cannot be read)');
  }
  const { model, metadata } = loadModel(bytes, path);
  const raw = metadata.notes[STATE_KEY];
  if (raw === undefined) throw new FileFormatError(path, 'this is a model file without a training state, not a checkpoint');
  let state: unknown;
  try {
    state = JSON.parse(raw);
  } catch {
    throw new FileFormatError(path, 'the training state in this checkpoint is not valid JSON');
  }
  if (typeof state !== 'object' || state === null || !('epoch' in state) || !('rng' in state) || !('order' in state) || !('optimizer' in state) || !('history' in state)) {
    throw new FileFormatError(path, 'the training state in this checkpoint is incomplete');
  }
  return { model, state: state as TrainingState };
}
