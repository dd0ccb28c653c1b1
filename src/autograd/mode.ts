// Whether ops record the computation graph. A flag, not a stack of contexts: `noGrad`
// restores the previous value, so nesting works.
let gradEnabled = true;

/** True when ops record the graph for backprop. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph: for inference and for parameter updates, where
 * building a graph would only cost memory.
 *
 * @example
 * const A = noGrad(() => model.forward(X));
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
