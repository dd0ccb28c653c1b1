/**
 * The IDX format of MNIST and Fashion-MNIST (browser-safe: parses bytes; `loadIDX` in
 * `idx-node.ts` reads the files).
 *
 * Layout: bytes 0–1 are zero, byte 2 is the element type, byte 3 the number of dimensions
 * d; then d big-endian uint32 sizes; then the elements, big-endian, row-major.
 *
 * @example
 * const { shape, data } = parseIDX(bytes, 'train-images-idx3-ubyte'); // shape [60000, 28, 28]
 */
import { FileFormatError } from '../errors.js';

/** The element types IDX defines, by their type byte. */
const TYPES = {
  0x08: { name: 'ubyte', size: 1 },
  0x09: { name: 'byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
} as const;

export type IDXType = (typeof TYPES)[keyof typeof TYPES]['name'];

export interface IDXData {
  /** The dimensions, outermost first: (m, rows, cols) for images, (m,) for labels. */
  readonly shape: number[];
  /** The elements row-major, widened to float64 (every IDX type fits exactly). */
  readonly data: Float64Array;
  /** The element type stored in the file. */
  readonly type: IDXType;
}

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function typeOf(code: number): (typeof TYPES)[keyof typeof TYPES] | undefined {
  return code in TYPES ? TYPES[code as keyof typeof TYPES] : undefined;
}

/** A byte count for a message; a product of dimensions can go past 2^53. */
const fmtBytes = (n: number): string => (Number.isSafeInteger(n) ? `${n}` : `about ${n.toExponential(3)}`);

/**
 * Parses an IDX file's bytes.
 *
 * The sizes in the header are checked against the file's length BEFORE anything is
 * allocated: a damaged header claiming 4 billion images must be an error, not an attempt to
 * allocate terabytes.
 *
 * @param where names the file in errors (default `<bytes>`).
 * @throws FileFormatError (where): wrong magic (the bytes found are shown; gzip-compressed
 *   files, as MNIST is downloaded, are recognised and named); an unknown type byte; a file
 *   shorter or longer than its header says (expected vs actual bytes).
 */
export function parseIDX(bytes: Uint8Array, where = '<bytes>'): IDXData {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new FileFormatError(where, `this is a gzip-compressed file (bytes ${hex(bytes.subarray(0, 4))}), not IDX: decompress it first (gunzip)`);
  }
  if (bytes.length < 4) throw new FileFormatError(where, `too short for an IDX file: ${bytes.length} bytes, the header alone is at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FileFormatError(where, `not an IDX file: it starts with ${hex(bytes.subarray(0, 4))}, an IDX file with 00 00 <type> <dims>`);
  }
  const code = bytes[2]!;
  const type = typeOf(code);
  if (type === undefined) {
    const known = Object.entries(TYPES).map(([c, t]) => `0x${Number(c).toString(16).padStart(2, '0')} (${t.name})`).join(', ');
    throw new FileFormatError(where, `unknown IDX element type 0x${code.toString(16).padStart(2, '0')}; IDX defines ${known}`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0) throw new FileFormatError(where, 'the IDX header declares 0 dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new FileFormatError(where, `truncated IDX header: ${ndims} dimensions need ${headerBytes} header bytes, the file holds ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = headerBytes + count * type.size;
  if (expected !== bytes.length) {
    const dims = `(${shape.join(', ')})`;
    const detail = expected > bytes.length ? 'truncated, or the header is damaged' : `${fmtBytes(bytes.length - expected)} extra byte${bytes.length - expected === 1 ? '' : 's'} after the data`;
    throw new FileFormatError(where, `the header declares ${dims} of ${type.name} (${type.size} byte${type.size > 1 ? 's' : ''} each): ${fmtBytes(expected)} bytes expected, the file holds ${bytes.length} (${detail})`);
  }
  const data = new Float64Array(count);
  let p = headerBytes;
  switch (type.name) {
    case 'ubyte':
      for (let i = 0; i < count; i++) data[i] = bytes[p + i]!;
      break;
    case 'byte':
      for (let i = 0; i < count; i++) data[i] = view.getInt8(p + i);
      break;
    case 'short':
      for (let i = 0; i < count; i++, p += 2) data[i] = view.getInt16(p, false);
      break;
    case 'int':
      for (let i = 0; i < count; i++, p += 4) data[i] = view.getInt32(p, false);
      break;
    case 'float':
      for (let i = 0; i < count; i++, p += 4) data[i] = view.getFloat32(p, false);
      break;
    case 'double':
      for (let i = 0; i < count; i++, p += 8) data[i] = view.getFloat64(p, false);
      break;
  }
  return { shape, data, type: type.name };
}
