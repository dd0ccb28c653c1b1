/**
 * `nabla eval --model <file> <data>`: how good a trained model is on labelled data —
 * accuracy, confusion matrix, log loss; for two classes precision, recall, F1 and ROC AUC;
 * for more, the same per class; for regression, MSE, RMSE, MAE and R².
 */
import { stat } from 'node:fs/promises';
import { NablaError, Tensor, cast, confusionMatrix, f1Score, logLoss, precision, recall, rocAuc } from '../index.js';
import { loadModelFile } from '../node.js';
import { BUILTIN_DATA, type DataArgs, type EvalArgs } from './args.js';
import { loadDataForModel } from './data.js';
import { modelInfo, type ModelInfo } from './model-info.js';
import { refuseBinary } from './predict.js';
import type { Output } from './progress.js';

/** Per-class figures from a confusion matrix (counts[true][predicted]). */
export interface ClassFigures {
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Samples of this class in the data. */
  readonly support: number;
}

export function perClass(counts: readonly (readonly number[])[], names: readonly string[]): ClassFigures[] {
  return names.map((name, k) => {
    const tp = counts[k]![k]!;
    const predicted = counts.reduce((s, row) => s + row[k]!, 0);
    const support = counts[k]!.reduce((s, v) => s + v, 0);
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = support === 0 ? 0 : tp / support;
    return { name, precision: p, recall: r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), support };
  });
}

/** Categorical cross-entropy of probabilities A (K, m) for the true classes, clipped as logLoss clips. */
function categoricalLogLoss(A: Tensor, classes: readonly number[]): number {
  const m = classes.length;
  let total = 0;
  classes.forEach((k, j) => {
    total -= Math.log(Math.min(Math.max(A.data[k * m + j]!, 1e-15), 1 - 1e-15));
  });
  return total / m;
}

/** A table with right-aligned numeric columns under a header. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string => '  ' + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const fix = (v: number, digits = 4): string => String(Number(v.toFixed(digits)));

function regression(A: Tensor, Y: Tensor): { mse: number; rmse: number; mae: number; r2: number } {
  const n = Y.size;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Y.data[i]!;
  mean /= n;
  let se = 0, ae = 0, tot = 0;
  for (let i = 0; i < n; i++) {
    const d = A.data[i]! - Y.data[i]!;
    se += d * d;
    ae += Math.abs(d);
    tot += (Y.data[i]! - mean) ** 2;
  }
  return { mse: se / n, rmse: Math.sqrt(se / n), mae: ae / n, r2: tot === 0 ? NaN : 1 - se / tot };
}

/**
 * A <data> file that will be read as CSV (not a built-in set, a folder, a picture or an IDX
 * file) is refused when it is binary data, as predict does, before the CSV parser would
 * print its bytes.
 */
async function refuseBinaryCSV(data: DataArgs): Promise<void> {
  if ((BUILTIN_DATA as readonly string[]).includes(data.source) || data.idxLabels !== undefined) return;
  if (/\.(png|jpe?g)$/i.test(data.source) || /(idx\d-ubyte|\.idx\d?)(\.gz)?$/i.test(data.source)) return;
  try {
    if (!(await stat(data.source)).isFile()) return;
  } catch {
    return; // the data loader names a missing file
  }
  await refuseBinary(data.source);
}

/** Runs `nabla eval`; resolves to the exit code. */
export async function evaluate(args: EvalArgs, out: Output): Promise<number> {
  const { model, metadata } = await loadModelFile(args.model);
  const info: ModelInfo = modelInfo(metadata, args.model);
  await refuseBinaryCSV(args.data);
  const data = await loadDataForModel(args.data, info, 'eval');
  const X = data.X.dtype === model.dtype ? data.X : cast(data.X, model.dtype);
  const A = model.predictProba(X);
  const m = X.shape[1]!;
  const header = {
    model: args.model,
    architecture: info.architecture,
    data: args.data.source,
    samples: m,
    task: info.task,
  };

  if (info.task === 'regression') {
    const r = regression(A, data.Y);
    if (args.json) {
      out.write(JSON.stringify({ ...header, mse: r.mse, rmse: r.rmse, mae: r.mae, ...(Number.isFinite(r.r2) ? { r2: r.r2 } : {}) }) + '\n');
      return 0;
    }
    out.write(`Model: ${args.model} — ${info.architecture}\nData: ${args.data.source} — ${m} samples\n`);
    out.write(`Mean squared error: ${r.mse}\nRMSE: ${r.rmse}\nMean absolute error: ${r.mae}\nR²: ${Number.isFinite(r.r2) ? r.r2 : 'n/a (the labels are constant)'}\n`);
    return 0;
  }

  const names = info.classNames;
  const K = names.length;
  const truth = data.classes!;
  // The predicted class: P > 0.5 for one sigmoid unit, the most probable class otherwise.
  const predicted = Array.from({ length: m }, (_, j) => {
    if (A.shape[0] === 1) return A.data[j]! > 0.5 ? 1 : 0;
    let best = 0;
    for (let k = 1; k < A.shape[0]!; k++) if (A.data[k * m + j]! > A.data[best * m + j]!) best = k;
    return best;
  });
  const row = (values: readonly number[]): Tensor => new Tensor(Float64Array.from(values), [1, values.length]);
  const Yhat = row(predicted);
  const Ytrue = row(truth);
  const counts = confusionMatrix(Yhat, Ytrue, K);
  const correct = predicted.filter((k, j) => k === truth[j]).length;
  const accuracy = (correct / m) * 100;
  const classes = perClass(counts, names);

  let binary: { precision: number; recall: number; f1: number; rocAuc: number | undefined } | undefined;
  let loss: number;
  if (K === 2) {
    // P(the positive class, names[1]): the sigmoid unit, or the second softmax row.
    const p = A.shape[0] === 1 ? new Tensor(Float64Array.from(A.data), [1, m]) : new Tensor(Float64Array.from(A.data.subarray(m, 2 * m)), [1, m]);
    loss = logLoss(p, Ytrue);
    let auc: number | undefined;
    try {
      auc = rocAuc(p, Ytrue);
    } catch (e) {
      // Data of one class has no ROC curve: reported as n/a, not as a failure.
      if (!(e instanceof NablaError)) throw e;
    }
    binary = { precision: precision(Yhat, Ytrue), recall: recall(Yhat, Ytrue), f1: f1Score(Yhat, Ytrue), rocAuc: auc };
  } else {
    loss = categoricalLogLoss(A, truth);
  }

  if (args.json) {
    out.write(
      JSON.stringify({
        ...header,
        classes: names,
        accuracy,
        correct,
        log_loss: loss,
        ...(binary
          ? { positive_class: names[1], precision: binary.precision, recall: binary.recall, f1: binary.f1, ...(binary.rocAuc !== undefined ? { roc_auc: binary.rocAuc } : {}) }
          : {}),
        confusion_matrix: counts,
        per_class: classes,
      }) + '\n',
    );
    return 0;
  }

  const lines = [
    `Model: ${args.model} — ${info.architecture}`,
    `Data: ${args.data.source} — ${m} samples, classes ${names.join(', ')}`,
    `Accuracy: ${fix(accuracy, 2)} % (${correct} of ${m})`,
    `Log loss: ${fix(loss)}`,
  ];
  if (binary) {
    lines.push(`Precision: ${fix(binary.precision)}   Recall: ${fix(binary.recall)}   F1: ${fix(binary.f1)}   (positive class: ${names[1]})`);
    lines.push(`ROC AUC: ${binary.rocAuc === undefined ? 'n/a (the data holds one class only)' : fix(binary.rocAuc)}`);
  }
  lines.push('', 'Confusion matrix (rows: true class, columns: predicted):');
  lines.push(table(['', ...names], counts.map((r, k) => [names[k]!, ...r.map(String)])));
  if (!binary) {
    lines.push('', 'Per class:');
    lines.push(table(['class', 'precision', 'recall', 'F1', 'support'], classes.map((c) => [c.name, fix(c.precision), fix(c.recall), fix(c.f1), String(c.support)])));
  }
  out.write(lines.join('\n') + '\n');
  return 0;
}
