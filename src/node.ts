// nabla's Node entry point (`nabla/node`): everything that reads or writes files or needs
// Node's Buffer/zlib. Re-exports only, no side effects. The browser-safe API is `./index.js`;
// the byte-level model-file format and the report builders are re-exported here as well so a
// Node program needs just these two entry points.

export * from './data/node.js';

export { datasets } from './data/datasets.js';

export { saveModel, loadModel, modelSpec, MAX_HEADER_BYTES } from './io/model-file.js';
export type { ModelSpec, Preprocessing, SaveModelOptions, ModelFileMetadata, LoadedModel } from './io/model-file.js';
export { saveModelFile, loadModelFile } from './io/model-file-node.js';
export { exportONNXFile } from './io/onnx-node.js';
export { writeCheckpoint, readCheckpoint } from './io/checkpoint-node.js';
export { writeFileAtomic } from './io/atomic-write.js';

export { costCurveSVG, reportHTML, decisionBoundarySVG } from './io/report.js';
export type { CostCurveOptions, ReportImage, ReportOptions, CurveSeries, DecisionBoundaryOptions, ProbabilityModel } from './io/report.js';

export { logisticRegressionCat, learningRates, logisticFlower, shallowFlower, hiddenSizes, deepCat } from './course/experiments.js';
export type { ExperimentResult, ExperimentOptions } from './course/experiments.js';
export {
  LOGISTIC_REGRESSION_CAT,
  SHALLOW_FLOWER,
  HIDDEN_SIZES,
  HIDDEN_SIZES_ITERATIONS,
  HIDDEN_SIZES_LONG,
  HIDDEN_SIZES_LONG_ITERATIONS,
  LEARNING_RATES,
  LEARNING_RATES_ITERATIONS,
  LOGISTIC_FLOWER,
  TWO_LAYER_CAT,
  L_LAYER_CAT,
  TOLERANCE,
} from './course/reference.js';
export type { PublishedCost, PublishedExperiment, PublishedRange } from './course/reference.js';
