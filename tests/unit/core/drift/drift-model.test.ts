import { describe, expect, it } from 'vitest';
import { conceptMetrics, modelDrift, modelSummary, predictionStats, verdictOf, withTolerances } from '../../../../src/lib/core/drift';
import { regressionMetrics, classificationMetrics } from '../../../../src/lib/core/metrics';
import type { PredictionOutput } from '../../../../src/lib/core/models';
import { Rng } from '../../../../src/lib/core/common';

/** n binary predictions: p(Yes) for each row, and the truth (1 = Yes). */
function binary(n: number, seed: number, separation: number): { p: PredictionOutput; truth: Float64Array } {
  const rng = new Rng(seed);
  const values = new Float64Array(2 * n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yes = rng.next() < 0.2;
    truth[i] = yes ? 1 : 0;
    const p = Math.min(0.999, Math.max(0.001, (yes ? 0.5 + separation : 0.5 - separation) + (rng.next() - 0.5) * 0.6));
    values[2 * i] = 1 - p;
    values[2 * i + 1] = p;
  }
  return { p: { rows: n, task: 'classification', classes: ['No', 'Yes'], values, threshold: 0.5 }, truth };
}

describe('the model side of a drift check', () => {
  it('compares the model’s metrics on new labelled data with its test metrics', () => {
    const good = binary(2000, 1, 0.3);
    const test = classificationMetrics(Uint32Array.from(good.truth), good.p.values, ['No', 'Yes'], { threshold: 0.5 });
    const worse = binary(2000, 2, 0.05); // the features tell the classes apart far less on the new data
    const m = conceptMetrics(worse.p, worse.truth, test);
    const recall = m.find((x) => x.key === 'recall')!;
    expect(recall.label).toBe('recall of “Yes”');
    expect(recall.test).toBeCloseTo(test.report.perClass[1]!.recall, 12);
    expect(recall.change).toBeLessThan(-0.3);
    const drift = modelDrift({ referencePredictions: predictionStats(good.p), currentPredictions: predictionStats(worse.p), referenceTarget: null, currentTarget: null, concept: m });
    expect(drift.degraded).toBe(true);
    expect(drift.prediction?.drifted).toBe(true);
    // Every metric fell far: the sentence names each one with its numbers, and the drifted predictions last.
    const summary = modelSummary(drift);
    expect(summary).toMatch(/^Retraining recommended: .*, and the model’s predictions have drifted\.$/);
    for (const c of m) expect(summary).toContain(`${c.label} fell from ${c.test.toFixed(3)} to ${c.current.toFixed(3)} (tolerance `);
    expect(verdictOf(drift).level).toBe('retrain');
  });

  it('a batch like the reference leaves the model as it was', () => {
    const a = binary(3000, 3, 0.3);
    const b = binary(3000, 4, 0.3);
    const test = classificationMetrics(Uint32Array.from(a.truth), a.p.values, ['No', 'Yes']);
    const drift = modelDrift({ referencePredictions: predictionStats(a.p), currentPredictions: predictionStats(b.p), referenceTarget: null, currentTarget: null, concept: conceptMetrics(b.p, b.truth, test) });
    expect(drift.prediction?.drifted).toBe(false);
    expect(drift.degraded).toBe(false);
    expect(modelSummary(drift)).toBe('No action needed: every metric is within its tolerance and the model’s predictions have not drifted.');
  });

  it('rows without a known target are left out of the metrics; none known gives none', () => {
    const a = binary(100, 5, 0.3);
    const test = classificationMetrics(Uint32Array.from(a.truth), a.p.values, ['No', 'Yes']);
    expect(conceptMetrics(a.p, new Float64Array(100).fill(NaN), test)).toEqual([]);
  });

  it('binary rows: the task’s six metrics in order, F1 and accuracy of the new rows as counted by hand', () => {
    const a = binary(1500, 6, 0.25);
    const b = binary(1500, 7, 0.15);
    const test = classificationMetrics(Uint32Array.from(a.truth), a.p.values, ['No', 'Yes'], { threshold: 0.5 });
    const m = conceptMetrics(b.p, b.truth, test);
    expect(m.map((x) => [x.key, x.primary])).toEqual([
      ['recall', true],
      ['balancedAccuracy', true],
      ['rocAuc', true],
      ['averagePrecision', false],
      ['accuracy', false],
      ['f1', false],
    ]);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let right = 0;
    for (let i = 0; i < b.p.rows; i++) {
      const yes = b.p.values[2 * i + 1]! >= 0.5;
      if (yes && b.truth[i] === 1) tp++;
      else if (yes) fp++;
      else if (b.truth[i] === 1) fn++;
      if (yes === (b.truth[i] === 1)) right++;
    }
    const f1 = m.find((x) => x.key === 'f1')!;
    expect(f1.label).toBe('F1 of “Yes”');
    expect(f1.current).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    expect(f1.test).toBeCloseTo(test.report.perClass[1]!.f1, 12);
    expect(m.find((x) => x.key === 'accuracy')!.current).toBeCloseTo(right / b.p.rows, 12);
    expect(m.find((x) => x.key === 'recall')!.current).toBeCloseTo(tp / (tp + fn), 12);
  });

  it('multiclass rows: balanced accuracy and accuracy primary, macro F1 as the mean of per-class F1 counted by hand', () => {
    const rng = new Rng(8);
    const n = 900;
    const classes = ['a', 'b', 'c'];
    const values = new Float64Array(3 * n);
    const truth = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = i % 3;
      const raw = [rng.next(), rng.next(), rng.next()];
      raw[i % 3]! += 0.4;
      const sum = raw[0]! + raw[1]! + raw[2]!;
      for (let c = 0; c < 3; c++) values[3 * i + c] = raw[c]! / sum;
    }
    const p: PredictionOutput = { rows: n, task: 'classification', classes, values, threshold: null };
    const test = classificationMetrics(Uint32Array.from(truth), values, classes);
    const m = conceptMetrics(p, truth, test);
    expect(m.map((x) => [x.key, x.primary])).toEqual([
      ['balancedAccuracy', true],
      ['accuracy', true],
      ['macroF1', false],
      ['rocAuc', false],
    ]);
    let f1Sum = 0;
    for (let c = 0; c < 3; c++) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (let i = 0; i < n; i++) {
        const row = [values[3 * i]!, values[3 * i + 1]!, values[3 * i + 2]!];
        const pred = row.indexOf(Math.max(...row));
        if (pred === c && truth[i] === c) tp++;
        else if (pred === c) fp++;
        else if (truth[i] === c) fn++;
      }
      f1Sum += (2 * tp) / (2 * tp + fp + fn);
    }
    expect(m.find((x) => x.key === 'macroF1')!.current).toBeCloseTo(f1Sum / 3, 12);
  });

  it('regression rows: RMSE, MAE and R² of the new rows; a higher RMSE is a negative change', () => {
    const yTest = Float64Array.from({ length: 200 }, (_, i) => i / 10);
    const test = { task: 'regression' as const, ...regressionMetrics(yTest, yTest.map((y) => y + 0.5)) };
    const truth = Float64Array.from({ length: 100 }, (_, i) => (i % 7) - 3);
    const pred = truth.map((y, i) => y + (i % 2 === 0 ? 1 : -1));
    const p: PredictionOutput = { rows: 100, task: 'regression', classes: [], values: pred, threshold: null };
    const m = conceptMetrics(p, truth, test);
    expect(m.map((x) => [x.key, x.primary])).toEqual([
      ['rmse', true],
      ['mae', false],
      ['r2', true],
    ]);
    const rmse = m.find((x) => x.key === 'rmse')!;
    expect(rmse.current).toBeCloseTo(1, 12); // every residual is ±1
    expect(rmse.test).toBeCloseTo(0.5, 12);
    expect(rmse.change).toBeCloseTo(-0.5, 12);
    expect(m.find((x) => x.key === 'mae')!.current).toBeCloseTo(1, 12);
    const mean = truth.reduce((s, y) => s + y, 0) / 100;
    const ssTot = truth.reduce((s, y) => s + (y - mean) ** 2, 0);
    expect(m.find((x) => x.key === 'r2')!.current).toBeCloseTo(1 - 100 / ssTot, 12);
    // RMSE doubled: far past +10%, a primary failure.
    const drift = modelDrift({ referencePredictions: null, currentPredictions: predictionStats(p), referenceTarget: null, currentTarget: null, concept: m });
    expect(drift.degraded).toBe(true);
    expect(modelSummary(drift)).toMatch(/^Retraining recommended: RMSE rose from 0\.500 to 1\.000 \(\+100\.0%; tolerance \+10\.0%\)/);
  });

  it('other tolerances re-judge the same measurements: rows, verdict and `degraded` follow', () => {
    const good = binary(2000, 1, 0.3);
    const test = classificationMetrics(Uint32Array.from(good.truth), good.p.values, ['No', 'Yes'], { threshold: 0.5 });
    const worse = binary(2000, 2, 0.05);
    const drift = modelDrift({ referencePredictions: null, currentPredictions: predictionStats(worse.p), referenceTarget: null, currentTarget: null, concept: conceptMetrics(worse.p, worse.truth, test) });
    expect(drift.degraded).toBe(true);
    const lenient = withTolerances(drift, { recall: 1, balancedAccuracy: 1, rocAuc: 1, averagePrecision: 1, accuracy: 1, f1: 1 });
    expect(lenient.degraded).toBe(false);
    expect(lenient.verdict!.level).toBe('ok');
    expect(lenient.concept).toBe(drift.concept);
    // Loosen all but accuracy: a non-primary failure alone is "watch".
    const accuracyFell = drift.concept!.find((x) => x.key === 'accuracy')!;
    const watch = withTolerances(drift, { recall: 1, balancedAccuracy: 1, rocAuc: 1, averagePrecision: 1, f1: 1, accuracy: 0 });
    expect(accuracyFell.test - accuracyFell.current).toBeGreaterThan(0.3);
    expect(watch.verdict!.level).toBe('watch');
    expect(watch.verdict!.sentence).toMatch(/^Watch: accuracy fell from /);
    expect(watch.degraded).toBe(false);
  });
});
