import { describe, expect, it } from 'vitest';
import { CsvScanner, parseCsv, recordFields } from '../../../../src/lib/core/csv/csv';
import { MAX_FIELD_CHARS, MAX_RECORD_CHARS, type CsvLimits } from '../../../../src/lib/core/csv/csv-limits';
import { importCsv } from '../../../../src/lib/core/csv';
import { ImportError, type ImportOptions } from '../../../../src/lib/core/common';

const utf8 = (s: string) => new TextEncoder().encode(s);
const CHUNK = 64 * 1024;

/** An in-memory file read in chunks; counts the bytes actually pulled from it. */
function memorySource(bytes: Uint8Array, chunkSize = CHUNK) {
  const source = {
    name: 'hostile.csv',
    size: bytes.length,
    pulled: 0,
    stream: async function* () {
      for (let i = 0; i < bytes.length; i += chunkSize) {
        const chunk = bytes.subarray(i, i + chunkSize);
        source.pulled += chunk.length;
        yield chunk;
      }
    },
  };
  return source;
}

async function importFailure(text: string, opts: ImportOptions & CsvLimits = {}, chunkSize = CHUNK) {
  const source = memorySource(utf8(text), chunkSize);
  const started = Date.now();
  try {
    await importCsv(source, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return { err: err as ImportError, pulled: source.pulled, size: source.size, ms: Date.now() - started };
  }
  throw new Error('expected the import to fail');
}

describe('hostile CSV files', () => {
  it('stops early on a file with no line break (small limit)', async () => {
    const text = '1,'.repeat(2_000_000); // 4 MB, one line
    const { err, pulled, size } = await importFailure(text, { maxRecordChars: 100_000 });
    expect(err.code).toBe('too-large');
    expect(err.message).toBe(
      'Line 1 is longer than 100 KB (it has no line break in the first 100 KB): this does not look like a CSV file. Nothing was stored.',
    );
    // Stopped within a chunk or two of the limit, not at the end of the file.
    expect(pulled).toBeLessThanOrEqual(100_000 + 2 * CHUNK);
    expect(pulled).toBeLessThan(size);
  });

  it('stops at the default limit on ~3 MB without a line break', async () => {
    const { err, pulled, ms } = await importFailure('1,'.repeat(1_500_000));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('Line 1 is longer than 2 MB (it has no line break in the first 2 MB)');
    expect(err.message).toContain('Nothing was stored.');
    expect(pulled).toBeLessThanOrEqual(MAX_RECORD_CHARS + 2 * CHUNK);
    expect(ms).toBeLessThan(5000);
  });

  it('stops at the default field limit on ~3 MB with neither delimiter nor line break', async () => {
    const { err, pulled } = await importFailure('x'.repeat(3_000_000));
    expect(err.code).toBe('too-large');
    expect(err.message).toBe(
      'Line 1, column 1, has a value longer than 1 MB, with no delimiter or line break in it: this does not look like tabular data. Nothing was stored.',
    );
    expect(pulled).toBeLessThanOrEqual(MAX_FIELD_CHARS + 2 * CHUNK);
  });

  it('names the line of an over-long line in the middle of a normal file', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i},${i * 2}`);
    const text = ['a,b', ...rows, 'x,'.repeat(1000), ...rows].join('\n') + '\n';
    // Small chunks (the carry across chunks) and one chunk (a record ending inside the text).
    for (const chunkSize of [7, CHUNK]) {
      const { err } = await importFailure(text, { maxRecordChars: 1000 }, chunkSize);
      expect(err.code).toBe('too-large');
      expect(err.message).toContain('Line 102 is longer than 1 KB');
    }
  });

  it('reports a huge quoted field that never closes, with its line and column name', async () => {
    const text = 'id,note\n1,"fine"\n2,"this quote never ends\n' + '3,more\n'.repeat(400_000); // ~2.8 MB
    const { err, pulled, size } = await importFailure(text);
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('A quoted value that starts on line 3, column 2 ("note"), is longer than 1 MB');
    expect(err.message).toContain('closing " is probably missing');
    expect(err.message).toContain('Nothing was stored.');
    expect(pulled).toBeLessThan(size);
  });

  it('reports a huge quoted field that does close', async () => {
    const text = `a,b\n1,"${'y'.repeat(5000)}"\n`;
    for (const chunkSize of [7, CHUNK]) {
      const { err } = await importFailure(text, { maxFieldChars: 4000 }, chunkSize);
      expect(err.message).toContain('Line 2, column 2 ("b"), has a value longer than 4 KB: this does not look like tabular data.');
    }
  });

  it('names the start of a multi-line record that grows too long', () => {
    const field = `"${'z\n'.repeat(300)}"`;
    const run = () => parseWith(`a,b,c\n${field},${field},${field}\n`, { maxRecordChars: 1000, maxFieldChars: 1000 });
    expect(run).toThrow('The record that starts on line 2 is longer than 1 KB');
  });

  it('still imports a file just under the limits', async () => {
    const line = 'x,'.repeat(499) + 'xx'; // exactly 1000 characters, 500 fields
    const header = ','.repeat(499); // 500 empty names (renamed column_N), shorter than the rows
    for (const chunkSize of [7, CHUNK]) {
      const r = await importCsv(memorySource(utf8(`${header}\n${line}\r\n${line}`), chunkSize), { maxRecordChars: 1000 });
      expect(r.rows).toBe(2);
      expect(r.schema).toHaveLength(500);
    }
    // One character more fails.
    expect((await importFailure(`${header}\n${line}x\n`, { maxRecordChars: 1000 }, 7)).err.code).toBe('too-large');
  });

  it('still imports a line of exactly the default limits', async () => {
    const big = 'v'.repeat(MAX_FIELD_CHARS);
    const rest = 'w'.repeat(MAX_RECORD_CHARS - MAX_FIELD_CHARS - 1);
    const r = await importCsv(memorySource(utf8(`a,b\n${big},${rest}\n`)));
    expect(r.rows).toBe(1);
    expect(r.schema.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('counts a field split across chunks as one', () => {
    const limits = { maxFieldChars: 10, maxRecordChars: 100 };
    expect(parseWith('a,b\n0123456789,1\n', limits, 3).rows).toEqual([
      ['a', 'b'],
      ['0123456789', '1'],
    ]);
    expect(() => parseWith('a,b\n0123456789X,1\n', limits, 3)).toThrow('Line 2, column 1, has a value longer than 10 bytes');
    // The default limits leave ordinary input alone.
    expect(parseCsv('a,b\n1,2\n').rows).toHaveLength(2);
  });
});

/** Parses `text` in pieces of `piece` characters with the given limits. */
function parseWith(text: string, limits: CsvLimits, piece = 5) {
  const rows: string[][] = [];
  const scanner = new CsvScanner(',', (r) => rows.push(recordFields(r)), limits);
  for (let i = 0; i < text.length; i += piece) scanner.push(text.slice(i, i + piece));
  scanner.end();
  return { rows };
}
