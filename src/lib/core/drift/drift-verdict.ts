/**
 * The model verdict of a drift check as a test suite (as Evidently's
 * TestSuite): every metric the model has on the new labelled data is a row
 * (test value, new value, change, tolerance, pass or fail), prediction and
 * label drift are rows too, and the verdict follows from the rows by one rule:
 *
 * - with labels: any primary metric beyond its tolerance, or prediction drift,
 *   means "Retraining recommended"; otherwise any other failing row means
 *   "Watch"; otherwise "No action needed";
 * - without labels: prediction drift means "Check performance once labels are
 *   known"; label drift (only when the target is there) "Watch"; otherwise
 *   "No action needed".
 *
 * The sentence is built from the failing rows only, so it can never give an
 * improved metric as a reason while another one failed. Pure: tested in Node.
 */
import type { FeatureDrift } from './drift';
import { formatMetric } from '../common';
import { DRIFT_TESTS } from './drift-stats';

/** The metrics a verdict knows. */
export type MetricKey = 'recall' | 'balancedAccuracy' | 'rocAuc' | 'averagePrecision' | 'accuracy' | 'f1' | 'macroF1' | 'rmse' | 'mae' | 'r2';

export type VerdictTask = 'binary' | 'multiclass' | 'regression';

/** How a metric's tolerance is read. */
export interface MetricSpec {
  /** Generic name (binary recall and F1 get the class in their row label). */
  label: string;
  better: 'higher' | 'lower';
  /** 'absolute': the largest fall allowed; 'relative': the largest rise allowed as a share of the test value. */
  mode: 'absolute' | 'relative';
  defaultTolerance: number;
}

/**
 * Default tolerances. Threshold-dependent scores in [0, 1] (recall, balanced
 * accuracy, accuracy, F1) may fall by 0.05: a small labelled batch moves them
 * by a few hundredths through sampling alone. ROC AUC ranks every pair of rows,
 * so it moves far less by chance: a fall of 0.02 is already a real loss.
 * Average precision leans on the few positive rows: 0.05. RMSE and MAE have the
 * target's unit, so their tolerance is relative: a 10% rise. R² may fall 0.05.
 */
export const METRIC_SPECS: Readonly<Record<MetricKey, MetricSpec>> = {
  recall: { label: 'recall', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  balancedAccuracy: { label: 'balanced accuracy', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  rocAuc: { label: 'ROC AUC', better: 'higher', mode: 'absolute', defaultTolerance: 0.02 },
  averagePrecision: { label: 'average precision', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  accuracy: { label: 'accuracy', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  f1: { label: 'F1', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  macroF1: { label: 'macro F1', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
  rmse: { label: 'RMSE', better: 'lower', mode: 'relative', defaultTolerance: 0.1 },
  mae: { label: 'MAE', better: 'lower', mode: 'relative', defaultTolerance: 0.1 },
  r2: { label: 'R²', better: 'higher', mode: 'absolute', defaultTolerance: 0.05 },
};

/**
 * The rows of each task, in table order, and which are primary: the metrics
 * that say whether the model still does its job (for an imbalanced binary
 * target, accuracy and F1 follow the majority class, so they only warn).
 */
export const TASK_METRICS: Readonly<Record<VerdictTask, readonly { key: MetricKey; primary: boolean }[]>> = {
  binary: [
    { key: 'recall', primary: true },
    { key: 'balancedAccuracy', primary: true },
    { key: 'rocAuc', primary: true },
    { key: 'averagePrecision', primary: false },
    { key: 'accuracy', primary: false },
    { key: 'f1', primary: false },
  ],
  multiclass: [
    { key: 'balancedAccuracy', primary: true },
    { key: 'accuracy', primary: true },
    { key: 'macroF1', primary: false },
    { key: 'rocAuc', primary: false },
  ],
  regression: [
    { key: 'rmse', primary: true },
    { key: 'mae', primary: false },
    { key: 'r2', primary: true },
  ],
};

/** One metric of the model, on its test split and on the new data. */
export interface ConceptMetric {
  key: string;
  label: string;
  test: number;
  current: number;
  /** current − test, signed so that negative is worse. */
  change: number;
  /** Whether the metric is primary for the task (absent in reports stored before verdicts). */
  primary?: boolean;
}

/** The user's tolerances by metric; a metric left out has its default. */
export type Tolerances = Partial<Record<MetricKey, number>>;

export function isMetricKey(key: string): key is MetricKey {
  return Object.hasOwn(METRIC_SPECS, key);
}

/** The tolerance in force for a metric. */
export function toleranceOf(key: MetricKey, tolerances: Tolerances = {}): number {
  const t = Object.hasOwn(tolerances, key) ? tolerances[key] : undefined;
  return t !== undefined && Number.isFinite(t) && t >= 0 ? t : METRIC_SPECS[key].defaultTolerance;
}

/** Tolerances read back from a stored cell config: known metrics, finite values ≥ 0; anything else is dropped. */
export function normalizeTolerances(raw: unknown): Tolerances {
  const out: Tolerances = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (isMetricKey(k) && typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return out;
}

interface CheckBase {
  key: string;
  label: string;
  primary: boolean;
  passed: boolean;
}

/** A metric row: test value, new value, change and tolerance. */
export interface MetricCheck extends CheckBase {
  kind: 'metric';
  metric: MetricKey;
  reference: number;
  current: number;
  /** current − reference. */
  change: number;
  mode: 'absolute' | 'relative';
  better: 'higher' | 'lower';
  /**
   * How much worse, in the tolerance's unit (an absolute fall, or a relative
   * rise), rounded to 3 decimals: the precision the table shows, so a row
   * never reads as within its tolerance while it fails, or the reverse.
   */
  worsening: number;
  tolerance: number;
}

/** A drift row: the drift test already computed decides it. */
export interface DriftCheck extends CheckBase {
  kind: 'drift';
  column: string;
  testLabel: string;
  score: number;
  threshold: number;
  driftWhen: '<=' | '<' | '>=';
}

export type ModelCheck = MetricCheck | DriftCheck;

export type VerdictLevel = 'retrain' | 'watch' | 'check-labels' | 'ok';

export const VERDICT_HEADLINES: Readonly<Record<VerdictLevel, string>> = {
  retrain: 'Retraining recommended',
  watch: 'Watch',
  'check-labels': 'Check performance once labels are known',
  ok: 'No action needed',
};

export interface ModelVerdict {
  level: VerdictLevel;
  headline: string;
  /** "Retraining recommended: accuracy fell from 0.720 to 0.620 (tolerance 0.050), …" */
  sentence: string;
  /** Whether the new data had labels to measure the metrics with. */
  labelled: boolean;
  checks: ModelCheck[];
  /** The tolerances in force for the metric rows (defaults filled in). */
  tolerances: Tolerances;
}

/** What a verdict is made from: the drift tests and the metrics of a ModelDrift. */
export interface ModelEvidence {
  prediction: FeatureDrift | null;
  label: FeatureDrift | null;
  concept: readonly ConceptMetric[] | null;
}

/** The task of a list of metrics, for reports stored before metrics carried `primary`. */
export function taskOfMetrics(concept: readonly ConceptMetric[]): VerdictTask {
  const keys = new Set(concept.map((m) => m.key));
  if (keys.has('rmse') || keys.has('mae') || keys.has('r2')) return 'regression';
  if (keys.has('recall') || keys.has('f1')) return 'binary';
  return 'multiclass';
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** One metric's row. */
export function metricCheck(m: ConceptMetric & { key: MetricKey }, primary: boolean, tolerances: Tolerances = {}): MetricCheck {
  const spec = METRIC_SPECS[m.key];
  const tolerance = toleranceOf(m.key, tolerances);
  const change = m.current - m.test;
  const worse = spec.better === 'higher' ? -change : change;
  // A relative tolerance over a test value of 0: any rise is infinitely far.
  const raw = spec.mode === 'relative' ? (worse === 0 ? 0 : worse / Math.abs(m.test)) : worse;
  const worsening = Number.isFinite(raw) ? round3(raw) : raw;
  return { kind: 'metric', key: m.key, metric: m.key, label: m.label, primary, reference: m.test, current: m.current, change, mode: spec.mode, better: spec.better, worsening, tolerance, passed: !(worsening > tolerance) };
}

function driftCheck(f: FeatureDrift, key: 'prediction' | 'label', primary: boolean): DriftCheck {
  // The predictions' column is always called 'prediction'; the target's name says which label drifted.
  const label = key === 'prediction' ? 'prediction drift' : `label drift (${f.column})`;
  return { kind: 'drift', key, label, primary, passed: !f.drifted, column: f.column, testLabel: f.testLabel, score: f.score, threshold: f.threshold, driftWhen: DRIFT_TESTS[f.test]?.driftWhen ?? '>=' };
}

/** The rows of a model check: metrics (when labelled) in the task's order, then prediction and label drift. */
export function modelChecks(e: ModelEvidence, tolerances: Tolerances = {}): ModelCheck[] {
  const checks: ModelCheck[] = [];
  const concept = (e.concept ?? []).filter((m): m is ConceptMetric & { key: MetricKey } => isMetricKey(m.key) && Number.isFinite(m.test) && Number.isFinite(m.current));
  if (concept.length > 0) {
    const order = TASK_METRICS[taskOfMetrics(concept)];
    const rank = (k: string) => {
      const i = order.findIndex((o) => o.key === k);
      return i < 0 ? order.length : i;
    };
    for (const m of [...concept].sort((a, b) => rank(a.key) - rank(b.key))) {
      const primary = m.primary ?? order.find((o) => o.key === m.key)?.primary ?? false;
      checks.push(metricCheck(m, primary, tolerances));
    }
  }
  // Prediction drift decides on its own (the rule), so it is primary; label drift only warns.
  if (e.prediction) checks.push(driftCheck(e.prediction, 'prediction', true));
  if (e.label) checks.push(driftCheck(e.label, 'label', false));
  return checks;
}

const f3 = (x: number) => formatMetric(x, 3);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The tolerance as a reader sees it: "0.050" or "+10.0%". */
export function toleranceText(c: MetricCheck): string {
  return c.mode === 'relative' ? `+${pct(c.tolerance)}` : f3(c.tolerance);
}

/** The change as a reader sees it: "−0.100", or "+0.500 (+16.1%)" for a relative tolerance. */
export function changeText(c: MetricCheck): string {
  const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '');
  const abs = `${sign(c.change)}${f3(Math.abs(c.change))}`;
  if (c.mode !== 'relative') return abs;
  const rel = c.better === 'lower' ? c.worsening : -c.worsening;
  return `${abs} (${Number.isFinite(rel) ? `${sign(rel)}${pct(Math.abs(rel))}` : '—'})`;
}

/** "accuracy fell from 0.720 to 0.620 (tolerance 0.050)" / "RMSE rose from 3.100 to 3.600 (+16.1%; tolerance +10.0%)". */
function failure(c: ModelCheck): string {
  if (c.kind === 'drift') return c.key === 'prediction' ? 'the model’s predictions have drifted' : 'the target’s distribution has changed';
  const verb = c.change < 0 ? 'fell' : 'rose';
  const rel = c.mode === 'relative' && Number.isFinite(c.worsening) ? `+${pct(c.worsening)}; ` : '';
  return `${c.label} ${verb} from ${f3(c.reference)} to ${f3(c.current)} (${rel}tolerance ${toleranceText(c)})`;
}

/** "a", "a and b", "a, b, and c". */
function listOf(parts: string[]): string {
  if (parts.length <= 2) return parts.join(' and ');
  return `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}`;
}

/** Failing rows, worst first: metrics by how many tolerances past, then prediction, then label drift. */
function worstFirst(failed: ModelCheck[]): ModelCheck[] {
  const weight = (c: ModelCheck) => (c.kind === 'drift' ? (c.key === 'prediction' ? -1 : -2) : c.tolerance > 0 ? c.worsening / c.tolerance : Infinity);
  return failed.map((c, i) => ({ c, i })).sort((a, b) => weight(b.c) - weight(a.c) || a.i - b.i).map((x) => x.c);
}

/** The verdict of a model check: the rows, the level they lead to by the rule, and the sentence naming the failing rows. */
export function modelVerdict(e: ModelEvidence, tolerances: Tolerances = {}): ModelVerdict {
  const checks = modelChecks(e, tolerances);
  const metrics = checks.filter((c): c is MetricCheck => c.kind === 'metric');
  const labelled = metrics.length > 0;
  const failed = checks.filter((c) => !c.passed);
  const prediction = checks.find((c) => c.key === 'prediction');
  let level: VerdictLevel;
  if (labelled) level = failed.some((c) => c.primary) ? 'retrain' : failed.length > 0 ? 'watch' : 'ok';
  else level = prediction && !prediction.passed ? 'check-labels' : failed.length > 0 ? 'watch' : 'ok';
  const headline = VERDICT_HEADLINES[level];
  let reason: string;
  if (level === 'check-labels') reason = 'the model’s predictions have drifted, and the new data has no target values to measure its metrics with';
  else if (failed.length > 0) {
    reason = listOf(worstFirst(failed).map(failure));
    if (level === 'watch' && labelled) reason += '; the primary checks are within their tolerances';
  } else if (labelled) reason = prediction ? 'every metric is within its tolerance and the model’s predictions have not drifted' : 'every metric is within its tolerance';
  else if (prediction) reason = 'the model’s predictions have not drifted (the new data has no target values, so its metrics were not measured)';
  else reason = 'nothing about the model could be checked (the new data has no target values, and no reference rows are here to compare its predictions with)';
  const used: Tolerances = {};
  for (const c of metrics) used[c.metric] = c.tolerance;
  return { level, headline, sentence: `${headline}: ${reason}.`, labelled, checks, tolerances: used };
}

/** The row's rule as a reader sees it: "fall ≤ 0.050", "rise ≤ 10.0%", "drift when ≥ 0.100". */
export function ruleText(c: ModelCheck): string {
  if (c.kind === 'drift') return `drift when ${c.driftWhen === '<=' ? '≤' : c.driftWhen === '>=' ? '≥' : '<'} ${f3(c.threshold)}`;
  return c.mode === 'relative' ? `${c.better === 'lower' ? 'rise' : 'fall'} ≤ ${pct(c.tolerance)}` : `fall ≤ ${f3(c.tolerance)}`;
}

/** A drift row's measurement: "Wasserstein distance (normed) 0.180". */
export function driftScoreText(c: DriftCheck): string {
  return `${c.testLabel} ${f3(c.score)}`;
}

/** The defaults in words, from METRIC_SPECS: "a fall of 0.050 for recall, …; 0.020 for ROC AUC; a rise of 10.0% for RMSE and MAE". */
export function defaultTolerancesText(): string {
  const groups = new Map<string, string[]>();
  for (const spec of Object.values(METRIC_SPECS)) {
    const rule = spec.mode === 'relative' ? `rise|${pct(spec.defaultTolerance)}` : `${spec.better === 'lower' ? 'rise' : 'fall'}|${f3(spec.defaultTolerance)}`;
    groups.set(rule, [...(groups.get(rule) ?? []), spec.label]);
  }
  let last = '';
  const parts: string[] = [];
  for (const [rule, labels] of groups) {
    const [verb, value] = rule.split('|') as [string, string];
    parts.push(`${verb === last ? '' : `a ${verb} of `}${value} for ${listOf(labels)}`);
    last = verb;
  }
  return parts.join('; ');
}
