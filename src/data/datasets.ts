import { catVsNonCat } from './cat.js';
import { planarFlower } from './flower.js';
import { blobs, circles, moons, spirals, xor } from './synthetic.js';

/**
 * The datasets nabla ships or generates, under one name (Node: the cat pictures are read
 * from the package's files).
 *
 * @example
 * const { train, test, classes } = await datasets.catVsNonCat(); // X (12288, 209), Y (1, 209)
 */
export const datasets = { catVsNonCat, planarFlower, circles, xor, moons, spirals, blobs } as const;
