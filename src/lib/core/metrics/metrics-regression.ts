/**
 * Regression metrics on the held-out test split, matching scikit-learn's
 * mean_absolute_error, mean_squared_error / root_mean_squared_error and r2_score,
 * plus a residual summary with a bounded set of points for the residual plot.
 */

/** Default number of (predicted, residual) pairs kept for the plot. */
export const MAX_RESIDUAL_POINTS = 2000;

export interface ResidualSummary {
  /** Residual = yTrue - yPred (sklearn's PredictionErrorDisplay convention). */
  mean: number;
  /** Population standard deviation of the residuals. */
  std: number;
  min: number;
  max: number;
  /** Quantiles with linear interpolation (numpy's default). */
  p05: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  /** Evenly spaced rows (first and last kept), at most maxResidualPoints. */
  predicted: number[];
  residual: number[];
  /** True when `predicted` / `residual` hold fewer rows than n. */
  sampled: boolean;
}

export interface RegressionMetrics {
  n: number;
  mae: number;
  mse: number;
  rmse: number;
  /** See {@link r2Score} for the constant-target and n < 2 cases. */
  r2: number;
  residuals: ResidualSummary;
  notes: string[];
}

export interface RegressionOptions {
  maxResidualPoints?: number;
}

type Values = ArrayLike<number>;

function validate(yTrue: Values, yPred: Values): void {
  if (yTrue.length !== yPred.length) throw new RangeError(`${yTrue.length} true values but ${yPred.length} predictions.`);
  if (yTrue.length === 0) throw new RangeError('The test split has no rows: there is nothing to evaluate.');
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i]) || !Number.isFinite(yPred[i])) {
      throw new RangeError(`Row ${i} has a missing or infinite value (true ${yTrue[i]}, predicted ${yPred[i]}).`);
    }
  }
}

/** sklearn's mean_absolute_error. */
export function meanAbsoluteError(yTrue: Values, yPred: Values): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/** sklearn's mean_squared_error (RMSE is its square root). */
export function meanSquaredError(yTrue: Values, yPred: Values): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i]! - yPred[i]!;
    s += d * d;
  }
  return s / yTrue.length;
}

/**
 * sklearn's r2_score with its default force_finite=True: 1 - SS_res / SS_tot.
 * A constant yTrue (SS_tot = 0) gives 1 when the predictions are perfect and 0
 * otherwise, as sklearn does; fewer than 2 rows give NaN (sklearn warns and
 * returns nan).
 */
export function r2Score(yTrue: Values, yPred: Values): number {
  const n = yTrue.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let ssTot = 0;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    const d = t - yPred[i]!;
    ssRes += d * d;
    ssTot += (t - mean) * (t - mean);
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** Quantile of sorted values, numpy's linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Residual statistics and at most `maxPoints` evenly spaced (predicted, residual) pairs. */
export function residualSummary(yTrue: Values, yPred: Values, maxPoints = MAX_RESIDUAL_POINTS): ResidualSummary {
  const n = yTrue.length;
  const res = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    res[i] = yTrue[i]! - yPred[i]!;
    mean += res[i]!;
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (res[i]! - mean) ** 2;
  const keep = Math.max(2, Math.floor(maxPoints));
  const predicted: number[] = [];
  const residual: number[] = [];
  if (n <= keep) {
    for (let i = 0; i < n; i++) {
      predicted.push(yPred[i]!);
      residual.push(res[i]!);
    }
  } else {
    for (let k = 0; k < keep; k++) {
      const i = Math.round((k * (n - 1)) / (keep - 1));
      predicted.push(yPred[i]!);
      residual.push(res[i]!);
    }
  }
  const sorted = res.slice().sort();
  return {
    mean,
    std: Math.sqrt(ss / n),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p05: quantile(sorted, 0.05),
    p25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
    predicted,
    residual,
    sampled: n > keep,
  };
}

/**
 * MAE, MSE, RMSE, R² and the residual summary. Throws a RangeError when the
 * lengths differ, there are no rows, or a value is NaN / infinite.
 */
export function regressionMetrics(yTrue: Values, yPred: Values, options: RegressionOptions = {}): RegressionMetrics {
  validate(yTrue, yPred);
  const n = yTrue.length;
  const mse = meanSquaredError(yTrue, yPred);
  const r2 = r2Score(yTrue, yPred);
  const notes: string[] = [];
  if (n < 2) notes.push('R² needs at least 2 rows in the test split.');
  else {
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = yTrue[i] === yTrue[0];
    if (constant) notes.push('Every true value in the test split is the same: R² is 1 for perfect predictions, else 0 (as scikit-learn).');
  }
  return {
    n,
    mae: meanAbsoluteError(yTrue, yPred),
    mse,
    rmse: Math.sqrt(mse),
    r2,
    residuals: residualSummary(yTrue, yPred, options.maxResidualPoints ?? MAX_RESIDUAL_POINTS),
    notes,
  };
}
