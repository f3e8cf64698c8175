import { describe, expect, it } from 'vitest';
import { conceptMetrics, modelDrift, modelSummary, predictionStats } from '../../../src/lib/core/drift-model';
import { classificationMetrics } from '../../../src/lib/core/metrics-classification';
import type { PredictionOutput } from '../../../src/lib/core/predictions';
import { Rng } from '../../../src/lib/core/random';

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
    expect(modelSummary(drift)).toMatch(/^the model’s predictions have shifted; the model’s recall of “Yes” fell from \d\.\d\d to \d\.\d\d: retraining is advised\.$/);
  });

  it('a batch like the reference leaves the model as it was', () => {
    const a = binary(3000, 3, 0.3);
    const b = binary(3000, 4, 0.3);
    const test = classificationMetrics(Uint32Array.from(a.truth), a.p.values, ['No', 'Yes']);
    const drift = modelDrift({ referencePredictions: predictionStats(a.p), currentPredictions: predictionStats(b.p), referenceTarget: null, currentTarget: null, concept: conceptMetrics(b.p, b.truth, test) });
    expect(drift.prediction?.drifted).toBe(false);
    expect(drift.degraded).toBe(false);
    expect(modelSummary(drift)).toMatch(/no retraining is needed yet\.$/);
  });

  it('rows without a known target are left out of the metrics; none known gives none', () => {
    const a = binary(100, 5, 0.3);
    const test = classificationMetrics(Uint32Array.from(a.truth), a.p.values, ['No', 'Yes']);
    expect(conceptMetrics(a.p, new Float64Array(100).fill(NaN), test)).toEqual([]);
  });
});
