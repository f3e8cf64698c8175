import { describe, expect, it } from 'vitest';
import { GAP_METRIC_ORDER, GAP_METRICS, decisionWords, fairnessChartData, fairnessMarkdown, fairnessReport, flagWord } from '../../../../src/lib/core/fairness';
import { inputOf, type Cells } from './helpers';

// Test split (favourable = positive): "A|1" 40 rows (TP 15, FN 5, FP 5, TN 15),
// "B" 60 rows (TP 10, FN 10, FP 4, TN 36), "*C*" 10 rows (TP 0, FN 5, FP 0, TN 5).
const CELLS: Cells[] = [
  { group: 'A|1', tp: 15, fn: 5, fp: 5, tn: 15 },
  { group: 'B', tp: 10, fn: 10, fp: 4, tn: 36 },
  { group: '*C*', tp: 0, fn: 5, fp: 0, tn: 5 },
];
const DATA = [
  { group: 'A|1', rows: 100, favourable: 60 },
  { group: 'B', rows: 300, favourable: 90 },
  { group: '*C*', rows: 20, favourable: 10 },
];
const report = fairnessReport(inputOf(DATA, CELLS, { attributes: ['Race_<b>'], favourable: 'Yes_please', resamples: 300 }));

describe('GAP_METRICS', () => {
  it("names every gap with Clarify's acronym or AIF360's name, in the report's order", () => {
    expect(GAP_METRICS.map((m) => m.metric)).toEqual([...GAP_METRIC_ORDER]);
    expect(GAP_METRICS.map((m) => m.clarify?.acronym ?? null)).toEqual(['DPPL', 'DI', 'RD', null]);
    expect(GAP_METRICS[3]!.otherName).toBe('AIF360: average_odds_difference');
    expect(GAP_METRICS.map((m) => m.neutral)).toEqual([0, 1, 0, 0]);
  });
});

describe('fairnessMarkdown', () => {
  const md = fairnessMarkdown(report);
  const lines = md.split('\n');

  it('writes a section per attribute with escaped user text', () => {
    expect(lines[0]).toBe('## Fairness');
    expect(md).toContain('### Race\\_\\<b\\> (by value)');
    expect(md).toContain('Favourable label: Yes\\_please;');
    expect(md).not.toContain('<b>');
  });

  it('has a row of rates per group', () => {
    // B: 60 rows, label 1/3, selection 14/60, recall 0.5, FPR 0.1, precision 10/14, accuracy 46/60.
    expect(lines).toContain('| B | 60 | 0.333 | 0.233 | 0.500 | 0.100 | 0.714 | 0.767 |');
    // The group label "A|1" must not split the table: the pipe is escaped.
    expect(lines.some((l) => l.startsWith('| A\\|1 | 40 | 0.500 | 0.500 | 0.750 | 0.250 | 0.750 | 0.750 |'))).toBe(true);
    expect(lines.some((l) => l.startsWith('| \\*C\\* | 10 (too few) |'))).toBe(true);
  });

  it('has pre-training CI and DPL per group', () => {
    // B against the rest (120 rows, 70 favourable): CI = (120 - 300) / 420, DPL = 70/120 - 0.3.
    expect(lines).toContain(`| B | 300 | ${(-180 / 420).toFixed(3)} | ${(70 / 120 - 0.3).toFixed(3)} |`);
  });

  it('lists each gap with its Clarify name, interval and flag word', () => {
    const g = report.attributes[0]!.gaps.find((x) => x.group === 'B' && x.metric === 'disparate-impact')!;
    // B selects 14/60, the rest (A|1 and *C*, 50 rows) 20/50: DI = (14/60) / 0.4 = 0.583.
    expect(g.value).toBeCloseTo(14 / 60 / 0.4, 12);
    const row = lines.find((l) => l.startsWith('| B | Disparate impact ratio | DI |'))!;
    expect(row).toContain('| 0.583 |');
    expect(row).toContain(`[${g.interval.low.toFixed(3)}, ${g.interval.high.toFixed(3)}]`);
    expect(row.endsWith(`| 1 | ${g.flagged ? 'flagged' : 'no'}; below 4/5 |`)).toBe(true);
    expect(lines.some((l) => l.startsWith('| \\*C\\* | Average odds difference | AIF360: average\\_odds\\_difference |') && l.endsWith('| too few rows |'))).toBe(true);
  });

  it('picks the flag word', () => {
    const base = { group: 'g', metric: 'disparate-impact' as const, value: 0.5, interval: { low: 0.4, high: 0.6 }, neutral: 1, tooSmall: false };
    expect(flagWord({ ...base, flagged: true, fourFifths: true })).toBe('flagged; below 4/5');
    expect(flagWord({ ...base, flagged: false, tooSmall: true })).toBe('too few rows');
    expect(flagWord({ ...base, flagged: false })).toBe('no');
  });
});

describe('fairnessChartData', () => {
  it('gives one bar per group with error bars to the interval ends', () => {
    const c = fairnessChartData(report, 'Race_<b>', 'demographic-parity');
    expect(c.x).toEqual(['A|1', 'B', '*C*']);
    expect(c.neutral).toBe(0);
    expect(c.title).toBe('Demographic parity difference (Clarify DPPL)');
    // *C* selects nobody, the rest 34/100.
    expect(c.y[2]).toBeCloseTo(0.34, 12);
    const gaps = report.attributes[0]!.gaps.filter((g) => g.metric === 'demographic-parity');
    gaps.forEach((g, i) => {
      expect(c.errorPlus[i]).toBeCloseTo(Math.max(0, g.interval.high - g.value), 12);
      expect(c.errorMinus[i]).toBeCloseTo(Math.max(0, g.value - g.interval.low), 12);
    });
    expect(c.flagged).toEqual(gaps.map((g) => g.flagged));
    expect(c.tooSmall).toEqual([false, false, true]);
    expect(c.flagged[2]).toBe(false);
  });

  it('draws the neutral line at 1 for disparate impact and leaves holes for undefined values', () => {
    const r = fairnessReport(inputOf(DATA, [...CELLS, { group: 'D', tp: 0, fn: 0, fp: 10, tn: 30 }], { resamples: 50 }));
    const di = fairnessChartData(r, 'Group', 'disparate-impact');
    expect(di.neutral).toBe(1);
    const eo = fairnessChartData(r, 'Group', 'equal-opportunity');
    expect(eo.y[3]).toBeNull(); // D has no favourable labels: recall undefined
    expect(eo.errorPlus[3]).toBeNull();
    expect(() => fairnessChartData(r, 'Nope', 'average-odds')).toThrow(/no attribute/);
  });
});

describe('decisionWords', () => {
  it('names the threshold of a binary model and the most probable class otherwise, also after JSON', () => {
    expect(decisionWords(0.5)).toBe('decision threshold 0.500');
    expect(decisionWords(0.3125)).toBe('decision threshold 0.313');
    expect(decisionWords(NaN)).toBe('the most probable class');
    expect(decisionWords(JSON.parse(JSON.stringify({ t: NaN })).t as null)).toBe('the most probable class');
  });
});
