/**
 * Which features matter to a model version: permutation importance on the
 * test split (the drop of the main metric when one feature's values are
 * shuffled, over seeded repeats) and partial dependence curves for the top
 * features. Plain JSON: stored with the run, exported, and in the model card.
 */

export interface ImportanceConfig {
  repeats: number;
  seed: number;
  /** Partial dependence is drawn for this many of the most important features. */
  topFeatures: number;
  /** Grid points of a numeric feature's curve. */
  gridPoints: number;
  /** Rows averaged per grid point (a seeded sample of the test split). */
  sampleRows: number;
}

export interface FeatureImportance {
  feature: string;
  /** Mean drop of the main metric (a loss metric's rise counts as a drop), over repeats. */
  mean: number;
  /** Standard deviation over the repeats. */
  std: number;
  /** Each repeat's drop. */
  drops: number[];
}

export interface PartialDependence {
  feature: string;
  kind: 'numeric' | 'categorical';
  /** Grid values (numbers) or categories. */
  grid: (number | string)[];
  /** Mean prediction at each grid point: the favourable class's probability, or the predicted value. */
  mean: number[];
  /** What `mean` is, for the axis ("P(HeartDisease = Yes)", "predicted BMI"). */
  output: string;
}

export interface ImportanceReport {
  kind: 'importance';
  config: ImportanceConfig;
  /** The metric whose drop is measured ("auc", "accuracy", "rmse"). */
  metric: string;
  /** The metric on the unshuffled test split. */
  baseline: number;
  testRows: number;
  /** Sorted, most important first. */
  features: FeatureImportance[];
  partialDependence: PartialDependence[];
}
