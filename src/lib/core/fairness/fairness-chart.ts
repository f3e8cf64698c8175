/**
 * Plain data for one bar chart of a fairness gap: a bar per group with its
 * interval as error bars, and the neutral line. The UI turns it into Plotly
 * traces (`error_y: { type: 'data', array: errorPlus, arrayminus: errorMinus }`).
 */
import { gapMetricInfo } from './fairness-metrics';
import type { FairnessReport, GapMetric } from './fairness-types';

export interface FairnessChartData {
  attribute: string;
  metric: GapMetric;
  /** "Demographic parity difference (Clarify DPPL)". */
  title: string;
  /** Group labels, one per bar. */
  x: string[];
  /** The gap of each group; null when not defined (or infinite), so Plotly leaves a hole. */
  y: (number | null)[];
  /** high − value and value − low; null when the interval is not defined. */
  errorPlus: (number | null)[];
  errorMinus: (number | null)[];
  flagged: boolean[];
  tooSmall: boolean[];
  /** Where to draw the "no gap" line: 0, or 1 for disparate impact. */
  neutral: number;
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The bars of one metric for one attribute of the report.
 * @throws Error when the report has no such attribute.
 */
export function fairnessChartData(report: FairnessReport, attribute: string, metric: GapMetric): FairnessChartData {
  const a = report.attributes.find((r) => r.grouping.column === attribute);
  if (!a) throw new Error(`The fairness report has no attribute "${attribute}".`);
  const info = gapMetricInfo(metric);
  const gaps = a.gaps.filter((g) => g.metric === metric);
  const y = gaps.map((g) => finite(g.value));
  // Distances from the bar to the interval's ends (0 when the bootstrap interval does not reach past the value).
  const bound = (i: number, end: number, sign: 1 | -1): number | null => {
    const value = y[i];
    return value === null || value === undefined || !Number.isFinite(end) ? null : Math.max(0, sign * (end - value));
  };
  const other = info.clarify ? `Clarify ${info.clarify.acronym}` : (info.otherName ?? '');
  return {
    attribute,
    metric,
    title: `${info.label} (${other})`,
    x: gaps.map((g) => g.group),
    y,
    errorPlus: gaps.map((g, i) => bound(i, g.interval.high, 1)),
    errorMinus: gaps.map((g, i) => bound(i, g.interval.low, -1)),
    flagged: gaps.map((g) => g.flagged),
    tooSmall: gaps.map((g) => g.tooSmall),
    neutral: info.neutral,
  };
}
