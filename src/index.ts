// nabla's public API. Re-exports only: importing this module has no side effects, and
// nothing here needs Node — it runs unchanged in a browser bundle.

export { NablaError, ShapeError, DTypeError, ArgumentError, DataError, FileFormatError, NonFiniteError, GraphError, fmtShape } from './errors.js';
export type { ErrorCode } from './errors.js';

export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { setMaxTensorBytes, getMaxTensorBytes } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export { tensor, scalar, zeros, ones, full, zerosLike, onesLike, eye, arange, linspace, rand, randn, assertFinite } from './tensor/create.js';
export type { CreateOptions, RandomOptions } from './tensor/create.js';
export { RandomState, FastRandom, createRandom } from './tensor/random/index.js';
export type { RandomSource, RandomKind, RandomStateSnapshot, FastRandomState } from './tensor/random/index.js';

export { add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual } from './ops/binary.js';
export { neg, exp, log, sqrt, abs, sign, square, sigmoid, tanh, relu, leakyRelu, softplus, clip } from './ops/unary.js';
export { sum, mean, max, min, argmax, argmin } from './ops/reduce.js';
export type { ReduceOptions } from './ops/reduce.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export { reshape } from './ops/reshape.js';
export { transpose } from './ops/transpose.js';
export { sliceColumns, takeColumns } from './ops/columns.js';
export { concat } from './ops/concat.js';
export { cast } from './ops/cast.js';
export { softmax, logSoftmax } from './ops/softmax.js';

export { noGrad, isGradEnabled } from './autograd/mode.js';
export { gradCheck, GRADCHECK_GOOD, GRADCHECK_BUG, GRADCHECK_NOISE_FACTOR } from './autograd/gradcheck.js';
export type { GradCheckEntry, GradCheckReport } from './autograd/gradcheck.js';

export { getBackend, setBackend, registerBackend, listBackends } from './backend/registry.js';
export type { Backend, BinaryOp, UnaryOp, ReduceOp, DenseProgram, DenseProgramSpec, ProgramActivation, ProgramRule } from './backend/backend.js';
export { initWasmBackend, tryCreateWasmBackend, wasmFeatures } from './backend/wasm/index.js';

export { ACTIVATIONS, activate } from './nn/activations.js';
export type { ActivationName } from './nn/activations.js';
export {
  LOSSES,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  squaredError,
  categoricalCrossEntropy,
  categoricalCrossEntropyWithLogits,
} from './nn/losses.js';
export type { LossName } from './nn/losses.js';
export { INITS, initWeights } from './nn/init.js';
export type { InitName } from './nn/init.js';
export { Dense } from './nn/dense.js';
export type { LayerOutput } from './nn/dense.js';
export { Sequential } from './nn/sequential.js';
export type { SequentialOptions } from './nn/sequential.js';
export { LogisticRegression } from './nn/logistic-regression.js';
export type { Model } from './nn/model.js';
export { traceStep, formatTrace } from './nn/trace.js';
export type { StepTrace, LayerTrace } from './nn/trace.js';

export { gradientDescent, gradientDescentStep, makeGradientDescentStep } from './train/gradient-descent.js';
export { useCompiledSteps, compiledStepsEnabled } from './train/compiled.js';
export type { GradientDescentOptions, GradientDescentResult } from './train/gradient-descent.js';
export { accuracy, labelAccuracy, confusionMatrix, precision, recall, f1Score, logLoss, rocAuc } from './train/metrics.js';
export { fit, fitAsync } from './train/fit.js';
export { fitStream } from './train/fit-stream.js';
export type { FitStreamOptions } from './train/fit-stream.js';
export type { FitOptions, History, BatchInfo, EpochInfo, EarlyStoppingOptions, TrainingState } from './train/fit.js';
export * from './optim/index.js';

export * from './data/index.js';

// ONNX export is `nabla/onnx` (./onnx.ts): its protobuf code is not loaded by programs that only train.
