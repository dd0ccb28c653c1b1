// Messages between the page and the training worker. Tensors cross as plain
// { shape, data } records: structured cloning would drop the Tensor class.
import type { Settings } from './settings.ts';

export interface Matrix {
  shape: number[];
  data: Float64Array;
}

export interface LayerSnapshot {
  l: number;
  activation: string;
  W: Matrix;
  b: Matrix;
  Z: Matrix;
  A: Matrix;
  dZ: Matrix;
  dW: Matrix;
  db: Matrix;
}

export interface TraceSnapshot {
  m: number;
  loss: string;
  cost: number;
  layers: LayerSnapshot[];
  /** formatTrace's text of the same trace. */
  text: string;
}

export type ToWorker =
  | { type: 'reset'; settings: Settings }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' };

export interface DataMessage {
  type: 'data';
  /** [x-min, x-max, y-min, y-max] of the plotted plane (square, with a margin). */
  bounds: [number, number, number, number];
  classes: number;
  /** Points as (2, m) row-major, labels as class indices. */
  train: { X: Float64Array; labels: Float64Array };
  test: { X: Float64Array; labels: Float64Array };
  /** The network: [n[0], …, n[L]], g[1] … g[L] and the library's loss name. */
  layerSizes: number[];
  activations: string[];
  loss: string;
  /** X and Y exactly as the trace sees them (Y one-hot for several classes). */
  traceX: Matrix;
  traceY: Matrix;
}

export interface UpdateMessage {
  type: 'update';
  /** Epochs trained so far. */
  epoch: number;
  /** Per-epoch figures new since the previous update. */
  trainCost: number[];
  testCost: number[];
  /** The test cost at the current weights (the train cost there is trace.cost). */
  testCostNow: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Grid side G; outputs holds every layer's A over the G×G grid, (n[l], G²) each. */
  grid: number;
  outputs: Matrix[];
  trace: TraceSnapshot;
}

export type FromWorker =
  | DataMessage
  | UpdateMessage
  | { type: 'status'; running: boolean }
  | { type: 'diverged'; message: string }
  | { type: 'error'; message: string };
