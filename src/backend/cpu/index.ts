import type { Backend } from '../backend.js';
import { binary, unary, unaryBackward } from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';

/**
 * The reference backend: plain TypeScript over typed arrays, one thread. It is the living
 * definition of every kernel; faster backends are tested against it.
 */
export const cpuBackend: Backend = {
  name: 'cpu',
  description: 'reference kernels in plain TypeScript, one thread',
  matmul,
  binary,
  unary,
  unaryBackward,
  reduce,
};
