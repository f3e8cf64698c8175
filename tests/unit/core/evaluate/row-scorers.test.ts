import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/core/common';
import { classificationMetrics, regressionMetrics, rocAucScore } from '../../../../src/lib/core/metrics';
import { binaryRows, binaryScorer, multiclassRows, multiclassScorer, regressionScorer } from '../../../../src/lib/core/evaluate/row-scorers';
import { take, twoColumns } from './helpers';

/** Explicit resample: counts and the row list with each row repeated count times. */
function drawCounts(n: number, rng: Rng): { counts: Int32Array; rows: number[] } {
  const counts = new Int32Array(n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.int(n);
    counts[r]! += 1;
    rows.push(r);
  }
  return { counts, rows };
}

describe('row scorers from weights equal the metrics domain on explicitly built resamples', () => {
  const rng = new Rng(7);
  const n = 200;
  const labels = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
  // Scores rounded to 1 decimal: many ties, which the fast AUC must split as halves.
  const scores = labels.map((y) => Math.round(Math.min(1, Math.max(0, 0.35 + 0.3 * y + 0.3 * (rng.next() - 0.5))) * 10) / 10);

  it('binary: fast weighted ROC AUC (Mann-Whitney with multiplicities) = rocAucScore on the resampled arrays', () => {
    const scorer = binaryScorer(binaryRows(labels, scores, 0.5));
    const out = new Float64Array(7);
    for (let t = 0; t < 25; t++) {
      const { counts, rows } = drawCounts(n, rng);
      scorer.score(counts, out);
      const y = take(labels, rows);
      const s = take(scores, rows);
      expect(out[0]).toBeCloseTo(rocAucScore(y, s), 12);
      const m = classificationMetrics(Uint32Array.from(y), twoColumns(s), ['0', '1'], { threshold: 0.5 });
      expect(out[1]).toBeCloseTo(m.accuracy, 12);
      expect(out[2]).toBeCloseTo(m.balancedAccuracy, 12);
      expect(out[3]).toBeCloseTo(m.report.perClass[1]!.precision, 12);
      expect(out[4]).toBeCloseTo(m.report.perClass[1]!.recall, 12);
      expect(out[5]).toBeCloseTo(m.report.perClass[1]!.f1, 12);
      expect(out[6]).toBeCloseTo(m.logLoss, 12);
    }
  });

  it('binary: AUC is NaN when the weights keep one class only, and a 0/1 subset scores that subset', () => {
    const scorer = binaryScorer(binaryRows([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.6], 0.5));
    const out = new Float64Array(7);
    scorer.score(Int32Array.from([1, 0, 0, 3]), out);
    expect(out[0]).toBeNaN();
    // Rows 0 (y 0, p 0.2, pred 0) and 3 x3 (y 0, p 0.6, pred 1): accuracy 1/4, precision 0, recall 0 (no positives, zero_division 0).
    expect(out[1]).toBeCloseTo(0.25, 12);
    expect(out[2]).toBeCloseTo(0.25, 12);
    expect(out[3]).toBe(0);
    expect(out[4]).toBe(0);
    scorer.score(Int32Array.from([0, 1, 1, 1]), out);
    // Positives 0.9, 0.4 vs negative 0.6: one of two pairs ranked right.
    expect(out[0]).toBeCloseTo(0.5, 12);
  });

  it('multiclass: accuracy, balanced accuracy, macro F1, log loss = classificationMetrics on the resampled arrays', () => {
    const k = 4;
    const y = Array.from({ length: n }, () => rng.int(k));
    const proba: number[] = [];
    for (let i = 0; i < n; i++) {
      const raw = Array.from({ length: k }, (_, c) => rng.next() + (c === y[i] ? 0.6 : 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      proba.push(...raw.map((v) => v / sum));
    }
    const scorer = multiclassScorer(multiclassRows(y, proba, k));
    const out = new Float64Array(4);
    for (let t = 0; t < 10; t++) {
      const { counts, rows } = drawCounts(n, rng);
      scorer.score(counts, out);
      const m = classificationMetrics(Uint32Array.from(take(y, rows)), Float64Array.from(take(proba, rows, k)), ['a', 'b', 'c', 'd']);
      expect(out[0]).toBeCloseTo(m.accuracy, 12);
      expect(out[1]).toBeCloseTo(m.balancedAccuracy, 12);
      expect(out[2]).toBeCloseTo(m.report.macro.f1, 12);
      expect(out[3]).toBeCloseTo(m.logLoss, 12);
    }
  });

  it('regression: RMSE, MAE, R² = regressionMetrics on the resampled arrays; constant resampled target follows sklearn', () => {
    const y = Array.from({ length: n }, () => 1000 + 50 * rng.next());
    const p = y.map((v) => v + 10 * (rng.next() - 0.5));
    const scorer = regressionScorer(y, p);
    const out = new Float64Array(3);
    for (let t = 0; t < 10; t++) {
      const { counts, rows } = drawCounts(n, rng);
      scorer.score(counts, out);
      const m = regressionMetrics(take(y, rows), take(p, rows));
      expect(out[0]).toBeCloseTo(m.rmse, 9);
      expect(out[1]).toBeCloseTo(m.mae, 9);
      expect(out[2]).toBeCloseTo(m.r2, 9);
    }
    const s = regressionScorer([3, 5, 7], [3, 6, 7]);
    s.score(Int32Array.from([3, 0, 0]), out);
    expect(out[2]).toBe(1); // only row 0 (perfect) drawn: constant target, perfect
    s.score(Int32Array.from([0, 3, 0]), out);
    expect(out[2]).toBe(0); // only row 1 (off by 1): constant target, not perfect
    expect(out[0]).toBeCloseTo(1, 12);
  });
});
