/**
 * Classification metrics on the held-out test split, matching scikit-learn:
 * accuracy, balanced accuracy, log loss, the classification report
 * (zero_division = 0), confusion matrix, ROC / PR curves with AUC and average
 * precision (one-vs-rest for multiclass), G-mean and the binary minority-class F1.
 */
import {
  averagePrecisionFromCounts,
  downsamplePr,
  downsampleRoc,
  MAX_CURVE_POINTS,
  prFromCounts,
  rocAucFromCounts,
  rocFromCounts,
  thresholdCounts,
  type PrCurve,
  type RocCurve,
} from './curves';

/** sklearn's historical `log_loss` clip: probabilities are kept in [eps, 1 - eps]. */
export const LOG_LOSS_EPS = 1e-15;

/**
 * A multiclass evaluation keeps the one-vs-rest curve points of at most this
 * many classes (those with the most test rows); every class's AUC and average
 * precision still count in the macro means. Stored, cloned and drawn, the
 * curves of hundreds of classes held the page for seconds and told nothing.
 */
export const MAX_CURVE_CLASSES = 20;
/** The confusion matrix is laid out as a table for at most this many classes (a 1,000 x 1,000 one froze the page for a minute). */
export const MAX_MATRIX_CLASSES = 20;
/** Classes named in one note before "and N more". */
const MAX_NAMED_IN_NOTE = 10;

export interface ReportRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows of this class in yTrue. */
  support: number;
}

export interface ReportAverage {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** sklearn's `classification_report(..., output_dict=True, zero_division=0)`. */
export interface ClassificationReport {
  perClass: ReportRow[];
  accuracy: number;
  /** Unweighted mean over the classes present in yTrue or in the predictions (sklearn's default labels). */
  macro: ReportAverage;
  /** Mean weighted by support. */
  weighted: ReportAverage;
}

/** One-vs-rest curves of one class: full-data AUC / AP, downsampled points. */
export interface ClassCurves {
  classIndex: number;
  label: string;
  positives: number;
  negatives: number;
  /** NaN when the class is absent from yTrue or is every row (see `note`). */
  rocAuc: number;
  /** NaN when the class is absent from yTrue (see `note`). */
  averagePrecision: number;
  roc: RocCurve | null;
  pr: PrCurve | null;
  note?: string;
}

export interface ClassificationMetrics {
  task: 'binary' | 'multiclass';
  n: number;
  classes: string[];
  /** Binary only: class 1 is predicted when p(class 1) >= threshold. */
  threshold: number | null;
  accuracy: number;
  /** Mean recall over the classes present in yTrue (sklearn's balanced_accuracy_score). */
  balancedAccuracy: number;
  logLoss: number;
  /** Geometric mean of the recalls of the classes present in yTrue (0 when one is 0). */
  gMean: number;
  /** Binary only: the class with fewer rows in yTrue (class 1 on a tie). */
  minorityClass: string | null;
  minorityF1: number | null;
  report: ClassificationReport;
  /** confusion[true][predicted], K x K. */
  confusion: number[][];
  /** Binary: AUC of class 1. Multiclass: macro mean of the one-vs-rest AUCs that are defined. */
  rocAuc: number;
  /** Binary: AP of class 1. Multiclass: macro mean of the defined one-vs-rest APs. */
  averagePrecision: number;
  /** Binary: one entry, class 1. Multiclass: one per class. */
  curves: ClassCurves[];
  notes: string[];
}

export interface ClassificationOptions {
  /** Binary decision threshold on p(class 1); default 0.5. Ignored for multiclass. */
  threshold?: number;
  /** Points kept per stored curve; default 200. */
  maxCurvePoints?: number;
}

/** Throws a clear message when the inputs do not fit together. */
function validate(yTrue: Uint32Array, proba: ArrayLike<number>, k: number): void {
  if (k < 2) throw new RangeError(`Classification needs at least 2 classes, got ${k}.`);
  if (yTrue.length === 0) throw new RangeError('The test split has no rows: there is nothing to evaluate.');
  if (proba.length !== yTrue.length * k) {
    throw new RangeError(`Expected ${yTrue.length} x ${k} = ${yTrue.length * k} probabilities, got ${proba.length}.`);
  }
  for (let r = 0; r < yTrue.length; r++) {
    if (yTrue[r]! >= k) throw new RangeError(`Row ${r} has class index ${yTrue[r]}, but there are only ${k} classes.`);
  }
  for (let i = 0; i < proba.length; i++) {
    if (Number.isNaN(proba[i])) throw new RangeError(`Probability ${i} (row ${Math.floor(i / k)}) is NaN.`);
  }
}

/**
 * Predicted class per row: binary uses p(class 1) >= threshold; multiclass the
 * argmax, the lowest index on a tie (as numpy's argmax).
 */
export function predictClasses(proba: ArrayLike<number>, k: number, threshold = 0.5): Uint32Array {
  const n = Math.floor(proba.length / k);
  const out = new Uint32Array(n);
  if (k === 2) {
    for (let r = 0; r < n; r++) out[r] = proba[r * 2 + 1]! >= threshold ? 1 : 0;
    return out;
  }
  for (let r = 0; r < n; r++) {
    let best = 0;
    let bestP = proba[r * k]!;
    for (let c = 1; c < k; c++) {
      const p = proba[r * k + c]!;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    out[r] = best;
  }
  return out;
}

/** K x K counts, rows = true class, columns = predicted class. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  const flat = new Float64Array(k * k);
  for (let r = 0; r < yTrue.length; r++) flat[yTrue[r]! * k + yPred[r]!]!++;
  return Array.from({ length: k }, (_, t) => Array.from(flat.subarray(t * k, t * k + k)));
}

/**
 * Mean negative log-likelihood of the true class, its probability clipped to
 * [eps, 1 - eps]. (Recent sklearn clips at the dtype's eps and no longer
 * renormalizes rows; for probabilities that sum to 1 the results agree.)
 */
export function logLoss(yTrue: Uint32Array, proba: ArrayLike<number>, k: number, eps = LOG_LOSS_EPS): number {
  let sum = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const p = Math.min(1 - eps, Math.max(eps, proba[r * k + yTrue[r]!]!));
    sum -= Math.log(p);
  }
  return sum / yTrue.length;
}

/** Precision / recall / F1 / support per class with macro and weighted means, zero_division = 0. */
export function classificationReport(confusion: number[][], classNames: readonly string[]): ClassificationReport {
  const k = confusion.length;
  let n = 0;
  let correct = 0;
  const predicted = new Array<number>(k).fill(0);
  const perClass: ReportRow[] = [];
  for (let t = 0; t < k; t++) {
    const row = confusion[t]!;
    for (let p = 0; p < k; p++) {
      predicted[p]! += row[p]!;
      n += row[p]!;
    }
    correct += row[t]!;
  }
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const pred = predicted[c]!;
    const denom = support + pred; // 2TP + FP + FN
    perClass.push({
      label: classNames[c] ?? String(c),
      precision: pred > 0 ? tp / pred : 0,
      recall: support > 0 ? tp / support : 0,
      f1: denom > 0 ? (2 * tp) / denom : 0,
      support,
    });
  }
  const seen = perClass.filter((row, c) => row.support > 0 || predicted[c]! > 0);
  const mean = (key: 'precision' | 'recall' | 'f1') =>
    seen.length > 0 ? seen.reduce((s, r) => s + r[key], 0) / seen.length : 0;
  const weightedMean = (key: 'precision' | 'recall' | 'f1') =>
    n > 0 ? perClass.reduce((s, r) => s + r[key] * r.support, 0) / n : 0;
  return {
    perClass,
    accuracy: n > 0 ? correct / n : NaN,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: n },
    weighted: { precision: weightedMean('precision'), recall: weightedMean('recall'), f1: weightedMean('f1'), support: n },
  };
}

/** One-vs-rest curves for class `c`, AUC and AP on the full data. */
function classCurves(yTrue: Uint32Array, proba: ArrayLike<number>, k: number, c: number, label: string, maxPoints: number): ClassCurves {
  let positives = 0;
  for (let r = 0; r < yTrue.length; r++) if (yTrue[r] === c) positives++;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(yTrue.length - positives);
  let a = 0;
  let b = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const s = proba[r * k + c]!;
    if (yTrue[r] === c) pos[a++] = s;
    else neg[b++] = s;
  }
  const negatives = neg.length;
  const base = { classIndex: c, label, positives, negatives };
  if (positives === 0) {
    return {
      ...base,
      rocAuc: NaN,
      averagePrecision: NaN,
      roc: null,
      pr: null,
      note: `No row of class “${label}” in the test split: its ROC AUC and average precision are undefined.`,
    };
  }
  const counts = thresholdCounts(pos, neg);
  const pr = downsamplePr(prFromCounts(counts), maxPoints);
  const averagePrecision = averagePrecisionFromCounts(counts);
  if (negatives === 0) {
    return {
      ...base,
      rocAuc: NaN,
      averagePrecision,
      roc: null,
      pr,
      note: `Every row of the test split is class “${label}”: its ROC AUC is undefined.`,
    };
  }
  return {
    ...base,
    rocAuc: rocAucFromCounts(counts),
    averagePrecision,
    roc: downsampleRoc(rocFromCounts(counts), maxPoints),
    pr,
  };
}

/** Mean of the finite values, NaN when there are none. */
function finiteMean(values: number[]): number {
  const ok = values.filter(Number.isFinite);
  return ok.length > 0 ? ok.reduce((s, v) => s + v, 0) / ok.length : NaN;
}

/**
 * Every classification metric for one model on the test split.
 *
 * @param yTrue class index (0..K-1) per row
 * @param proba row-major n x K probabilities (K = classNames.length; 2 for binary)
 * @param classNames label of each class index
 * Throws a RangeError when shapes disagree, a class index is out of range, a
 * probability is NaN or there are no rows; a class missing from yTrue is not an
 * error: its AUC / AP are NaN with a note.
 */
export function classificationMetrics(
  yTrue: Uint32Array,
  proba: Float32Array | Float64Array,
  classNames: readonly string[],
  options: ClassificationOptions = {},
): ClassificationMetrics {
  const k = classNames.length;
  validate(yTrue, proba, k);
  const binary = k === 2;
  const threshold = options.threshold ?? 0.5;
  if (binary && !Number.isFinite(threshold)) throw new RangeError(`The threshold must be a number, got ${threshold}.`);
  const maxPoints = options.maxCurvePoints ?? MAX_CURVE_POINTS;
  const n = yTrue.length;
  const yPred = predictClasses(proba, k, threshold);
  const confusion = confusionMatrix(yTrue, yPred, k);
  const report = classificationReport(confusion, classNames);
  const notes: string[] = [];

  const present = report.perClass.filter((r) => r.support > 0);
  const recalls = present.map((r) => r.recall);
  const balancedAccuracy = recalls.reduce((s, v) => s + v, 0) / recalls.length;
  const gMean = Math.pow(
    recalls.reduce((s, v) => s * v, 1),
    1 / recalls.length,
  );
  const absent = report.perClass.filter((r) => r.support === 0).map((r) => `“${r.label}”`);
  if (absent.length > 0) {
    const more = absent.length - MAX_NAMED_IN_NOTE;
    const named = more > 0 ? `${absent.slice(0, MAX_NAMED_IN_NOTE).join(', ')} and ${more} more classes` : absent.join(', ');
    notes.push(`No row of ${named} in the test split: balanced accuracy, G-mean and the AUC average leave it out.`);
  }

  let minorityClass: string | null = null;
  let minorityF1: number | null = null;
  if (binary) {
    const [c0, c1] = [report.perClass[0]!, report.perClass[1]!];
    const minority = c0.support < c1.support ? c0 : c1;
    minorityClass = minority.label;
    minorityF1 = minority.f1;
  }

  let curves = binary
    ? [classCurves(yTrue, proba, k, 1, classNames[1]!, maxPoints)]
    : classNames.map((label, c) => classCurves(yTrue, proba, k, c, label, maxPoints));
  const rocAuc = binary ? curves[0]!.rocAuc : finiteMean(curves.map((c) => c.rocAuc));
  const averagePrecision = binary ? curves[0]!.averagePrecision : finiteMean(curves.map((c) => c.averagePrecision));
  if (k <= MAX_CURVE_CLASSES) {
    for (const c of curves) if (c.note) notes.push(c.note);
  } else {
    // Many classes: one note instead of one per class (absent classes are already named above).
    const kept = new Set(
      curves
        .map((_, i) => i)
        .sort((a, b) => curves[b]!.positives - curves[a]!.positives || a - b)
        .slice(0, MAX_CURVE_CLASSES),
    );
    curves = curves.map((c, i) => (kept.has(i) ? c : { ...c, roc: null, pr: null }));
    notes.push(`${k} classes: the ROC and precision-recall curves of the ${MAX_CURVE_CLASSES} with the most test rows are kept; every class’s AUC and average precision count in the macro means.`);
  }

  return {
    task: binary ? 'binary' : 'multiclass',
    n,
    classes: [...classNames],
    threshold: binary ? threshold : null,
    accuracy: report.accuracy,
    balancedAccuracy,
    logLoss: logLoss(yTrue, proba, k),
    gMean,
    minorityClass,
    minorityF1,
    report,
    confusion,
    rocAuc,
    averagePrecision,
    curves,
    notes,
  };
}
