/**
 * Timing of a 5-step recipe on the full 319,795-row data (`node datasets/generate.mjs --full
 * --out /tmp/full`). Skipped unless LABBOOK_FULL_CSV names that file: it is a measurement,
 * not a check of values (prepare-run.test.ts checks those).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { recipeCsv } from '../../../src/lib/prepare-run';
import type { Recipe } from '../../../src/lib/core/prepare';
import { importText } from '../helpers';

const path = process.env.LABBOOK_FULL_CSV;

describe.skipIf(!path)('Prepare on the full data', () => {
  it('runs a 5-step recipe and writes the CSV', async () => {
    const r = await importText(readFileSync(path!, 'utf8'), 'heart-full.csv');
    const input = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
    const recipe: Recipe = {
      steps: [
        { kind: 'filter', expression: "BMI > 18.5 and Sex == 'Female'" },
        { kind: 'fill-missing', column: 'SleepTime', method: 'median' },
        { kind: 'derive', name: 'BadDays', expression: 'PhysicalHealth + MentalHealth' },
        { kind: 'drop', columns: ['Race', 'SkinCancer'] },
        { kind: 'bin', column: 'BMI', name: 'BMIBand', bins: 5, method: 'quantile' },
      ],
    };
    const times: number[] = [];
    let out = null;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      let last = t0;
      const marks: string[] = [];
      out = await recipeCsv(input, recipe, new Map(), {
        onProgress: (done, _total, label) => {
          const now = performance.now();
          marks.push(`${label}: ${(now - last).toFixed(0)} ms`);
          last = now;
          void done;
        },
      });
      marks.push(`CSV: ${(performance.now() - last).toFixed(0)} ms`);
      console.log(marks.join('; '));
      times.push(performance.now() - t0);
    }
    const t1 = performance.now();
    const back = await importText(await out!.blob.text(), 'prepared.csv', { types: out!.types });
    const importMs = performance.now() - t1;
    console.log(`rows in ${r.rows}, out ${out!.rows}, CSV ${out!.blob.size} bytes; recipe + CSV ms: ${times.map((t) => t.toFixed(0)).join(', ')}; re-import ${importMs.toFixed(0)} ms`);
    expect(back.rows).toBe(out!.rows);
  }, 300_000);
});
