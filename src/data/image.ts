/**
 * Your own picture as an input column for a cat classifier (Node only: reads files, and
 * pngjs relies on Node's zlib and Buffer).
 *
 * Pictures are decoded by pure-JavaScript libraries (`pngjs`, `jpeg-js`; no native addons),
 * the alpha channel is dropped, the picture is resized to the network's input size, and its
 * pixels are flattened row-major over (height, width, channel) — the order of the course's
 * `image.reshape((1, 64*64*3)).T` — and divided by 255.
 *
 * @example
 * const x = await loadImageAsColumn('my_cat.jpg'); // (12288, 1)
 * const p = predict(params, x);
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { ArgumentError, FileFormatError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { allocate, checkDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { readFileBytes } from './hdf5-node.js';

/** The formats `decodeImage` understands. */
export const SUPPORTED_IMAGE_FORMATS = ['PNG', 'JPEG'] as const;
export type ImageFormat = (typeof SUPPORTED_IMAGE_FORMATS)[number];

/** An 8-bit RGB picture, pixels row-major, 3 bytes per pixel (no alpha). */
export interface RGBImage {
  readonly rgb: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface DecodedImage extends RGBImage {
  readonly format: ImageFormat;
}

export interface LoadImageOptions {
  /** Width after resizing. Default 64, the course's input size. */
  readonly width?: number;
  /** Height after resizing. Default 64. */
  readonly height?: number;
  /** Element type of the returned column. Default `'float64'`. */
  readonly dtype?: DType;
}

/** A picture read from a file and resized, with what it was before. */
export interface LoadedImage extends RGBImage {
  readonly format: ImageFormat;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'PNG';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  return undefined;
}

function cannotDecode(where: string, detail: string): FileFormatError {
  return new FileFormatError(where, `cannot decode the image (${detail}); supported formats: ${SUPPORTED_IMAGE_FORMATS.join(', ')}`);
}

/** RGBA (4 bytes per pixel, as both decoders give) to RGB: the alpha channel is dropped, not blended. */
function dropAlpha(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    rgb[3 * p] = rgba[4 * p]!;
    rgb[3 * p + 1] = rgba[4 * p + 1]!;
    rgb[3 * p + 2] = rgba[4 * p + 2]!;
  }
  return rgb;
}

/**
 * Decodes a PNG or JPEG (recognised by its first bytes, not by a file extension) into 8-bit
 * RGB. Grey, palette and 16-bit PNGs come out as 8-bit RGB too.
 *
 * @param where names the picture in errors (its path).
 * @throws FileFormatError naming `where` and the supported formats when the bytes cannot be decoded.
 */
export function decodeImage(bytes: Uint8Array, where = '<bytes>'): DecodedImage {
  const format = sniffFormat(bytes);
  if (format === undefined) {
    throw cannotDecode(where, bytes.length === 0 ? 'the file is empty' : 'not a PNG or JPEG file');
  }
  try {
    if (format === 'PNG') {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { format, width: png.width, height: png.height, rgb: dropAlpha(png.data, png.width, png.height) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { format, width: img.width, height: img.height, rgb: dropAlpha(img.data, img.width, img.height) };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw cannotDecode(where, `damaged ${format} data: ${reason}`);
  }
}

/** For each output index along one axis, the source indices and weights that make it. */
interface Taps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  /** Taps of output i are entries start[i] .. start[i+1]-1. */
  readonly start: Int32Array;
}

/**
 * Resampling weights along one axis of `src` pixels to `dst` pixels.
 *
 * Shrinking uses area averaging: output pixel i covers the source interval
 * [i·s, (i+1)·s) with s = src/dst, and each source pixel counts by how much of it lies
 * inside. Every source pixel contributes, so no detail is skipped (bilinear sampling would
 * read only 2 of every s pixels and alias a 4× reduction of a phone photo badly).
 * Enlarging uses bilinear interpolation between pixel centres (x = (i + ½)·s − ½, clamped
 * at the borders), since area averaging would just repeat pixels. Same size: a copy.
 * This is the pairing OpenCV's INTER_AREA makes.
 */
function taps(src: number, dst: number): Taps {
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(dst + 1);
  const s = src / dst;
  for (let i = 0; i < dst; i++) {
    start[i] = index.length;
    if (src === dst) {
      index.push(i);
      weight.push(1);
    } else if (dst < src) {
      const lo = i * s;
      const hi = (i + 1) * s;
      const first = Math.floor(lo);
      const last = Math.min(src, Math.ceil(hi));
      let total = 0;
      const from = index.length;
      for (let k = first; k < last; k++) {
        const w = Math.min(k + 1, hi) - Math.max(k, lo);
        if (w <= 0) continue;
        index.push(k);
        weight.push(w);
        total += w;
      }
      // Normalise by the sum actually taken, so rounding in i·s never darkens a pixel.
      for (let t = from; t < weight.length; t++) weight[t] = weight[t]! / total;
    } else {
      const x = Math.min(Math.max((i + 0.5) * s - 0.5, 0), src - 1);
      const k0 = Math.floor(x);
      const k1 = Math.min(k0 + 1, src - 1);
      const f = x - k0;
      index.push(k0);
      weight.push(1 - f);
      if (k1 !== k0 && f > 0) {
        index.push(k1);
        weight.push(f);
      }
    }
  }
  start[dst] = index.length;
  return { index: Int32Array.from(index), weight: Float64Array.from(weight), start };
}

function checkSize(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ArgumentError(name, `an image ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Resizes an RGB picture: area averaging when shrinking an axis, bilinear interpolation
 * when enlarging it (each axis on its own: rows first, then columns), results rounded to the
 * nearest 8-bit value, as an image library saving the resized picture would.
 *
 * @example
 * resizeRGB({ rgb, width: 128, height: 128 }, 64, 64).rgb.length; // 64 * 64 * 3
 */
export function resizeRGB(image: RGBImage, width: number, height: number): RGBImage {
  checkSize(width, 'width');
  checkSize(height, 'height');
  const { rgb, width: w0, height: h0 } = image;
  if (rgb.length !== w0 * h0 * 3) {
    throw new ArgumentError('image', `${rgb.length} bytes are not a ${w0}×${h0} RGB picture (${w0 * h0 * 3} bytes)`);
  }
  if (w0 === width && h0 === height) return { rgb: rgb.slice(), width, height };
  // Horizontal pass: (h0, w0, 3) → (h0, width, 3), kept in float64 until the end so the
  // two passes round only once.
  const tx = taps(w0, width);
  const mid = new Float64Array(h0 * width * 3);
  for (let y = 0; y < h0; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = tx.start[x]!; t < tx.start[x + 1]!; t++) {
        const p = (y * w0 + tx.index[t]!) * 3;
        const w = tx.weight[t]!;
        r += w * rgb[p]!;
        g += w * rgb[p + 1]!;
        b += w * rgb[p + 2]!;
      }
      const q = (y * width + x) * 3;
      mid[q] = r;
      mid[q + 1] = g;
      mid[q + 2] = b;
    }
  }
  // Vertical pass: (h0, width, 3) → (height, width, 3).
  const ty = taps(h0, height);
  const out = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let t = ty.start[y]!; t < ty.start[y + 1]!; t++) {
          v += ty.weight[t]! * mid[(ty.index[t]! * width + x) * 3 + c]!;
        }
        // Uint8Array would truncate; round half up and clamp instead.
        out[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(v)));
      }
    }
  }
  return { rgb: out, width, height };
}

/**
 * Reads a PNG or JPEG file and resizes it to `width`×`height` RGB (default 64×64).
 *
 * @throws FileFormatError (where = the path): no such file; cannot decode (the message lists
 *   the supported formats).
 */
export async function readImageRGB(path: string, options: Omit<LoadImageOptions, 'dtype'> = {}): Promise<LoadedImage> {
  checkOptions(options, 'readImageRGB', optionKeys<Omit<LoadImageOptions, 'dtype'>>()(['width', 'height']));
  return readRGB(path, options);
}

async function readRGB(path: string, options: Omit<LoadImageOptions, 'dtype'>): Promise<LoadedImage> {
  const width = checkSize(options.width ?? 64, 'width');
  const height = checkSize(options.height ?? 64, 'height');
  const decoded = decodeImage(await readFileBytes(path), path);
  const resized = resizeRGB(decoded, width, height);
  return { ...resized, format: decoded.format, sourceWidth: decoded.width, sourceHeight: decoded.height };
}

/**
 * A picture file as one input column: decoded, alpha dropped, resized to `width`×`height`
 * (default 64×64), flattened row-major over (height, width, channel) and divided by 255 —
 * shape (width·height·3, 1), i.e. (12288, 1) for the cat network.
 *
 * @throws FileFormatError (where = the path): no such file; cannot decode (the message lists
 *   the supported formats, PNG and JPEG).
 *
 * @example
 * const x = await loadImageAsColumn('test/fixtures/cat.png'); // Tensor (12288, 1)
 */
export async function loadImageAsColumn(path: string, options: LoadImageOptions = {}): Promise<Tensor> {
  checkOptions(options, 'loadImageAsColumn', optionKeys<LoadImageOptions>()(['width', 'height', 'dtype']));
  const dtype = checkDType(options.dtype ?? 'float64', 'dtype');
  const { rgb } = await readRGB(path, options);
  const column = allocate(dtype, rgb.length);
  // Divide as the course does (image / 255.), so a picture matches the training data's scaling.
  for (let i = 0; i < rgb.length; i++) column[i] = rgb[i]! / 255;
  return new Tensor(column, [rgb.length, 1]);
}

/**
 * Encodes 8-bit RGB pixels (row-major, 3 bytes per pixel) as a PNG file, e.g. to embed a
 * picture in an HTML report as `data:image/png;base64,…`.
 *
 * @example
 * const png = encodePNG(split.images.subarray(0, 12288), 64, 64);
 * const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
 */
export function encodePNG(rgb: Uint8Array, width: number, height: number): Uint8Array {
  checkSize(width, 'width');
  checkSize(height, 'height');
  if (rgb.length !== width * height * 3) {
    throw new ArgumentError('rgb', `${rgb.length} bytes are not a ${width}×${height} RGB picture (${width * height * 3} bytes)`);
  }
  const png = new pngjs.PNG({ width, height });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  // inputColorType 2 = the data is RGB without alpha; colorType 2 = store it as RGB.
  const file = pngjs.PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
