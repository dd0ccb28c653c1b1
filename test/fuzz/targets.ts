// The parsers nabla exposes to files from strangers, each with valid inputs to mutate.
import { readFileSync } from 'node:fs';
import { Sequential, parseCSV, parseIDX, LogisticRegression } from '../../src/index.js';
import { decodeImage, encodePNG, loadHDF5 } from '../../src/node.js';
import { loadModel, saveModel } from '../../src/io/model-file.js';
import type { FuzzTarget } from './harness.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decoder = new TextDecoder();

function idx(dims: number[], type: number, values: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const body = Uint8Array.from(values);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

export function targets(): FuzzTarget[] {
  const png = encodePNG(Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256), 8, 8);
  const hdf5 = new Uint8Array(readFileSync(new URL('../../data/cat/test_catvnoncat.h5', import.meta.url)));
  return [
    {
      name: 'CSV',
      seeds: [text('x1,x2,label\n1,2,a\n3,4,b\n5,6,a\n'), text('0.5;1.5;1\n2.5;3.5;0\n'), text('a,b,c\n"1",2,3\n4,5,6\n')],
      parse: (bytes) => parseCSV(decoder.decode(bytes), {}, 'fuzz.csv'),
    },
    {
      name: 'model file (safetensors)',
      seeds: [
        saveModel(new Sequential({ layerSizes: [3, 4, 2], activations: ['tanh', 'sigmoid'], seed: 1 })),
        saveModel(new LogisticRegression(5, { dtype: 'float32' })),
      ],
      parse: (bytes) => loadModel(bytes, 'fuzz.safetensors'),
    },
    {
      name: 'IDX',
      seeds: [idx([2, 2, 2], 0x08, [1, 2, 3, 4, 5, 6, 7, 8]), idx([3], 0x08, [0, 1, 2])],
      parse: (bytes) => parseIDX(bytes, 'fuzz.idx'),
    },
    {
      name: 'image (PNG/JPEG)',
      seeds: [png],
      parse: (bytes) => decodeImage(bytes, 'fuzz.png'),
    },
    {
      name: 'HDF5',
      seeds: [hdf5],
      // The Node loader: parsed in a worker with a time limit, since a corrupt file can make the C library loop.
      parse: (bytes) => loadHDF5(bytes, { x: 'test_set_x', y: 'test_set_y' }, { timeoutMs: 1500 }),
    },
  ];
}
