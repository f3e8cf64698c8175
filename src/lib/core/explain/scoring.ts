/**
 * A model's raw head outputs turned into what the analyses measure: the run's
 * main metric on the test labels (for permutation importance) and one number
 * per row (for partial dependence). Head outputs are what the TF.js model
 * gives: p(class 1) per row for a binary head, K probabilities per row for a
 * softmax head, the (possibly standardized) value for regression.
 */
import { meanSquaredError, predictClasses, rocAucScore } from '../metrics';
import { mainMetricOf, unscaleTarget, type MainMetric, type TargetSpec } from '../training';

/** The main metric of a model with this target: AUC for two classes, accuracy for more, RMSE for regression. */
export function metricOf(target: TargetSpec): MainMetric {
  if (target.task === 'regression') return mainMetricOf('regression');
  return mainMetricOf(target.classes.length === 2 ? 'binary' : 'multiclass');
}

/** RMSE is a loss: its rise is the drop. */
export function higherIsBetter(metric: MainMetric): boolean {
  return metric !== 'rmse';
}

/** Head outputs per row: 1 for a binary or regression head, K for a softmax head. */
export function outputWidth(target: TargetSpec): number {
  return target.task === 'classification' && target.classes.length > 2 ? target.classes.length : 1;
}

/**
 * The main metric of `outputs` (n rows of head outputs) against `truth`: class
 * indices for classification, values in the target's own units for regression.
 * @throws RangeError when the outputs do not have n rows of the head's width
 */
export function scoreOutputs(target: TargetSpec, metric: MainMetric, truth: ArrayLike<number>, outputs: Float32Array): number {
  const n = truth.length;
  const width = outputWidth(target);
  if (outputs.length !== n * width) throw new RangeError(`Expected ${n * width} model outputs for ${n} rows, got ${outputs.length}.`);
  if (target.task === 'regression') return Math.sqrt(meanSquaredError(truth, unscaleTarget(target, outputs)));
  if (metric === 'auc') return rocAucScore(truth, outputs);
  // Accuracy of the most probable class (a binary head: p >= 0.5).
  const pred = width === 1 ? Uint32Array.from(outputs, (p) => (p >= 0.5 ? 1 : 0)) : predictClasses(outputs, width);
  let right = 0;
  for (let i = 0; i < n; i++) if (pred[i] === truth[i]) right++;
  return n > 0 ? right / n : NaN;
}

/** What partial dependence averages: its axis label and each row's number. */
export interface OutputColumn {
  /** "P(HeartDisease = Yes)", "predicted BMI". */
  output: string;
  /** One number per row from `rows` rows of head outputs. */
  pick: (outputs: Float32Array, rows: number) => Float64Array;
}

/**
 * Binary: the probability of the positive class (`classes[1]`). Multiclass:
 * of `favourable` when it is a class, else of the first class. Regression: the
 * predicted value in the target's own units.
 */
export function outputColumn(target: TargetSpec, targetName: string, favourable?: string | null): OutputColumn {
  if (target.task === 'regression') {
    return { output: `predicted ${targetName}`, pick: (outputs) => unscaleTarget(target, outputs) };
  }
  const k = target.classes.length;
  if (k === 2) return { output: `P(${targetName} = ${target.classes[1]})`, pick: (outputs) => Float64Array.from(outputs) };
  const found = favourable == null ? -1 : target.classes.indexOf(favourable);
  const c = found >= 0 ? found : 0;
  return {
    output: `P(${targetName} = ${target.classes[c]})`,
    pick: (outputs, rows) => Float64Array.from({ length: rows }, (_, i) => outputs[i * k + c]!),
  };
}
