import { ArgumentError, ShapeError, fmtShape } from '../errors.js';

/** A tensor's dimensions, outermost first (row-major). `[]` is a scalar. */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] ?? 1;
  }
  return strides;
}

/** Validates dimensions given by a user: non-negative integers. */
export function checkShape(shape: readonly number[], where: string): Shape {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ArgumentError(where, `shape ${fmtShape(shape)} has an invalid dimension ${d}: dimensions are non-negative integers`);
    }
  }
  return shape.slice();
}

/**
 * numpy's broadcasting rule: align shapes on the right; each pair of dimensions must be
 * equal or one of them 1. The error names the op and both shapes.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, `cannot broadcast ${fmtShape(a)} with ${fmtShape(b)}: dimension ${i} is ${da} vs ${db}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an array of shape `from` as if it had shape `to` (right-aligned):
 * a broadcast dimension gets stride 0, so the same element is read again.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    out[i + offset] = from[i] === 1 ? 0 : (own[i] ?? 0);
  }
  return out;
}

/** Resolves a possibly negative axis against `rank`; the error names the op. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ArgumentError(op, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
