import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/lib/core/csv/csv';
import { UTF8_BOM, csvChunks, csvHeader, csvRows, escapeCell, toCsv, type CsvValue } from '../../../../src/lib/core/csv';

/** What a reader gets back for a written value: the text (with the ' of escaped cells), '' for empty. */
function expectedText(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

describe('escapeCell', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    // A tab is not special with a comma delimiter: prefixed, not quoted.
    ['\t=1', "'\t=1"],
    // A CR always needs quotes.
    ['\r=1', `"'\r=1"`],
  ])('escapes the formula start of %j', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });

  it('quotes a prefixed cell when it also holds the delimiter or a quote', () => {
    expect(escapeCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(escapeCell('\t=1', '\t')).toBe(`"'\t=1"`);
  });

  it('keeps numbers as numbers, negative ones included, and escapes number-looking strings', () => {
    expect(escapeCell(-1.5)).toBe('-1.5');
    expect(escapeCell(-5)).toBe('-5');
    expect(escapeCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(escapeCell(1e21)).toBe('1e+21');
    expect(escapeCell('-5')).toBe("'-5");
    expect(escapeCell('5')).toBe('5');
  });

  it('writes NaN, Infinity, null and undefined as empty fields', () => {
    expect([NaN, Infinity, -Infinity, null, undefined].map((v) => escapeCell(v))).toEqual(['', '', '', '', '']);
  });

  it('quotes delimiters, quotes and line breaks, doubling inner quotes', () => {
    expect(escapeCell('plain text')).toBe('plain text');
    expect(escapeCell('a,b')).toBe('"a,b"');
    expect(escapeCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCell('line1\nline2')).toBe('"line1\nline2"');
    expect(escapeCell('cr\rhere')).toBe('"cr\rhere"');
    expect(escapeCell('a;b')).toBe('a;b');
    expect(escapeCell('a;b', ';')).toBe('"a;b"');
    expect(escapeCell('a\tb', '\t')).toBe('"a\tb"');
    expect(escapeCell('a,b', '\t')).toBe('a,b');
  });
});

describe('csvHeader / csvRows / toCsv', () => {
  it('ends every record with CRLF and escapes column names too', () => {
    expect(csvHeader(['id', '=evil', 'a,b'])).toBe(`id,'=evil,"a,b"\r\n`);
    expect(csvRows([[1, 'x', null], [-2.5, '-3', NaN]])).toBe(`1,x,\r\n-2.5,'-3,\r\n`);
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });

  it('uses the chosen delimiter and adds a BOM on request', () => {
    expect(toCsv(['a', 'b'], [[1, 'x;y']], { delimiter: ';' })).toBe('a;b\r\n1;"x;y"\r\n');
    const withBom = toCsv(['a'], [[1]], { bom: true });
    expect(withBom.startsWith(UTF8_BOM)).toBe(true);
    expect(withBom.slice(1)).toBe(toCsv(['a'], [[1]]));
    expect(csvRows([[1]], { delimiter: ';' })).not.toContain(UTF8_BOM);
  });

  it('writes a lone empty field as "" so the row is not read as a blank line', () => {
    const text = toCsv(['only'], [[null], ['v'], ['']]);
    expect(text).toBe('only\r\n""\r\nv\r\n""\r\n');
    expect(parseCsv(text).rows).toEqual([['only'], [''], ['v'], ['']]);
  });

  it('round-trips through the project CSV parser', () => {
    const header = ['id', 'name, full', 'say "x"', '=cmd', 'score'];
    const rows: CsvValue[][] = [
      [1, 'Smith, John', 'He said "hi"', '=SUM(A1)', -1.5],
      [2, 'multi\nline\r\nfield', '', '+1', 0.1 + 0.2],
      [3, '-2+3', '@cmd', '\t=1', null],
      [-4, '\r=1', '-5', 'plain', NaN],
      [5e-7, 'ünïcödé ✓', "it's", ' =not at start', Infinity],
    ];
    for (const delimiter of [',', ';', '\t'] as const) {
      const parsed = parseCsv(toCsv(header, rows, { delimiter }), delimiter).rows;
      expect(parsed[0]).toEqual(header.map(expectedText));
      expect(parsed.slice(1)).toEqual(rows.map((r) => r.map(expectedText)));
    }
    // Numbers come back as the same doubles.
    const back = parseCsv(toCsv(['x'], [[0.1 + 0.2], [-1.5], [1e21], [5e-324]])).rows.slice(1);
    expect(back.map((r) => Number(r[0]))).toEqual([0.1 + 0.2, -1.5, 1e21, 5e-324]);
  });

  it('a 300,000-row export written in chunks equals the one-shot export', () => {
    const n = 300_000;
    const header = ['row', 'label', 'p', 'note'];
    const row = (i: number): CsvValue[] => [i, i % 3 === 0 ? 'yes' : '-no', i % 7 === 0 ? null : (i * 0.37) % 1, i % 1000 === 0 ? 'a "quoted", note' : ''];
    function* rows(): Generator<CsvValue[]> {
      for (let i = 0; i < n; i++) yield row(i);
    }
    const oneShot = toCsv(header, rows(), { bom: true });

    const chunks = [...csvChunks(header, rows(), { bom: true, chunkRows: 25_000 })];
    expect(chunks.length).toBe(1 + n / 25_000);
    expect(chunks.join('')).toBe(oneShot);

    // The same by hand, the way a worker appends blocks to Blob parts.
    const parts = [csvHeader(header, { bom: true })];
    for (let start = 0; start < n; start += 40_000) {
      const block: CsvValue[][] = [];
      for (let i = start; i < Math.min(n, start + 40_000); i++) block.push(row(i));
      parts.push(csvRows(block));
    }
    expect(parts.join('')).toBe(oneShot);

    const parsed = parseCsv(oneShot.slice(1)).rows;
    expect(parsed.length).toBe(n + 1);
    expect(parsed[1000]).toEqual(['999', 'yes', String((999 * 0.37) % 1), '']);
    expect(parsed[1001]).toEqual(['1000', "'-no", String((1000 * 0.37) % 1), 'a "quoted", note']);
  });

  it('rejects a bad chunk size', () => {
    expect(() => [...csvChunks(['a'], [], { chunkRows: 0 })]).toThrow(/chunkRows/);
  });
});
