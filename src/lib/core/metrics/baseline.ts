/**
 * The baseline every result is read against: what a model that learned
 * nothing scores on the same test split. For classification it is
 * scikit-learn's `DummyClassifier(strategy="prior")`: it always answers the
 * training split's most frequent class and gives every row the training class
 * shares as probabilities; for regression `DummyRegressor()`: always the
 * training mean. "0.914 accuracy" means little until it sits beside "0.914 by
 * always answering No".
 */
import { classificationMetrics } from './metrics-classification';
import { regressionMetrics } from './metrics-regression';

export interface Baseline {
  kind: 'majority' | 'mean';
  /** For the screen: "always “No”", "always the training mean 12.4". */
  label: string;
  /** The same keys as a run's headline metrics (plus minorityRecall / minorityF1 for binary). */
  metrics: Record<string, number>;
}

/**
 * The majority-class baseline on a test split.
 * @param trainLabels class index of each training row (as the model saw the split before any resampling)
 * @param testLabels class index of each test row
 * @param threshold binary only: the run's decision threshold (the prior is compared with it, as the model's p would be)
 */
export function classificationBaseline(trainLabels: ArrayLike<number>, testLabels: ArrayLike<number>, classes: readonly string[], threshold = 0.5): Baseline {
  const k = classes.length;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < trainLabels.length; i++) counts[trainLabels[i]!]!++;
  const total = Math.max(1, trainLabels.length);
  const prior = counts.map((c) => c / total);
  let majority = 0;
  for (let c = 1; c < k; c++) if (counts[c]! > counts[majority]!) majority = c;
  const n = testLabels.length;
  const proba = new Float64Array(n * k);
  for (let i = 0; i < n; i++) proba.set(prior, i * k);
  const m = classificationMetrics(Uint32Array.from(testLabels), proba, classes, k === 2 ? { threshold } : {});
  const metrics: Record<string, number> = {
    accuracy: m.accuracy,
    balancedAccuracy: m.balancedAccuracy,
    logLoss: m.logLoss,
    rocAuc: m.rocAuc,
    averagePrecision: m.averagePrecision,
  };
  if (k === 2 && m.minorityClass !== null) {
    const row = m.report.perClass.find((r) => r.label === m.minorityClass);
    if (row) {
      metrics.minorityRecall = row.recall;
      metrics.minorityF1 = row.f1;
    }
  }
  // With a threshold other than 0.5 the constant p(class 1) may cross it: name the class it really answers.
  const answered = k === 2 ? (prior[1]! >= threshold ? 1 : 0) : majority;
  return { kind: 'majority', label: `always “${classes[answered]}”`, metrics };
}

/** The training-mean baseline on a test split (values on the target's own scale). */
export function regressionBaseline(trainValues: ArrayLike<number>, testValues: ArrayLike<number>): Baseline {
  let sum = 0;
  for (let i = 0; i < trainValues.length; i++) sum += trainValues[i]!;
  const mean = trainValues.length > 0 ? sum / trainValues.length : 0;
  const yTrue = Float64Array.from(testValues as ArrayLike<number>);
  const m = regressionMetrics(yTrue, new Float64Array(yTrue.length).fill(mean));
  return { kind: 'mean', label: `always the training mean ${Number(mean.toPrecision(4))}`, metrics: { mae: m.mae, rmse: m.rmse, r2: m.r2 } };
}
