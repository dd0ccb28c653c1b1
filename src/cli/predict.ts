/**
 * `nabla predict --model <file> <image>…`: P(cat) for pictures, with a model from `nabla train`.
 */
import { FileFormatError, NablaError, tensor, type Tensor } from '../index.js';
import { loadModelFile, readImageRGB, type ModelFileMetadata } from '../node.js';
import type { PredictArgs } from './args.js';
import type { Output } from './progress.js';

/** The course's input scaling: pixels / 255. */
const COURSE_SCALE = 1 / 255;

/** The picture size a model expects: from its file's preprocessing, else the course's 64×64. */
function pictureSize(metadata: ModelFileMetadata): { width: number; height: number } {
  return metadata.preprocessing?.image ?? { width: 64, height: 64 };
}

/** Label names from the file's notes (`["non-cat","cat"]` from nabla train), else the course's. */
function classNames(metadata: ModelFileMetadata): [string, string] {
  const raw = metadata.notes.classes;
  if (raw !== undefined) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.length === 2) {
        const [negative, positive]: unknown[] = parsed;
        if (typeof negative === 'string' && typeof positive === 'string') return [negative, positive];
      }
    } catch {
      // Notes are informational: a malformed one falls back to the default names.
    }
  }
  return ['non-cat', 'cat'];
}

/** A picture as the model's input column: resized, flattened (height, width, RGB), scaled. */
async function pictureColumn(path: string, size: { width: number; height: number }, scale: number, dtype: 'float32' | 'float64'): Promise<Tensor> {
  const { rgb } = await readImageRGB(path, size);
  const column = dtype === 'float32' ? new Float32Array(rgb.length) : new Float64Array(rgb.length);
  // Divide by 255 as the training data was (bit-identical inputs); any other scale multiplies.
  if (scale === COURSE_SCALE) for (let i = 0; i < rgb.length; i++) column[i] = rgb[i]! / 255;
  else for (let i = 0; i < rgb.length; i++) column[i] = rgb[i]! * scale;
  return tensor(column, { shape: [rgb.length, 1], dtype });
}

/** Runs `nabla predict`; resolves to the exit code (1 when any picture could not be read). */
export async function predict(args: PredictArgs, out: Output): Promise<number> {
  const { model, metadata } = await loadModelFile(args.model);
  const spec = metadata.model;
  // A classifier with one sigmoid output gives P(label 1); anything else has no P(cat).
  if (spec.kind === 'sequential' && (spec.layerSizes[spec.layerSizes.length - 1] !== 1 || spec.activations[spec.activations.length - 1] !== 'sigmoid')) {
    throw new FileFormatError(args.model, `predict needs a binary classifier (one sigmoid output unit), but this model ends in ${spec.layerSizes[spec.layerSizes.length - 1]} ${spec.activations[spec.activations.length - 1]} unit(s)`);
  }
  const size = pictureSize(metadata);
  const expected = size.width * size.height * 3;
  if (model.inputSize !== expected) {
    throw new FileFormatError(
      args.model,
      `the model takes ${model.inputSize} inputs per sample, but a ${size.width}×${size.height} RGB picture gives ${expected}: predict needs a model trained on ${size.width}×${size.height} RGB pictures (input size ${expected})`,
    );
  }
  const scale = metadata.preprocessing?.scale ?? COURSE_SCALE;
  const [negative, positive] = classNames(metadata);

  let failed = 0;
  for (const path of args.images) {
    try {
      const x = await pictureColumn(path, size, scale, model.dtype);
      const p = model.predictProba(x).data[0]!;
      out.write(`${path}: P(${positive}) = ${p.toFixed(2)} → ${p > 0.5 ? positive : negative}\n`);
    } catch (e) {
      // One unreadable picture should not hide the answers for the others.
      if (!(e instanceof NablaError)) throw e;
      out.error(`error: ${e.message}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
