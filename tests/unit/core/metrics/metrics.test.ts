import { describe, expect, it } from 'vitest';
import {
  averagePrecisionScore,
  classificationMetrics,
  downsampleIndices,
  downsampleRoc,
  precisionRecallCurve,
  r2Score,
  regressionMetrics,
  rocAucScore,
  rocCurve,
} from '../../../../src/lib/core/metrics';

/** Binary proba (n x 2) from p(class 1). */
const binaryProba = (p1: number[]) => Float64Array.from(p1.flatMap((p) => [1 - p, p]));
const u32 = (xs: number[]) => Uint32Array.from(xs);

describe('curves, against scikit-learn documentation examples', () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75', () => {
    expect(rocAucScore(y, s)).toBeCloseTo(0.75, 12);
  });

  it('roc_curve gives the documented points, threshold +inf first', () => {
    const c = rocCurve(y, s);
    expect(c.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(c.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(c.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('average_precision_score = 0.8333 (step sum, not trapezoid)', () => {
    expect(averagePrecisionScore(y, s)).toBeCloseTo(5 / 6, 12);
  });

  it('precision_recall_curve gives the documented arrays', () => {
    const c = precisionRecallCurve(y, s);
    expect(c.precision.map((v) => +v.toFixed(8))).toEqual([0.5, 0.66666667, 0.5, 1, 1]);
    expect(c.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(c.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
  });

  it('tied scores form one threshold and count one half', () => {
    // positives 0.5, 0.9; negatives 0.5, 0.5: 2 wins + 2 ties x 1/2 = 3 of 4 pairs.
    const yt = [0, 1, 0, 1];
    const st = [0.5, 0.5, 0.5, 0.9];
    expect(rocAucScore(yt, st)).toBeCloseTo(0.75, 12);
    const c = rocCurve(yt, st);
    expect(c.fpr).toEqual([0, 0, 1]);
    expect(c.tpr).toEqual([0, 0.5, 1]);
    // AP: at 0.9 R=0.5 P=1; at 0.5 R=1 P=2/4 -> 0.5 + 0.5 * 0.5.
    expect(averagePrecisionScore(yt, st)).toBeCloseTo(0.75, 12);
    // Everything tied: the diagonal.
    expect(rocAucScore([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
  });

  it('perfect and inverted classifiers give AUC 1 and 0', () => {
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAucScore([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    // Inverted AP: at 0.2 R=0.5 P=1/3; at 0.1 R=1 P=2/4.
    expect(averagePrecisionScore([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBeCloseTo(0.5 / 3 + 0.25, 12);
  });

  it('a single class gives NaN, not a crash', () => {
    expect(rocAucScore([1, 1, 1], [0.1, 0.5, 0.9])).toBeNaN();
    expect(rocAucScore([0, 0, 0], [0.1, 0.5, 0.9])).toBeNaN();
    expect(averagePrecisionScore([0, 0, 0], [0.1, 0.5, 0.9])).toBeNaN();
    expect(averagePrecisionScore([1, 1, 1], [0.1, 0.5, 0.9])).toBe(1);
  });

  it('rejects NaN scores and mismatched lengths with a clear message', () => {
    expect(() => rocAucScore([0, 1], [0.1, NaN])).toThrow(/NaN/);
    expect(() => rocAucScore([0, 1, 0], [0.1, 0.2])).toThrow(/3 labels but 2 scores/);
  });
});

describe('downsampling', () => {
  it('keeps at most maxPoints, first and last, and leaves short curves whole', () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i / (n - 1));
    const y = x.map((v) => Math.sqrt(v));
    const idx = downsampleIndices(x, y, 200);
    expect(idx.length).toBeLessThanOrEqual(200);
    expect(idx.length).toBeGreaterThan(150);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect(idx.every((v, i) => i === 0 || v > idx[i - 1]!)).toBe(true);
    expect(downsampleIndices([0, 1, 2], [0, 1, 2], 200)).toEqual([0, 1, 2]);
    // A path of zero length falls back to even spacing.
    expect(downsampleIndices(new Array(1000).fill(0), new Array(1000).fill(0), 5)).toEqual([0, 250, 500, 749, 999]);
  });

  it('a downsampled ROC keeps (0,0) and (1,1)', () => {
    const n = 5000;
    const y = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const s = Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n + (i % 3 === 0 ? 0.3 : 0));
    const d = downsampleRoc(rocCurve(y, s), 50);
    expect(d.fpr.length).toBeLessThanOrEqual(50);
    expect([d.fpr[0], d.tpr[0], d.thresholds[0]]).toEqual([0, 0, Infinity]);
    expect([d.fpr.at(-1), d.tpr.at(-1)]).toEqual([1, 1]);
  });
});

describe('classificationMetrics: binary', () => {
  it('log_loss(["spam","ham","ham","spam"], ...) = 0.21616 (sklearn docs)', () => {
    // Columns follow the sorted labels: ham = 0, spam = 1.
    const m = classificationMetrics(u32([1, 0, 0, 1]), Float64Array.from([0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65]), ['ham', 'spam']);
    expect(m.logLoss).toBeCloseTo(0.21616187468057912, 12);
    expect(m.task).toBe('binary');
    expect(m.accuracy).toBe(1);
  });

  it('matches balanced_accuracy_score([0,1,0,0,1,0],[0,1,0,0,0,1]) = 0.625, with G-mean and minority F1', () => {
    const m = classificationMetrics(u32([0, 1, 0, 0, 1, 0]), binaryProba([0.2, 0.9, 0.1, 0.3, 0.4, 0.6]), ['no', 'yes']);
    expect(m.confusion).toEqual([
      [3, 1],
      [1, 1],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.balancedAccuracy).toBeCloseTo(0.625, 12);
    expect(m.gMean).toBeCloseTo(Math.sqrt(0.75 * 0.5), 12);
    expect(m.minorityClass).toBe('yes');
    // TP 1, FP 1, FN 1 -> 2 / (2 + 1 + 1).
    expect(m.minorityF1).toBeCloseTo(0.5, 12);
    // Positives 0.9, 0.4 against negatives 0.2, 0.1, 0.3, 0.6: 4 + 3 of 8 pairs.
    expect(m.rocAuc).toBeCloseTo(7 / 8, 12);
    // At 0.9 R=1/2 P=1; at 0.4 R=1 P=2/3.
    expect(m.averagePrecision).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(m.curves).toHaveLength(1);
    expect(m.curves[0]!.label).toBe('yes');
    expect(m.notes).toEqual([]);
  });

  it('the threshold changes the predictions (p >= threshold is positive) but not the AUC', () => {
    const y = u32([0, 1, 1, 0]);
    const proba = binaryProba([0.3, 0.6, 0.45, 0.5]);
    const at05 = classificationMetrics(y, proba, ['a', 'b']);
    expect(at05.threshold).toBe(0.5);
    // p = 0.5 exactly is predicted positive.
    expect(at05.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(at05.accuracy).toBe(0.5);
    const at04 = classificationMetrics(y, proba, ['a', 'b'], { threshold: 0.4 });
    expect(at04.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(at04.accuracy).toBe(0.75);
    const at07 = classificationMetrics(y, proba, ['a', 'b'], { threshold: 0.7 });
    expect(at07.confusion).toEqual([
      [2, 0],
      [2, 0],
    ]);
    // Nothing predicted positive: precision of b is 0 (zero_division = 0).
    expect(at07.report.perClass[1]).toEqual({ label: 'b', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(at07.gMean).toBe(0);
    expect(at04.rocAuc).toBe(at05.rocAuc);
    expect(at05.rocAuc).toBeCloseTo(0.75, 12);
  });

  it('perfect and inverted classifiers', () => {
    const y = u32([0, 0, 1, 1]);
    const good = classificationMetrics(y, binaryProba([0.1, 0.2, 0.8, 0.9]), ['n', 'p']);
    expect([good.rocAuc, good.averagePrecision, good.accuracy, good.balancedAccuracy, good.gMean]).toEqual([1, 1, 1, 1, 1]);
    const bad = classificationMetrics(y, binaryProba([0.9, 0.8, 0.2, 0.1]), ['n', 'p']);
    expect(bad.rocAuc).toBe(0);
    expect(bad.accuracy).toBe(0);
    expect(bad.gMean).toBe(0);
  });

  it('clips probabilities at 1e-15 in the log loss', () => {
    const m = classificationMetrics(u32([1, 0]), binaryProba([0, 0]), ['n', 'p']);
    expect(m.logLoss).toBeCloseTo(-Math.log(1e-15) / 2, 10);
    expect(Number.isFinite(m.logLoss)).toBe(true);
  });

  it('a class absent from the test split gives NaN AUC with a note, not a crash', () => {
    const m = classificationMetrics(u32([0, 0, 0]), binaryProba([0.1, 0.7, 0.2]), ['no', 'yes']);
    expect(m.rocAuc).toBeNaN();
    expect(m.averagePrecision).toBeNaN();
    expect(m.curves[0]!.roc).toBeNull();
    expect(m.curves[0]!.note).toMatch(/No row of class “yes”/);
    expect(m.notes.length).toBeGreaterThan(0);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    const all = classificationMetrics(u32([1, 1]), binaryProba([0.4, 0.7]), ['no', 'yes']);
    expect(all.rocAuc).toBeNaN();
    expect(all.curves[0]!.note).toMatch(/Every row/);
    expect(all.averagePrecision).toBe(1);
  });

  it('accepts Float32Array probabilities', () => {
    const m = classificationMetrics(u32([0, 0, 1, 1]), Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8]), ['n', 'p']);
    expect(m.rocAuc).toBeCloseTo(0.75, 12);
    expect(m.averagePrecision).toBeCloseTo(5 / 6, 12);
  });

  it('rejects inputs that do not fit together', () => {
    expect(() => classificationMetrics(u32([0, 1]), binaryProba([0.2]), ['n', 'p'])).toThrow(/Expected 2 x 2/);
    expect(() => classificationMetrics(u32([0, 2]), binaryProba([0.2, 0.3]), ['n', 'p'])).toThrow(/class index 2/);
    expect(() => classificationMetrics(u32([0, 1]), binaryProba([0.2, NaN]), ['n', 'p'])).toThrow(/NaN/);
    expect(() => classificationMetrics(u32([]), new Float64Array(0), ['n', 'p'])).toThrow(/no rows/);
  });
});

describe('classificationMetrics: multiclass', () => {
  // sklearn's classification_report docs: y_true [0,1,2,2,2], y_pred [0,0,2,2,1].
  const y = u32([0, 1, 2, 2, 2]);
  // prettier-ignore
  const proba = Float64Array.from([
    0.7, 0.2, 0.1, // true 0 -> 0
    0.5, 0.3, 0.2, // true 1 -> 0
    0.1, 0.2, 0.7, // true 2 -> 2
    0.2, 0.2, 0.6, // true 2 -> 2
    0.1, 0.5, 0.4, // true 2 -> 1
  ]);
  const names = ['class 0', 'class 1', 'class 2'];

  it('gives the classification report of the sklearn docs, number by number', () => {
    const m = classificationMetrics(y, proba, names);
    expect(m.task).toBe('multiclass');
    expect(m.threshold).toBeNull();
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 2],
    ]);
    const r = m.report;
    const row = (i: number) => r.perClass[i]!;
    expect(row(0).label).toBe('class 0');
    expect(row(0).precision).toBeCloseTo(0.5, 12);
    expect(row(0).recall).toBe(1);
    expect(row(0).f1).toBeCloseTo(2 / 3, 12);
    expect(row(0).support).toBe(1);
    expect([row(1).precision, row(1).recall, row(1).f1, row(1).support]).toEqual([0, 0, 0, 1]);
    expect(row(2).precision).toBe(1);
    expect(row(2).recall).toBeCloseTo(2 / 3, 12);
    expect(row(2).f1).toBeCloseTo(0.8, 12);
    expect(row(2).support).toBe(3);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.macro.precision).toBeCloseTo(0.5, 12);
    expect(r.macro.recall).toBeCloseTo(5 / 9, 12);
    expect(r.macro.f1).toBeCloseTo(0.48888888888888893, 12);
    expect(r.macro.support).toBe(5);
    expect(r.weighted.precision).toBeCloseTo(0.7, 12);
    expect(r.weighted.recall).toBeCloseTo(0.6, 12);
    expect(r.weighted.f1).toBeCloseTo(0.6133333333333333, 12);
    expect(r.weighted.support).toBe(5);
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expect(m.balancedAccuracy).toBeCloseTo(5 / 9, 12);
    expect(m.gMean).toBe(0);
    expect(m.minorityF1).toBeNull();
  });

  it('computes one-vs-rest AUC / AP per class, their macro mean and the log loss', () => {
    const m = classificationMetrics(y, proba, names);
    // class 0: 0.7 above every other row; class 1: 0.3 above 3 of 4 negatives;
    // class 2: 0.7, 0.6, 0.4 above 0.1, 0.2.
    expect(m.curves.map((c) => c.rocAuc)).toEqual([1, 0.75, 1]);
    // class 1: at 0.5 a negative, at 0.3 the positive: P = 1/2, R = 1.
    expect(m.curves.map((c) => c.averagePrecision)).toEqual([1, 0.5, 1]);
    expect(m.rocAuc).toBeCloseTo(2.75 / 3, 12);
    expect(m.averagePrecision).toBeCloseTo(2.5 / 3, 12);
    expect(m.curves.map((c) => [c.positives, c.negatives])).toEqual([
      [1, 4],
      [1, 4],
      [3, 2],
    ]);
    // -mean(log [0.7, 0.3, 0.7, 0.6, 0.4])
    expect(m.logLoss).toBeCloseTo(0.6688878095687094, 12);
  });

  it('ties in argmax go to the lowest class index; G-mean over recalls', () => {
    // prettier-ignore
    const p = Float64Array.from([
      0.4, 0.4, 0.2, // tie -> 0
      0.8, 0.1, 0.1,
      0.1, 0.8, 0.1,
      0.5, 0.3, 0.2,
      0.1, 0.1, 0.8,
      0.1, 0.6, 0.3,
    ]);
    const m = classificationMetrics(u32([0, 0, 1, 1, 2, 2]), p, ['a', 'b', 'c']);
    expect(m.confusion).toEqual([
      [2, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(m.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.gMean).toBeCloseTo(Math.cbrt(1 * 0.5 * 0.5), 12);
  });

  it('a class absent from yTrue and never predicted leaves the macro average alone (sklearn default labels)', () => {
    // A fourth class "class 3" with probability 0 everywhere.
    const p4 = Float64Array.from(Array.from({ length: 5 }, (_, r) => [...proba.subarray(r * 3, r * 3 + 3), 0]).flat());
    const m = classificationMetrics(y, p4, [...names, 'class 3']);
    expect(m.report.perClass[3]).toEqual({ label: 'class 3', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.report.macro.f1).toBeCloseTo(0.48888888888888893, 12);
    expect(m.balancedAccuracy).toBeCloseTo(5 / 9, 12);
    expect(m.curves[3]!.rocAuc).toBeNaN();
    expect(m.curves[3]!.note).toMatch(/class 3/);
    // Macro AUC over the classes where it is defined.
    expect(m.rocAuc).toBeCloseTo(2.75 / 3, 12);
    expect(m.notes.some((n) => n.includes('class 3'))).toBe(true);
  });
});

describe('classificationMetrics: size', () => {
  it('on 320,000 rows with heavy ties, AUC equals the pairwise count and curves stay small', () => {
    const n = 320_000;
    const buckets = 1000;
    let state = 12345;
    const rand = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const y = new Uint32Array(n);
    const proba = new Float32Array(n * 2);
    const posIn = new Float64Array(buckets);
    const negIn = new Float64Array(buckets);
    for (let r = 0; r < n; r++) {
      const label = rand() < 0.2 ? 1 : 0;
      const b = Math.min(buckets - 1, Math.floor((rand() * 0.7 + label * 0.3) * buckets));
      y[r] = label;
      proba[r * 2 + 1] = b / buckets;
      proba[r * 2] = 1 - b / buckets;
      (label ? posIn : negIn)[b]!++;
    }
    // AUC = P(score_pos > score_neg) + P(tie) / 2, counted per bucket.
    let wins = 0;
    let negBelow = 0;
    let P = 0;
    let N = 0;
    for (let b = 0; b < buckets; b++) {
      wins += posIn[b]! * (negBelow + negIn[b]! / 2);
      negBelow += negIn[b]!;
      P += posIn[b]!;
      N += negIn[b]!;
    }
    const m = classificationMetrics(y, proba, ['0', '1']);
    expect(m.rocAuc).toBeCloseTo(wins / (P * N), 10);
    const c = m.curves[0]!;
    expect(c.roc!.fpr.length).toBeLessThanOrEqual(200);
    expect(c.pr!.precision.length).toBeLessThanOrEqual(200);
    expect(c.pr!.thresholds.length).toBe(c.pr!.precision.length - 1);
    expect(m.confusion.flat().reduce((s, v) => s + v, 0)).toBe(n);
  });
});

describe('regressionMetrics', () => {
  it('matches sklearn docs: MAE 0.5, MSE 0.375, R² 0.9486 on [3,-0.5,2,7] vs [2.5,0,2,8]', () => {
    const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(m.n).toBe(4);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.rmse).toBeCloseTo(0.6123724356957945, 12);
    // 1 - 1.5 / 29.1875
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(m.notes).toEqual([]);
  });

  it('summarizes the residuals y - ŷ = [0.5, -0.5, 0, -1]', () => {
    const r = regressionMetrics(Float64Array.from([3, -0.5, 2, 7]), Float32Array.from([2.5, 0, 2, 8])).residuals;
    expect(r.residual).toEqual([0.5, -0.5, 0, -1]);
    expect(r.predicted).toEqual([2.5, 0, 2, 8]);
    expect(r.sampled).toBe(false);
    expect(r.mean).toBeCloseTo(-0.25, 12);
    expect(r.std).toBeCloseTo(Math.sqrt(0.3125), 12);
    expect([r.min, r.max]).toEqual([-1, 0.5]);
    expect(r.p05).toBeCloseTo(-0.925, 12);
    expect(r.p25).toBeCloseTo(-0.625, 12);
    expect(r.median).toBeCloseTo(-0.25, 12);
    expect(r.p75).toBeCloseTo(0.125, 12);
    expect(r.p95).toBeCloseTo(0.425, 12);
  });

  it('R² of a constant target is 1 when perfect, else 0 (sklearn force_finite); NaN under 2 rows', () => {
    expect(r2Score([-2, -2, -2], [-2, -2, -2])).toBe(1);
    expect(r2Score([-2, -2, -2], [-2, -2, -2 + 1e-8])).toBe(0);
    expect(regressionMetrics([-2, -2, -2], [-1, -2, -2]).notes[0]).toMatch(/same/);
    expect(r2Score([1], [2])).toBeNaN();
    expect(regressionMetrics([1], [2]).r2).toBeNaN();
    // Predicting the mean gives 0, worse than the mean gives a negative R².
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2Score([1, 2, 3], [3, 2, 1])).toBeCloseTo(-3, 12);
  });

  it('keeps at most 2,000 evenly spaced residual points, first and last included', () => {
    const n = 10_001;
    const t = Float64Array.from({ length: n }, (_, i) => i);
    const p = Float64Array.from({ length: n }, (_, i) => i + (i % 2 ? 1 : -1));
    const r = regressionMetrics(t, p).residuals;
    expect(r.predicted).toHaveLength(2000);
    expect(r.sampled).toBe(true);
    expect(r.predicted[0]).toBe(-1);
    expect(r.predicted.at(-1)).toBe(9999);
    expect(regressionMetrics(t, p, { maxResidualPoints: 10 }).residuals.residual).toHaveLength(10);
  });

  it('rejects mismatched, empty or non-finite inputs', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(/2 true values but 1/);
    expect(() => regressionMetrics([], [])).toThrow(/no rows/);
    expect(() => regressionMetrics([1, NaN], [1, 2])).toThrow(/Row 1/);
  });
});
