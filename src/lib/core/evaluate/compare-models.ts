/**
 * Champion vs challengers on the same labelled rows: every metric of every
 * model with a 95% bootstrap interval, and for each challenger the PAIRED
 * difference against the champion (both scored on the same resampled rows),
 * how often their answers disagree, and verdicts in words.
 */
import { deriveSeed, normalizeSeed } from '../common';
import { createResampler, percentileInterval } from './bootstrap';
import type { ChallengerComparison, Disagreement, EvaluateInput, Evaluation, MetricDifference, MetricKey, ModelEvaluation } from './evaluate-types';
import { binaryRows, binaryScorer, metricInfo, multiclassRows, multiclassScorer, regressionScorer, type RowScorer } from './row-scorers';
import { metricVerdict, overallVerdict } from './verdict';

/** compareModels reports its progress every this many resamples. */
export const PROGRESS_EVERY = 100;
export const DEFAULT_RESAMPLES = 1000;
/** Default regression disagreement tolerance, as a share of the labels' standard deviation. */
export const REGRESSION_TOLERANCE_SD = 0.1;

/** Each model's labels per row (classification) or values (regression), for disagreement. */
type Answers = Uint32Array | Uint8Array | Float64Array;

interface Prepared {
  scorers: RowScorer[];
  answers: Answers[];
  tolerance?: number;
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what}: row ${i} is ${String(values[i])}, a number is needed.`);
  }
}

/** Throws a RangeError naming the first thing that does not fit. */
export function validateInput(input: EvaluateInput): void {
  const n = input.labels.length;
  if (n === 0) throw new RangeError('There are no labelled rows to evaluate.');
  if (input.models.length === 0) throw new RangeError('At least one model is needed.');
  const resamples = input.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 0) throw new RangeError(`Resamples must be a whole number of at least 0, got ${String(resamples)}.`);
  normalizeSeed(input.seed);
  checkFinite(input.labels, 'The labels');
  if (input.task === 'binary') {
    for (let i = 0; i < n; i++) {
      const y = input.labels[i];
      if (y !== 0 && y !== 1) throw new RangeError(`Binary labels are 0 or 1; row ${i} is ${String(y)}.`);
    }
    for (const m of input.models) {
      if (m.scores.length !== n) throw new RangeError(`Model "${m.name}" has ${m.scores.length} scores for ${n} rows.`);
      checkFinite(m.scores, `Model "${m.name}"`);
      if (m.threshold !== undefined && !Number.isFinite(m.threshold)) throw new RangeError(`Model "${m.name}" has threshold ${m.threshold}.`);
    }
  } else if (input.task === 'multiclass') {
    const k = input.classes;
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`Multiclass needs at least 2 classes, got ${String(k)}.`);
    for (let i = 0; i < n; i++) {
      const y = input.labels[i]!;
      if (!Number.isInteger(y) || y < 0 || y >= k) throw new RangeError(`Row ${i} has class index ${y}, expected 0 to ${k - 1}.`);
    }
    for (const m of input.models) {
      if (m.proba.length !== n * k) throw new RangeError(`Model "${m.name}" has ${m.proba.length} probabilities, expected ${n} x ${k} = ${n * k}.`);
      checkFinite(m.proba, `Model "${m.name}" probabilities`);
    }
  } else {
    for (const m of input.models) {
      if (m.values.length !== n) throw new RangeError(`Model "${m.name}" has ${m.values.length} predictions for ${n} rows.`);
      checkFinite(m.values, `Model "${m.name}"`);
    }
    if (input.tolerance !== undefined && !(input.tolerance >= 0)) throw new RangeError(`The tolerance must be at least 0, got ${String(input.tolerance)}.`);
  }
}

/** Population standard deviation. */
function stdOf(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/** The regression disagreement tolerance: the given one, else 0.1 x the labels' standard deviation. */
export function regressionTolerance(labels: ArrayLike<number>, tolerance?: number): number {
  return tolerance ?? REGRESSION_TOLERANCE_SD * stdOf(labels);
}

function prepare(input: EvaluateInput): Prepared {
  if (input.task === 'binary') {
    const rows = input.models.map((m) => binaryRows(input.labels, m.scores, m.threshold ?? 0.5));
    return { scorers: rows.map(binaryScorer), answers: rows.map((r) => r.predicted) };
  }
  if (input.task === 'multiclass') {
    const rows = input.models.map((m) => multiclassRows(input.labels, m.proba, input.classes));
    return { scorers: rows.map(multiclassScorer), answers: rows.map((r) => r.predicted) };
  }
  return {
    scorers: input.models.map((m) => regressionScorer(input.labels, m.values)),
    answers: input.models.map((m) => Float64Array.from(m.values)),
    tolerance: regressionTolerance(input.labels, input.tolerance),
  };
}

/** Rows where two models' answers differ: labels differ, or values by more than `tolerance`. */
export function disagreement(a: Answers, b: Answers, tolerance?: number): Disagreement {
  let rows = 0;
  if (tolerance === undefined) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) rows++;
    return { rows, share: a.length > 0 ? rows / a.length : NaN };
  }
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > tolerance) rows++;
  return { rows, share: a.length > 0 ? rows / a.length : NaN, tolerance };
}

/**
 * Every metric of every model with its 95% bootstrap interval, and each
 * challenger (models[1..]) against the champion (models[0]): the paired
 * difference of every metric with its 95% percentile interval, the share of
 * rows where their answers disagree, and verdicts. `resamples` (default 1000)
 * resamples of the rows are drawn with replacement from a stream seeded by
 * `seed` (`createResampler(n, deriveSeed(seed, 'evaluate-bootstrap'))`): the
 * same seed gives the same intervals. `onProgress` hears every PROGRESS_EVERY
 * resamples how many are done.
 * @throws RangeError when labels and outputs do not line up.
 */
export function compareModels(input: EvaluateInput, onProgress?: (done: number, total: number) => void): Evaluation {
  validateInput(input);
  const n = input.labels.length;
  const resamples = input.resamples ?? DEFAULT_RESAMPLES;
  const { scorers, answers, tolerance } = prepare(input);
  const keys: MetricKey[] = [...scorers[0]!.metrics];
  const q = keys.length;
  const models = scorers.length;

  const ones = new Int32Array(n).fill(1);
  const point = new Float64Array(models * q);
  scorers.forEach((s, m) => s.score(ones, point, m * q));

  // samples[(m * q + j) * resamples + r]: metric j of model m on resample r.
  const samples = new Float64Array(models * q * resamples);
  const scratch = new Float64Array(q);
  if (resamples > 0) {
    const resampler = createResampler(n, deriveSeed(input.seed, 'evaluate-bootstrap'));
    const counts = new Int32Array(n);
    for (let r = 0; r < resamples; r++) {
      if (onProgress && r % PROGRESS_EVERY === 0 && r > 0) onProgress(r, resamples);
      resampler.next(counts);
      for (let m = 0; m < models; m++) {
        scorers[m]!.score(counts, scratch);
        for (let j = 0; j < q; j++) samples[(m * q + j) * resamples + r] = scratch[j]!;
      }
    }
  }
  const series = (m: number, j: number) => samples.subarray((m * q + j) * resamples, (m * q + j + 1) * resamples);

  const evaluations: ModelEvaluation[] = input.models.map((model, m) => ({
    name: model.name,
    metrics: keys.map((metric, j) => {
      const { low, high, undefinedCount } = percentileInterval(series(m, j));
      return { metric, value: point[m * q + j]!, interval: { low, high }, undefinedResamples: undefinedCount };
    }),
  }));

  const comparisons: ChallengerComparison[] = [];
  const diff = new Float64Array(resamples);
  for (let m = 1; m < models; m++) {
    const differences: MetricDifference[] = keys.map((metric, j) => {
      const a = series(0, j);
      const b = series(m, j);
      for (let r = 0; r < resamples; r++) diff[r] = b[r]! - a[r]!;
      const { low, high } = percentileInterval(diff);
      const difference = point[m * q + j]! - point[j]!;
      const interval = { low, high };
      return { metric, lowerIsBetter: metricInfo(metric).lowerIsBetter, difference, interval, ...metricVerdict(metric, difference, interval) };
    });
    comparisons.push({
      champion: input.models[0]!.name,
      challenger: input.models[m]!.name,
      disagreement: disagreement(answers[0]!, answers[m]!, tolerance),
      differences,
      overall: overallVerdict(differences),
    });
  }
  return { task: input.task, rows: n, resamples, seed: input.seed, metricKeys: keys, models: evaluations, comparisons };
}
