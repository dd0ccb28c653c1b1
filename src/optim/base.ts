import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LearningRateSchedule, Optimizer, OptimizerName, OptimizerState } from './optimizer.js';
import { checkInteger, checkLearningRate } from './validate.js';

/** One parameter's state: its buffers (in the order of the optimizer's buffer names) and its own step count. */
export interface ParameterSlot {
  /** Updates this parameter has had; PyTorch keeps the same count per parameter. */
  step: number;
  buffers: TypedArray[];
}

/**
 * What every optimizer shares: the learning rate and its schedule, the step count, and the
 * per-parameter state map with its checkpoint form. A subclass names its buffers and
 * implements `update`, which calls one rule from `rules.ts`.
 */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: OptimizerName;
  readonly initialLearningRate: number;
  readonly schedule: LearningRateSchedule | undefined;
  /** The names of the per-parameter buffers, as they appear in `state().buffers`. */
  readonly bufferNames: readonly string[];
  #learningRate: number;
  #stepCount = 0;
  readonly #slots = new Map<string, ParameterSlot>();

  protected constructor(learningRate: number, schedule: LearningRateSchedule | undefined, bufferNames: readonly string[]) {
    this.initialLearningRate = learningRate;
    this.#learningRate = learningRate;
    this.schedule = schedule;
    this.bufferNames = bufferNames;
  }

  get learningRate(): number {
    return this.#learningRate;
  }

  get stepCount(): number {
    return this.#stepCount;
  }

  /**
   * Applies one update to W (`w`) from dW (`dw`) with this parameter's buffers. `slot.step`
   * has already been advanced: it is 1 on a parameter's first update.
   */
  protected abstract update(w: TypedArray, dw: TypedArray, slot: ParameterSlot): void;

  step(parameters: Map<string, Tensor>): void {
    this.#advance(parameters, true);
  }

  /**
   * The bookkeeping of `step` (step counts) without the update, for a caller that has applied
   * this optimizer's rule itself — a compiled training step doing plain gradient descent in
   * WASM. Only meaningful for stateless rules. @internal
   */
  recordStep(parameters: Map<string, Tensor>): void {
    this.#advance(parameters, false);
  }

  /**
   * `step` for a caller that applies the rule itself (a compiled training step's kernels) to
   * state that lives where it says: `place(name)` gives the buffers (views of the program's
   * memory) that parameter `name`'s state is to live in. The first time, and after `loadState`
   * replaced the state, the slot's values are copied there and the slot keeps those buffers
   * (so `state()` and `buffersOf` read them); then `apply` runs with the step count advanced.
   * @internal
   */
  stepOn(parameters: Map<string, Tensor>, place: (name: string) => readonly TypedArray[], apply: (name: string, slot: ParameterSlot) => void): void {
    for (const [name, p] of parameters) {
      if (p.grad === null) continue;
      const slot = this.#slotFor(name, p);
      const target = place(name);
      for (let i = 0; i < slot.buffers.length; i++) {
        if (slot.buffers[i] === target[i]) continue;
        target[i]!.set(slot.buffers[i]!);
        slot.buffers[i] = target[i]!;
      }
      slot.step++;
      apply(name, slot);
    }
    this.#stepCount++;
  }

  /**
   * Gives back buffers that `stepOn` placed the state in (a program about to place another
   * optimizer's state there): the slots holding any of them keep copies instead. @internal
   */
  release(buffers: ReadonlySet<TypedArray>): void {
    for (const slot of this.#slots.values()) {
      for (let i = 0; i < slot.buffers.length; i++) {
        if (buffers.has(slot.buffers[i]!)) slot.buffers[i] = slot.buffers[i]!.slice();
      }
    }
  }

  #advance(parameters: Map<string, Tensor>, apply: boolean): void {
    for (const [name, p] of parameters) {
      const g = p.grad;
      if (g === null) continue;
      if (g.size !== p.size) {
        throw new ShapeError(name, `the gradient has shape ${fmtShape(g.shape)} but the parameter has ${fmtShape(p.shape)}`);
      }
      const slot = this.#slotFor(name, p);
      slot.step++;
      if (apply) this.update(p.data, g.data, slot);
    }
    this.#stepCount++;
  }

  onEpoch(epoch: number): void {
    checkInteger(epoch, 'epoch', 0);
    if (this.schedule === undefined) return;
    const lr = this.schedule(epoch, this.initialLearningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
      throw new ArgumentError('schedule', `returned ${String(lr)} for epoch ${epoch}: a learning rate must be a finite number > 0`);
    }
    this.#learningRate = lr;
  }

  reset(): void {
    this.#slots.clear();
    this.#stepCount = 0;
    this.#learningRate = this.initialLearningRate;
  }

  /**
   * The live buffers of one parameter (buffer name → typed array), or undefined before its
   * first update. For inspection: writing to them changes the optimizer's state.
   */
  buffersOf(parameter: string): Readonly<Record<string, TypedArray>> | undefined {
    const slot = this.#slots.get(parameter);
    if (slot === undefined) return undefined;
    const out: Record<string, TypedArray> = {};
    this.bufferNames.forEach((b, i) => {
      out[b] = slot.buffers[i]!;
    });
    return out;
  }

  state(): OptimizerState {
    const buffers: Record<string, Record<string, number[]>> = {};
    const parameterSteps: Record<string, number> = {};
    for (const [name, slot] of this.#slots) {
      const record: Record<string, number[]> = {};
      this.bufferNames.forEach((b, i) => {
        record[b] = Array.from(slot.buffers[i]!);
      });
      buffers[name] = record;
      parameterSteps[name] = slot.step;
    }
    return { name: this.name, step: this.#stepCount, learningRate: this.#learningRate, buffers, parameterSteps };
  }

  loadState(state: OptimizerState): void {
    // Everything is checked and copied before anything is replaced, so a bad state leaves
    // the optimizer as it was.
    if (typeof state !== 'object' || state === null) throw new ArgumentError('state', 'must be an object from state()');
    if (state.name !== undefined && state.name !== this.name) {
      throw new ArgumentError('state', `was written by the '${state.name}' optimizer, this one is '${this.name}'`);
    }
    const stepCount = checkInteger(state.step, 'state.step', 0);
    const learningRate = state.learningRate === undefined ? this.initialLearningRate : checkLearningRate(state.learningRate, 'state.learningRate');
    if (typeof state.buffers !== 'object' || state.buffers === null) throw new ArgumentError('state.buffers', 'must be an object');
    const slots = new Map<string, ParameterSlot>();
    for (const [name, record] of Object.entries(state.buffers)) {
      const where = `state.buffers.${name}`;
      if (typeof record !== 'object' || record === null) throw new ArgumentError(where, 'must be an object of buffers');
      for (const key of Object.keys(record)) {
        if (!this.bufferNames.includes(key)) {
          throw new ArgumentError(`${where}.${key}`, `unknown buffer for '${this.name}'; expected ${this.bufferNames.join(', ') || 'none'}`);
        }
      }
      let length = -1;
      const buffers = this.bufferNames.map((b) => {
        const values = record[b];
        if (!Array.isArray(values) || !values.every((x) => typeof x === 'number')) {
          throw new ArgumentError(`${where}.${b}`, 'must be an array of numbers');
        }
        if (length >= 0 && values.length !== length) {
          throw new ArgumentError(`${where}.${b}`, `has ${values.length} values but the other buffers have ${length}`);
        }
        length = values.length;
        // Kept as float64 until the parameter is seen: its dtype is not known yet (see #slotFor).
        return Float64Array.from(values);
      });
      const step = state.parameterSteps?.[name] ?? stepCount;
      checkInteger(step, `state.parameterSteps.${name}`, 0);
      slots.set(name, { step, buffers });
    }
    this.#slots.clear();
    for (const [name, slot] of slots) this.#slots.set(name, slot);
    this.#stepCount = stepCount;
    this.#learningRate = learningRate;
  }

  /**
   * The state of parameter `name`, created on its first update with zero-filled buffers of
   * the parameter's dtype. A slot that came from `loadState` (float64) is converted once to
   * the parameter's dtype here, so steps after a load round exactly as before it.
   */
  #slotFor(name: string, p: Tensor): ParameterSlot {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = { step: 0, buffers: this.bufferNames.map(() => allocate(p.dtype, p.size)) };
      this.#slots.set(name, slot);
      return slot;
    }
    const buffers = slot.buffers;
    for (let i = 0; i < buffers.length; i++) {
      const b = buffers[i]!;
      if (b.length !== p.size) {
        throw new ShapeError(name, `the optimizer's ${this.bufferNames[i]} buffer has ${b.length} elements but the parameter has shape ${fmtShape(p.shape)}`);
      }
      const isFloat32 = b instanceof Float32Array;
      if (isFloat32 !== (p.dtype === 'float32')) {
        const converted = allocate(p.dtype, p.size);
        converted.set(b);
        buffers[i] = converted;
      }
    }
    return slot;
  }
}
