import type { Backend } from '../backend.js';
import { binary, unary, unaryBackward } from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';

/**
 * The reference backend: plain TypeScript over typed arrays, one thread. It is the living
 * definition of every kernel; faster backends are tested against it.
 */
/** The element-wise and reduction kernels, which the WASM backends share with this one. */
export const referenceElementwise: Pick<Backend, 'binary' | 'unary' | 'unaryBackward' | 'reduce'> = { binary, unary, unaryBackward, reduce };

export const cpuBackend: Backend = {
  name: 'cpu',
  description: 'reference kernels in plain TypeScript, one thread',
  matmul,
  ...referenceElementwise,
};
