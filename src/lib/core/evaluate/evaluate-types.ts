/**
 * Shapes of the champion-vs-challenger evaluation: what `compareModels` and
 * `rehearse` read and what they return. Pure data, no behaviour.
 */

export type EvaluateTask = 'binary' | 'multiclass' | 'regression';

export type BinaryMetric = 'rocAuc' | 'accuracy' | 'balancedAccuracy' | 'precision' | 'recall' | 'f1' | 'logLoss';
export type MulticlassMetric = 'accuracy' | 'balancedAccuracy' | 'macroF1' | 'logLoss';
export type RegressionMetric = 'rmse' | 'mae' | 'r2';
export type MetricKey = BinaryMetric | MulticlassMetric | RegressionMetric;

/** A binary model's outputs: p(positive class = 1) per row and the threshold that makes its labels. */
export interface BinaryModelOutputs {
  name: string;
  scores: ArrayLike<number>;
  /** Class 1 is predicted when score >= threshold; default 0.5. */
  threshold?: number;
}

/** A multiclass model's outputs: row-major n x K probabilities; its label is the argmax (lowest index on a tie). */
export interface MulticlassModelOutputs {
  name: string;
  proba: ArrayLike<number>;
}

/** A regression model's predicted values. */
export interface RegressionModelOutputs {
  name: string;
  values: ArrayLike<number>;
}

interface CommonInput {
  /** Bootstrap resamples; default 1000 (0 gives NaN intervals). */
  resamples?: number;
  /** Seeds the resampling: the same seed gives the same intervals. */
  seed: number;
}

/**
 * The labelled rows and every model's outputs on the SAME rows, the champion
 * first. Classification labels are class indices (binary 0 / 1, multiclass
 * 0..K-1); regression labels are the true values.
 */
export type EvaluateInput =
  | (CommonInput & { task: 'binary'; labels: ArrayLike<number>; models: BinaryModelOutputs[] })
  | (CommonInput & { task: 'multiclass'; labels: ArrayLike<number>; classes: number; models: MulticlassModelOutputs[] })
  | (CommonInput & {
      task: 'regression';
      labels: ArrayLike<number>;
      models: RegressionModelOutputs[];
      /**
       * Two predictions "disagree" when they differ by more than this (in the
       * target's units). Default: 0.1 x the population standard deviation of
       * the labels (0 for a constant target, so any difference counts).
       */
      tolerance?: number;
    });

export interface Interval {
  low: number;
  high: number;
}

export interface MetricEstimate {
  metric: MetricKey;
  /** On all rows. */
  value: number;
  /** 95% bootstrap percentile interval (2.5% and 97.5%, numpy's linear method) of the defined resamples. */
  interval: Interval;
  /** Resamples on which the metric was undefined (ROC AUC with one class drawn); left out of the interval. */
  undefinedResamples: number;
}

export interface ModelEvaluation {
  name: string;
  metrics: MetricEstimate[];
}

/** 'challenger' / 'champion': the interval excludes 0 on that side; 'none': it includes 0; 'undefined': no interval. */
export type MetricVerdict = 'challenger' | 'champion' | 'none' | 'undefined';

export interface MetricDifference {
  metric: MetricKey;
  lowerIsBetter: boolean;
  /** challenger - champion on all rows (raw, not sign-flipped for lower-is-better metrics). */
  difference: number;
  /** 95% percentile interval of the paired differences (same resampled rows for both models). */
  interval: Interval;
  verdict: MetricVerdict;
  /** e.g. "challenger better on ROC AUC by 0.021 [0.012, 0.030]". */
  words: string;
}

export interface Disagreement {
  /** Rows where the two predicted labels differ (regression: |difference| > tolerance). */
  rows: number;
  share: number;
  /** Regression only: the tolerance used. */
  tolerance?: number;
}

export type OverallVerdict = 'challenger' | 'champion' | 'mixed' | 'none';

export interface ChallengerComparison {
  champion: string;
  challenger: string;
  disagreement: Disagreement;
  differences: MetricDifference[];
  overall: { verdict: OverallVerdict; words: string };
}

export interface Evaluation {
  task: EvaluateTask;
  rows: number;
  resamples: number;
  seed: number;
  /** The metrics of the task, in the order every list below uses. */
  metricKeys: MetricKey[];
  models: ModelEvaluation[];
  /** One per challenger (models[1..]) against the champion (models[0]). */
  comparisons: ChallengerComparison[];
}
