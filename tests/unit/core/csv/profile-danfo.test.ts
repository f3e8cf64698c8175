/**
 * Cross-checks our numeric profile against danfojs (a pandas-like library)
 * on a column that went through the whole import. danfojs' readCSV does not
 * work in Node (papaparse wants FileReaderSync), so the parsed values are
 * handed to a danfojs Series; it has no quantile(), so only its median is
 * compared (the other quantiles are checked against numpy's values in
 * profile.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../../src/lib/core/csv';

describe('profile vs danfojs', () => {
  it('agrees on count, mean, std, min, median and max', async () => {
    const dfd = await import('danfojs');
    // Seeded BMI-like values with two decimals and some missing ones.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const lines = ['BMI,Sleep'];
    for (let i = 0; i < 5000; i++) lines.push(`${i % 50 === 0 ? 'NA' : (15 + rnd() * 30).toFixed(2)},${3 + Math.floor(rnd() * 9)}`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const result = await importCsv(
      { name: 'bmi.csv', size: bytes.length, stream: async function* () { yield bytes; } },
      {},
      {},
    );
    // danfojs gets values parsed independently of our parser.
    const cells = lines.slice(1).map((l) => l.split(','));
    const bmi = cells.map((c) => c[0]!).filter((v) => v !== 'NA').map(Number);
    const sleep = cells.map((c) => Number(c[1]));

    for (const [index, values] of [[0, bmi], [1, sleep]] as const) {
      const ours = result.profile.columnProfiles[index]!;
      const stats = ours.numeric!;
      const series = new dfd.Series([...values]);
      expect(ours.count).toBe(series.count());
      expect(stats.mean).toBeCloseTo(series.mean(), 10);
      expect(stats.std).toBeCloseTo(series.std(), 10);
      expect(stats.min).toBe(series.min());
      expect(stats.max).toBe(series.max());
      expect(stats.quantiles.find((q) => q.p === 0.5)!.value).toBeCloseTo(series.median(), 12);
    }
    expect(result.profile.columnProfiles[0]!.missing).toBe(100);
  }, 60_000);
});
