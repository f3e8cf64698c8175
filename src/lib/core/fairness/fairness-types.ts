/**
 * The fairness report of a binary classifier, per group of one or more
 * sensitive attributes: before training on the dataset's labels (Clarify's
 * CI and DPL), after training on the test split (rates per group and gaps
 * between groups, each with a seeded bootstrap 95% interval).
 * Plain JSON: stored with the run, exported, and written into a model card.
 */

/** A 95% percentile interval from the bootstrap. */
export interface Interval {
  low: number;
  high: number;
}

/** How a sensitive attribute was grouped: a categorical column by value, a numeric one by bins. */
export interface AttributeGrouping {
  column: string;
  kind: 'categorical' | 'binned';
  /** Bin edges (ascending, length groups + 1) when binned. */
  edges?: number[];
}

/** The fairness analysis asked for. */
export interface FairnessConfig {
  /** Sensitive attributes (column names); each is reported on its own. */
  attributes: string[];
  /** The favourable label (a class of the target). */
  favourable: string;
  /** Numeric attributes are cut into this many quantile bins. */
  bins: number;
  /** Bootstrap resamples for the intervals. */
  resamples: number;
  seed: number;
}

/** Rates of one group on the test split (NaN when undefined, e.g. recall without positives). */
export interface GroupRates {
  group: string;
  /** Test rows in the group. */
  size: number;
  /** Under 30 rows: reported but never flagged. */
  tooSmall: boolean;
  /** Share of the group's rows with the favourable label (observed). */
  labelRate: number;
  /** Share predicted favourable. */
  selectionRate: number;
  /** True positive rate (recall) for the favourable label. */
  recall: number;
  falsePositiveRate: number;
  precision: number;
  accuracy: number;
}

/** Before training: the group against the rest of the dataset's rows (Clarify's facet d against a). */
export interface PreTrainingBias {
  group: string;
  size: number;
  tooSmall: boolean;
  /** Clarify CI: (n_a − n_d) / (n_a + n_d). */
  classImbalance: number;
  /** Clarify DPL: q_a − q_d, the difference in favourable-label proportions. */
  labelDifference: number;
}

export type GapMetric = 'demographic-parity' | 'disparate-impact' | 'equal-opportunity' | 'average-odds';

/** A gap between one group and the rest of the test rows, with its interval. */
export interface GroupGap {
  group: string;
  metric: GapMetric;
  /** Differences: rest − group (Clarify's a − d); disparate impact: group / rest. */
  value: number;
  interval: Interval;
  /** The value that means "no gap": 0 for differences, 1 for the ratio. */
  neutral: number;
  /** Only when the interval excludes `neutral` and neither side is too small. */
  flagged: boolean;
  tooSmall: boolean;
  /** Disparate impact only: below 0.8 (the four-fifths rule). */
  fourFifths?: boolean;
}

export interface AttributeReport {
  grouping: AttributeGrouping;
  preTraining: PreTrainingBias[];
  groups: GroupRates[];
  gaps: GroupGap[];
}

export interface FairnessReport {
  kind: 'fairness';
  config: FairnessConfig;
  /** The decision threshold the predictions used. */
  threshold: number;
  /** Rows: dataset rows with a target (pre-training) and test rows (post-training). */
  datasetRows: number;
  testRows: number;
  attributes: AttributeReport[];
}
