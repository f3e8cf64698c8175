/**
 * Results read against the learned-nothing baseline a run stores beside its
 * test metrics (core/baseline): whether the model beats it on the task's
 * honest main metric, and the compare view's table of each run's baseline
 * and its difference from it. Pure, like the rest of the comparison.
 */
import type { Baseline } from '../metrics';
import { formatMetric } from '../common';
import { lowerIsBetter, metricKeys, metricLabel, type RunRow } from './compare';
import { headlineMetrics } from '../models';
import type { EvaluationSummary } from '../training';

/** The baseline an evaluation summary carries; runs stored before baselines have none. */
export function baselineOf(e: EvaluationSummary | null | undefined): Baseline | null {
  return e?.baseline ?? null;
}

/** A regression model must lift R² by more than this over the training mean to count as better. */
export const R2_MARGIN = 0.01;

/**
 * Whether headline metrics beat a baseline on the task's honest main metric:
 * balanced accuracy for classification (accuracy flatters a model that
 * always answers the majority class); for regression R² above the
 * baseline's by more than R2_MARGIN and a lower RMSE. Null when a number
 * needed is missing.
 */
export function beatsBaseline(metrics: Readonly<Record<string, number>>, baseline: Baseline): boolean | null {
  const m = (k: string) => metrics[k];
  const b = (k: string) => baseline.metrics[k];
  const ok = (...v: (number | undefined)[]) => v.every((x) => x !== undefined && Number.isFinite(x));
  if (baseline.kind === 'majority') {
    const [model, base] = [m('balancedAccuracy'), b('balancedAccuracy')];
    return ok(model, base) ? model! > base! : null;
  }
  const [r2, baseR2, rmse, baseRmse] = [m('r2'), b('r2'), m('rmse'), b('rmse')];
  return ok(r2, baseR2, rmse, baseRmse) ? r2! > baseR2! + R2_MARGIN && rmse! < baseRmse! : null;
}

/**
 * One plain sentence when the model does not beat its baseline; null when it
 * does, or the run was stored before baselines were kept.
 */
export function baselineVerdict(e: EvaluationSummary): string | null {
  const base = baselineOf(e);
  if (!base || beatsBaseline(headlineMetrics(e), base) !== false) return null;
  const f = (v: number | undefined) => formatMetric(v, 4);
  if (base.kind === 'majority' && e.task !== 'regression') {
    return `The model does not beat the baseline: its balanced accuracy ${f(e.balancedAccuracy)} is no better than the ${f(base.metrics.balancedAccuracy)} of ${base.label}.`;
  }
  if (base.kind === 'mean' && e.task === 'regression') {
    return `The model does not beat the baseline: R² ${f(e.r2)} and RMSE ${f(e.rmse)} against ${f(base.metrics.r2)} and ${f(base.metrics.rmse)} for ${base.label}.`;
  }
  return null;
}

export interface BaselineMetricRow {
  key: string;
  label: string;
  lowerIsBetter: boolean;
  /** Each run's baseline value (NaN where the run has none). */
  baseline: number[];
  /** The run's value minus its baseline's; null where either is missing. */
  lift: (number | null)[];
  /** Whether the run does better than its baseline on this metric; null where there is no lift or it is 0. */
  better: (boolean | null)[];
}

export interface BaselineComparison {
  /** Each run's baseline label ("always “No”"); null for a run stored before baselines were kept. */
  labels: (string | null)[];
  /** Every run that has a baseline has the same one (same dataset, target and split): one column says it. */
  shared: boolean;
  rows: BaselineMetricRow[];
  /** Per run: whether it beats its baseline on the honest main metric (null: no baseline, or a number missing). */
  beats: (boolean | null)[];
}

/** Two baselines give the same numbers (runs on the same dataset version, target, split and threshold). */
function sameBaseline(a: Baseline, b: Baseline): boolean {
  if (a.kind !== b.kind || a.label !== b.label) return false;
  const keys = new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)]);
  for (const k of keys) {
    const [x, y] = [a.metrics[k], b.metrics[k]];
    if (x === undefined || y === undefined) return false;
    if (!(Number.isNaN(x) && Number.isNaN(y)) && Math.abs(x - y) > 1e-12) return false;
  }
  return true;
}

/**
 * The selected runs against their baselines, metric by metric in the order of
 * the metrics table; null when no run has a baseline.
 */
export function baselineComparison(rows: readonly RunRow[]): BaselineComparison | null {
  const bases = rows.map((r) => baselineOf(r.run.evaluation));
  const present = bases.filter((b): b is Baseline => b !== null);
  const first = present[0];
  if (!first) return null;
  const keys = metricKeys(rows).filter((k) => present.some((b) => b.metrics[k] !== undefined));
  const metricRows = keys.map((key): BaselineMetricRow => {
    const lower = lowerIsBetter(key);
    const baseline = bases.map((b) => b?.metrics[key] ?? NaN);
    const lift = rows.map((r, i) => {
      const [v, b] = [r.metrics[key], baseline[i]!];
      return v !== undefined && Number.isFinite(v) && Number.isFinite(b) ? v - b : null;
    });
    const better = lift.map((d) => (d === null || d === 0 ? null : lower ? d < 0 : d > 0));
    return { key, label: metricLabel(key), lowerIsBetter: lower, baseline, lift, better };
  });
  return {
    labels: bases.map((b) => b?.label ?? null),
    shared: present.every((b) => sameBaseline(b, first)),
    rows: metricRows,
    beats: rows.map((r, i) => (bases[i] ? beatsBaseline(r.metrics, bases[i]) : null)),
  };
}
