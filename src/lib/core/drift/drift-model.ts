/**
 * The model side of a drift check: prediction drift (the model's outputs on
 * the new data against its outputs on the reference), label drift (the
 * target's distribution, when the new file has it) and concept drift (the
 * model's metrics on the new data next to its test metrics), judged by the
 * test suite of drift-verdict.ts into a verdict a non-specialist can act on.
 * Pure: tested in Node.
 */
import { featureDrift, type ColumnStats, type FeatureDrift } from './drift';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics } from '../metrics';
import { predictedClass, type PredictionOutput } from '../models';
import type { EvaluationSummary } from '../training';
import { METRIC_SPECS, TASK_METRICS, modelVerdict, type ConceptMetric, type MetricKey, type ModelVerdict, type Tolerances } from './drift-verdict';

/** The model's outputs as a drift "column": p(positive class) for binary, the predicted class otherwise, the value for regression. */
export function predictionStats(p: PredictionOutput, name = 'prediction'): ColumnStats {
  if (p.task === 'regression') return { name, kind: 'numeric', rows: p.rows, missing: 0, sorted: Float64Array.from(p.values).sort() };
  if (p.classes.length === 2) {
    const s = new Float64Array(p.rows);
    for (let i = 0; i < p.rows; i++) s[i] = p.values[2 * i + 1]!;
    return { name, kind: 'numeric', rows: p.rows, missing: 0, sorted: s.sort() };
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < p.rows; i++) {
    const c = p.classes[predictedClass(p, i)]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return { name, kind: 'categorical', rows: p.rows, missing: 0, counts: [...counts.entries()] };
}

export type { ConceptMetric } from './drift-verdict';

export interface ModelDrift {
  prediction: FeatureDrift | null;
  label: FeatureDrift | null;
  /** Present when the new data has the target: the model's metrics there next to its test metrics. */
  concept: ConceptMetric[] | null;
  /** True when a primary metric is beyond its tolerance (the verdict's tolerances). */
  degraded: boolean;
  /** The checks and the verdict, with the tolerances they used. Absent in reports stored before verdicts: see `verdictOf`. */
  verdict?: ModelVerdict;
}

/**
 * The model's metrics on rows whose target is known, next to its test metrics,
 * in the verdict's order for the task (drift-verdict.ts TASK_METRICS), each
 * marked primary or not.
 * @param truth the class index (classification) or the value (regression) of each predicted row; NaN where unknown
 */
export function conceptMetrics(p: PredictionOutput, truth: Float64Array, test: EvaluationSummary): ConceptMetric[] {
  const known: number[] = [];
  for (let i = 0; i < truth.length; i++) if (Number.isFinite(truth[i]!)) known.push(i);
  if (known.length === 0) return [];
  const row = (key: MetricKey, primary: boolean, label: string, testValue: number, current: number): ConceptMetric => {
    // `change` keeps its stored meaning (negative is worse) for readers of older reports.
    const change = METRIC_SPECS[key].better === 'lower' ? testValue - current : current - testValue;
    return { key, label, test: testValue, current, change, primary };
  };
  if (p.task === 'regression' || test.task === 'regression') {
    if (test.task !== 'regression') return [];
    const m = regressionMetrics(Float64Array.from(known, (i) => truth[i]!), Float64Array.from(known, (i) => p.values[i]!));
    return TASK_METRICS.regression.map(({ key, primary }) => row(key, primary, METRIC_SPECS[key].label, test[key as 'rmse' | 'mae' | 'r2'], m[key as 'rmse' | 'mae' | 'r2']));
  }
  const k = p.classes.length;
  const yTrue = Uint32Array.from(known, (i) => truth[i]!);
  const proba = new Float64Array(known.length * k);
  known.forEach((r, j) => {
    for (let c = 0; c < k; c++) proba[j * k + c] = p.values[r * k + c]!;
  });
  const m = classificationMetrics(yTrue, proba, p.classes, k === 2 ? { threshold: p.threshold ?? 0.5 } : {});
  type Scores = Pick<ClassificationMetrics, 'report' | 'balancedAccuracy' | 'rocAuc' | 'averagePrecision' | 'accuracy'>;
  const task = k === 2 && test.task === 'binary' ? 'binary' : 'multiclass';
  // The positive class (class 1 of the sorted classes, as target.ts encodes it): the class ROC AUC
  // and average precision are about, and usually the rare one ("Yes", true, 1).
  const pos = p.classes[1]!;
  const ofPos = (e: Scores, f: 'recall' | 'f1') => e.report.perClass.find((r) => r.label === pos)?.[f] ?? NaN;
  const value = (e: Scores, key: MetricKey): number => {
    switch (key) {
      case 'recall':
        return ofPos(e, 'recall');
      case 'f1':
        return ofPos(e, 'f1');
      case 'macroF1':
        return e.report.macro.f1;
      case 'balancedAccuracy':
      case 'rocAuc':
      case 'averagePrecision':
      case 'accuracy':
        return e[key];
      default:
        return NaN;
    }
  };
  const label = (key: MetricKey) => (key === 'recall' || key === 'f1' ? `${METRIC_SPECS[key].label} of “${pos}”` : METRIC_SPECS[key].label);
  return TASK_METRICS[task]
    .map(({ key, primary }) => row(key, primary, label(key), value(test, key), value(m, key)))
    .filter((x) => Number.isFinite(x.test) && Number.isFinite(x.current));
}

/** Prediction, label and concept drift together, with the verdict at `tolerances` (defaults where left out). */
export function modelDrift(args: { referencePredictions: ColumnStats | null; currentPredictions: ColumnStats; referenceTarget: ColumnStats | null; currentTarget: ColumnStats | null; concept: ConceptMetric[] | null; tolerances?: Tolerances }): ModelDrift {
  const pd = args.referencePredictions ? featureDrift(args.referencePredictions, args.currentPredictions) : { skipped: 'no reference rows' };
  const ld = args.referenceTarget && args.currentTarget ? featureDrift(args.referenceTarget, args.currentTarget) : null;
  return withTolerances({ prediction: 'skipped' in pd ? null : pd, label: ld && !('skipped' in ld) ? ld : null, concept: args.concept, degraded: false }, args.tolerances ?? {});
}

/** The same model drift judged at other tolerances: new rows, verdict and `degraded`; the measurements stay. */
export function withTolerances(m: ModelDrift, tolerances: Tolerances): ModelDrift {
  const verdict = modelVerdict(m, tolerances);
  const degraded = verdict.checks.some((c) => c.kind === 'metric' && c.primary && !c.passed);
  return { ...m, degraded, verdict };
}

/** The verdict stored with a report, or (a report stored before verdicts) the one its measurements give at default tolerances. */
export function verdictOf(m: ModelDrift): ModelVerdict {
  return m.verdict ?? modelVerdict(m);
}

/** The model half of the summary: the verdict's sentence ("Retraining recommended: accuracy fell from 0.720 to 0.620 (tolerance 0.050), …"). */
export function modelSummary(m: ModelDrift): string {
  return verdictOf(m).sentence;
}
