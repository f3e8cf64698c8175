/**
 * The fairness metrics, from confusion counts: a group's rates, and the gaps
 * between a group (Clarify's facet d) and the rest of the rows (facet a),
 * with the names Amazon SageMaker Clarify (or AIF360) gives them.
 */
import type { GapMetric } from './fairness-types';

/** The gaps, in the order they are computed, reported and stored in bootstrap buffers. */
export const GAP_METRIC_ORDER: readonly GapMetric[] = ['demographic-parity', 'disparate-impact', 'equal-opportunity', 'average-odds'];

/** What a gap metric is called here and elsewhere, and what it means. */
export interface GapMetricInfo {
  metric: GapMetric;
  /** Our label, for tables and chart titles. */
  label: string;
  /** Clarify's post-training bias metric, or null when Clarify has none. */
  clarify: { name: string; acronym: string } | null;
  /** Where the metric comes from when Clarify has none ("AIF360: average_odds_difference"), else null. */
  otherName: string | null;
  /** The value meaning "no gap". */
  neutral: number;
  /** One line: how it is computed and how to read it. */
  meaning: string;
}

/** The gap metrics, in GAP_METRIC_ORDER. */
export const GAP_METRICS: readonly GapMetricInfo[] = [
  {
    metric: 'demographic-parity',
    label: 'Demographic parity difference',
    clarify: { name: 'Difference in Positive Proportions in Predicted Labels', acronym: 'DPPL' },
    otherName: null,
    neutral: 0,
    meaning: "Rest's selection rate minus the group's (q'a - q'd): above 0, the group is predicted favourable less often.",
  },
  {
    metric: 'disparate-impact',
    label: 'Disparate impact ratio',
    clarify: { name: 'Disparate Impact', acronym: 'DI' },
    otherName: null,
    neutral: 1,
    meaning: "The group's selection rate divided by the rest's (q'd / q'a): below 0.8 fails the four-fifths rule.",
  },
  {
    metric: 'equal-opportunity',
    label: 'Equal opportunity difference',
    clarify: { name: 'Recall Difference', acronym: 'RD' },
    otherName: null,
    neutral: 0,
    meaning: "Rest's recall minus the group's (TPRa - TPRd): above 0, the group's favourable rows are found less often.",
  },
  {
    metric: 'average-odds',
    label: 'Average odds difference',
    clarify: null,
    otherName: 'AIF360: average_odds_difference',
    neutral: 0,
    meaning:
      "Mean of the rest-minus-group gaps in false and true positive rates, ((FPRa - FPRd) + (TPRa - TPRd)) / 2 (AIF360 takes group minus privileged, the other sign).",
  },
];

/** The pre-training metrics (Clarify's), for labels. */
export const PRE_TRAINING_METRICS = {
  classImbalance: { label: 'Class imbalance', clarify: { name: 'Class Imbalance', acronym: 'CI' }, meaning: '(na - nd) / (na + nd): above 0, the group has fewer rows than the rest.' },
  labelDifference: {
    label: 'Difference in label proportions',
    clarify: { name: 'Difference in Proportions of Labels', acronym: 'DPL' },
    meaning: "qa - qd, the rest's share of favourable labels minus the group's: above 0, the group has fewer favourable labels.",
  },
} as const;

/** The metric's entry in GAP_METRICS. */
export function gapMetricInfo(metric: GapMetric): GapMetricInfo {
  const info = GAP_METRICS.find((m) => m.metric === metric);
  if (!info) throw new Error(`Unknown fairness metric "${String(metric)}".`);
  return info;
}

/**
 * Confusion counts are kept four per group, at `4 * group + 2 * label + prediction`
 * (label and prediction 1 when favourable): true negatives, false positives,
 * false negatives, true positives.
 */
export const TN = 0;
export const FP = 1;
export const FN = 2;
export const TP = 3;

/** A group's rates from its confusion counts (NaN where a denominator is 0). */
export interface Rates {
  size: number;
  labelRate: number;
  selectionRate: number;
  recall: number;
  falsePositiveRate: number;
  precision: number;
  accuracy: number;
}

export function ratesOf(tn: number, fp: number, fn: number, tp: number): Rates {
  const size = tn + fp + fn + tp;
  const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);
  return {
    size,
    labelRate: div(tp + fn, size),
    selectionRate: div(tp + fp, size),
    recall: div(tp, tp + fn),
    falsePositiveRate: div(fp, fp + tn),
    precision: div(tp, tp + fp),
    accuracy: div(tp + tn, size),
  };
}

/**
 * Writes the four gaps (GAP_METRIC_ORDER) of group d against the rest a into
 * `out` at `at`. Allocation-free, for the bootstrap's inner loop. Undefined
 * rates give NaN; a disparate impact whose rest selects nobody is Infinity
 * (or NaN when the group selects nobody either).
 * Arguments: the group's counts, then the rest's (TN, FP, FN, TP).
 */
export function gapsInto(
  tnD: number,
  fpD: number,
  fnD: number,
  tpD: number,
  tnA: number,
  fpA: number,
  fnA: number,
  tpA: number,
  out: Float64Array,
  at: number,
): void {
  const nD = tnD + fpD + fnD + tpD;
  const nA = tnA + fpA + fnA + tpA;
  const selD = nD > 0 ? (tpD + fpD) / nD : NaN;
  const selA = nA > 0 ? (tpA + fpA) / nA : NaN;
  const tprD = tpD + fnD > 0 ? tpD / (tpD + fnD) : NaN;
  const tprA = tpA + fnA > 0 ? tpA / (tpA + fnA) : NaN;
  const fprD = fpD + tnD > 0 ? fpD / (fpD + tnD) : NaN;
  const fprA = fpA + tnA > 0 ? fpA / (fpA + tnA) : NaN;
  out[at] = selA - selD;
  out[at + 1] = selD / selA;
  out[at + 2] = tprA - tprD;
  out[at + 3] = (fprA - fprD + (tprA - tprD)) / 2;
}
