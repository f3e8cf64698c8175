import { describe, expect, it } from 'vitest';
import { CsvParser, detectDelimiter, parseCsv } from '../../../../src/lib/core/csv/csv';
import { ImportError, type Delimiter } from '../../../../src/lib/core/common';

/** Parses `pieces` pushed one by one; returns rows, their start lines and the line ending. */
function parsePieces(pieces: string[], delimiter: Delimiter = ',') {
  const rows: string[][] = [];
  const lines: number[] = [];
  const parser = new CsvParser(delimiter, (f, l) => {
    rows.push(f);
    lines.push(l);
  });
  for (const p of pieces) parser.push(p);
  parser.end();
  return { rows, lines, lineEnding: parser.lineEnding };
}

describe('CsvParser', () => {
  it('reads plain records and reports LF endings', () => {
    const r = parsePieces(['a,b,c\n1,2,3\n']);
    expect(r.rows).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(r.lines).toEqual([1, 2]);
    expect(r.lineEnding).toBe('lf');
  });

  it('keeps delimiters, doubled quotes and newlines inside quoted fields', () => {
    const text = 'name,quote\n"Smith, John","He said ""hi"""\n"multi\nline\r\nfield",x\nlast,"a""b"\n';
    const r = parsePieces([text]);
    expect(r.rows).toEqual([
      ['name', 'quote'],
      ['Smith, John', 'He said "hi"'],
      ['multi\nline\r\nfield', 'x'],
      ['last', 'a"b'],
    ]);
    // The multi-line record starts on line 3 and spans 3 physical lines.
    expect(r.lines).toEqual([1, 2, 3, 6]);
  });

  it('handles CRLF and CR line endings', () => {
    expect(parsePieces(['a,b\r\n1,2\r\n3,4'])).toEqual({
      rows: [
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ],
      lines: [1, 2, 3],
      lineEnding: 'crlf',
    });
    const cr = parsePieces(['a,b\r1,2\r']);
    expect(cr.rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(cr.lineEnding).toBe('cr');
    expect(parsePieces(['a,b']).lineEnding).toBe('none');
  });

  it('treats a CR at the end of a chunk followed by LF as one line break', () => {
    const r = parsePieces(['a,b\r', '\n1,2\r', '\n3,4\r\n']);
    expect(r.rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(r.lines).toEqual([1, 2, 3]);
    expect(r.lineEnding).toBe('crlf');
  });

  it('skips empty lines but keeps a quoted empty field and counts lines correctly', () => {
    const r = parsePieces(['a\n\n1\n\r\n""\n\n2\n\n']);
    expect(r.rows).toEqual([['a'], ['1'], [''], ['2']]);
    expect(r.lines).toEqual([1, 3, 5, 7]);
  });

  it('keeps empty fields and a trailing empty field', () => {
    expect(parseCsv('a,,c,\n,,,\n').rows).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ]);
  });

  it('is lenient with stray quotes like spreadsheet exports', () => {
    expect(parseCsv('ab"c,"x"y\n').rows).toEqual([['ab"c', 'xy']]);
  });

  it('gives identical rows however a tricky file is split into chunks', () => {
    const text =
      '\uFEFFid,"na,me",note\r\n1,"a ""q"" b","line1\r\nline2"\r\n\r\n2,,"x,y"\n3,"é\n",\r4,"""",end';
    const whole = parsePieces([text]);
    expect(whole.rows).toHaveLength(5);
    for (let i = 0; i <= text.length; i++) {
      expect(parsePieces([text.slice(0, i), text.slice(i)])).toEqual(whole);
    }
    // Every character in its own chunk.
    expect(parsePieces([...text])).toEqual(whole);
    // Three-way splits at a few positions around the tricky spots.
    for (let i = 0; i < text.length; i += 3) {
      for (let j = i; j <= text.length; j += 5) {
        expect(parsePieces([text.slice(0, i), text.slice(i, j), text.slice(j)]).rows).toEqual(whole.rows);
      }
    }
  });

  it('names the line where an unterminated quoted field started', () => {
    const run = () => parsePieces(['a,b\n1,2\n3,"never\nends\n4,5\n']);
    expect(run).toThrow(ImportError);
    try {
      run();
    } catch (err) {
      expect((err as ImportError).code).toBe('unterminated-quote');
      expect((err as ImportError).message).toContain('line 3');
    }
  });

  it('parses with semicolons and tabs', () => {
    expect(parseCsv('a;b\n"1;2";3\n', ';').rows).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
    expect(parseCsv('a\tb\n1\t2\n', '\t').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('detectDelimiter', () => {
  it('finds comma, semicolon and tab', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n4;5;6\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n1,5\t2\t3\n')).toBe('\t');
  });

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('name;city\n"Smith, J";"Paris, FR"\n"Doe, A";"Rome, IT"\n')).toBe(';');
    expect(detectDelimiter('"a;b;c",d\n"x;y;z",1\n')).toBe(',');
  });

  it('prefers a consistent count over a higher but irregular one', () => {
    // Commas appear as decimal marks on some lines only; semicolons are regular.
    expect(detectDelimiter('a;b\n1,5,5,5;2\n3;4\n5;6,1\n')).toBe(';');
  });

  it('defaults to comma for a single column and ignores a cut-off last line', () => {
    expect(detectDelimiter('value\n1\n2\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
    expect(detectDelimiter('a;b\n1;2\n3;4\n5;6,7,8,9,1')).toBe(';');
  });
});
