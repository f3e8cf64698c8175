/**
 * Metrics of one model from per-row weights. A bootstrap resample is a weight
 * per row (how many times it was drawn), a subset is weights of 0 and 1, all
 * rows are weights of 1: one code path gives the point estimate, every
 * resample and every rollout arm. The rows are prepared once (sorted by score
 * for ROC AUC, each row's predicted label and log loss), so a resample costs
 * one pass over the rows per model instead of building and sorting arrays.
 */
import { LOG_LOSS_EPS } from '../metrics';
import type { BinaryMetric, MetricKey, MulticlassMetric, RegressionMetric } from './evaluate-types';

export const BINARY_METRICS: readonly BinaryMetric[] = ['rocAuc', 'accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'logLoss'];
export const MULTICLASS_METRICS: readonly MulticlassMetric[] = ['accuracy', 'balancedAccuracy', 'macroF1', 'logLoss'];
export const REGRESSION_METRICS: readonly RegressionMetric[] = ['rmse', 'mae', 'r2'];

const INFO: Record<MetricKey, { label: string; lowerIsBetter: boolean }> = {
  rocAuc: { label: 'ROC AUC', lowerIsBetter: false },
  accuracy: { label: 'accuracy', lowerIsBetter: false },
  balancedAccuracy: { label: 'balanced accuracy', lowerIsBetter: false },
  precision: { label: 'precision', lowerIsBetter: false },
  recall: { label: 'recall', lowerIsBetter: false },
  f1: { label: 'F1', lowerIsBetter: false },
  macroF1: { label: 'macro F1', lowerIsBetter: false },
  logLoss: { label: 'log loss', lowerIsBetter: true },
  rmse: { label: 'RMSE', lowerIsBetter: true },
  mae: { label: 'MAE', lowerIsBetter: true },
  r2: { label: 'R²', lowerIsBetter: false },
};

/** The metric's name in words and whether a lower value is better. */
export function metricInfo(metric: MetricKey): { label: string; lowerIsBetter: boolean } {
  return INFO[metric];
}

/** Computes the task's metrics (in the task's metric order) for per-row weights into `out`. */
export interface RowScorer {
  readonly metrics: readonly MetricKey[];
  score(weights: Int32Array, out: Float64Array, offset?: number): void;
}

/** What each row contributes for a binary model: its label, score, predicted label and log loss. */
export interface BinaryRows {
  labels: Uint8Array;
  scores: Float64Array;
  predicted: Uint8Array;
  loss: Float64Array;
}

/** sklearn's log loss term of one row: -log of the true class's probability clipped to [eps, 1 - eps]. */
function clippedLoss(p: number): number {
  return -Math.log(Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p)));
}

/** Per-row facts of a binary model: predicted = score >= threshold, loss of p(true class). */
export function binaryRows(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BinaryRows {
  const n = labels.length;
  const out: BinaryRows = { labels: new Uint8Array(n), scores: new Float64Array(n), predicted: new Uint8Array(n), loss: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const y = labels[i]! ? 1 : 0;
    const s = scores[i]!;
    out.labels[i] = y;
    out.scores[i] = s;
    out.predicted[i] = s >= threshold ? 1 : 0;
    out.loss[i] = clippedLoss(y === 1 ? s : 1 - s);
  }
  return out;
}

/**
 * Binary scorer. ROC AUC is the Mann-Whitney form with weights: rows sorted
 * by score once, tied scores grouped; each group adds posW x (negatives below
 * + negW / 2); divided by posW x negW over all rows (NaN when one class has
 * weight 0) - exactly sklearn's roc_auc_score on the resample built row by row.
 */
export function binaryScorer(rows: BinaryRows): RowScorer {
  const n = rows.labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = rows.scores;
  order.sort((a, b) => s[a]! - s[b]!);
  // Arrays laid out in sorted order so the hot loop reads them sequentially.
  const cell = new Uint8Array(n); // 2 * label + predicted
  const loss = new Float64Array(n);
  const groupEnd: number[] = [];
  for (let j = 0; j < n; j++) {
    const r = order[j]!;
    cell[j] = 2 * rows.labels[r]! + rows.predicted[r]!;
    loss[j] = rows.loss[r]!;
    if (j > 0 && s[r] !== s[order[j - 1]!]) groupEnd.push(j);
  }
  if (n > 0) groupEnd.push(n);
  const ends = Uint32Array.from(groupEnd);
  return {
    metrics: BINARY_METRICS,
    score(weights, out, offset = 0) {
      // One sequential pass in score order; counts in locals (typed-array cells are slower here).
      let tn = 0;
      let fp = 0;
      let fn = 0;
      let tp = 0;
      let lossSum = 0;
      let negBelow = 0;
      let aucSum = 0;
      let posW = 0;
      let negW = 0;
      let g = 0;
      let end = ends.length > 0 ? ends[0]! : 0;
      for (let j = 0; j < n; j++) {
        const w = weights[order[j]!]!;
        if (w !== 0) {
          const c = cell[j]!;
          lossSum += w * loss[j]!;
          if (c >= 2) {
            posW += w;
            if (c === 3) tp += w;
            else fn += w;
          } else {
            negW += w;
            if (c === 1) fp += w;
            else tn += w;
          }
        }
        if (j + 1 === end) {
          // A group of tied scores ends: its positives rank above the negatives below, half above its own.
          aucSum += posW * (negBelow + 0.5 * negW);
          negBelow += negW;
          posW = 0;
          negW = 0;
          g += 1;
          end = g < ends.length ? ends[g]! : 0;
        }
      }
      const neg = tn + fp;
      const pos = fn + tp;
      const total = neg + pos;
      const recall = pos > 0 ? tp / pos : 0;
      const specificity = neg > 0 ? tn / neg : 0;
      const classes = (pos > 0 ? 1 : 0) + (neg > 0 ? 1 : 0);
      out[offset] = pos > 0 && neg > 0 ? aucSum / (pos * neg) : NaN;
      out[offset + 1] = total > 0 ? (tp + tn) / total : NaN;
      out[offset + 2] = classes > 0 ? (recall * (pos > 0 ? 1 : 0) + specificity * (neg > 0 ? 1 : 0)) / classes : NaN;
      out[offset + 3] = tp + fp > 0 ? tp / (tp + fp) : 0;
      out[offset + 4] = recall;
      out[offset + 5] = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
      out[offset + 6] = total > 0 ? lossSum / total : NaN;
    },
  };
}

/** What each row contributes for a multiclass model: its class, predicted class and log loss. */
export interface MulticlassRows {
  classes: number;
  labels: Uint32Array;
  predicted: Uint32Array;
  loss: Float64Array;
}

/** Per-row facts of a multiclass model: the argmax (lowest index on a tie) and the loss of p(true class). */
export function multiclassRows(labels: ArrayLike<number>, proba: ArrayLike<number>, k: number): MulticlassRows {
  const n = labels.length;
  const out: MulticlassRows = { classes: k, labels: new Uint32Array(n), predicted: new Uint32Array(n), loss: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = proba[i * k]!;
    for (let c = 1; c < k; c++) {
      const p = proba[i * k + c]!;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    const y = labels[i]!;
    out.labels[i] = y;
    out.predicted[i] = best;
    out.loss[i] = clippedLoss(proba[i * k + y]!);
  }
  return out;
}

/**
 * Multiclass scorer: a weighted confusion matrix per call. Balanced accuracy
 * averages the recalls of the classes present in the (weighted) labels; macro
 * F1 averages over the classes present in the labels or the predictions, as
 * sklearn's defaults (zero_division = 0).
 */
export function multiclassScorer(rows: MulticlassRows): RowScorer {
  const k = rows.classes;
  const n = rows.labels.length;
  const slot = new Uint32Array(n);
  for (let i = 0; i < n; i++) slot[i] = rows.labels[i]! * k + rows.predicted[i]!;
  const conf = new Float64Array(k * k);
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  return {
    metrics: MULTICLASS_METRICS,
    score(weights, out, offset = 0) {
      conf.fill(0);
      let lossSum = 0;
      for (let i = 0; i < n; i++) {
        const w = weights[i]!;
        if (w === 0) continue;
        conf[slot[i]!]! += w;
        lossSum += w * rows.loss[i]!;
      }
      support.fill(0);
      predicted.fill(0);
      let total = 0;
      let correct = 0;
      for (let t = 0; t < k; t++) {
        for (let p = 0; p < k; p++) {
          const v = conf[t * k + p]!;
          support[t]! += v;
          predicted[p]! += v;
        }
        correct += conf[t * k + t]!;
      }
      let recallSum = 0;
      let present = 0;
      let f1Sum = 0;
      let seen = 0;
      for (let c = 0; c < k; c++) {
        total += support[c]!;
        const tp = conf[c * k + c]!;
        if (support[c]! > 0) {
          recallSum += tp / support[c]!;
          present++;
        }
        if (support[c]! > 0 || predicted[c]! > 0) {
          f1Sum += (2 * tp) / (support[c]! + predicted[c]!);
          seen++;
        }
      }
      out[offset] = total > 0 ? correct / total : NaN;
      out[offset + 1] = present > 0 ? recallSum / present : NaN;
      out[offset + 2] = seen > 0 ? f1Sum / seen : NaN;
      out[offset + 3] = total > 0 ? lossSum / total : NaN;
    },
  };
}

/**
 * Regression scorer: RMSE, MAE and R² (sklearn's r2_score: a constant target
 * gives 1 for perfect predictions, else 0; fewer than 2 rows give NaN). The
 * labels are centred once so the weighted sum of squares does not cancel.
 */
export function regressionScorer(labels: ArrayLike<number>, values: ArrayLike<number>): RowScorer {
  const n = labels.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i]!;
  mean = n > 0 ? mean / n : 0;
  const yc = new Float64Array(n);
  const err = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = labels[i]!;
    yc[i] = labels[i]! - mean;
    err[i] = labels[i]! - values[i]!;
  }
  return {
    metrics: REGRESSION_METRICS,
    score(weights, out, offset = 0) {
      let total = 0;
      let sq = 0;
      let abs = 0;
      let sy = 0;
      let syy = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const w = weights[i]!;
        if (w === 0) continue;
        const e = err[i]!;
        const c = yc[i]!;
        total += w;
        sq += w * e * e;
        abs += w * Math.abs(e);
        sy += w * c;
        syy += w * c * c;
        const v = y[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const ssTot = lo === hi ? 0 : Math.max(0, syy - (sy * sy) / total);
      out[offset] = total > 0 ? Math.sqrt(sq / total) : NaN;
      out[offset + 1] = total > 0 ? abs / total : NaN;
      out[offset + 2] = total < 2 ? NaN : ssTot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / ssTot;
    },
  };
}
