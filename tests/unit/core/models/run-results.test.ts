import { describe, expect, it } from 'vitest';
import { bestIndex, compareMetrics, sweepMetrics } from '../../../../src/lib/core/models';
import { classificationMetrics } from '../../../../src/lib/core/metrics';

// 8 negatives, 2 positives; predicted positive at p >= 0.5: one of the two positives is found.
const y = Uint32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
const p = [0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.6, 0.3, 0.9, 0.45];
const e = { ...classificationMetrics(y, Float64Array.from(p.flatMap((v) => [1 - v, v])), ['No', 'Yes']), task: 'binary' as const };

describe('sweep ranking', () => {
  it('adds the minority class recall and F1 to the headline metrics', () => {
    const m = sweepMetrics(e);
    expect(m.minorityRecall).toBe(0.5);
    // precision 1/2 (0.9 and 0.6 predicted positive, one right), recall 1/2 -> F1 0.5
    expect(m.minorityF1).toBe(0.5);
    expect(m.accuracy).toBe(0.8);
  });

  it('picks the best run: higher is better except for losses and errors; NaN never wins', () => {
    expect(bestIndex([0.7, 0.9, NaN, 0.9], 'rocAuc')).toBe(1);
    expect(bestIndex([0.7, 0.3, 0.5], 'logLoss')).toBe(1);
    expect(bestIndex([NaN, undefined], 'rmse')).toBe(-1);
  });

  it('a reproduced evaluation compares as the same to 1e-6, a changed one does not', () => {
    expect(compareMetrics(e, { ...e }).same).toBe(true);
    const off = compareMetrics(e, { ...e, accuracy: e.accuracy + 2e-6 });
    expect(off.same).toBe(false);
    expect(off.rows.find((r) => r.metric === 'accuracy')!.same).toBe(false);
  });
});
