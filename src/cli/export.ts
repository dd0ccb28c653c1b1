/**
 * `nabla export --onnx <out.onnx> --model <file>`: a model file from `nabla train` as ONNX.
 * The class names and the scaler travel in the ONNX metadata, since the graph itself takes
 * inputs already scaled.
 */
import { ONNX_DEFAULT_OPSET } from '../onnx.js';
import { exportONNXFile, loadModelFile } from '../node.js';
import type { ExportArgs } from './args.js';
import { modelInfo } from './model-info.js';
import type { Output } from './progress.js';

/** Runs `nabla export`; resolves to the exit code. */
export async function exportModel(args: ExportArgs, out: Output, version: string): Promise<number> {
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
