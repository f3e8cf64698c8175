/**
 * The model side of a drift check: prediction drift (the model's outputs on
 * the new data against its outputs on the reference), label drift (the
 * target's distribution, when the new file has it) and concept drift (the
 * model's metrics on the new data next to its test metrics), with a verdict a
 * non-specialist can act on. Pure: tested in Node.
 */
import { featureDrift, type ColumnStats, type FeatureDrift } from './drift';
import { classificationMetrics, regressionMetrics } from './metrics';
import { predictedClass, type PredictionOutput } from './predictions';
import type { EvaluationSummary } from './training';

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

/** One metric of the model, on its test split and on the new data. */
export interface ConceptMetric {
  key: string;
  label: string;
  test: number;
  current: number;
  /** current − test, signed so that negative is worse. */
  change: number;
}

export interface ModelDrift {
  prediction: FeatureDrift | null;
  label: FeatureDrift | null;
  /** Present when the new data has the target: the model's metrics there next to its test metrics. */
  concept: ConceptMetric[] | null;
  /** True when a key metric fell by more than CONCEPT_DROP. */
  degraded: boolean;
}

/** A fall in a key metric (absolute) that counts as the model getting worse. */
export const CONCEPT_DROP = 0.05;

const LABELS: Record<string, string> = { recall: 'recall', balancedAccuracy: 'balanced accuracy', rocAuc: 'ROC AUC', averagePrecision: 'average precision', accuracy: 'accuracy', rmse: 'RMSE', mae: 'MAE', r2: 'R²' };

/**
 * The model's metrics on rows whose target is known, next to its test metrics.
 * @param truth the class index (classification) or the value (regression) of each predicted row; NaN where unknown
 */
export function conceptMetrics(p: PredictionOutput, truth: Float64Array, test: EvaluationSummary): ConceptMetric[] {
  const known: number[] = [];
  for (let i = 0; i < truth.length; i++) if (Number.isFinite(truth[i]!)) known.push(i);
  if (known.length === 0) return [];
  if (p.task === 'regression' || test.task === 'regression') {
    if (test.task !== 'regression') return [];
    const m = regressionMetrics(Float64Array.from(known, (i) => truth[i]!), Float64Array.from(known, (i) => p.values[i]!));
    return (['rmse', 'mae', 'r2'] as const).map((key) => ({ key, label: LABELS[key]!, test: test[key], current: m[key], change: key === 'r2' ? m[key] - test[key] : test[key] - m[key] }));
  }
  const k = p.classes.length;
  const yTrue = Uint32Array.from(known, (i) => truth[i]!);
  const proba = new Float64Array(known.length * k);
  known.forEach((row, j) => {
    for (let c = 0; c < k; c++) proba[j * k + c] = p.values[row * k + c]!;
  });
  const m = classificationMetrics(yTrue, proba, p.classes, k === 2 ? { threshold: p.threshold ?? 0.5 } : {});
  const out: ConceptMetric[] = [];
  if (k === 2 && test.task === 'binary') {
    const pos = p.classes[1]!;
    const recallOf = (e: { report: { perClass: { label: string; recall: number }[] } }) => e.report.perClass.find((r) => r.label === pos)?.recall ?? NaN;
    out.push({ key: 'recall', label: `recall of “${pos}”`, test: recallOf(test), current: recallOf(m), change: recallOf(m) - recallOf(test) });
  }
  for (const key of ['balancedAccuracy', 'rocAuc', 'averagePrecision', 'accuracy'] as const) {
    out.push({ key, label: LABELS[key]!, test: test[key], current: m[key], change: m[key] - test[key] });
  }
  return out.filter((x) => Number.isFinite(x.test) && Number.isFinite(x.current));
}

/** Prediction, label and concept drift together. */
export function modelDrift(args: { referencePredictions: ColumnStats | null; currentPredictions: ColumnStats; referenceTarget: ColumnStats | null; currentTarget: ColumnStats | null; concept: ConceptMetric[] | null }): ModelDrift {
  const pd = args.referencePredictions ? featureDrift(args.referencePredictions, args.currentPredictions) : { skipped: 'no reference rows' };
  const ld = args.referenceTarget && args.currentTarget ? featureDrift(args.referenceTarget, args.currentTarget) : null;
  const concept = args.concept;
  const degraded = concept !== null && concept.some((m) => (m.key === 'recall' || m.key === 'balancedAccuracy' || m.key === 'rocAuc' || m.key === 'rmse' || m.key === 'r2') && m.change < -CONCEPT_DROP);
  return { prediction: 'skipped' in pd ? null : pd, label: ld && !('skipped' in ld) ? ld : null, concept, degraded };
}

/** The model half of the summary: "the model’s recall of “Yes” fell from 0.78 to 0.52; retraining is advised." */
export function modelSummary(m: ModelDrift): string {
  const parts: string[] = [];
  if (m.prediction) parts.push(m.prediction.drifted ? 'the model’s predictions have shifted' : 'the model’s predictions look like they did on the reference');
  if (m.label) parts.push(m.label.drifted ? 'the target’s distribution has changed' : 'the target’s distribution is stable');
  const f = (x: number) => x.toFixed(2);
  if (m.concept && m.concept.length > 0) {
    const key = m.concept[0]!;
    const verb = key.change < 0 ? 'fell' : 'rose';
    parts.push(`the model’s ${key.label} ${Math.abs(key.change) < 0.005 ? `stayed at ${f(key.current)}` : `${verb} from ${f(key.test)} to ${f(key.current)}`}`);
  }
  if (parts.length === 0) return '';
  const advice = m.degraded
    ? 'retraining is advised'
    : m.prediction?.drifted && !m.concept
      ? 'check its performance once labels for the new data are known'
      : m.concept
        ? 'no retraining is needed yet'
        : 'no action is needed';
  return `${parts.join('; ')}: ${advice}.`;
}
