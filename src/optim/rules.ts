import { ArgumentError, ShapeError } from '../errors.js';
import type { TypedArray } from '../tensor/dtype.js';

// The update rules, as pure functions on typed arrays. Each updates W (and its state
// buffers) in place, element by element in one loop, and allocates nothing — the optimizer
// classes call them once per parameter per step. Hyper-parameters are not validated here
// (the classes do that once, in their constructors); only the lengths are checked, because
// a length mismatch would otherwise read `undefined` and write NaN silently.
//
// Arithmetic order. Each rule evaluates its formula in the same order as PyTorch's CPU
// single-tensor implementation (torch/optim/sgd.py, rmsprop.py, adam.py), so float64
// results agree with torch.float64 to the last bit or within an ulp or two (torch's
// vectorised kernels may fuse a multiply-add, JavaScript never does, and Math.pow may
// differ from C's pow by an ulp). Intermediates are float64; with Float32Array storage each
// stored value is rounded to float32, whereas torch.float32 rounds after every operation,
// so float32 results agree to float32 precision, not bit for bit.

function checkSameLength(where: string, w: TypedArray, name: string, other: TypedArray): void {
  if (other.length !== w.length) {
    throw new ShapeError(where, `${name} has ${other.length} elements but W has ${w.length}`);
  }
}

/**
 * Gradient descent: W := W − α·dW.
 *
 * Same as torch.optim.SGD with momentum 0 (`param.add_(grad, alpha=-lr)`).
 */
export function gradientDescentUpdate(w: TypedArray, dw: TypedArray, learningRate: number): void {
  checkSameLength('gradientDescentUpdate', w, 'dW', dw);
  const n = w.length;
  for (let k = 0; k < n; k++) w[k] = w[k]! - learningRate * dw[k]!;
}

/**
 * Gradient descent with momentum, in place on W and the velocity v:
 *
 *     v := β·v + (1 − d)·dW        (v := dW instead when `initialize` is true)
 *     W := W − α·v
 *
 * - PyTorch (torch.optim.SGD, momentum β, dampening d = 0, nesterov false): v := β·v + dW,
 *   and on a parameter's first step the buffer is set to dW itself (`initialize` = true).
 *   Pass `dampening` = 0.
 * - deeplearning.ai course 2 (`update_parameters_with_momentum`): v starts at 0 and
 *   v := β·v + (1 − β)·dW, so the first step gives v = (1 − β)·dW. Pass `dampening` = β and
 *   `initialize` = false with v zero-filled.
 *
 * The velocity is read back after it is stored, so with float32 storage W moves by the
 * rounded velocity, as it does in a framework that keeps v as a float32 tensor.
 */
export function momentumUpdate(
  w: TypedArray,
  dw: TypedArray,
  v: TypedArray,
  learningRate: number,
  beta: number,
  dampening: number,
  initialize: boolean,
): void {
  checkSameLength('momentumUpdate', w, 'dW', dw);
  checkSameLength('momentumUpdate', w, 'v', v);
  const n = w.length;
  if (initialize) {
    // torch: buf = torch.clone(grad).detach() on the first step.
    for (let k = 0; k < n; k++) {
      v[k] = dw[k]!;
      w[k] = w[k]! - learningRate * v[k]!;
    }
    return;
  }
  // torch: buf.mul_(momentum).add_(grad, alpha=1 - dampening) — i.e. (v·β) + ((1 − d)·dW).
  const keep = 1 - dampening;
  for (let k = 0; k < n; k++) {
    v[k] = v[k]! * beta + keep * dw[k]!;
    w[k] = w[k]! - learningRate * v[k]!;
  }
}

/**
 * RMSprop (torch.optim.RMSprop: centered false, momentum 0; PyTorch calls ρ `alpha`, default
 * 0.99), in place on W and the running average of squared gradients s:
 *
 *     s := ρ·s + (1 − ρ)·dW²
 *     W := W − α·dW / (√s + ε)
 *
 * s starts at 0. Evaluated as torch does: s·ρ + ((1 − ρ)·dW)·dW, then W − (α·dW)/(√s + ε).
 */
export function rmspropUpdate(
  w: TypedArray,
  dw: TypedArray,
  s: TypedArray,
  learningRate: number,
  rho: number,
  epsilon: number,
): void {
  checkSameLength('rmspropUpdate', w, 'dW', dw);
  checkSameLength('rmspropUpdate', w, 's', s);
  const n = w.length;
  const c = 1 - rho;
  for (let k = 0; k < n; k++) {
    const g = dw[k]!;
    // torch: square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    s[k] = s[k]! * rho + c * g * g;
    // torch: avg = square_avg.sqrt().add_(eps); param.addcdiv_(grad, avg, value=-lr)
    const avg = Math.sqrt(s[k]!) + epsilon;
    w[k] = w[k]! - (learningRate * g) / avg;
  }
}

/**
 * Adam with bias correction (torch.optim.Adam: amsgrad false, weight decay 0), step t ≥ 1,
 * in place on W and the moments m, v (both start at 0):
 *
 *     m := β1·m + (1 − β1)·dW
 *     v := β2·v + (1 − β2)·dW²
 *     m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *     W := W − α·m̂ / (√v̂ + ε)
 *
 * Evaluated in torch's order, which places ε differently from the textbook by a factor that
 * is 1 to within rounding:
 *
 *     m := lerp(m, dW, 1 − β1)                      (torch: exp_avg.lerp_(grad, 1 - beta1))
 *     v := v·β2 + ((1 − β2)·dW)·dW
 *     stepSize = α / (1 − β1^t)
 *     denom = √v / √(1 − β2^t) + ε
 *     W := W − (stepSize·m) / denom
 *
 * lerp(a, b, w) is a + w·(b − a) when |w| < 0.5, else b − (b − a)·(1 − w), as ATen computes it.
 */
export function adamUpdate(
  w: TypedArray,
  dw: TypedArray,
  m: TypedArray,
  v: TypedArray,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  t: number,
): void {
  checkSameLength('adamUpdate', w, 'dW', dw);
  checkSameLength('adamUpdate', w, 'm', m);
  checkSameLength('adamUpdate', w, 'v', v);
  // t = 0 would make both bias corrections 0 and every update 0/0.
  if (!Number.isInteger(t) || t < 1) throw new ArgumentError('t', `Adam's step count must be a whole number ≥ 1, got ${t}`);
  const n = w.length;
  const { small, weight, complement, c2, stepSize, biasCorrection2Sqrt } = adamScalars(learningRate, beta1, beta2, t);
  // One loop per branch of lerp: with the choice inside the loop, V8 (Node 20) ran it about
  // 14 times slower (170 against 12 ns per element on the MNIST network's 101,770 weights).
  if (small) {
    for (let k = 0; k < n; k++) {
      const g = dw[k]!;
      const mk = m[k]!;
      m[k] = mk + weight * (g - mk);
      v[k] = v[k]! * beta2 + c2 * g * g;
      const denom = Math.sqrt(v[k]!) / biasCorrection2Sqrt + epsilon;
      w[k] = w[k]! - (stepSize * m[k]!) / denom;
    }
  } else {
    for (let k = 0; k < n; k++) {
      const g = dw[k]!;
      const mk = m[k]!;
      m[k] = g - (g - mk) * complement;
      v[k] = v[k]! * beta2 + c2 * g * g;
      const denom = Math.sqrt(v[k]!) / biasCorrection2Sqrt + epsilon;
      w[k] = w[k]! - (stepSize * m[k]!) / denom;
    }
  }
}

/** The per-step constants of adamUpdate's loop, also used by compiled steps' Adam kernels. @internal */
export interface AdamScalars {
  /** Whether lerp takes its |weight| < 0.5 form. */
  small: boolean;
  /** 1 − β1, lerp's weight. */
  weight: number;
  /** 1 − weight. */
  complement: number;
  /** 1 − β2. */
  c2: number;
  /** α / (1 − β1^t). */
  stepSize: number;
  /** √(1 − β2^t). */
  biasCorrection2Sqrt: number;
}

/**
 * adamUpdate's constants for step t, computed as it computes them, into `out` (a compiled
 * step reuses one object) or a new object. @internal
 */
export function adamScalars(learningRate: number, beta1: number, beta2: number, t: number, out?: AdamScalars): AdamScalars {
  const s: AdamScalars = out ?? { small: false, weight: 0, complement: 0, c2: 0, stepSize: 0, biasCorrection2Sqrt: 0 };
  s.weight = 1 - beta1;
  s.small = Math.abs(s.weight) < 0.5;
  s.complement = 1 - s.weight;
  s.c2 = 1 - beta2;
  s.stepSize = learningRate / (1 - beta1 ** t);
  s.biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** t);
  return s;
}
