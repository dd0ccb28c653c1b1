/**
 * Node-only datasets and readers (they use `node:fs`): the embedded cat vs non-cat
 * pictures, HDF5, CSV and IDX files by path, folders of pictures, and your own pictures as
 * input columns.
 */
export { catVsNonCat, catVsNonCatFiles, type CatSplit, type CatVsNonCat, type CatVsNonCatOptions } from './cat.js';
export { loadHDF5, readHDF5Dataset } from './hdf5-node.js';
export {
  decodeImage,
  encodePNG,
  loadImageAsColumn,
  readImageRGB,
  resizeRGB,
  SUPPORTED_IMAGE_FORMATS,
  type DecodedImage,
  type ImageFormat,
  type LoadedImage,
  type LoadImageOptions,
  type RGBImage,
} from './image.js';
export { loadCSV } from './csv.js';
export { loadImageFolder, type ImageFolderData, type ImageFolderOptions } from './image-folder.js';
export { loadIDX, type IDXDataset, type IDXLoadOptions } from './idx-node.js';
export { streamCSV, type StreamCSVOptions } from './csv-stream.js';
