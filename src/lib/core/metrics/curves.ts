/**
 * ROC and precision-recall curves of one binary (or one-vs-rest) problem,
 * computed the way scikit-learn does, plus a downsampler for storing them.
 *
 * The work is one native sort of the positive scores and one of the negative
 * scores (typed-array sort, no comparator), then a merge from the top: O(n log n)
 * and fast on a few hundred thousand rows. Tied scores form one threshold, as in
 * sklearn's `_binary_clf_curve`, so a tie between a positive and a negative counts
 * one half in the AUC.
 */

/** Cumulative counts at each distinct threshold, highest threshold first. */
export interface ThresholdCounts {
  positives: number;
  negatives: number;
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** Positives with score >= thresholds[i]. */
  tps: Float64Array;
  /** Negatives with score >= thresholds[i]. */
  fps: Float64Array;
}

/**
 * ROC curve as sklearn's `roc_curve(..., drop_intermediate=False)`: a first point
 * (0, 0) with threshold +Infinity, then one point per distinct score, descending.
 * Infinity survives IndexedDB but becomes null in JSON.
 */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/**
 * Precision-recall curve as sklearn's `precision_recall_curve`: thresholds ascending,
 * recall decreasing, and a last point (recall 0, precision 1) that has no threshold,
 * so `thresholds.length === precision.length - 1`.
 */
export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/**
 * Counts from the scores of the positive rows and of the negative rows.
 * Sorts both arrays in place. Throws on a NaN score (a model that produced NaN
 * has no meaningful curve; training stops on NaN loss before getting here).
 */
export function thresholdCounts(pos: Float64Array, neg: Float64Array): ThresholdCounts {
  pos.sort();
  neg.sort();
  // Typed-array sort puts NaN last.
  if ((pos.length > 0 && Number.isNaN(pos[pos.length - 1])) || (neg.length > 0 && Number.isNaN(neg[neg.length - 1]))) {
    throw new RangeError('A score is NaN: curves need a number for every row.');
  }
  const n = pos.length + neg.length;
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= 0) {
    const pv = i >= 0 ? pos[i]! : -Infinity;
    const nv = j >= 0 ? neg[j]! : -Infinity;
    const v = i >= 0 && (j < 0 || pv >= nv) ? pv : nv;
    while (i >= 0 && pos[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      fp++;
      j--;
    }
    thresholds[m] = v;
    tps[m] = tp;
    fps[m] = fp;
    m++;
  }
  return {
    positives: pos.length,
    negatives: neg.length,
    thresholds: thresholds.subarray(0, m),
    tps: tps.subarray(0, m),
    fps: fps.subarray(0, m),
  };
}

/** Split scores by a 0/1 label (positive when the label is nonzero) and count. */
export function countsFromLabels(yTrue: ArrayLike<number>, scores: ArrayLike<number>): ThresholdCounts {
  if (yTrue.length !== scores.length) {
    throw new RangeError(`${yTrue.length} labels but ${scores.length} scores.`);
  }
  let p = 0;
  for (let r = 0; r < yTrue.length; r++) if (yTrue[r] !== 0) p++;
  const pos = new Float64Array(p);
  const neg = new Float64Array(yTrue.length - p);
  let a = 0;
  let b = 0;
  for (let r = 0; r < yTrue.length; r++) {
    if (yTrue[r] !== 0) pos[a++] = scores[r]!;
    else neg[b++] = scores[r]!;
  }
  return thresholdCounts(pos, neg);
}

/** Full ROC curve (NaN rates when a class is missing, as sklearn warns and does). */
export function rocFromCounts(c: ThresholdCounts): RocCurve {
  const m = c.thresholds.length;
  const fpr = new Array<number>(m + 1);
  const tpr = new Array<number>(m + 1);
  const thresholds = new Array<number>(m + 1);
  fpr[0] = c.negatives > 0 ? 0 : NaN;
  tpr[0] = c.positives > 0 ? 0 : NaN;
  thresholds[0] = Infinity;
  for (let k = 0; k < m; k++) {
    fpr[k + 1] = c.fps[k]! / c.negatives;
    tpr[k + 1] = c.tps[k]! / c.positives;
    thresholds[k + 1] = c.thresholds[k]!;
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve by the trapezoid rule over the distinct thresholds,
 * which equals sklearn's `roc_auc_score`. Summed in counts (exact integers) and
 * divided once. NaN when there are no positives or no negatives (sklearn raises).
 */
export function rocAucFromCounts(c: ThresholdCounts): number {
  if (c.positives === 0 || c.negatives === 0) return NaN;
  let area = 0;
  let prevFp = 0;
  let prevTp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const fp = c.fps[k]!;
    const tp = c.tps[k]!;
    area += (fp - prevFp) * (tp + prevTp);
    prevFp = fp;
    prevTp = tp;
  }
  return area / 2 / (c.positives * c.negatives);
}

/** Full precision-recall curve in sklearn's order (see {@link PrCurve}). */
export function prFromCounts(c: ThresholdCounts): PrCurve {
  const m = c.thresholds.length;
  const precision = new Array<number>(m + 1);
  const recall = new Array<number>(m + 1);
  const thresholds = new Array<number>(m);
  for (let k = 0; k < m; k++) {
    const tp = c.tps[k]!;
    const predicted = tp + c.fps[k]!;
    const at = m - 1 - k;
    precision[at] = predicted > 0 ? tp / predicted : 0;
    // sklearn sets recall to 1 everywhere when there is no positive row.
    recall[at] = c.positives > 0 ? tp / c.positives : 1;
    thresholds[at] = c.thresholds[k]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * sklearn's `average_precision_score`: sum over thresholds of (R_n - R_{n-1}) P_n,
 * a step sum, not the trapezoid. NaN when there is no positive row (sklearn warns
 * and returns 0 there; NaN says "undefined" rather than "worst").
 */
export function averagePrecisionFromCounts(c: ThresholdCounts): number {
  if (c.positives === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const tp = c.tps[k]!;
    if (tp !== prevTp) ap += ((tp - prevTp) / c.positives) * (tp / (tp + c.fps[k]!));
    prevTp = tp;
  }
  return ap;
}

/** `roc_curve(y, s, drop_intermediate=False)`; y is 0/1 (positive when nonzero). */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  return rocFromCounts(countsFromLabels(yTrue, scores));
}

/** `roc_auc_score(y, s)` for a binary problem; NaN when y has one class only. */
export function rocAucScore(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  return rocAucFromCounts(countsFromLabels(yTrue, scores));
}

/** `precision_recall_curve(y, s)`; y is 0/1 (positive when nonzero). */
export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  return prFromCounts(countsFromLabels(yTrue, scores));
}

/** `average_precision_score(y, s)`; NaN when y has no positive. */
export function averagePrecisionScore(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  return averagePrecisionFromCounts(countsFromLabels(yTrue, scores));
}

/** Default number of points kept when a curve is stored. */
export const MAX_CURVE_POINTS = 200;

/**
 * Indices of at most `maxPoints` points of a path, always the first and the last,
 * spread evenly along the path's length (|dx| + |dy|) so steep parts keep their
 * shape. Falls back to even spacing by index when the length is 0 or not finite.
 */
export function downsampleIndices(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): number[] {
  const n = Math.min(x.length, y.length);
  const keep = Math.max(2, Math.floor(maxPoints));
  if (n <= keep) return Array.from({ length: n }, (_, i) => i);
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    cum[i] = cum[i - 1]! + Math.abs(x[i]! - x[i - 1]!) + Math.abs(y[i]! - y[i - 1]!);
  }
  const total = cum[n - 1]!;
  const out: number[] = [];
  if (!(total > 0) || !Number.isFinite(total)) {
    for (let k = 0; k < keep; k++) out.push(Math.round((k * (n - 1)) / (keep - 1)));
    return out;
  }
  let i = 0;
  for (let k = 0; k < keep - 1; k++) {
    const target = (k * total) / (keep - 1);
    while (i < n - 1 && cum[i]! < target) i++;
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** A ROC curve cut to at most `maxPoints` points (ends kept) for storage. */
export function downsampleRoc(c: RocCurve, maxPoints = MAX_CURVE_POINTS): RocCurve {
  const idx = downsampleIndices(c.fpr, c.tpr, maxPoints);
  return {
    fpr: idx.map((i) => c.fpr[i]!),
    tpr: idx.map((i) => c.tpr[i]!),
    thresholds: idx.map((i) => c.thresholds[i]!),
  };
}

/** A PR curve cut to at most `maxPoints` points (ends kept); the last point still has no threshold. */
export function downsamplePr(c: PrCurve, maxPoints = MAX_CURVE_POINTS): PrCurve {
  const idx = downsampleIndices(c.recall, c.precision, maxPoints);
  const last = c.precision.length - 1;
  return {
    precision: idx.map((i) => c.precision[i]!),
    recall: idx.map((i) => c.recall[i]!),
    thresholds: idx.filter((i) => i !== last).map((i) => c.thresholds[i]!),
  };
}
