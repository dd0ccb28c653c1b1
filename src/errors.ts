/**
 * Structured errors. Every error nabla throws for a user mistake is a `NablaError`
 * with a stable `code`, a `where` (the op, layer, argument or file it concerns) and
 * a message in the seeds' notation. Catch `NablaError` to tell user mistakes from bugs.
 *
 * @example
 * try { matmul(W, A) } catch (e) { if (e instanceof ShapeError) console.log(e.code, e.where) }
 */
export type ErrorCode =
  | 'shape'
  | 'dtype'
  | 'argument'
  | 'data'
  | 'file'
  | 'non-finite'
  | 'graph';

export class NablaError extends Error {
  readonly code: ErrorCode;
  /** What the error is about: an op name, `layer 2`, an argument name or a file path. */
  readonly where: string;

  constructor(code: ErrorCode, where: string, message: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'NablaError';
    this.code = code;
    this.where = where;
  }
}

/** Two shapes do not fit together (matmul, broadcasting, a layer's W against A[l−1]). */
export class ShapeError extends NablaError {
  constructor(where: string, message: string) {
    super('shape', where, message);
    this.name = 'ShapeError';
  }
}

/** Tensors of different dtypes were mixed, or a dtype is unknown. */
export class DTypeError extends NablaError {
  constructor(where: string, message: string) {
    super('dtype', where, message);
    this.name = 'DTypeError';
  }
}

/** An argument has a value that makes no sense (a non-positive learning rate, 0 units). */
export class ArgumentError extends NablaError {
  constructor(where: string, message: string) {
    super('argument', where, message);
    this.name = 'ArgumentError';
  }
}

/** The data itself is unusable: NaN or ±Inf, labels outside {0, 1}, an empty dataset. */
export class DataError extends NablaError {
  constructor(where: string, message: string) {
    super('data', where, message);
    this.name = 'DataError';
  }
}

/** A file is missing, truncated, or not in the expected format. `where` is the path. */
export class FileFormatError extends NablaError {
  constructor(where: string, message: string) {
    super('file', where, message);
    this.name = 'FileFormatError';
  }
}

/** A value became NaN or ±Inf during training (the cost, or a layer's Z, A, dZ, dW). */
export class NonFiniteError extends NablaError {
  constructor(where: string, message: string) {
    super('non-finite', where, message);
    this.name = 'NonFiniteError';
  }
}

/** Misuse of the autograd graph (backward twice through a freed graph, non-scalar root). */
export class GraphError extends NablaError {
  constructor(where: string, message: string) {
    super('graph', where, message);
    this.name = 'GraphError';
  }
}

/**
 * `e` said of `prefix` + its `where`: a check written for X, run on `validationData.X`, names
 * `validationData.X`. Anything that is not one of nabla's own errors comes back unchanged.
 */
export function restated(e: unknown, prefix: string): unknown {
  if (!(e instanceof NablaError) || e.constructor === NablaError) return e;
  const message = e.where ? e.message.slice(e.where.length + 2) : e.message;
  const Same = e.constructor as new (where: string, message: string) => NablaError;
  return new Same(`${prefix}${e.where}`, message);
}

/** Formats a shape the way numpy prints it: (7, 20), (209,), (). */
export function fmtShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}
