import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../../../src/lib/core/common';
import { classificationMetrics, rocAucScore } from '../../../../src/lib/core/metrics';
import { compareModels, createResampler, metricVerdict, type MetricKey } from '../../../../src/lib/core/evaluate';
import { npPercentile, take, twoColumns } from './helpers';

// 6 rows by hand. Champion: positives 0.8, 0.3, 0.9 vs negatives 0.1, 0.4, 0.35 -> 7 of 9 pairs right, AUC 7/9;
// at 0.5 it predicts [0,0,0,1,0,1]: accuracy 5/6. Challenger ranks every positive above every negative: AUC 1, accuracy 1.
const labels = [0, 0, 0, 1, 1, 1];
const champ = [0.1, 0.4, 0.35, 0.8, 0.3, 0.9];
const chal = [0.2, 0.1, 0.3, 0.7, 0.6, 0.8];
const tiny = (seed = 11, resamples = 200) =>
  compareModels({ task: 'binary', labels, seed, resamples, models: [{ name: 'champion', scores: champ }, { name: 'challenger', scores: chal }] });

describe('compareModels on a hand-computed 6-row table', () => {
  const ev = tiny();
  const value = (m: number, k: MetricKey) => ev.models[m]!.metrics.find((x) => x.metric === k)!.value;

  it('point values and the disagreement share by hand', () => {
    expect(value(0, 'rocAuc')).toBeCloseTo(7 / 9, 12);
    expect(value(1, 'rocAuc')).toBe(1);
    expect(value(0, 'accuracy')).toBeCloseTo(5 / 6, 12);
    expect(value(0, 'recall')).toBeCloseTo(2 / 3, 12);
    expect(value(0, 'precision')).toBe(1);
    expect(ev.comparisons[0]!.differences.find((d) => d.metric === 'rocAuc')!.difference).toBeCloseTo(2 / 9, 12);
    // The models' labels differ on row 4 only (0.3 < 0.5 <= 0.6).
    expect(ev.comparisons[0]!.disagreement).toEqual({ rows: 1, share: 1 / 6 });
  });

  it('paired intervals = brute-force recomputation on the same resampled rows built as arrays', () => {
    const draw = createResampler(6, deriveSeed(11, 'evaluate-bootstrap'));
    const counts = new Int32Array(6);
    const rows = new Uint32Array(6);
    const per: Record<string, number[][]> = {};
    const keys: MetricKey[] = ['rocAuc', 'accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'logLoss'];
    for (const k of keys) per[k] = [[], [], []];
    for (let r = 0; r < 200; r++) {
      draw.next(counts, rows);
      const hist = new Int32Array(6);
      rows.forEach((i) => hist[i]!++);
      expect(Array.from(hist)).toEqual(Array.from(counts));
      const y = take(labels, rows);
      const vals = [champ, chal].map((s) => {
        const ss = take(s, rows);
        const m = classificationMetrics(Uint32Array.from(y), twoColumns(ss), ['0', '1']);
        const c1 = m.report.perClass[1]!;
        return [rocAucScore(y, ss), m.accuracy, m.balancedAccuracy, c1.precision, c1.recall, c1.f1, m.logLoss];
      });
      keys.forEach((k, j) => {
        per[k]![0]!.push(vals[0]![j]!);
        per[k]![1]!.push(vals[1]![j]!);
        per[k]![2]!.push(vals[1]![j]! - vals[0]![j]!);
      });
    }
    keys.forEach((k, j) => {
      for (const m of [0, 1]) {
        const est = ev.models[m]!.metrics[j]!;
        expect(est.metric).toBe(k);
        expect(est.interval.low).toBeCloseTo(npPercentile(per[k]![m]!, 0.025), 12);
        expect(est.interval.high).toBeCloseTo(npPercentile(per[k]![m]!, 0.975), 12);
        expect(est.undefinedResamples).toBe(per[k]![m]!.filter(Number.isNaN).length);
      }
      const d = ev.comparisons[0]!.differences[j]!;
      expect(d.interval.low).toBeCloseTo(npPercentile(per[k]![2]!, 0.025), 12);
      expect(d.interval.high).toBeCloseTo(npPercentile(per[k]![2]!, 0.975), 12);
    });
    // Some 6-row resamples draw one class only: AUC undefined there, left out.
    expect(ev.models[0]!.metrics[0]!.undefinedResamples).toBeGreaterThan(0);
  });

  it('the same seed gives the same intervals, another seed other ones', () => {
    expect(tiny(11)).toEqual(ev);
    expect(tiny(12).models).not.toEqual(ev.models);
  });

  it('reports its progress every 100 resamples, and listening changes nothing', () => {
    const heard: string[] = [];
    const input = { task: 'binary' as const, labels, seed: 11, resamples: 350, models: [{ name: 'champion', scores: champ }, { name: 'challenger', scores: chal }] };
    const withProgress = compareModels(input, (done, total) => heard.push(`${done}/${total}`));
    expect(heard).toEqual(['100/350', '200/350', '300/350']);
    expect(withProgress).toEqual(compareModels(input));
  });
});

describe('verdicts agree with the interval signs', () => {
  it('higher-is-better: sign of the interval decides, words carry the numbers', () => {
    expect(metricVerdict('rocAuc', 0.021, { low: 0.012, high: 0.03 })).toEqual({ verdict: 'challenger', words: 'challenger better on ROC AUC by 0.021 [0.012, 0.030]' });
    expect(metricVerdict('accuracy', -0.02, { low: -0.03, high: -0.01 })).toEqual({ verdict: 'champion', words: 'champion better on accuracy by 0.020 [0.010, 0.030]' });
    const none = metricVerdict('f1', 0.01, { low: -0.005, high: 0.02 });
    expect(none.verdict).toBe('none');
    expect(none.words).toBe('no clear difference on F1: the interval of the difference [-0.005, 0.020] includes 0');
    expect(metricVerdict('f1', 0.01, { low: 0, high: 0.02 }).verdict).toBe('none');
    expect(metricVerdict('rocAuc', NaN, { low: NaN, high: NaN }).verdict).toBe('undefined');
  });

  it('lower-is-better: a negative difference (challenger lower) is the challenger’s win', () => {
    expect(metricVerdict('logLoss', -0.04, { low: -0.066, high: -0.015 })).toEqual({
      verdict: 'challenger',
      words: 'challenger better on log loss (lower is better) by 0.040 [0.015, 0.066]',
    });
    expect(metricVerdict('rmse', 1.5, { low: 0.5, high: 2.5 })).toEqual({ verdict: 'champion', words: 'champion better on RMSE (lower is better) by 1.500 [0.500, 2.500]' });
    expect(metricVerdict('r2', 0.05, { low: 0.01, high: 0.09 }).verdict).toBe('challenger');
  });

  it('compareModels: a clearly better challenger wins every metric with signs consistent per direction', () => {
    const rng = new Rng(3);
    const n = 2000;
    const y = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
    const noisy = (spread: number) => y.map((v) => Math.min(0.99, Math.max(0.01, 0.5 + (v ? 1 : -1) * spread + 0.4 * (rng.next() - 0.5))));
    const ev = compareModels({ task: 'binary', labels: y, seed: 5, resamples: 300, models: [{ name: 'a', scores: noisy(0.05) }, { name: 'b', scores: noisy(0.2) }] });
    const cmp = ev.comparisons[0]!;
    for (const d of cmp.differences) {
      expect(d.verdict).toBe('challenger');
      if (d.lowerIsBetter) expect(d.interval.high).toBeLessThan(0);
      else expect(d.interval.low).toBeGreaterThan(0);
      expect(d.words.startsWith('challenger better on')).toBe(true);
    }
    expect(cmp.differences.find((d) => d.metric === 'logLoss')!.lowerIsBetter).toBe(true);
    expect(cmp.overall.verdict).toBe('challenger');
    expect(cmp.overall.words).toBe('challenger better on 7 of 7 metrics (ROC AUC, accuracy, balanced accuracy, precision, recall, F1 and log loss) and worse on none');
    // Swapped, the champion wins everything.
    const swapped = compareModels({ task: 'binary', labels: y, seed: 5, resamples: 300, models: [{ name: 'b', scores: noisy(0.2) }, { name: 'a', scores: noisy(0.05) }] });
    expect(swapped.comparisons[0]!.overall.verdict).toBe('champion');
  });
});

describe('compareModels: multiclass and regression', () => {
  it('multiclass disagreement counts differing argmaxes', () => {
    // Argmaxes: champion [0, 1, 2, 2], challenger [0, 2, 2, 1] -> 2 of 4 rows differ.
    const ev = compareModels({
      task: 'multiclass', labels: [0, 1, 2, 2], classes: 3, seed: 1, resamples: 50,
      models: [
        { name: 'c', proba: [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4] },
        { name: 'd', proba: [0.6, 0.2, 0.2, 0.1, 0.3, 0.6, 0.2, 0.2, 0.6, 0.2, 0.5, 0.3] },
      ],
    });
    expect(ev.metricKeys).toEqual(['accuracy', 'balancedAccuracy', 'macroF1', 'logLoss']);
    expect(ev.comparisons[0]!.disagreement).toEqual({ rows: 2, share: 0.5 });
    expect(ev.models[0]!.metrics[0]!.value).toBe(1);
    expect(ev.models[1]!.metrics[0]!.value).toBe(0.5);
  });

  it('regression disagreement: |difference| > tolerance; default 0.1 x the labels’ standard deviation', () => {
    const labels = [0, 10, 20, 30]; // population sd = sqrt(125) ~ 11.18 -> tolerance ~ 1.118
    const a = [1, 10, 20, 30];
    const b = [1, 11, 20.5, 33]; // differences 0, 1, 0.5, 3
    const ev = compareModels({ task: 'regression', labels, seed: 1, resamples: 20, models: [{ name: 'a', values: a }, { name: 'b', values: b }] });
    expect(ev.comparisons[0]!.disagreement.tolerance).toBeCloseTo(Math.sqrt(125) / 10, 12);
    expect(ev.comparisons[0]!.disagreement.rows).toBe(1);
    const strict = compareModels({ task: 'regression', labels, seed: 1, resamples: 20, tolerance: 0.4, models: [{ name: 'a', values: a }, { name: 'b', values: b }] });
    expect(strict.comparisons[0]!.disagreement).toEqual({ rows: 3, share: 0.75, tolerance: 0.4 });
    // RMSE by hand: champion sqrt(1/4) = 0.5; MAE 0.25.
    expect(ev.models[0]!.metrics[0]!.value).toBeCloseTo(0.5, 12);
    expect(ev.models[0]!.metrics[1]!.value).toBeCloseTo(0.25, 12);
  });

  it('rejects outputs that do not line up', () => {
    expect(() => compareModels({ task: 'binary', labels: [0, 1], seed: 1, models: [{ name: 'x', scores: [0.1] }] })).toThrow(/1 scores for 2 rows/);
    expect(() => compareModels({ task: 'binary', labels: [0, 2], seed: 1, models: [{ name: 'x', scores: [0.1, 0.2] }] })).toThrow(/0 or 1/);
  });
});
