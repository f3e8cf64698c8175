/**
 * What a completed run leaves behind, as plain data: the files of its model
 * version, the headline metrics shown in lists, and the comparison a
 * "Reproduce" run is judged by.
 */
import {
  LINEAGE_JSON,
  METRICS_JSON,
  MODEL_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  WEIGHTS_BIN,
  canonicalJson,
  utf8,
  type ModelFileInput,
} from './model-manifest';
import type { EvaluationSummary, TrainResult, TrainConfig } from '../training';

/** Where a model version came from; stored as lineage.json inside the version (so its hash covers it). */
export interface Lineage {
  runId: string;
  datasetHash: string;
  notebookId: string | null;
  fingerprint: string;
  config: TrainConfig;
  appVersion: string;
  tfjsVersion: string;
  backend: string;
  /** Continue training: the run whose weights this one started from. */
  parentRunId?: string;
}

/**
 * The files of a model version: the TF.js model (model.json + weights.bin)
 * and JSON files for the preprocessing, target encoding, input schema, test
 * metrics and lineage. JSON is canonical, so the same content always hashes
 * the same.
 */
export function modelFiles(result: TrainResult, lineage: Lineage): ModelFileInput[] {
  const json = (v: unknown) => utf8(canonicalJson(finiteOnly(v)));
  return [
    { path: MODEL_JSON, bytes: utf8(result.artifacts.modelJson) },
    { path: WEIGHTS_BIN, bytes: new Uint8Array(result.artifacts.weights) },
    { path: PREPROCESSING_JSON, bytes: json(result.preprocessing) },
    { path: TARGET_JSON, bytes: json(result.target) },
    { path: SCHEMA_JSON, bytes: json(result.inputSchema) },
    { path: METRICS_JSON, bytes: json(result.evaluation) },
    { path: LINEAGE_JSON, bytes: json(lineage) },
  ];
}

/** JSON has no NaN: undefined metrics (an AUC with one class present) are written as null. */
export function finiteOnly(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(finiteOnly);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = finiteOnly(v);
    return out;
  }
  return value;
}

/** The numbers a run is summed up by in lists and compared by when reproduced. */
export function headlineMetrics(e: EvaluationSummary): Record<string, number> {
  if (e.task === 'regression') return { mae: e.mae, rmse: e.rmse, r2: e.r2 };
  return { accuracy: e.accuracy, balancedAccuracy: e.balancedAccuracy, logLoss: e.logLoss, rocAuc: e.rocAuc, averagePrecision: e.averagePrecision };
}

/**
 * Every metric's name, one per key, wherever a metric is shown (run page,
 * comparison, runs table, sweeps, registry, model card). "Minority" names only
 * the metrics that are the minority class's whatever that class is (sweeps and
 * comparisons across runs); where the class is known it is named (classRecallLabel).
 */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  logLoss: 'Log loss',
  rocAuc: 'ROC AUC',
  averagePrecision: 'Average precision',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
  minorityRecall: 'Minority recall',
  minorityF1: 'Minority F1',
  gMean: 'G-mean',
  threshold: 'Decision threshold',
};

const HEADLINE_KEYS = ['accuracy', 'balancedAccuracy', 'logLoss', 'rocAuc', 'averagePrecision', 'mae', 'rmse', 'r2', 'minorityRecall', 'minorityF1'] as const;

/** The labels of the metrics runs are summed up and ranked by (their order leads the registry's columns). */
export const HEADLINE_LABELS: Record<string, string> = Object.fromEntries(HEADLINE_KEYS.map((k) => [k, METRIC_LABELS[k]!]));

/** "Recall of “Yes”": a class's recall, named by its class. */
export function classRecallLabel(cls: string): string {
  return `Recall of “${cls}”`;
}

/** "Precision of “Yes”". */
export function classPrecisionLabel(cls: string): string {
  return `Precision of “${cls}”`;
}

/** "F1 of “Yes”". */
export function classF1Label(cls: string): string {
  return `F1 of “${cls}”`;
}

/** A metric key's name: METRIC_LABELS, `recall:<class>` as classRecallLabel, else the key itself. */
export function metricName(key: string): string {
  if (key.startsWith('recall:')) return classRecallLabel(key.slice(7));
  return METRIC_LABELS[key] ?? key;
}

/** Tolerance of "the same metrics" for a reproduced run (the 1e-6 on cpu and wasm). */
export const REPRODUCE_TOLERANCE = 1e-6;

export interface MetricComparison {
  metric: string;
  original: number;
  reproduced: number;
  difference: number;
  same: boolean;
}

/** Compares two runs' test metrics: same when every headline metric differs by at most `tolerance` (NaN equals NaN). */
export function compareMetrics(original: EvaluationSummary, reproduced: EvaluationSummary, tolerance = REPRODUCE_TOLERANCE): { same: boolean; rows: MetricComparison[] } {
  const a = headlineMetrics(original);
  const b = headlineMetrics(reproduced);
  const rows = Object.keys(a).map((metric) => {
    const x = a[metric]!;
    const y = b[metric] ?? NaN;
    const bothNaN = Number.isNaN(x) && Number.isNaN(y);
    const difference = bothNaN ? 0 : Math.abs(x - y);
    return { metric, original: x, reproduced: y, difference, same: bothNaN || difference <= tolerance };
  });
  return { same: original.task === reproduced.task && rows.every((r) => r.same), rows };
}

/** Metrics a sweep ranks runs by: the headline ones plus, for binary runs, the minority class's recall and F1. */
export function sweepMetrics(e: EvaluationSummary): Record<string, number> {
  const out = headlineMetrics(e);
  if (e.task === 'binary' && e.minorityClass !== null) {
    const row = e.report.perClass.find((r) => r.label === e.minorityClass);
    if (row) {
      out.minorityRecall = row.recall;
      out.minorityF1 = row.f1;
    }
  }
  return out;
}

/** Metrics where a smaller value is better. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['logLoss', 'mae', 'rmse']);

/** Index of the best value by `metric` (NaN never wins; the first on a tie), or -1 when none is a number. */
export function bestIndex(values: readonly (number | undefined)[], metric: string): number {
  const lower = LOWER_IS_BETTER.has(metric);
  let best = -1;
  values.forEach((v, i) => {
    if (v === undefined || !Number.isFinite(v)) return;
    if (best < 0 || (lower ? v < values[best]! : v > values[best]!)) best = i;
  });
  return best;
}
