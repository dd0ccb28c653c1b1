/**
 * Datasets and readers that run anywhere (Node and the browser): the planar flower, and HDF5
 * parsing from bytes. Readers that take file paths are in `./node.js`.
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
