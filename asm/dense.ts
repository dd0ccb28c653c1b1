// AssemblyScript source of the float32 element-wise kernels of a dense layer, used by the
// compiled training step (src/backend/wasm/dense-program.ts). Like gemm.ts, every operand is a
// byte address in linear memory laid out by the caller.
//
// Why here and not in JavaScript: a tanh or an exp costs tens of nanoseconds in a JavaScript
// loop, which is the whole budget of a small network's step (the flower net evaluates 2,000 of
// them per iteration). Four lanes of a polynomial cost a few nanoseconds.
//
// Accuracy: exp is a degree-6 polynomial on [−ln2/2, ln2/2] after range reduction (within
// 2 ulp of float32 rounding), tanh a Cephes-style odd polynomial near 0 and 1 − 2/(e^2x + 1)
// elsewhere (absolute error below 1.2e-7). Float64 never comes here: its element-wise work
// runs the reference formulas in JavaScript, bit for bit the cpu backend's.

/** Activation codes shared with dense-program.ts. */
const LINEAR: i32 = 0;
const SIGMOID: i32 = 1;
const TANH: i32 = 2;
const RELU: i32 = 3;
const LEAKY: i32 = 4;

// e^x for four lanes. x is clamped to [−87, 88] so that 2^n stays a normal float32: beyond,
// sigmoid and tanh are saturated anyway.
// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504089)));
  // r = x − n·ln2 in two parts, so r keeps the low bits n·ln2 would round away.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  // Horner form of Σ r^k/k!, k = 0 … 6.
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^n built in the exponent field.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  // |x| < 0.625: x + x³·P(x²), where 1 − 2/(e^2x + 1) would cancel.
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // Elsewhere 1 − 2/(e^2|x| + 1), with x's sign put back.
  const one = f32x4.splat(1.0);
  const e = exp4(f32x4.add(ax, ax));
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

// @ts-ignore: decorator
@inline function activate4(act: i32, z: v128, slope: v128): v128 {
  if (act == SIGMOID) return sigmoid4(z);
  if (act == TANH) return tanh4(z);
  if (act == RELU) return f32x4.max(z, f32x4.splat(0));
  if (act == LEAKY) return v128.bitselect(z, f32x4.mul(z, slope), f32x4.gt(z, f32x4.splat(0)));
  return z;
}

// log u for four lanes of positive normal u: u is cut to m·2^e with m in [√½, √2) (from its
// exponent and mantissa bits), log m = 2·atanh(s), s = (m − 1)/(m + 1) in ±0.172, by its odd
// series to s⁹ (the next term is below 2e-9), plus e·ln 2.
// @ts-ignore: decorator
@inline function log4(u: v128): v128 {
  const one = f32x4.splat(1.0);
  const bits = v128.and(u, i32x4.splat(0x7fffff));
  let m = v128.or(bits, i32x4.splat(0x3f800000)); // u's mantissa, in [1, 2)
  let e = i32x4.sub(i32x4.shr_u(u, 23), i32x4.splat(127));
  const high = f32x4.gt(m, f32x4.splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, high);
  e = i32x4.sub(e, high); // high lanes are −1: e + 1
  const sv = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const s2 = f32x4.mul(sv, sv);
  let p = f32x4.splat(1.0 / 9.0);
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 7.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 5.0));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0 / 3.0));
  p = f32x4.add(f32x4.mul(p, s2), one);
  return f32x4.add(f32x4.mul(f32x4.add(sv, sv), p), f32x4.mul(f32x4.convert_i32x4_s(e), f32x4.splat(0.693147181)));
}

// log(1 + t) for four lanes, t in [0, 1] (the softplus term's log1p(e^−|z|)): log(u)·t/(u − 1)
// with u = 1 + t, which corrects the rounding of 1 + t: a t below float32's ulp of 1 gives t,
// not 0 (a well-fit sample's term).
// @ts-ignore: decorator
@inline function log1p4(t: v128): v128 {
  const one = f32x4.splat(1.0);
  const u = f32x4.add(one, t);
  const log = log4(u);
  const d = f32x4.sub(u, one);
  // Where 1 + t rounded to 1, log1p(t) is t itself.
  return v128.bitselect(t, f32x4.div(f32x4.mul(log, t), d), f32x4.eq(d, f32x4.splat(0)));
}

// The binary cross-entropy's per-sample term and dZ from the logit z and the label y:
// term = z·([z > 0] − y) + log1p(e^−|z|) (max(z, 0) − y·z + log1p(e^−|z|), with the first two
// grouped so that z·(1 − 1) is 0 where a label 1 meets a large z, instead of z − z rounded),
// and dZ = inv·(σ(z) − y), σ(z) from the same e^−|z| (1/(1 + e) for z ≥ 0, e/(1 + e) below).
// @ts-ignore: decorator
@inline function crossEntropy4(z: v128, y: v128, inv: v128, dZ: usize, k: usize, terms: usize, lanes: i32): void {
  const one = f32x4.splat(1.0), zero = f32x4.splat(0);
  const e = exp4(f32x4.neg(f32x4.abs(z)));
  const positive = f32x4.gt(z, zero);
  const term = f32x4.add(f32x4.mul(z, f32x4.sub(v128.and(positive, one), y)), log1p4(e));
  // σ(z) − y over the common denominator 1 + e: ((1 − y) − y·e)/(1 + e) for z ≥ 0, and
  // (e·(1 − y) − y)/(1 + e) below. Where a label 1 meets a large z, −e/(1 + e) keeps its
  // digits, which σ(z) − 1 rounded in float32 would cancel away.
  const notY = f32x4.sub(one, y);
  const numerator = v128.bitselect(f32x4.sub(notY, f32x4.mul(y, e)), f32x4.sub(f32x4.mul(e, notY), y), f32x4.ge(z, zero));
  const dz = f32x4.div(f32x4.mul(inv, numerator), f32x4.add(one, e));
  if (lanes == 4) {
    v128.store(terms + k, term);
    v128.store(dZ + k, dz);
    return;
  }
  store<f32>(terms + k, f32x4.extract_lane(term, 0));
  store<f32>(dZ + k, f32x4.extract_lane(dz, 0));
  if (lanes > 1) { store<f32>(terms + k + 4, f32x4.extract_lane(term, 1)); store<f32>(dZ + k + 4, f32x4.extract_lane(dz, 1)); }
  if (lanes > 2) { store<f32>(terms + k + 8, f32x4.extract_lane(term, 2)); store<f32>(dZ + k + 8, f32x4.extract_lane(dz, 2)); }
}

/**
 * Binary cross-entropy from the logits Z against Y over n values: the terms whose mean is J
 * (into `terms`, summed by the caller in the graph's order) and dZ = (1/m)·(σ(Z) − Y), with
 * `inv` = 1/m. The flower network's cost ran 1,200 Math.exp and Math.log1p calls per step in
 * JavaScript, as long as the rest of its step; float32 only (float64 keeps the reference's
 * JavaScript formulas, bit for bit the autograd path).
 */
export function binaryCrossEntropyF32(z: usize, y: usize, terms: usize, dZ: usize, n: i32, inv: f32): void {
  const iv = f32x4.splat(inv);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) crossEntropy4(v128.load(z + k), v128.load(y + k), iv, dZ, k, terms, 4);
  if (k < bytes) {
    // The last 1–3 values through one vector too (the same polynomials).
    const left = <i32>((bytes - k) >> 2);
    let zv = f32x4.splat(load<f32>(z + k)), yv = f32x4.splat(load<f32>(y + k));
    if (left > 1) { zv = f32x4.replace_lane(zv, 1, load<f32>(z + k + 4)); yv = f32x4.replace_lane(yv, 1, load<f32>(y + k + 4)); }
    if (left > 2) { zv = f32x4.replace_lane(zv, 2, load<f32>(z + k + 8)); yv = f32x4.replace_lane(yv, 2, load<f32>(y + k + 8)); }
    crossEntropy4(zv, yv, iv, dZ, k, terms, left);
  }
}

/**
 * Categorical cross-entropy from the logits Z (rows classes × m columns) against Y, for the
 * columns 0 … 4·⌊m/4⌋ (four columns a vector; the caller does the rest): A := Y ⊙ log softmax(Z)
 * (the terms whose sum, times −1/m, is J) and dZ = (1/m)·(softmax(Z)·Σ_r Y − Y). `inv` = 1/m.
 * The MNIST MLP's cost ran 1,300 Math.exp calls a batch in JavaScript, 45 µs of its 1 ms.
 *
 * With e_r = e^(z_r − max), the largest logits give e = 1 exactly (n of them), and the sum is
 * n + S, S the others' sum, kept apart: a confident column (S small) then loses nothing to
 * cancellation. log Σ = log1p(S) where n = 1, and the numerator of σ_r·Σ_r Y − y_r is
 * e_r·(ΣY − y_r) − y_r·(Σ − e_r), with Σ − e_r = (n − 1) + S for a largest logit and n + S − e_r
 * otherwise: for a one-hot column, −S for the true class instead of 1 − σ rounded.
 */
export function categoricalCrossEntropyF32(z: usize, y: usize, a: usize, dZ: usize, rows: i32, m: i32, inv: f32): void {
  const iv = f32x4.splat(inv), one = f32x4.splat(1.0), zero = f32x4.splat(0);
  const row = <usize>m << 2;
  for (let j = 0; j + 4 <= m; j += 4) {
    const col = <usize>j << 2;
    let mx = v128.load(z + col);
    for (let r = 1; r < rows; r++) mx = f32x4.max(mx, v128.load(z + col + <usize>r * row));
    // e^(z − max) into dZ for now; the others' sum S, how many are largest (n), and Σ Y.
    let others = zero, n = zero, ys = zero;
    for (let r = 0; r < rows; r++) {
      const at = col + <usize>r * row;
      const zr = v128.load(z + at);
      const e = exp4(f32x4.sub(zr, mx));
      v128.store(dZ + at, e);
      const largest = f32x4.eq(zr, mx);
      others = f32x4.add(others, v128.andnot(e, largest));
      n = f32x4.add(n, v128.and(largest, one));
      ys = f32x4.add(ys, v128.load(y + at));
    }
    const sum = f32x4.add(n, others);
    const logSum = v128.bitselect(log1p4(others), log4(sum), f32x4.eq(n, one));
    const scale = f32x4.div(iv, sum);
    for (let r = 0; r < rows; r++) {
      const at = col + <usize>r * row;
      const zr = v128.load(z + at), yv = v128.load(y + at), e = v128.load(dZ + at);
      v128.store(a + at, f32x4.mul(yv, f32x4.sub(f32x4.sub(zr, mx), logSum)));
      const largest = f32x4.eq(zr, mx);
      const rest = v128.bitselect(f32x4.add(f32x4.sub(n, one), others), f32x4.sub(sum, e), largest);
      const numerator = f32x4.sub(f32x4.mul(e, f32x4.sub(ys, yv)), f32x4.mul(yv, rest));
      v128.store(dZ + at, f32x4.mul(numerator, scale));
    }
  }
}

/**
 * Z := Z + b (b broadcast along each of the `rows` rows of `cols` values), then A := g(Z) for
 * the activation code `act` (leakyRelu's slope in `slope`). A may be Z itself for linear.
 */
export function biasActivateF32(z: usize, b: usize, a: usize, rows: i32, cols: i32, act: i32, slope: f32): void {
  for (let i = 0; i < rows; i++) {
    const bi = f32x4.splat(load<f32>(b + (<usize>i << 2)));
    let p = z + ((<usize>i * <usize>cols) << 2);
    const end = p + (<usize>cols << 2);
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(v128.load(p), bi));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) + f32x4.extract_lane(bi, 0));
  }
  activateF32(z, a, rows * cols, act, slope);
}

/** A := g(Z) over n values. */
export function activateF32(z: usize, a: usize, n: i32, act: i32, slope: f32): void {
  const s = f32x4.splat(slope);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) v128.store(a + k, activate4(act, v128.load(z + k), s));
  if (k < bytes) {
    // The last 1–3 values go through one vector too, so they get the same polynomial.
    const left = <i32>((bytes - k) >> 2);
    const x0 = load<f32>(z + k);
    const x1: f32 = left > 1 ? load<f32>(z + k + 4) : 0;
    const x2: f32 = left > 2 ? load<f32>(z + k + 8) : 0;
    const v = f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(x0), 1, x1), 2, x2);
    const y = activate4(act, v, s);
    store<f32>(a + k, f32x4.extract_lane(y, 0));
    if (left > 1) store<f32>(a + k + 4, f32x4.extract_lane(y, 1));
    if (left > 2) store<f32>(a + k + 8, f32x4.extract_lane(y, 2));
  }
}

/**
 * dZ := dA ⊙ g′ over n values, g′ from A (sigmoid: A(1 − A), tanh: 1 − A²) or from Z
 * (relu: 1 where Z > 0, else 0 — relu′(0) = 0 as in the course; leakyRelu: 1 or slope).
 * dZ may be dA itself.
 */
export function activationBackwardF32(dA: usize, z: usize, a: usize, dZ: usize, n: i32, act: i32, slope: f32): void {
  const one = f32x4.splat(1.0), zero = f32x4.splat(0), s = f32x4.splat(slope);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const d = v128.load(dA + k);
    let out = d;
    if (act == SIGMOID) {
      const y = v128.load(a + k);
      out = f32x4.mul(f32x4.mul(d, y), f32x4.sub(one, y));
    } else if (act == TANH) {
      const y = v128.load(a + k);
      out = f32x4.mul(d, f32x4.sub(one, f32x4.mul(y, y)));
    } else if (act == RELU) {
      out = v128.and(d, f32x4.gt(v128.load(z + k), zero));
    } else if (act == LEAKY) {
      out = v128.bitselect(d, f32x4.mul(d, s), f32x4.gt(v128.load(z + k), zero));
    }
    v128.store(dZ + k, out);
  }
  for (; k < bytes; k += 4) {
    const d = load<f32>(dA + k);
    let out = d;
    if (act == SIGMOID) {
      const y = load<f32>(a + k);
      out = d * y * (1 - y);
    } else if (act == TANH) {
      const y = load<f32>(a + k);
      out = d * (1 - y * y);
    } else if (act == RELU) {
      out = load<f32>(z + k) > 0 ? d : 0;
    } else if (act == LEAKY) {
      out = load<f32>(z + k) > 0 ? d : d * slope;
    }
    store<f32>(dZ + k, out);
  }
}

/** Index of the first NaN or ±Inf among n float32 values, or −1. */
export function firstNonFiniteF32(x: usize, n: i32): i32 {
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const v = v128.load(x + k);
    // v − v is 0 for finite values and NaN for NaN and ±Inf.
    const d = f32x4.sub(v, v);
    if (!i32x4.all_true(f32x4.eq(d, d))) break;
  }
  for (; k < bytes; k += 4) {
    const v = load<f32>(x + k);
    if (v - v != 0) return <i32>(k >> 2);
  }
  return -1;
}

/** The float64 counterpart of firstNonFiniteF32. */
export function firstNonFiniteF64(x: usize, n: i32): i32 {
  const bytes = <usize>n << 3;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const v = v128.load(x + k);
    const d = f64x2.sub(v, v);
    if (!i64x2.all_true(f64x2.eq(d, d))) break;
  }
  for (; k < bytes; k += 8) {
    const v = load<f64>(x + k);
    if (v - v != 0) return <i32>(k >> 3);
  }
  return -1;
}

/**
 * Gradient descent on n values: w := w − α·dw. Float64 keeps the generic update's rounding
 * (a product, then a difference: no fused multiply-add), so the compiled path stays bit for
 * bit the autograd one.
 *
 * Returns what a training loop checks after a step, found in the same pass: 1 if some dw is a
 * NaN or ±Inf, plus 2 if some new w is (the update overflowed, or dw was bad). A separate pass
 * over each (firstNonFinite*) reads all of w or dw again: 400 KiB each for the MNIST MLP's W[1],
 * from L3 here, about 30 µs a pass and a tenth of the step. (x − x is 0 for a finite x and NaN
 * otherwise; the masks are OR-ed, a one-cycle chain.)
 */
export function descendF64(w: usize, dw: usize, n: i32, learningRate: f64): i32 {
  const lr = f64x2.splat(learningRate);
  const bytes = <usize>n << 3;
  let badD = i64x2.splat(0), badW = i64x2.splat(0);
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const d = v128.load(dw + k);
    const v = f64x2.sub(v128.load(w + k), f64x2.mul(lr, d));
    v128.store(w + k, v);
    const dd = f64x2.sub(d, d), vv = f64x2.sub(v, v);
    badD = v128.or(badD, f64x2.ne(dd, dd));
    badW = v128.or(badW, f64x2.ne(vv, vv));
  }
  let code = (v128.any_true(badD) ? 1 : 0) | (v128.any_true(badW) ? 2 : 0);
  for (; k < bytes; k += 8) {
    const d = load<f64>(dw + k);
    const v = load<f64>(w + k) - learningRate * d;
    store<f64>(w + k, v);
    if (d - d != 0) code |= 1;
    if (v - v != 0) code |= 2;
  }
  return code;
}

/** The float32 counterpart of descendF64 (α rounded to float32 once). */
export function descendF32(w: usize, dw: usize, n: i32, learningRate: f32): i32 {
  const lr = f32x4.splat(learningRate);
  const bytes = <usize>n << 2;
  let badD = i32x4.splat(0), badW = i32x4.splat(0);
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const d = v128.load(dw + k);
    const v = f32x4.sub(v128.load(w + k), f32x4.mul(lr, d));
    v128.store(w + k, v);
    const dd = f32x4.sub(d, d), vv = f32x4.sub(v, v);
    badD = v128.or(badD, f32x4.ne(dd, dd));
    badW = v128.or(badW, f32x4.ne(vv, vv));
  }
  let code = (v128.any_true(badD) ? 1 : 0) | (v128.any_true(badW) ? 2 : 0);
  for (; k < bytes; k += 4) {
    const d = load<f32>(dw + k);
    const v = load<f32>(w + k) - learningRate * d;
    store<f32>(w + k, v);
    if (d - d != 0) code |= 1;
    if (v - v != 0) code |= 2;
  }
  return code;
}

// ---------------------------------------------------------------------------------------------
// Adam's update (src/optim/rules.ts, adamUpdate) on a compiled step's parameter and its moments
// m, v, in adamUpdate's order of operations and in float64, two lanes at a time:
//
//   m := base + (g − m)·cs        (torch's lerp with weight w = 1 − β1: base, cs = m, w when
//                                  |w| < 0.5, else g, −(1 − w); m + w·(g − m) and
//                                  g − (g − m)·(1 − w) written so, with the same bits, as
//                                  products commute and negation is exact)
//   v := v·β2 + (c2·g)·g          (c2 = 1 − β2)
//   w := w − (stepSize·m) / (√v / bc2 + ε)
//
// Every operation is a separately rounded IEEE one, none fused, as in JavaScript: the results
// are bit for bit adamUpdate's. With float32 storage the values are widened on load and each
// stored value rounded once, as a Float32Array store rounds it, and m and v are read back as
// stored before w uses them, as adamUpdate reads them back.

/** Adam over n float64 values at w, dw, m, v (byte addresses); `small` says which form of lerp. */
export function adamF64(w: usize, dw: usize, m: usize, v: usize, n: i32, stepSize: f64, beta2: f64, c2: f64, bc2: f64, eps: f64, cs: f64, small: i32): void {
  const vCs = f64x2.splat(cs), vBeta2 = f64x2.splat(beta2), vC2 = f64x2.splat(c2);
  const vStep = f64x2.splat(stepSize), vBc2 = f64x2.splat(bc2), vEps = f64x2.splat(eps);
  const bytes = <usize>n << 3;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const g = v128.load(dw + k), mk = v128.load(m + k);
    const mNew = f64x2.add(small ? mk : g, f64x2.mul(f64x2.sub(g, mk), vCs));
    v128.store(m + k, mNew);
    const vNew = f64x2.add(f64x2.mul(v128.load(v + k), vBeta2), f64x2.mul(f64x2.mul(vC2, g), g));
    v128.store(v + k, vNew);
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(vNew), vBc2), vEps);
    v128.store(w + k, f64x2.sub(v128.load(w + k), f64x2.div(f64x2.mul(vStep, mNew), denom)));
  }
  for (; k < bytes; k += 8) {
    const g = load<f64>(dw + k), mk = load<f64>(m + k);
    const mNew = (small ? mk : g) + (g - mk) * cs;
    store<f64>(m + k, mNew);
    const vNew = load<f64>(v + k) * beta2 + c2 * g * g;
    store<f64>(v + k, vNew);
    store<f64>(w + k, load<f64>(w + k) - (stepSize * mNew) / (Math.sqrt(vNew) / bc2 + eps));
  }
}

/** The same over float32 storage: float64 arithmetic, each stored value rounded once. */
export function adamF32(w: usize, dw: usize, m: usize, v: usize, n: i32, stepSize: f64, beta2: f64, c2: f64, bc2: f64, eps: f64, cs: f64, small: i32): void {
  const vCs = f64x2.splat(cs), vBeta2 = f64x2.splat(beta2), vC2 = f64x2.splat(c2);
  const vStep = f64x2.splat(stepSize), vBc2 = f64x2.splat(bc2), vEps = f64x2.splat(eps);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 8 <= bytes; k += 8) {
    const g = f64x2.promote_low_f32x4(v128.load64_zero(dw + k)), mk = f64x2.promote_low_f32x4(v128.load64_zero(m + k));
    // Rounded to float32 as stored, and read back widened, as adamUpdate reads m[k] back.
    const m32 = f32x4.demote_f64x2_zero(f64x2.add(small ? mk : g, f64x2.mul(f64x2.sub(g, mk), vCs)));
    v128.store64_lane(m + k, m32, 0);
    const v0 = f64x2.promote_low_f32x4(v128.load64_zero(v + k));
    const v32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(v0, vBeta2), f64x2.mul(f64x2.mul(vC2, g), g)));
    v128.store64_lane(v + k, v32, 0);
    const mNew = f64x2.promote_low_f32x4(m32), vNew = f64x2.promote_low_f32x4(v32);
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(vNew), vBc2), vEps);
    const w0 = f64x2.promote_low_f32x4(v128.load64_zero(w + k));
    v128.store64_lane(w + k, f32x4.demote_f64x2_zero(f64x2.sub(w0, f64x2.div(f64x2.mul(vStep, mNew), denom))), 0);
  }
  for (; k < bytes; k += 4) {
    const g = <f64>load<f32>(dw + k), mk = <f64>load<f32>(m + k);
    const m32 = <f32>((small ? mk : g) + (g - mk) * cs);
    store<f32>(m + k, m32);
    const v32 = <f32>(<f64>load<f32>(v + k) * beta2 + c2 * g * g);
    store<f32>(v + k, v32);
    const mNew = <f64>m32, vNew = <f64>v32;
    store<f32>(w + k, <f32>(<f64>load<f32>(w + k) - (stepSize * mNew) / (Math.sqrt(vNew) / bc2 + eps)));
  }
}

// Momentum's update (rules.ts, momentumUpdate), in its order, float64 lanes, none fused:
//   v := g (on PyTorch's first step, `initialize`), else v := v·β + keep·g;  w := w − α·v
// with v read back as stored (rounded to float32 with float32 storage) before w uses it.

/** Momentum over n float64 values at w, dw and its velocity v. */
export function momentumF64(w: usize, dw: usize, v: usize, n: i32, learningRate: f64, beta: f64, keep: f64, initialize: i32): void {
  const vLr = f64x2.splat(learningRate), vBeta = f64x2.splat(beta), vKeep = f64x2.splat(keep);
  const bytes = <usize>n << 3;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const g = v128.load(dw + k);
    const vNew = initialize ? g : f64x2.add(f64x2.mul(v128.load(v + k), vBeta), f64x2.mul(vKeep, g));
    v128.store(v + k, vNew);
    v128.store(w + k, f64x2.sub(v128.load(w + k), f64x2.mul(vLr, vNew)));
  }
  for (; k < bytes; k += 8) {
    const g = load<f64>(dw + k);
    const vNew = initialize ? g : load<f64>(v + k) * beta + keep * g;
    store<f64>(v + k, vNew);
    store<f64>(w + k, load<f64>(w + k) - learningRate * vNew);
  }
}

/** The same over float32 storage: float64 arithmetic, each stored value rounded once. */
export function momentumF32(w: usize, dw: usize, v: usize, n: i32, learningRate: f64, beta: f64, keep: f64, initialize: i32): void {
  const vLr = f64x2.splat(learningRate), vBeta = f64x2.splat(beta), vKeep = f64x2.splat(keep);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 8 <= bytes; k += 8) {
    const g32 = v128.load64_zero(dw + k), g = f64x2.promote_low_f32x4(g32);
    const v32 = initialize ? g32 : f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(v + k)), vBeta), f64x2.mul(vKeep, g)));
    v128.store64_lane(v + k, v32, 0);
    const w0 = f64x2.promote_low_f32x4(v128.load64_zero(w + k));
    v128.store64_lane(w + k, f32x4.demote_f64x2_zero(f64x2.sub(w0, f64x2.mul(vLr, f64x2.promote_low_f32x4(v32)))), 0);
  }
  for (; k < bytes; k += 4) {
    const g = load<f32>(dw + k);
    const v32 = initialize ? g : <f32>(<f64>load<f32>(v + k) * beta + keep * <f64>g);
    store<f32>(v + k, v32);
    store<f32>(w + k, <f32>(<f64>load<f32>(w + k) - learningRate * <f64>v32));
  }
}

// RMSprop's update (rules.ts, rmspropUpdate), in its order, float64 lanes, none fused:
//   s := s·ρ + (c·g)·g  (c = 1 − ρ);  w := w − (α·g) / (√s + ε)
// with s read back as stored before w uses it.

/** RMSprop over n float64 values at w, dw and its average of squares s. */
export function rmspropF64(w: usize, dw: usize, s: usize, n: i32, learningRate: f64, rho: f64, c: f64, eps: f64): void {
  const vLr = f64x2.splat(learningRate), vRho = f64x2.splat(rho), vC = f64x2.splat(c), vEps = f64x2.splat(eps);
  const bytes = <usize>n << 3;
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) {
    const g = v128.load(dw + k);
    const sNew = f64x2.add(f64x2.mul(v128.load(s + k), vRho), f64x2.mul(f64x2.mul(vC, g), g));
    v128.store(s + k, sNew);
    const avg = f64x2.add(f64x2.sqrt(sNew), vEps);
    v128.store(w + k, f64x2.sub(v128.load(w + k), f64x2.div(f64x2.mul(vLr, g), avg)));
  }
  for (; k < bytes; k += 8) {
    const g = load<f64>(dw + k);
    const sNew = load<f64>(s + k) * rho + c * g * g;
    store<f64>(s + k, sNew);
    store<f64>(w + k, load<f64>(w + k) - (learningRate * g) / (Math.sqrt(sNew) + eps));
  }
}

/** The same over float32 storage: float64 arithmetic, each stored value rounded once. */
export function rmspropF32(w: usize, dw: usize, s: usize, n: i32, learningRate: f64, rho: f64, c: f64, eps: f64): void {
  const vLr = f64x2.splat(learningRate), vRho = f64x2.splat(rho), vC = f64x2.splat(c), vEps = f64x2.splat(eps);
  const bytes = <usize>n << 2;
  let k: usize = 0;
  for (; k + 8 <= bytes; k += 8) {
    const g = f64x2.promote_low_f32x4(v128.load64_zero(dw + k));
    const s0 = f64x2.promote_low_f32x4(v128.load64_zero(s + k));
    const s32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(s0, vRho), f64x2.mul(f64x2.mul(vC, g), g)));
    v128.store64_lane(s + k, s32, 0);
    const avg = f64x2.add(f64x2.sqrt(f64x2.promote_low_f32x4(s32)), vEps);
    const w0 = f64x2.promote_low_f32x4(v128.load64_zero(w + k));
    v128.store64_lane(w + k, f32x4.demote_f64x2_zero(f64x2.sub(w0, f64x2.div(f64x2.mul(vLr, g), avg))), 0);
  }
  for (; k < bytes; k += 4) {
    const g = <f64>load<f32>(dw + k);
    const s32 = <f32>(<f64>load<f32>(s + k) * rho + c * g * g);
    store<f32>(s + k, s32);
    store<f32>(w + k, <f32>(<f64>load<f32>(w + k) - (learningRate * g) / (Math.sqrt(<f64>s32) + eps)));
  }
}
