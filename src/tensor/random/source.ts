/**
 * A source of random numbers. Every function in nabla that draws (randn, rand,
 * initializers, shuffling, dropout) takes one, so a run is reproducible from its seed.
 * Two implementations: `FastRandom` (the default, fast) and `RandomState`
 * (numpy's legacy generator, bit-compatible, to reproduce the course's numbers).
 */
export interface RandomSource {
  /** A uniform double in [0, 1). */
  random(): number;
  /** A draw from the standard normal distribution N(0, 1). */
  randn(): number;
  /** A uniform integer in [low, high). */
  randint(low: number, high: number): number;
}
