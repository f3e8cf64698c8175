/**
 * The live decision threshold of a binary run: its test split's scores are
 * sorted once into cumulative counts (curves.ts's `countsFromLabels`), and
 * every threshold after that is answered by a binary search over them, so a
 * handle dragged along the precision-recall curve updates the confusion
 * matrix and the metrics on every pointer move without re-running the full
 * evaluation. The numbers equal `classificationMetrics` at the same threshold
 * (the same classification report function over the same confusion matrix).
 *
 * Also: the files of a model version registered again at another threshold
 * (its metrics.json recomputed in full, its lineage.json saying where the
 * threshold came from), and the geometry of the curve with its handle.
 */
import { finiteOnly } from './run-results';
import { formatMetric } from '../common';
import {
  countsFromLabels,
  downsamplePr,
  prFromCounts,
  type ThresholdCounts,
  classificationMetrics,
  classificationReport,
  type ClassificationReport,
} from '../metrics';
import { CLASS_COLORS, lineChartModel, type LineChartModel, type Series } from '../charts';
import { LINEAGE_JSON, METRICS_JSON, canonicalJson, utf8, type ModelFileInput } from './model-manifest';
import type { Evaluation, TestScores } from '../training';

/** A threshold moves in steps of 0.001 (arrow keys, the numeric input) and shows 3 decimals. */
export const THRESHOLD_STEP = 0.001;
/** PageUp / PageDown move it by 0.01. */
export const THRESHOLD_PAGE_STEP = 0.01;
const DECIMALS = 3;
const SCALE = 10 ** DECIMALS;

/** A decision threshold for the screen: always 3 decimals ("0.500"), "—" when missing. */
export function formatThreshold(t: number | null | undefined): string {
  return t === null || t === undefined || !Number.isFinite(t) ? '—' : t.toFixed(DECIMALS);
}

/** A threshold as the controls set it: within [0, 1], on the 0.001 grid; NaN stays NaN. */
export function roundThreshold(t: number): number {
  return Math.round(Math.min(1, Math.max(0, t)) * SCALE) / SCALE;
}

/** The scores of a test split sorted once: cumulative counts at each distinct score, highest first. */
export function sortScores(s: TestScores): ThresholdCounts {
  if (s.labels.length !== s.scores.length) {
    throw new RangeError(`The stored test split has ${s.labels.length} labels but ${s.scores.length} scores.`);
  }
  return countsFromLabels(s.labels, s.scores);
}

/** The confusion counts of the positive class (class 1) when predicting score >= threshold. */
export interface CountsAt {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Confusion counts at `threshold` by binary search over the sorted counts: O(log n). */
export function countsAt(c: ThresholdCounts, threshold: number): CountsAt {
  // thresholds are descending: find how many distinct scores are >= threshold.
  let lo = 0;
  let hi = c.thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.thresholds[mid]! >= threshold) lo = mid + 1;
    else hi = mid;
  }
  const tp = lo > 0 ? c.tps[lo - 1]! : 0;
  const fp = lo > 0 ? c.fps[lo - 1]! : 0;
  return { threshold, tp, fp, fn: c.positives - tp, tn: c.negatives - fp };
}

/** Everything the live view shows at one threshold (precision, recall and F1 are the positive class's). */
export interface LiveMetrics extends CountsAt {
  n: number;
  predictedPositive: number;
  accuracy: number;
  /** Mean recall over the classes present in the test split, as classificationMetrics. */
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** confusion[true][predicted]: [[tn, fp], [fn, tp]]. */
  confusion: number[][];
  report: ClassificationReport;
}

/**
 * The metrics at `threshold` from the sorted counts: the confusion matrix by
 * binary search, then sklearn's classification report (zero_division = 0) of
 * that 2 x 2 matrix, so every number equals classificationMetrics' there.
 * Throws a RangeError on a threshold that is not a number.
 */
export function metricsAt(c: ThresholdCounts, threshold: number, classes: readonly string[]): LiveMetrics {
  if (!Number.isFinite(threshold)) throw new RangeError(`The threshold must be a number, got ${threshold}.`);
  const k = countsAt(c, threshold);
  const confusion = [
    [k.tn, k.fp],
    [k.fn, k.tp],
  ];
  const report = classificationReport(confusion, classes);
  const present = report.perClass.filter((r) => r.support > 0);
  const positive = report.perClass[1]!;
  return {
    ...k,
    n: c.positives + c.negatives,
    predictedPositive: k.tp + k.fp,
    accuracy: report.accuracy,
    balancedAccuracy: present.reduce((s, r) => s + r.recall, 0) / present.length,
    precision: positive.precision,
    recall: positive.recall,
    f1: positive.f1,
    confusion,
    report,
  };
}

/** A point of the precision-recall curve and the threshold that reaches it. */
export interface CurvePoint {
  threshold: number;
  recall: number;
  precision: number;
}

/**
 * Where a threshold sits on the precision-recall curve. A threshold above every
 * score predicts nothing: it sits at the curve's end (recall 0, precision 1), as
 * sklearn's curve ends (the metrics table still says precision 0 there).
 */
export function curvePointAt(c: ThresholdCounts, threshold: number): CurvePoint {
  const k = countsAt(c, threshold);
  const predicted = k.tp + k.fp;
  return {
    threshold,
    recall: c.positives > 0 ? k.tp / c.positives : 1,
    precision: predicted > 0 ? k.tp / predicted : 1,
  };
}

/** The curve point of every threshold on the 0.001 grid, 0 to 1: where the handle can go. */
export function thresholdGrid(c: ThresholdCounts): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (let i = 0; i <= SCALE; i++) out.push(curvePointAt(c, i / SCALE));
  return out;
}

/**
 * The grid threshold whose curve point is nearest to (recall, precision), with
 * distances in pixels of a plot `width` x `height` (so a drag feels the same
 * along both axes). Many thresholds share a point (those between two adjacent
 * scores): among them the one nearest `current` wins, so the handle never jumps
 * further than the pointer went.
 */
export function nearestThreshold(grid: readonly CurvePoint[], recall: number, precision: number, width: number, height: number, current: number): number {
  let best = current;
  let bestD = Infinity;
  for (const p of grid) {
    const dx = (p.recall - recall) * width;
    const dy = (p.precision - precision) * height;
    const d = dx * dx + dy * dy;
    if (d < bestD - 1e-9 || (Math.abs(d - bestD) <= 1e-9 && Math.abs(p.threshold - current) < Math.abs(best - current))) {
      best = p.threshold;
      bestD = d;
    }
  }
  return best;
}

/**
 * The threshold after a key press on the slider: arrows ±0.001, PageUp/PageDown
 * ±0.01, Home 0, End 1 (rounded onto the grid, within [0, 1]); null for any
 * other key. Up and Right raise it, as on any slider.
 */
export function stepThreshold(current: number, key: string): number | null {
  switch (key) {
    case 'ArrowUp':
    case 'ArrowRight':
      return roundThreshold(current + THRESHOLD_STEP);
    case 'ArrowDown':
    case 'ArrowLeft':
      return roundThreshold(current - THRESHOLD_STEP);
    case 'PageUp':
      return roundThreshold(current + THRESHOLD_PAGE_STEP);
    case 'PageDown':
      return roundThreshold(current - THRESHOLD_PAGE_STEP);
    case 'Home':
      return 0;
    case 'End':
      return 1;
    default:
      return null;
  }
}

const GUIDE_COLOR = '#8a8f98';

/**
 * The precision-recall curve drawn from the sorted counts (every distinct
 * score, cut to `maxPoints` for drawing), as steps like sklearn's display, with
 * the positive rate dashed: a model that guesses gets that precision.
 */
export function prCurveSeries(c: ThresholdCounts, label: string, maxPoints = 400): Series[] {
  const { recall, precision } = downsamplePr(prFromCounts(c), maxPoints);
  const points: [number, number][] = [];
  recall.forEach((r, k) => {
    if (k > 0) points.push([r, precision[k - 1]!]);
    points.push([r, precision[k]!]);
  });
  const out: Series[] = [{ name: label, points, dashed: false, color: CLASS_COLORS[0] }];
  const n = c.positives + c.negatives;
  if (n > 0) {
    const rate = c.positives / n;
    out.push({ name: `positive rate ${formatMetric(rate, 3)}`, points: [[0, rate], [1, rate]], dashed: true, color: GUIDE_COLOR });
  }
  return out;
}

/** What ThresholdCurve.svelte draws: the line chart plus the live handle and the stored threshold's mark. */
export interface ThresholdChartModel extends LineChartModel {
  handle: { x: number; y: number };
  stored: { x: number; y: number } | null;
}

/** Pixel position of a (recall, precision) point in a unit chart's plot area. */
function place(plot: LineChartModel['plot'], p: { recall: number; precision: number }): { x: number; y: number } {
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    x: round(plot.left + p.recall * (plot.right - plot.left)),
    y: round(plot.bottom - p.precision * (plot.bottom - plot.top)),
  };
}

/** The curve in a `width` x `height` box (both axes [0, 1]), the handle at `live`, a mark at `stored`. */
export function thresholdChartModel(series: Series[], live: CurvePoint, stored: CurvePoint | null, width: number, height: number): ThresholdChartModel {
  const model = lineChartModel(series, width, height, true);
  return { ...model, handle: place(model.plot, live), stored: stored ? place(model.plot, stored) : null };
}

/** The inverse of the chart's placement: (recall, precision) under a pixel, clamped to [0, 1]. */
export function pointUnder(plot: LineChartModel['plot'], x: number, y: number): { recall: number; precision: number } {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    recall: clamp((x - plot.left) / Math.max(1, plot.right - plot.left)),
    precision: clamp((plot.bottom - y) / Math.max(1, plot.bottom - plot.top)),
  };
}

/** p(class 0), p(class 1) per row, as the training code hands them to classificationMetrics. */
export function probaFromScores(scores: Float32Array): Float32Array {
  const proba = new Float32Array(scores.length * 2);
  scores.forEach((p, i) => {
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  });
  return proba;
}

/**
 * A binary evaluation recomputed in full at another threshold from the stored
 * test scores (classificationMetrics, as at training). Fields that do not
 * come from the scores (the majority baseline) are kept as they were.
 * Throws when the evaluation is not binary or the scores are of another split.
 */
export function evaluationAtThreshold(evaluation: Evaluation, s: TestScores, threshold: number): Evaluation {
  if (evaluation.task !== 'binary') throw new Error('Only a binary model has a decision threshold.');
  if (s.labels.length !== evaluation.n || s.scores.length !== evaluation.n) {
    throw new Error(`The stored test scores cover ${s.scores.length} rows, but the evaluation has ${evaluation.n}: they do not belong together.`);
  }
  const m = classificationMetrics(Uint32Array.from(s.labels), probaFromScores(s.scores), evaluation.classes, { threshold });
  return { ...evaluation, ...m, task: 'binary' };
}

/** lineage.json of a version registered again at another threshold. */
export interface ThresholdLineage {
  /** The version whose model files and test scores it was made from. */
  thresholdFrom: string;
  threshold: number;
}

function parseJson<T>(files: ReadonlyMap<string, Uint8Array>, path: string): T {
  const bytes = files.get(path);
  if (!bytes) throw new Error(`The model version has no ${path}.`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    throw new Error(`${path} is not valid JSON: the stored file is damaged. Check the version with “Verify files”.`);
  }
}

/**
 * The files of a model version made from `sourceId`'s files at another
 * threshold: every file as it was but metrics.json (the full evaluation at
 * `threshold`, from the run's stored test scores) and lineage.json (the
 * source's, plus `thresholdFrom` and `threshold`). Returns the files (in the
 * source's order) and the new evaluation.
 * @throws Error on a threshold outside [0, 1], a version that is not binary, or scores of another split
 */
export function thresholdVersionFiles(
  source: ReadonlyMap<string, Uint8Array>,
  scores: TestScores,
  threshold: number,
  sourceId: string,
): { files: ModelFileInput[]; evaluation: Evaluation } {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new RangeError(`The decision threshold must be between 0 and 1, got ${threshold}.`);
  }
  const evaluation = evaluationAtThreshold(parseJson<Evaluation>(source, METRICS_JSON), scores, threshold);
  const extra: ThresholdLineage = { thresholdFrom: sourceId, threshold };
  const lineage = { ...parseJson<Record<string, unknown>>(source, LINEAGE_JSON), ...extra };
  const json = (v: unknown) => utf8(canonicalJson(finiteOnly(v)));
  const files = [...source].map(([path, bytes]) => {
    if (path === METRICS_JSON) return { path, bytes: json(evaluation) };
    if (path === LINEAGE_JSON) return { path, bytes: json(lineage) };
    return { path, bytes: bytes.slice() };
  });
  return { files, evaluation };
}

/** `thresholdFrom` of a lineage.json, when the version was registered again at another threshold. */
export function thresholdSource(lineage: unknown): string | null {
  const from = (lineage as Partial<ThresholdLineage> | null)?.thresholdFrom;
  return typeof from === 'string' ? from : null;
}
