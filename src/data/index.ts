/**
 * Datasets and readers that run anywhere (Node and the browser): the planar flower, the
 * synthetic sets, labels, scaling and layout helpers, and parsers that take text or bytes
 * (CSV, HDF5, IDX). Readers that take file paths are in `./node.js`.
 */
export { planarFlower, type PlanarFlower, type PlanarFlowerOptions } from './flower.js';
export {
  parseHDF5,
  parseHDF5Dataset,
  type HDF5BytesOptions,
  type HDF5Data,
  type HDF5Dataset,
  type HDF5LoadOptions,
  type HDF5Names,
} from './hdf5.js';
export {
  blobs,
  circles,
  moons,
  spirals,
  xor,
  type BlobOptions,
  type ClassData,
  type PlanarData,
  type SpiralOptions,
  type SyntheticOptions,
} from './synthetic.js';
export { argmaxLabels, fromOneHot, oneHot } from './labels.js';
export { applyScaler, checkScaler, fitScaler, invertScaler, type Scaler, type ScalerKind } from './scaling.js';
export { toColumns, type DataLayout } from './layout.js';
export { parseCSV, type CSVDataset, type CSVLabelKind, type CSVOptions } from './csv-parse.js';
export { parseIDX, type IDXData, type IDXType } from './idx.js';
