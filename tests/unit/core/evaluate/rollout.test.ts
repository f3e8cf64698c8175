import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/core/common';
import { classificationMetrics, regressionMetrics, rocAucScore } from '../../../../src/lib/core/metrics';
import { assignRollout, CHALLENGER_ARM, rehearse } from '../../../../src/lib/core/evaluate';
import { twoColumns } from './helpers';

const count = (arms: Uint8Array) => arms.reduce((s, a) => s + (a === CHALLENGER_ARM ? 1 : 0), 0);

describe('assignRollout', () => {
  it('canary: a 10% share over 10,000 rows lands within 4 binomial sd (sd = 30)', () => {
    const arms = assignRollout(10_000, { kind: 'canary', share: 0.1 }, 42);
    expect(Math.abs(count(arms) - 1000)).toBeLessThan(120);
    // Spread evenly: each quarter of the rows holds about a quarter of the canary (sd 15).
    for (let q = 0; q < 4; q++) expect(Math.abs(count(arms.subarray(q * 2500, (q + 1) * 2500)) - 250)).toBeLessThan(60);
  });

  it('stable: same seed same arms; appending rows never moves earlier ones; another seed differs', () => {
    const short = assignRollout(5_000, { kind: 'canary', share: 0.1 }, 42);
    const long = assignRollout(10_000, { kind: 'canary', share: 0.1 }, 42);
    expect(Array.from(long.subarray(0, 5_000))).toEqual(Array.from(short));
    expect(Array.from(assignRollout(5_000, { kind: 'canary', share: 0.1 }, 42))).toEqual(Array.from(short));
    expect(Array.from(assignRollout(5_000, { kind: 'canary', share: 0.1 }, 43))).not.toEqual(Array.from(short));
    // A larger canary keeps every row of the smaller one (same hash, higher cut).
    const wider = assignRollout(5_000, { kind: 'canary', share: 0.2 }, 42);
    short.forEach((a, i) => {
      if (a === CHALLENGER_ARM) expect(wider[i]).toBe(CHALLENGER_ARM);
    });
  });

  it('A/B: default 50/50 within 4 sd (sd = 50), a 30/70 split too; shadow serves the champion everywhere', () => {
    expect(Math.abs(count(assignRollout(10_000, { kind: 'ab' }, 9)) - 5000)).toBeLessThan(200);
    expect(Math.abs(count(assignRollout(10_000, { kind: 'ab', share: 0.3 }, 9)) - 3000)).toBeLessThan(184);
    expect(count(assignRollout(1000, { kind: 'shadow' }, 9))).toBe(0);
    expect(() => assignRollout(10, { kind: 'canary', share: 1.5 }, 9)).toThrow(/between 0 and 1/);
  });
});

describe('rehearse', () => {
  const rng = new Rng(21);
  const n = 3000;
  const y = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const a = y.map((v) => Math.min(0.99, Math.max(0.01, 0.5 + (v ? 0.08 : -0.08) + 0.5 * (rng.next() - 0.5))));
  const b = y.map((v) => Math.min(0.99, Math.max(0.01, 0.5 + (v ? 0.2 : -0.2) + 0.5 * (rng.next() - 0.5))));
  const input = { task: 'binary' as const, labels: y, seed: 1, models: [{ name: 'champ', scores: a }, { name: 'chal', scores: b, threshold: 0.45 }] };

  it('canary: served metrics = brute force on the answers picked per arm, per arm on its own rows, counts', () => {
    const r = rehearse(input, { kind: 'canary', share: 0.2 }, 77);
    const arms = assignRollout(n, { kind: 'canary', share: 0.2 }, 77);
    const k = count(arms);
    expect(r.counts).toEqual({ servedByChampion: n - k, servedByChallenger: k, scoredByChampion: n - k, scoredByChallenger: k });
    const served = y.map((_, i) => (arms[i] === CHALLENGER_ARM ? b[i]! : a[i]!));
    const pred = y.map((_, i) => (arms[i] === CHALLENGER_ARM ? (b[i]! >= 0.45 ? 1 : 0) : a[i]! >= 0.5 ? 1 : 0));
    const v = (list: { metric: string; value: number }[], m: string) => list.find((x) => x.metric === m)!.value;
    expect(v(r.served, 'rocAuc')).toBeCloseTo(rocAucScore(y, served), 12);
    expect(v(r.served, 'accuracy')).toBeCloseTo(pred.filter((p, i) => p === y[i]).length / n, 12);
    const rows = y.map((_, i) => i).filter((i) => arms[i] === CHALLENGER_ARM);
    const m = classificationMetrics(Uint32Array.from(rows.map((i) => y[i]!)), twoColumns(rows.map((i) => b[i]!)), ['0', '1'], { threshold: 0.45 });
    expect(r.arms[1]).toMatchObject({ arm: 'challenger', model: 'chal', rows: k });
    expect(v(r.arms[1]!.metrics, 'accuracy')).toBeCloseTo(m.accuracy, 12);
    expect(v(r.arms[1]!.metrics, 'logLoss')).toBeCloseTo(m.logLoss, 12);
    expect(v(r.championAlone, 'rocAuc')).toBeCloseTo(rocAucScore(y, a), 12);
    expect(r.shadow).toBeUndefined();
  });

  it('shadow: served = champion alone, both score every row, the challenger’s shadow metrics on all rows', () => {
    const r = rehearse(input, { kind: 'shadow' }, 77);
    expect(r.counts).toEqual({ servedByChampion: n, servedByChallenger: 0, scoredByChampion: n, scoredByChallenger: n });
    expect(r.served).toEqual(r.championAlone);
    expect(r.shadow!.metrics.find((x) => x.metric === 'rocAuc')!.value).toBeCloseTo(rocAucScore(y, b), 12);
    expect(r.arms[1]!.rows).toBe(0);
    expect(r.arms[1]!.metrics.find((x) => x.metric === 'accuracy')!.value).toBeNaN();
  });

  it('regression A/B: served RMSE = brute force on the picked values', () => {
    const yt = [1, 2, 3, 4, 5, 6, 7, 8];
    const pa = yt.map((v) => v + 1);
    const pb = yt.map((v) => v - 0.5);
    const arms = assignRollout(8, { kind: 'ab' }, 5);
    const r = rehearse({ task: 'regression', labels: yt, seed: 0, models: [{ name: 'a', values: pa }, { name: 'b', values: pb }] }, { kind: 'ab' }, 5);
    const picked = yt.map((_, i) => (arms[i] === CHALLENGER_ARM ? pb[i]! : pa[i]!));
    expect(r.served.find((x) => x.metric === 'rmse')!.value).toBeCloseTo(regressionMetrics(yt, picked).rmse, 12);
    expect(r.counts.servedByChallenger).toBe(count(arms));
  });
});
