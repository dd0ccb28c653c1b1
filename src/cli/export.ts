/**
 * `nabla export --onnx <out.onnx> --model <file>`: a model file from `nabla train` as ONNX.
 * The class names and the scaler travel in the ONNX metadata, since the graph itself takes
 * inputs already scaled.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { ONNX_DEFAULT_OPSET } from '../onnx.js';
import { looksLikeSafetensors } from '../io/model-file.js';
import { exportONNXFile, loadModelFile } from '../node.js';
import { UsageError, type ExportArgs } from './args.js';
import { modelInfo } from './model-info.js';
import type { Output } from './progress.js';

/** Whether two paths name one file: the same real path, or the same inode (a hard link). */
function sameFile(a: string, b: string): boolean {
  try {
    if (realpathSync(a) === realpathSync(b)) return true;
    const [sa, sb] = [statSync(a), statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    // One of them does not exist (a new output file): not the same file.
    return false;
  }
}

/** Whether `path` is an existing safetensors file (a model or a checkpoint). */
function isModelFile(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const head = new Uint8Array(16);
    const n = readSync(fd, head, 0, head.length, 0);
    return looksLikeSafetensors(head.subarray(0, n));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Refuses an output path that would destroy a model: the --model file itself (by any path,
 * link or symbolic link), or another nabla model file.
 *
 * @throws UsageError (exit 2) naming --onnx and --model.
 */
function checkOutput(args: ExportArgs): void {
  if (sameFile(args.onnx, args.model)) {
    throw new UsageError(`--onnx ${args.onnx} is the file given as --model ${args.model}: the export would overwrite the model; choose another output path (e.g. a .onnx file)`, 'export', false);
  }
  if (isModelFile(args.onnx)) {
    throw new UsageError(`--onnx ${args.onnx} is an existing nabla model file (safetensors), not the --model ${args.model}: the export would overwrite it with ONNX; choose another output path (e.g. a .onnx file)`, 'export', false);
  }
}

/** Runs `nabla export`; resolves to the exit code. */
export async function exportModel(args: ExportArgs, out: Output, version: string): Promise<number> {
  checkOutput(args);
  const { model, metadata } = await loadModelFile(args.model);
  const info = modelInfo(metadata, args.model);
  const extra: Record<string, string> = { 'nabla.task': info.task };
  if (info.task !== 'regression') extra['nabla.classes'] = JSON.stringify(info.classNames);
  if (info.featureNames !== undefined) extra['nabla.features'] = JSON.stringify(info.featureNames);
  if (info.scaler !== undefined) extra['nabla.scaler'] = JSON.stringify(info.scaler);
  if (info.preprocessing !== undefined) extra['nabla.preprocessing'] = JSON.stringify(info.preprocessing);
  const opset = args.opset ?? ONNX_DEFAULT_OPSET;
  await exportONNXFile(args.onnx, model, {
    opset,
    producerVersion: version,
    docString: `Exported by nabla ${version} from ${args.model}.`,
    metadata: extra,
  });
  const type = model.dtype === 'float64' ? 'double' : 'float';
  out.write(`Wrote ${args.onnx}: ${info.architecture}, ONNX opset ${opset}\n`);
  out.write(`  input  X              [batch, ${info.inputs}] ${type}, one sample per row\n`);
  out.write(`  output probabilities  [batch, ${info.outputs}] ${type}\n`);
  if (info.scaler !== undefined) {
    out.write(`  inputs must be scaled first (${info.scaler.kind}): (x − offset) / scale, as in the metadata 'nabla.scaler'\n`);
  } else if (info.preprocessing?.scale !== undefined) {
    out.write(`  inputs must be scaled first: × ${info.preprocessing.scale}${info.preprocessing.scale === 1 / 255 ? ' (pixels / 255)' : ''}\n`);
  }
  return 0;
}
