import { describe, expect, it } from 'vitest';
import { combinedCsv, cellOf } from '../../../../src/lib/core/models';
import { decodeColumns, type DatasetSource } from '../../../../src/lib/core/training';
import { importText } from '../../helpers';

async function side(text: string) {
  const r = await importText(text);
  const source: DatasetSource = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const names = r.schema.map((c) => c.name);
  return { names, columns: (await decodeColumns(source, names)).map((c) => c.data), rows: r.rows };
}

describe('two versions as one file', () => {
  it('keeps every value, the first file’s columns, and leaves a column the second lacks empty', async () => {
    const a = await side('x,city,note\n1.5,"Paris, FR",=1+1\n-2,Oslo,"say ""hi"""\n');
    const b = await side('city,x\nLima,3\n,4\n');
    const text = [...combinedCsv(a, b, 1)].join('');
    expect(text).toBe('x,city,note\r\n1.5,"Paris, FR",=1+1\r\n-2,Oslo,"say ""hi"""\r\n3,Lima,\r\n4,,\r\n');
    // Imported again, the values are the same as in the two files.
    const back = await side(text);
    expect(back.rows).toBe(4);
    expect([0, 1, 2, 3].map((r) => cellOf(back.columns[1]!, r))).toEqual(['Paris, FR', 'Oslo', 'Lima', null]);
    expect([0, 1, 2, 3].map((r) => cellOf(back.columns[0]!, r))).toEqual([1.5, -2, 3, 4]);
  });
});
