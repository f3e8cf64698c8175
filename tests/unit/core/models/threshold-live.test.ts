import { describe, expect, it } from 'vitest';
import {
  countsAt,
  curvePointAt,
  evaluationAtThreshold,
  formatThreshold,
  metricsAt,
  nearestThreshold,
  probaFromScores,
  roundThreshold,
  sortScores,
  stepThreshold,
  thresholdGrid,
  thresholdVersionFiles,
  thresholdSource,
  LINEAGE_JSON,
  METRICS_JSON,
  MODEL_JSON,
  WEIGHTS_BIN,
} from '../../../../src/lib/core/models';
import { classificationMetrics } from '../../../../src/lib/core/metrics';
import type { Evaluation, TestScores } from '../../../../src/lib/core/training';

const CLASSES = ['No', 'Yes'];

/** mulberry32: a small seeded generator, so every run draws the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n rows, about `rate` positive; positives score higher on average; `levels` > 0 rounds scores to that many steps (ties). */
function data(n: number, seed: number, rate = 0.3, levels = 0): TestScores {
  const r = rng(seed);
  const labels = new Uint8Array(n);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = r() < rate ? 1 : 0;
    let s = Math.min(1, Math.max(0, r() * 0.7 + (labels[i] ? 0.3 : 0)));
    if (levels > 0) s = Math.round(s * levels) / levels;
    scores[i] = s;
  }
  return { labels, scores };
}

/** The full evaluation at a threshold, the way training computes it. */
function reference(s: TestScores, t: number) {
  return classificationMetrics(Uint32Array.from(s.labels), probaFromScores(s.scores), CLASSES, { threshold: t });
}

/** Counts by looping over every row: the plain definition. */
function bruteCounts(s: TestScores, t: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < s.labels.length; i++) {
    const predicted = s.scores[i]! >= t;
    if (s.labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return { tp, fp, fn, tn };
}

function expectSame(s: TestScores, t: number) {
  const live = metricsAt(sortScores(s), t, CLASSES);
  const ref = reference(s, t);
  expect(live.confusion).toEqual(ref.confusion);
  expect({ tp: live.tp, fp: live.fp, fn: live.fn, tn: live.tn }).toEqual(bruteCounts(s, t));
  const positive = ref.report.perClass[1]!;
  expect(live.precision).toBe(positive.precision);
  expect(live.recall).toBe(positive.recall);
  expect(live.f1).toBe(positive.f1);
  expect(live.accuracy).toBe(ref.accuracy);
  expect(live.balancedAccuracy).toBe(ref.balancedAccuracy);
  expect(live.report).toEqual(ref.report);
  expect(live.n).toBe(s.labels.length);
  expect(live.predictedPositive).toBe(live.tp + live.fp);
}

describe('metricsAt', () => {
  it('equals classificationMetrics at the same threshold on random data (thresholds at 0, 1, on and between scores)', () => {
    for (const seed of [1, 2, 3]) {
      const s = data(500, seed);
      const sorted = [...new Set(Array.from(s.scores))].sort((a, b) => a - b);
      const thresholds = [0, 1, 0.5, sorted[0]!, sorted[sorted.length - 1]!, sorted[100]!, (sorted[100]! + sorted[101]!) / 2, 0.123, 0.999];
      const r = rng(seed + 100);
      for (let i = 0; i < 20; i++) thresholds.push(r());
      for (const t of thresholds) expectSame(s, t);
    }
  });

  it('counts tied scores together: a threshold on a tie takes every tied row', () => {
    const s = data(400, 7, 0.4, 10); // eleven distinct scores only
    for (let i = 0; i <= 10; i++) expectSame(s, i / 10);
    for (const t of [0.05, 0.15, 0.55, 0.95, 0.3000001, 0.2999999]) expectSame(s, t);
    // By hand: at a tied score, every row with it is predicted positive.
    const at = countsAt(sortScores(s), 0.5);
    const withHalfOrMore = Array.from(s.scores).filter((v) => v >= 0.5).length;
    expect(at.tp + at.fp).toBe(withHalfOrMore);
  });

  it('at 0 predicts every row positive, above the top score none', () => {
    const s = data(300, 11);
    const c = sortScores(s);
    const positives = s.labels.reduce((a, b) => a + b, 0);
    expect(countsAt(c, 0)).toEqual({ threshold: 0, tp: positives, fp: 300 - positives, fn: 0, tn: 0 });
    const top = Math.max(...Array.from(s.scores));
    expect(countsAt(c, top + 1e-6)).toEqual({ threshold: top + 1e-6, tp: 0, fp: 0, fn: positives, tn: 300 - positives });
    // Nothing predicted positive: precision 0 (zero_division = 0), as classificationMetrics.
    expectSame(s, top + 1e-6);
  });

  it('handles a split without positives and one without negatives', () => {
    const none: TestScores = { labels: new Uint8Array(5), scores: Float32Array.from([0.1, 0.4, 0.6, 0.8, 0.9]) };
    const all: TestScores = { labels: Uint8Array.from([1, 1, 1, 1]), scores: Float32Array.from([0.2, 0.4, 0.6, 0.8]) };
    for (const t of [0, 0.5, 1]) {
      expectSame(none, t);
      expectSame(all, t);
    }
    // Balanced accuracy is the recall of the one class present: 2 of 5 negatives are below 0.5.
    expect(metricsAt(sortScores(none), 0.5, CLASSES).balancedAccuracy).toBeCloseTo(2 / 5, 12);
  });

  it('rejects a threshold that is not a number, and scores that do not match their labels', () => {
    const c = sortScores(data(10, 1));
    expect(() => metricsAt(c, NaN, CLASSES)).toThrow(/must be a number/);
    expect(() => sortScores({ labels: new Uint8Array(3), scores: new Float32Array(2) })).toThrow(/3 labels but 2 scores/);
  });
});

describe('the handle on the curve', () => {
  // 0.9 P, 0.8 N, 0.7 P, 0.6 P, 0.4 N, 0.35 P, 0.3 N, 0.2 N (4 positives, 4 negatives).
  const s: TestScores = { labels: Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 0]), scores: Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.4, 0.35, 0.3, 0.2]) };
  const c = sortScores(s);

  it('places a threshold at its (recall, precision), the end of the curve when nothing is predicted', () => {
    // At 0.6: tp 3 (0.9, 0.7, 0.6), fp 1 (0.8): recall 3/4, precision 3/4.
    expect(curvePointAt(c, 0.6)).toEqual({ threshold: 0.6, recall: 0.75, precision: 0.75 });
    // At 0.5 the same rows as at 0.6.
    expect(curvePointAt(c, 0.5)).toEqual({ threshold: 0.5, recall: 0.75, precision: 0.75 });
    expect(curvePointAt(c, 0.95)).toEqual({ threshold: 0.95, recall: 0, precision: 1 });
    expect(curvePointAt(c, 0)).toEqual({ threshold: 0, recall: 1, precision: 0.5 });
  });

  it('has a grid point for every 0.001 from 0 to 1', () => {
    const grid = thresholdGrid(c);
    expect(grid).toHaveLength(1001);
    expect(grid[0]!.threshold).toBe(0);
    expect(grid[1000]!.threshold).toBe(1);
    expect(grid[600]).toEqual(curvePointAt(c, 0.6));
  });

  it('snaps the pointer to the nearest point, and among thresholds sharing it to the one nearest the current', () => {
    const grid = thresholdGrid(c);
    // (0.75, 0.75) is reached by every threshold in (0.4, 0.6]: from 0.3 the nearest of those is 0.401.
    expect(nearestThreshold(grid, 0.76, 0.74, 300, 200, 0.3)).toBe(0.401);
    // From 0.9 the nearest is 0.6.
    expect(nearestThreshold(grid, 0.76, 0.74, 300, 200, 0.9)).toBe(0.6);
    // The pointer near recall 1, precision 4/6: thresholds in (0.3, 0.35], where the stored score 0.35 is
    // float32 0.3499999940…, so 0.35 itself is above it and 0.349 is the highest threshold that reaches the point.
    const t = nearestThreshold(grid, 0.98, 0.68, 300, 200, 0.5);
    expect(t).toBe(0.349);
    expect(curvePointAt(c, t).recall).toBe(1);
  });

  it('steps by 0.001 on arrows, 0.01 on PageUp/PageDown, to the ends on Home/End, within [0, 1]', () => {
    expect(stepThreshold(0.5, 'ArrowUp')).toBe(0.501);
    expect(stepThreshold(0.5, 'ArrowRight')).toBe(0.501);
    expect(stepThreshold(0.5, 'ArrowDown')).toBe(0.499);
    expect(stepThreshold(0.5, 'ArrowLeft')).toBe(0.499);
    expect(stepThreshold(0.5, 'PageUp')).toBe(0.51);
    expect(stepThreshold(0.5, 'PageDown')).toBe(0.49);
    expect(stepThreshold(0.5, 'Home')).toBe(0);
    expect(stepThreshold(0.5, 'End')).toBe(1);
    expect(stepThreshold(1, 'PageUp')).toBe(1);
    expect(stepThreshold(0.005, 'PageDown')).toBe(0);
    expect(stepThreshold(0.5, 'a')).toBeNull();
    // A tuned threshold off the grid moves onto it: 0.23456 + 0.001 -> 0.236.
    expect(stepThreshold(0.23456, 'ArrowUp')).toBe(0.236);
    // Ten steps of 0.001 from 0.1 land on 0.11 exactly (no float drift).
    let t = 0.1;
    for (let i = 0; i < 10; i++) t = stepThreshold(t, 'ArrowUp')!;
    expect(t).toBe(0.11);
  });

  it('shows thresholds with 3 decimals and rounds set values onto the grid', () => {
    expect(formatThreshold(0.5)).toBe('0.500');
    expect(formatThreshold(0.23456)).toBe('0.235');
    expect(formatThreshold(1)).toBe('1.000');
    expect(formatThreshold(null)).toBe('—');
    expect(roundThreshold(0.12345)).toBe(0.123);
    expect(roundThreshold(-0.2)).toBe(0);
    expect(roundThreshold(1.7)).toBe(1);
  });
});

describe('a version at another threshold', () => {
  const s = data(200, 5);
  const atHalf = reference(s, 0.5);
  const baseline = { kind: 'majority' as const, label: 'always “No”', metrics: { accuracy: 0.7 } };
  const evaluation: Evaluation = { ...atHalf, task: 'binary', baseline };
  const enc = new TextEncoder();
  // metrics.json as stored: NaN is null in JSON.
  const source = new Map<string, Uint8Array>([
    [MODEL_JSON, enc.encode('{"modelTopology":{}}')],
    [WEIGHTS_BIN, Uint8Array.from([1, 2, 3, 4])],
    [METRICS_JSON, enc.encode(JSON.stringify(evaluation, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))],
    [LINEAGE_JSON, enc.encode(JSON.stringify({ runId: 'r1', config: { target: 'sick' } }))],
  ]);

  it('recomputes the whole evaluation at the threshold and keeps the baseline', () => {
    const e = evaluationAtThreshold(evaluation, s, 0.3);
    const ref = reference(s, 0.3);
    if (e.task !== 'binary') throw new Error('binary expected');
    expect(e.threshold).toBe(0.3);
    expect(e.confusion).toEqual(ref.confusion);
    expect(e.report).toEqual(ref.report);
    expect(e.rocAuc).toBe(atHalf.rocAuc);
    expect(e.baseline).toEqual(baseline);
  });

  it('writes metrics.json at the new threshold and lineage.json naming the source; the other files unchanged', () => {
    const { files } = thresholdVersionFiles(source, s, 0.25, 'abc');
    const byPath = new Map(files.map((f) => [f.path, f.bytes]));
    expect(byPath.get(WEIGHTS_BIN)).toEqual(source.get(WEIGHTS_BIN));
    expect(byPath.get(MODEL_JSON)).toEqual(source.get(MODEL_JSON));
    const metrics = JSON.parse(new TextDecoder().decode(byPath.get(METRICS_JSON))) as { threshold: number; confusion: number[][]; baseline: unknown };
    expect(metrics.threshold).toBe(0.25);
    const b = bruteCounts(s, 0.25);
    expect(metrics.confusion).toEqual([
      [b.tn, b.fp],
      [b.fn, b.tp],
    ]);
    expect(metrics.baseline).toEqual(baseline);
    const lineage = JSON.parse(new TextDecoder().decode(byPath.get(LINEAGE_JSON))) as Record<string, unknown>;
    expect(lineage).toEqual({ runId: 'r1', config: { target: 'sick' }, thresholdFrom: 'abc', threshold: 0.25 });
    expect(thresholdSource(lineage)).toBe('abc');
    expect(thresholdSource({ runId: 'r1' })).toBeNull();
  });

  it('refuses a threshold outside [0, 1] and scores of another split', () => {
    expect(() => thresholdVersionFiles(source, s, 1.5, 'abc')).toThrow(/between 0 and 1/);
    expect(() => thresholdVersionFiles(source, data(10, 1), 0.4, 'abc')).toThrow(/do not belong together/);
  });
});
