// nabla's ONNX entry point (`nabla/onnx`): a dense network as ONNX bytes, in Node or a browser.
// Its own entry because the protobuf code it needs (onnx-proto, protobufjs) takes about 6 MiB
// of memory and some milliseconds to load: a program that only trains does not pay for it.
// Writing the bytes to a file is `exportONNXFile` from `nabla/node`.

export { exportONNX, irVersionForOpset, ONNX_MIN_OPSET, ONNX_MAX_OPSET, ONNX_DEFAULT_OPSET } from './io/onnx.js';
export type { ExportONNXOptions } from './io/onnx.js';
