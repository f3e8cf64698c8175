import { describe, expect, it } from 'vitest';
import { HOLDOUT_SEED, HOLDOUT_SHARE, holdoutMask, pickRows, retrainBlobs, retrainCsvs } from '../../../src/lib/retrain-split';
import { deriveSeed, normalizeSeed } from '../../../src/lib/core/common';
import { rowUniform } from '../../../src/lib/core/evaluate';
import type { CombineSide } from '../../../src/lib/core/models';
import type { DatasetSource } from '../../../src/lib/core/training';
import { importText } from '../helpers';

/** The rule written out again: row i is held out when its hash draw is below the share. */
function heldOutByHand(n: number, seed: number, share: number): number[] {
  const stream = deriveSeed(normalizeSeed(seed), 'retrain-holdout');
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (rowUniform(stream, i) < share) out.push(i);
  return out;
}

/** Rows of a CSV chunk list (header dropped), split on CRLF. */
function rowsOf(chunks: string[]): string[] {
  return chunks.join('').split('\r\n').slice(1, -1);
}

/** A side with an integer id column (0..n-1) and a text column. */
function side(n: number): CombineSide {
  const dict = ['a', 'b, c'];
  return {
    names: ['id', 'label'],
    columns: [
      { kind: 'num', values: Float64Array.from({ length: n }, (_, i) => i) },
      { kind: 'dict', codes: Uint32Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0 : (i % 3) + 1)), dict },
    ],
    rows: n,
  };
}

async function load(csv: string): Promise<DatasetSource> {
  const r = await importText(csv);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

describe('holdoutMask', () => {
  it('holds out exactly the rows the hash rule names, the same ones every time', () => {
    const mask = holdoutMask(500, 42, 0.3);
    const held = [...mask.keys()].filter((i) => mask[i] === 1);
    expect(held).toEqual(heldOutByHand(500, 42, 0.3));
    expect(Array.from(holdoutMask(500, 42, 0.3))).toEqual(Array.from(mask));
  });

  it('keeps earlier rows where they were when rows are appended, and moves with the seed', () => {
    const short = holdoutMask(200);
    const long = holdoutMask(1000);
    expect(Array.from(long.subarray(0, 200))).toEqual(Array.from(short));
    expect(Array.from(holdoutMask(200, HOLDOUT_SEED + 1))).not.toEqual(Array.from(short));
  });

  it('holds out about 30% of many rows', () => {
    const n = 20_000;
    const held = holdoutMask(n).reduce((s, v) => s + v, 0);
    // Binomial(20000, 0.3): sd ≈ 65, so ±400 is more than 6 sd.
    expect(HOLDOUT_SHARE).toBe(0.3);
    expect(held).toBeGreaterThan(6000 - 400);
    expect(held).toBeLessThan(6000 + 400);
  });

  it('refuses a share outside [0, 1] and a negative row count', () => {
    expect(() => holdoutMask(10, 1, 1.5)).toThrow(RangeError);
    expect(() => holdoutMask(-1)).toThrow(RangeError);
    expect(holdoutMask(10, 1, 0).every((v) => v === 0)).toBe(true);
    expect(holdoutMask(10, 1, 1).every((v) => v === 1)).toBe(true);
  });
});

describe('pickRows', () => {
  it('takes the marked rows of every column, missing values included', () => {
    const s = side(6);
    const picked = pickRows(s, Uint8Array.from([1, 0, 1, 0, 0, 1]), 1);
    expect(picked.rows).toBe(3);
    const [id, label] = picked.columns;
    expect(id!.kind === 'num' && Array.from(id!.values)).toEqual([0, 2, 5]);
    // codes of rows 0, 2, 5: 1, 0 (missing), 0 (missing)
    expect(label!.kind === 'dict' && Array.from(label!.codes)).toEqual([1, 0, 0]);
  });
});

describe('retrainCsvs', () => {
  it('puts every reference row, then the kept new rows, in the training file and the rest in the holdout, none in both', () => {
    const reference = side(4);
    const current = side(50);
    const out = retrainCsvs(reference, current, 7, 0.3);
    const held = heldOutByHand(50, 7, 0.3);
    const kept = [...Array(50).keys()].filter((i) => !held.includes(i));
    expect(out.referenceRows).toBe(4);
    expect(out.holdoutRows).toBe(held.length);
    expect(out.keptRows).toBe(kept.length);
    expect(out.keptRows + out.holdoutRows).toBe(50);

    const combinedRows = rowsOf(out.combined);
    const holdoutRows = rowsOf(out.holdout);
    expect(out.combined[0]).toBe('id,label\r\n');
    expect(out.holdout[0]).toBe('id,label\r\n');
    const labelOf = (i: number) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? '"b, c"' : '');
    expect(combinedRows).toEqual([...[0, 1, 2, 3].map((i) => `${i},${labelOf(i)}`), ...kept.map((i) => `${i},${labelOf(i)}`)]);
    expect(holdoutRows).toEqual(held.map((i) => `${i},${labelOf(i)}`));
    const newIds = new Set(combinedRows.slice(4).map((r) => r.split(',')[0]));
    expect(holdoutRows.filter((r) => newIds.has(r.split(',')[0]!))).toEqual([]);
  });
});

describe('retrainBlobs (the data worker’s part)', () => {
  it('reads two stored versions and writes the same split as the rule, stable across calls', async () => {
    const refCsv = ['id,x,city', '100,1.5,Oslo', '101,2,Bergen'].join('\n');
    const curCsv = ['id,x,city', ...Array.from({ length: 40 }, (_, i) => `${i},${i / 2},${i % 2 ? 'Oslo' : 'Tromsø'}`)].join('\n');
    const [ref, cur] = await Promise.all([load(refCsv), load(curCsv)]);
    const a = await retrainBlobs(ref, cur, HOLDOUT_SEED, HOLDOUT_SHARE);
    const b = await retrainBlobs(ref, cur, HOLDOUT_SEED, HOLDOUT_SHARE);
    const [ca, ha, cb, hb] = await Promise.all([a.combined.text(), a.holdout.text(), b.combined.text(), b.holdout.text()]);
    expect(ca).toBe(cb);
    expect(ha).toBe(hb);
    const held = heldOutByHand(40, HOLDOUT_SEED, HOLDOUT_SHARE);
    const holdIds = ha.split('\r\n').slice(1, -1).map((r) => Number(r.split(',')[0]));
    const trainIds = ca.split('\r\n').slice(1, -1).map((r) => Number(r.split(',')[0]));
    expect(holdIds).toEqual(held);
    expect(trainIds).toEqual([100, 101, ...[...Array(40).keys()].filter((i) => !held.includes(i))]);
    expect({ referenceRows: a.referenceRows, keptRows: a.keptRows, holdoutRows: a.holdoutRows }).toEqual({ referenceRows: 2, keptRows: 40 - held.length, holdoutRows: held.length });
    // The values survive: row 7 of the new data is "7,3.5,Oslo" in whichever file it went to.
    expect((held.includes(7) ? ha : ca).includes('\r\n7,3.5,Oslo\r\n')).toBe(true);
  });
});
