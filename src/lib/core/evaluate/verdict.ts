/**
 * Verdicts in words that agree with the numbers: a metric is called for one
 * model only when the 95% interval of the paired difference excludes 0, and
 * lower-is-better metrics (log loss, RMSE, MAE) count a negative difference
 * as the challenger's win.
 */
import type { Interval, MetricKey, MetricVerdict, OverallVerdict } from './evaluate-types';
import { metricInfo } from './row-scorers';

/** A number in the verdict's words: 3 decimals, or 2 significant digits when smaller than 0.001. */
export function formatDifference(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0 || Math.abs(x) >= 0.001) return x.toFixed(3);
  return x.toPrecision(2);
}

/**
 * The verdict on one metric from the challenger - champion difference and its
 * interval. The words give the winner's advantage as a positive amount with
 * its interval, e.g. "challenger better on ROC AUC by 0.021 [0.012, 0.030]";
 * "champion better on log loss (lower is better) by 0.040 [0.015, 0.066]".
 */
export function metricVerdict(metric: MetricKey, difference: number, interval: Interval): { verdict: MetricVerdict; words: string } {
  const { label, lowerIsBetter } = metricInfo(metric);
  if (!Number.isFinite(interval.low) || !Number.isFinite(interval.high) || !Number.isFinite(difference)) {
    return { verdict: 'undefined', words: `cannot tell on ${label}: it is undefined on these rows or resamples` };
  }
  // Advantage of the challenger: positive when the challenger is better.
  const sign = lowerIsBetter ? -1 : 1;
  const advLow = sign === 1 ? interval.low : -interval.high;
  const advHigh = sign === 1 ? interval.high : -interval.low;
  const adv = sign * difference;
  const note = lowerIsBetter ? ' (lower is better)' : '';
  if (advLow > 0) {
    return { verdict: 'challenger', words: `challenger better on ${label}${note} by ${formatDifference(adv)} [${formatDifference(advLow)}, ${formatDifference(advHigh)}]` };
  }
  if (advHigh < 0) {
    return { verdict: 'champion', words: `champion better on ${label}${note} by ${formatDifference(-adv)} [${formatDifference(-advHigh)}, ${formatDifference(-advLow)}]` };
  }
  return {
    verdict: 'none',
    words: `no clear difference on ${label}: the interval of the difference [${formatDifference(interval.low)}, ${formatDifference(interval.high)}] includes 0`,
  };
}

/** Names in a list: "a", "a and b", "a, b and c". */
function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/**
 * The overall verdict: 'challenger' when it is better on at least one metric
 * and worse on none, 'champion' the other way round, 'mixed' when each wins
 * somewhere, 'none' when no interval excludes 0.
 */
export function overallVerdict(per: { metric: MetricKey; verdict: MetricVerdict }[]): { verdict: OverallVerdict; words: string } {
  const wins = per.filter((p) => p.verdict === 'challenger').map((p) => metricInfo(p.metric).label);
  const losses = per.filter((p) => p.verdict === 'champion').map((p) => metricInfo(p.metric).label);
  const of = per.length;
  if (wins.length > 0 && losses.length === 0) {
    return { verdict: 'challenger', words: `challenger better on ${wins.length} of ${of} metrics (${listOf(wins)}) and worse on none` };
  }
  if (losses.length > 0 && wins.length === 0) {
    return { verdict: 'champion', words: `champion better on ${losses.length} of ${of} metrics (${listOf(losses)}) and worse on none` };
  }
  if (wins.length > 0) {
    return { verdict: 'mixed', words: `mixed: challenger better on ${listOf(wins)}, champion better on ${listOf(losses)}` };
  }
  return { verdict: 'none', words: `no clear difference: no metric's interval excludes 0` };
}
