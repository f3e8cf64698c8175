import { describe, expect, it } from 'vitest';
import {
  classificationBaseline,
  regressionBaseline,
  classificationMetrics,
  regressionMetrics,
} from '../../../../src/lib/core/metrics';
import { baselineOf, baselineVerdict, beatsBaseline, R2_MARGIN } from '../../../../src/lib/core/compare';
import type { Evaluation } from '../../../../src/lib/core/training';

// Binary: 10 training rows, 7 "No" and 3 "Yes" (prior 0.7 / 0.3); 5 test rows, 3 "No" and 2 "Yes".
const TRAIN = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
const TEST = [0, 0, 0, 1, 1];
const NO_YES = ['No', 'Yes'];

describe('classificationBaseline: binary, by hand', () => {
  const b = classificationBaseline(TRAIN, TEST, NO_YES);

  it('always answers the training majority: its accuracy is that class’s share of the test rows', () => {
    expect(b.kind).toBe('majority');
    expect(b.label).toBe('always “No”');
    expect(b.metrics.accuracy).toBeCloseTo(3 / 5, 12);
  });

  it('scores 1/K balanced accuracy, 0.5 ROC AUC and the positive share as average precision', () => {
    expect(b.metrics.balancedAccuracy).toBeCloseTo(1 / 2, 12);
    expect(b.metrics.rocAuc).toBeCloseTo(0.5, 12);
    expect(b.metrics.averagePrecision).toBeCloseTo(2 / 5, 12);
  });

  it('has the log loss of the training prior on the test rows', () => {
    expect(b.metrics.logLoss).toBeCloseTo(-(3 * Math.log(0.7) + 2 * Math.log(0.3)) / 5, 12);
  });

  it('never finds the minority class of the test rows', () => {
    expect(b.metrics.minorityRecall).toBe(0);
    expect(b.metrics.minorityF1).toBe(0);
  });

  it('a threshold below the prior of “Yes” flips the answer to “Yes”, in the label and in the metrics', () => {
    // p(Yes) = 0.3 for every row: at a threshold of 0.25 every row is answered "Yes".
    const flipped = classificationBaseline(TRAIN, TEST, NO_YES, 0.25);
    expect(flipped.label).toBe('always “Yes”');
    expect(flipped.metrics.accuracy).toBeCloseTo(2 / 5, 12);
    expect(flipped.metrics.minorityRecall).toBe(1);
    // Precision of "Yes" is 2/5 at recall 1: F1 = 2 * 0.4 * 1 / 1.4.
    expect(flipped.metrics.minorityF1).toBeCloseTo((2 * 0.4) / 1.4, 12);
    // The scores do not depend on the threshold.
    expect(flipped.metrics.logLoss).toBeCloseTo(b.metrics.logLoss!, 12);
    expect(flipped.metrics.rocAuc).toBeCloseTo(0.5, 12);
    // A threshold above the prior keeps "No".
    expect(classificationBaseline(TRAIN, TEST, NO_YES, 0.31).label).toBe('always “No”');
  });
});

describe('classificationBaseline: multiclass, by hand', () => {
  // Train: a 4, b 3, c 3 (prior 0.4 / 0.3 / 0.3). Test: a 1, b 2, c 3.
  const b = classificationBaseline([0, 0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 1, 2, 2, 2], ['a', 'b', 'c']);

  it('answers the training majority “a”, which is only 1 of the 6 test rows', () => {
    expect(b.label).toBe('always “a”');
    expect(b.metrics.accuracy).toBeCloseTo(1 / 6, 12);
    expect(b.metrics.balancedAccuracy).toBeCloseTo(1 / 3, 12);
  });

  it('has macro AUC 0.5, macro average precision the mean class share, and the prior’s log loss', () => {
    expect(b.metrics.rocAuc).toBeCloseTo(0.5, 12);
    expect(b.metrics.averagePrecision).toBeCloseTo((1 / 6 + 2 / 6 + 3 / 6) / 3, 12);
    expect(b.metrics.logLoss).toBeCloseTo(-(Math.log(0.4) + 5 * Math.log(0.3)) / 6, 12);
    expect(b.metrics.minorityRecall).toBeUndefined();
  });
});

describe('regressionBaseline, by hand', () => {
  // Training mean 3; test values 2, 4, 9 (mean 5).
  const b = regressionBaseline([1, 2, 3, 6], [2, 4, 9]);

  it('always predicts the training mean', () => {
    expect(b.kind).toBe('mean');
    expect(b.label).toBe('always the training mean 3');
  });

  it('scores R² = 1 − SSE/SST within the test rows, and the MAE and RMSE of its errors', () => {
    const sse = (2 - 3) ** 2 + (4 - 3) ** 2 + (9 - 3) ** 2;
    const sst = (2 - 5) ** 2 + (4 - 5) ** 2 + (9 - 5) ** 2;
    expect(b.metrics.r2).toBeCloseTo(1 - sse / sst, 12);
    expect(b.metrics.mae).toBeCloseTo((1 + 1 + 6) / 3, 12);
    expect(b.metrics.rmse).toBeCloseTo(Math.sqrt(sse / 3), 12);
  });
});

/** A binary evaluation on TEST with these p(Yes), carrying the baseline from TRAIN. */
function binaryRun(pYes: number[]): Extract<Evaluation, { task: 'binary' | 'multiclass' }> {
  const proba = Float64Array.from(pYes.flatMap((p) => [1 - p, p]));
  const m = classificationMetrics(Uint32Array.from(TEST), proba, NO_YES);
  return { ...m, task: 'binary', baseline: classificationBaseline(TRAIN, TEST, NO_YES) };
}

describe('baselineVerdict', () => {
  it('says so when the model only matches the baseline’s balanced accuracy', () => {
    // Every score below 0.5: the model answers "No" on every row, like the baseline.
    const e = binaryRun([0.1, 0.2, 0.3, 0.35, 0.4]);
    expect(e.balancedAccuracy).toBeCloseTo(0.5, 12);
    expect(beatsBaseline({ balancedAccuracy: e.balancedAccuracy }, e.baseline!)).toBe(false);
    expect(baselineVerdict(e)).toBe('The model does not beat the baseline: its balanced accuracy 0.5000 is no better than the 0.5000 of always “No”.');
  });

  it('says nothing when the model beats it, or when the run has no baseline', () => {
    const good = binaryRun([0.1, 0.2, 0.6, 0.7, 0.8]);
    expect(good.balancedAccuracy).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(baselineVerdict(good)).toBeNull();
    const { baseline: _dropped, ...old } = good;
    expect(baselineOf(old)).toBeNull();
    expect(baselineVerdict(old)).toBeNull();
  });

  it('a regression model must lift R² by more than the margin and lower the RMSE', () => {
    const yTrue = [2, 4, 9];
    const baseline = regressionBaseline([1, 2, 3, 6], yTrue);
    const run = (pred: number[]): Extract<Evaluation, { task: 'regression' }> => ({ ...regressionMetrics(Float64Array.from(yTrue), Float64Array.from(pred)), task: 'regression', baseline });
    const good = run([2.5, 4, 8]);
    expect(good.r2).toBeGreaterThan(baseline.metrics.r2! + R2_MARGIN);
    expect(baselineVerdict(good)).toBeNull();
    // Predicting the training mean is the baseline itself: R² equal, not above by the margin.
    const same = run([3, 3, 3]);
    expect(same.r2).toBeCloseTo(baseline.metrics.r2!, 12);
    expect(baselineVerdict(same)).toMatch(/^The model does not beat the baseline: R² -0\.4615 and RMSE 3\.5590 against -0\.4615 and 3\.5590 for always the training mean 3\.$/);
    // Within the margin: R² 0.005 above the baseline is not enough.
    const r2 = baseline.metrics.r2!;
    expect(beatsBaseline({ r2: r2 + R2_MARGIN / 2, rmse: baseline.metrics.rmse! - 0.1 }, baseline)).toBe(false);
    expect(beatsBaseline({ r2: r2 + 2 * R2_MARGIN, rmse: baseline.metrics.rmse! }, baseline)).toBe(false);
    expect(beatsBaseline({ r2: r2 + 2 * R2_MARGIN, rmse: baseline.metrics.rmse! - 0.1 }, baseline)).toBe(true);
  });
});
