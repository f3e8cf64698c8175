import { describe, expect, it } from 'vitest';
import { builderCapacity, estimateRows } from '../../../../src/lib/core/csv/csv-table';
import { importCsv, type ImportSource } from '../../../../src/lib/core/csv';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

/** An in-memory file in chunks of `chunk` bytes. */
function source(bytes: Uint8Array, chunk: number): ImportSource {
  return { name: 'rows.csv', size: bytes.length, stream: () => chunksOf(bytes, chunk) };
}

function rowsOf(lines: string[]): string {
  return lines.join('\n') + '\n';
}

describe('column builders sized from the first lines', () => {
  it('estimates rows from the bytes per line of the first text, plus 5%', () => {
    const sample = 'abcdefghi\n'.repeat(10); // 10 lines of 10 bytes
    expect(estimateRows(sample, 1000)).toBe(Math.ceil(100 * 1.05) + 16);
    expect(estimateRows('no line break yet', 1000)).toBe(0);
  });

  it('bounds a guess by 4x the bytes (or 32 MiB) of 12-byte values', () => {
    expect(builderCapacity(10_000_000, 18, 1_000_000)).toBe(Math.floor((32 * 2 ** 20) / (12 * 18)));
    expect(builderCapacity(20_000_000, 2, 100_000_000)).toBe(Math.floor(400_000_000 / 24));
    expect(builderCapacity(500, 3, 10_000)).toBe(500);
    expect(builderCapacity(0, 3, 10_000)).toBe(4096);
  });

  it('imports every value right when the first lines make the guess far too low or too high', async () => {
    for (const [first, rest] of [
      ['x'.repeat(2000), 'y'],
      ['y', 'x'.repeat(2000)],
    ] as const) {
      const lines = ['id,word'];
      let n = 0;
      for (let bytes = 0; bytes < 70_000; n++) bytes += (lines[lines.push(`${n},${first}`) - 1] as string).length + 1;
      for (let k = 0; k < 3000; k++, n++) lines.push(`${n},${rest}`);
      const r = await importCsv(source(utf8(rowsOf(lines)), 8192), {}, { hash: Promise.resolve('h') });
      expect(r.rows).toBe(n);
      expect(r.profile.columnProfiles[0]!.numeric?.max).toBe(n - 1);
      expect(r.profile.columnProfiles[1]!.top.map((t) => t.count).sort((a, b) => a - b)).toEqual([3000, n - 3000].sort((a, b) => a - b));
    }
  });
});
