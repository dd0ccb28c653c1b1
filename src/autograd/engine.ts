import { GraphError, fmtShape } from '../errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './mode.js';

/**
 * One recorded op in the computation graph (seed 001 §2.7): the inputs it read and its
 * local backward — given dOut, the gradient of the final output with respect to this op's
 * result, it returns one gradient per input (null where that input needs none).
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dOut: Tensor) => readonly (Tensor | null)[];
}

/**
 * Reverse-mode backprop from `root`, seeded with `seed` = dRoot/dRoot (seed 001 §2.8):
 * visit the graph right to left in reverse topological order, and where a value feeds
 * several paths, add up the contributions (dz/ds = ∂z/∂x·dx/ds + ∂z/∂y·dy/ds).
 * Leaves with `requiresGrad` (and tensors that called `retainGrad()`) accumulate `.grad`.
 */
export function backpropagate(root: Tensor, seed: Tensor): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  // Gradients the engine made itself may be added to in place; ones returned by an op's
  // backward may be shared (add passes dOut to both inputs), so they are copied first.
  const owned = new Set<Tensor>();
  grads.set(root, seed);

  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      // g is handed to the op's backward, which may pass it on unchanged to several inputs
      // (add returns [dOut, dOut]); from here on it is shared and must not be added to in place.
      owned.delete(g);
      if (!t.node || t.retainsGrad) storeGrad(t, g);
      if (!t.node) continue;

      const inputGrads = t.node.backward(g);
      t.node.inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (!gi || !input.requiresGrad) return;
        if (!sameShape(gi.shape, input.shape)) {
          throw new GraphError(t.node!.op, `backward returned a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(input.shape)}`);
        }
        const existing = grads.get(input);
        if (!existing) {
          grads.set(input, gi);
          return;
        }
        const sum = owned.has(existing) ? existing : existing.clone();
        addInto(sum, gi);
        owned.add(sum);
        grads.set(input, sum);
      });
    }
  });
}

/** Post-order over the tensors that need a gradient, without recursion (a 10,000-op chain is fine). */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<{ t: Tensor; expanded: boolean }> = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const { t, expanded } = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push({ t, expanded: true });
    for (const input of t.node?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
    }
  }
  return order;
}

function storeGrad(t: Tensor, g: Tensor): void {
  if (t.grad === null) t.grad = g.clone();
  else addInto(t.grad, g);
}

function addInto(target: Tensor, g: Tensor): void {
  const out = target.data, add = g.data;
  for (let i = 0; i < out.length; i++) out[i]! += add[i]!;
}
