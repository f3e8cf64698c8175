/**
 * Experiment comparison as plain data: every run flattened once into a row of
 * params and metrics, then diffed, overlaid and measured against a pinned
 * baseline (filtering, sorting and the compare view's settings: runs-view.ts). Pure: the runs table, the compare cell and the benchmark
 * all go through these functions, and they are tested in Node.
 */
import {
  TRAIN_FIELDS,
  fieldApplies,
  type FieldSpec,
  type TrainConfig,
  type EpochRecord,
  type EvaluationSummary,
  type MainMetric,
  type RunStatus,
  runName,
  runTitle,
} from '../training';
import { formatMetric } from '../common';
import { LOWER_IS_BETTER, bestIndex, metricName, sweepMetrics } from '../models';
import { MINORITY_WARNING_SHARE } from '../imbalance';
import { CLASS_COLORS, type Series } from '../charts';
import { MAX_MATRIX_CLASSES, type ClassCurves } from '../metrics';

const GUIDE_COLOR = '#8a8f98';

/** What comparison needs of a stored run (RunRecord fits it). */
export interface ComparableRun {
  id: string;
  /** Its readable name (lists fill in the derived default of runs stored before names: withRunNames). */
  name?: string | null;
  status: RunStatus;
  datasetHash: string;
  config: TrainConfig;
  tags: string[];
  notes: string;
  sweepId?: string | null;
  createdAt: number;
  durationMs: number | null;
  mainMetric: MainMetric | null;
  evaluation: EvaluationSummary | null;
  backend: { used: string } | null;
}

/** A param's value in a row: null where it does not apply (hidden units of a linear model). */
export type ParamValue = number | string | null;

/** One run, flattened for the table: computed once per run, not per render. */
export interface RunRow<R extends ComparableRun = ComparableRun> {
  run: R;
  id: string;
  /** "logreg-balanced-3". */
  name: string;
  params: Record<string, ParamValue>;
  metrics: Record<string, number>;
  /** Lower-cased id, name, target, tags, notes and param values, for the text filter. */
  haystack: string;
}

/** The config fields shown as params: everything but the data source itself. */
export const PARAM_FIELDS: readonly FieldSpec[] = TRAIN_FIELDS.filter((f) => f.key !== 'datasetHash');

const PARAM_LABELS: Record<string, string> = Object.fromEntries(PARAM_FIELDS.map((f) => [f.key, f.key === 'features' ? 'Features (count)' : f.key === 'hiddenUnits' ? 'Hidden layers' : f.label]));

/** A param's value as compared and shown: units as "64-64", booleans as yes/no, features as their count. */
export function paramValue(config: TrainConfig, field: FieldSpec): ParamValue {
  if (!fieldApplies(field, config)) return null;
  const v = config[field.key];
  if (field.key === 'features') return Array.isArray(v) ? v.length : null;
  if (Array.isArray(v)) return v.join('-');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return null;
}

/** A param value for the screen. */
export function formatParam(v: ParamValue | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)));
  return v;
}

/**
 * The metrics a run is compared by: the headline ones, G-mean, the minority
 * class's recall and F1, each class's recall (`recall:<label>`, up to MAX_MATRIX_CLASSES classes) and the
 * decision threshold used on test.
 */
export function runMetrics(e: EvaluationSummary | null): Record<string, number> {
  if (!e) return {};
  const out = sweepMetrics(e);
  if (e.task !== 'regression') {
    out.gMean = e.gMean;
    // Per-class recall is a row per class: past the confusion matrix's limit the run page's report has them.
    if (e.report.perClass.length <= MAX_MATRIX_CLASSES) for (const r of e.report.perClass) out[`recall:${r.label}`] = r.recall;
    if (e.threshold !== null) out.threshold = e.threshold;
  }
  return out;
}

/** A row for a run. */
export function toRow<R extends ComparableRun>(run: R): RunRow<R> {
  const params: Record<string, ParamValue> = {};
  for (const f of PARAM_FIELDS) params[f.key] = paramValue(run.config, f);
  const name = runName(run);
  const words = [run.id, name, run.config.target, run.notes, run.status, ...run.tags, ...Object.values(params).map((v) => (v === null ? '' : String(v)))];
  return { run, id: run.id, name, params, metrics: runMetrics(run.evaluation), haystack: words.join('\n').toLowerCase() };
}

/** "Learning rate", "ROC AUC", "Recall of “Yes”". */
export function columnLabel(key: string): string {
  if (key.startsWith('param:')) return PARAM_LABELS[key.slice(6)] ?? key.slice(6);
  if (key.startsWith('metric:')) return metricLabel(key.slice(7));
  return { createdAt: 'Started', status: 'Status', duration: 'Duration', backend: 'Backend' }[key] ?? key;
}

/** A metric's name as a person reads it: the one name the whole app uses (metricName). */
export function metricLabel(metric: string): string {
  return metricName(metric);
}

/** Whether a smaller value of the metric is better. */
export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric);
}

/** The metric a task is judged by first. */
export function primaryMetric(rows: readonly RunRow[]): string {
  const keys = metricKeys(rows);
  const honest = rows.some(isImbalanced);
  const order = honest ? ['balancedAccuracy', 'rocAuc', 'rmse'] : ['rocAuc', 'accuracy', 'rmse'];
  return order.find((k) => keys.includes(k)) ?? keys[0] ?? '';
}

/** Under imbalance (smallest class under 20% of test rows) the honest metrics are read first. */
export function isImbalanced(row: RunRow): boolean {
  const e = row.run.evaluation;
  if (!e || e.task === 'regression' || e.n === 0) return false;
  const smallest = Math.min(...e.report.perClass.map((r) => r.support));
  return smallest / e.n < MINORITY_WARNING_SHARE;
}

const HONEST_ORDER = ['balancedAccuracy', 'minorityRecall', 'minorityF1', 'averagePrecision', 'gMean'];
const PLAIN_ORDER = ['rocAuc', 'accuracy', 'balancedAccuracy', 'averagePrecision', 'logLoss', 'gMean', 'minorityRecall', 'minorityF1', 'rmse', 'mae', 'r2'];

/**
 * Every metric any of the rows has, in reading order: for imbalanced targets
 * the metrics that stay honest first (balanced accuracy, minority recall and
 * F1, average precision, G-mean, per-class recall), then the rest.
 */
export function metricKeys(rows: readonly RunRow[]): string[] {
  const present = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.metrics)) present.add(k);
  const perClass = [...present].filter((k) => k.startsWith('recall:')).sort();
  const honest = rows.some(isImbalanced);
  const head = honest ? [...HONEST_ORDER, ...perClass, ...PLAIN_ORDER] : [...PLAIN_ORDER, ...perClass];
  const ordered = [...new Set([...head, 'threshold'])].filter((k) => present.has(k));
  for (const k of present) if (!ordered.includes(k)) ordered.push(k);
  return ordered;
}

/** Params whose value is not the same in every row, in form order. */
export function varyingParams(rows: readonly RunRow[]): string[] {
  const first = rows[0];
  if (!first) return [];
  // Param values are primitives (or null), so === tells them apart.
  return PARAM_FIELDS.map((f) => f.key).filter((k) => rows.some((r) => (r.params[k] ?? null) !== (first.params[k] ?? null)));
}

// ---------------------------------------------------------------------------
// The comparison of selected runs

/** At most this many runs are laid side by side (tables, curves, matrices); the plots take every selected run. */
export const MAX_SIDE_BY_SIDE = 20;

/** "mlp-3 · 01hx3k2a", and what sets it apart: "mlp-smote-3 · 01hx3k2a · smote · 0.01" (settings it does not have are skipped). */
export function runLabel(row: RunRow, distinguishing: readonly string[] = []): string {
  const parts = distinguishing.map((k) => row.params[k] ?? null).filter((v) => v !== null).slice(0, 2).map(formatParam);
  return [runTitle({ id: row.id, name: row.name, config: row.run.config }), ...parts].join(' · ');
}

/** Param keys in the order a person looks for them when runs differ. */
const PARAM_PRIORITY = ['imbalance', 'model', 'hiddenUnits', 'learningRate', 'batchSize', 'epochs', 'thresholdRule', 'optimizer', 'l2', 'dropout', 'seed'];

/** The params that vary, in the order a person tells runs apart by (strategy, model, learning rate…). */
export function distinguishingParams(rows: readonly RunRow[]): string[] {
  const varying = varyingParams(rows);
  return [...PARAM_PRIORITY.filter((k) => varying.includes(k)), ...varying.filter((k) => !PARAM_PRIORITY.includes(k))];
}

/** The setting a metric is best plotted against: the first varying numeric one (learning rate, batch size…), else the first varying one. */
export function scatterDefault(rows: readonly RunRow[]): string | null {
  const varying = distinguishingParams(rows);
  return varying.find((k) => rows.some((r) => typeof r.params[k] === 'number')) ?? varying[0] ?? null;
}

export interface ParamDiffRow {
  key: string;
  label: string;
  values: string[];
}

/** Only the params that differ between the rows, one table row per param. */
export function paramsDiff(rows: readonly RunRow[]): ParamDiffRow[] {
  return varyingParams(rows).map((key) => ({ key, label: columnLabel(`param:${key}`), values: rows.map((r) => formatParam(r.params[key])) }));
}

export interface MetricCompareRow {
  key: string;
  label: string;
  lowerIsBetter: boolean;
  /** NaN where the run has no value. */
  values: number[];
  /** Index of the best value, -1 when none is a number. */
  best: number;
  /** Whether each value equals the best one (ties are all best). */
  isBest: boolean[];
  /** value − baseline's value per run; null for the baseline itself, a missing value, or no baseline. */
  deltas: (number | null)[];
  /** Whether each delta is an improvement on the baseline (null where there is no delta or it is 0). */
  better: (boolean | null)[];
}

/**
 * The metrics of the rows side by side, the best value of each marked, and
 * with a baseline pinned, each other run's difference from it.
 */
export function metricsComparison(rows: readonly RunRow[], baselineId: string | null): MetricCompareRow[] {
  const base = rows.find((r) => r.id === baselineId) ?? null;
  return metricKeys(rows)
    .filter((k) => k !== 'threshold' || rows.some((r) => r.metrics.threshold !== undefined))
    .map((key) => {
      const values = rows.map((r) => r.metrics[key] ?? NaN);
      const lower = lowerIsBetter(key);
      // A threshold is a setting found by tuning, not a score: nothing to mark as best.
      const best = key === 'threshold' ? -1 : bestIndex(values, key);
      const b = base?.metrics[key];
      const deltas = rows.map((r, i) => (base === null || r.id === base.id || b === undefined || !Number.isFinite(b) || !Number.isFinite(values[i]!) ? null : values[i]! - b));
      const better = deltas.map((d) => (d === null || d === 0 || key === 'threshold' ? null : lower ? d < 0 : d > 0));
      const isBest = values.map((v) => best >= 0 && v === values[best]);
      return { key, label: metricLabel(key), lowerIsBetter: lower, values, best, isBest, deltas, better };
    });
}

/** A delta for the screen: "+0.0123", "−0.0040", "±0". */
export function formatDelta(d: number | null, digits = 4): string {
  if (d === null || !Number.isFinite(d)) return '';
  if (d === 0) return '±0';
  const abs = Math.abs(d);
  const text = abs < 10 ** -digits ? abs.toPrecision(2) : abs.toFixed(digits);
  return `${d > 0 ? '+' : '−'}${text}`;
}

/** Which per-epoch value a learning-curve overlay draws. */
export type CurveValue = 'loss' | 'valLoss' | 'metric' | 'valMetric';

/** The per-epoch value of an epoch record. */
export function epochValue(e: EpochRecord, which: CurveValue): number | null {
  return e[which];
}

/** A run's colour in overlaid charts; after ten runs the colours repeat, dashed. */
export function runStyle(i: number): { color: string; dashed: boolean } {
  return { color: CLASS_COLORS[i % CLASS_COLORS.length]!, dashed: Math.floor(i / CLASS_COLORS.length) % 2 === 1 };
}

/** What the overlays draw of one run: its name in legends, its epochs and its evaluation's curves. */
export interface RunDrawing {
  label: string;
  task: EvaluationSummary['task'] | null;
  epochs: readonly EpochRecord[];
  curves: readonly ClassCurves[] | null;
}

/** One line per run of a per-epoch value (validation loss by default), named by the run's label. */
export function learningCurveOverlay(runs: readonly RunDrawing[], which: CurveValue): Series[] {
  return runs.flatMap((r, i) => {
    const points: [number, number][] = [];
    for (const e of r.epochs) {
      const v = epochValue(e, which);
      if (v !== null && Number.isFinite(v)) points.push([e.epoch, v]);
    }
    return points.length > 0 ? [{ name: r.label, points, ...runStyle(i) }] : [];
  });
}

/** The one-vs-rest curves of `classLabel` (null: a binary run's positive class), if the run has them. */
function curvesOf(r: RunDrawing, classLabel: string | null): ClassCurves | undefined {
  if (!r.curves || r.task === null || r.task === 'regression') return undefined;
  return classLabel === null ? (r.task === 'binary' ? r.curves[0] : undefined) : r.curves.find((c) => c.label === classLabel);
}

/** The classes whose curves can be overlaid: null (the positive class) when every run is binary, else the class labels. */
export function curveClasses(runs: readonly RunDrawing[]): (string | null)[] {
  const drawn = runs.filter((r) => r.curves && (r.task === 'binary' || r.task === 'multiclass'));
  if (drawn.length === 0) return [];
  if (drawn.every((r) => r.task === 'binary')) return [null];
  return [...new Set(drawn.flatMap((r) => r.curves!.map((c) => c.label)))];
}

/** Each run's ROC curve, named "label (AUC 0.873)", and the chance diagonal. */
export function rocOverlay(runs: readonly RunDrawing[], classLabel: string | null = null): Series[] {
  const out: Series[] = [];
  runs.forEach((r, i) => {
    const c = curvesOf(r, classLabel);
    if (!c?.roc) return;
    out.push({ name: `${r.label} (AUC ${formatMetric(c.rocAuc, 3)})`, points: c.roc.fpr.map((x, k) => [x, c.roc!.tpr[k]!] as [number, number]), ...runStyle(i) });
  });
  if (out.length > 0) out.push({ name: 'chance', points: [[0, 0], [1, 1]], dashed: true, color: GUIDE_COLOR });
  return out;
}

/** Each run's precision-recall curve as steps, named "label (AP 0.410)". */
export function prOverlay(runs: readonly RunDrawing[], classLabel: string | null = null): Series[] {
  const out: Series[] = [];
  runs.forEach((r, i) => {
    const c = curvesOf(r, classLabel);
    if (!c?.pr) return;
    const { recall, precision } = c.pr;
    const points: [number, number][] = [];
    recall.forEach((x, k) => {
      if (k > 0) points.push([x, precision[k - 1]!]);
      points.push([x, precision[k]!]);
    });
    out.push({ name: `${r.label} (AP ${formatMetric(c.averagePrecision, 3)})`, points, ...runStyle(i) });
  });
  return out;
}
