import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  columnAsNumbers,
  columnAsStrings,
  isMissing,
  NUMERIC_DICT_LIMIT,
  parseIsoDate,
  parseNumber,
  type BuiltColumn,
} from '../../../../src/lib/core/csv';

function build(values: string[]): BuiltColumn {
  const b = new ColumnBuilder(4); // tiny start capacity exercises growth
  for (const v of values) b.push(v);
  return b.finish();
}

describe('parseNumber', () => {
  it('accepts plain decimals with sign, point and exponent, trimming spaces', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-7')).toBe(-7);
    expect(parseNumber('+3.5')).toBe(3.5);
    expect(parseNumber(' 1.25 ')).toBe(1.25);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('2.5E-2')).toBe(0.025);
    expect(parseNumber('007')).toBe(7);
    expect(parseNumber('0.1')).toBe(0.1);
  });

  it('rejects what Number() would wrongly accept', () => {
    for (const s of ['', ' ', '\t', '0x1F', 'Infinity', '-Infinity', '1_000', '1,5', '1e', 'e5', '.', '-', '+', '1.2.3', '12abc', '1e400', '0b101']) {
      expect(parseNumber(s), JSON.stringify(s)).toBeNaN();
    }
  });
});

describe('isMissing', () => {
  it('recognises the markers in any case and with spaces', () => {
    for (const s of ['', '  ', 'NA', 'na', ' N/A ', 'null', 'NULL', 'NaN', 'nan', '?']) expect(isMissing(s), s).toBe(true);
    for (const s of ['0', 'none', 'n', 'NAN!', '-', 'nullx']) expect(isMissing(s), s).toBe(false);
  });
});

describe('parseIsoDate', () => {
  it('reads ISO dates and date-times as UTC unless an offset is given', () => {
    expect(parseIsoDate('2021-03-04')).toBe(Date.UTC(2021, 2, 4));
    expect(parseIsoDate('2021/03/04')).toBe(Date.UTC(2021, 2, 4));
    expect(parseIsoDate('2021-03-04T05:06')).toBe(Date.UTC(2021, 2, 4, 5, 6));
    expect(parseIsoDate('2021-03-04 05:06:07.250')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7, 250));
    expect(parseIsoDate('2021-03-04T05:06:07Z')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7));
    expect(parseIsoDate('2021-03-04T05:06:07+02:00')).toBe(Date.UTC(2021, 2, 4, 3, 6, 7));
    expect(parseIsoDate('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
  });

  it('rejects impossible or non-ISO dates', () => {
    for (const s of ['2021-02-29', '2021-13-01', '2021-04-31', '03/04/2021', '2021-3-4', '2021-03/04', 'yesterday', '20210304']) {
      expect(parseIsoDate(s), s).toBeNaN();
    }
  });
});

describe('ColumnBuilder inference', () => {
  it('infers integer and numeric, with NaN for missing markers', () => {
    const ints = build(['1', ' 2 ', 'NA', '-3', '', '1e3']);
    expect(ints.type).toBe('integer');
    expect(ints.count).toBe(4);
    expect(ints.data.kind).toBe('num');
    if (ints.data.kind === 'num') expect(Array.from(ints.data.values)).toEqual([1, 2, NaN, -3, NaN, 1000]);

    expect(build(['1.0', '2', '3']).type).toBe('numeric'); // a decimal point means a measured quantity
    expect(build(['0.5', 'null', '2.25']).type).toBe('numeric');
  });

  it('infers boolean from one pair of words, case-insensitively', () => {
    expect(build(['Yes', 'No', 'yes', 'NA']).type).toBe('boolean');
    expect(build(['TRUE', 'false']).type).toBe('boolean');
    expect(build(['y', 'n', 'y']).type).toBe('boolean');
    expect(build(['T', 'F']).type).toBe('boolean');
    expect(build(['yes', 'false']).type).not.toBe('boolean'); // mixed pairs
    expect(build(['0', '1', '1']).type).toBe('integer'); // numbers stay numbers
  });

  it('infers datetime only when every distinct value is a valid ISO date', () => {
    expect(build(['2021-01-01', '2021-01-02T10:00:00Z', '', '2021-01-01']).type).toBe('datetime');
    expect(build(['2021-01-01', '2021-02-30']).type).not.toBe('datetime');
  });

  it('tells an identifier (all unique) from a category', () => {
    expect(build(['u1', 'u2', 'u3', 'u4']).type).toBe('text');
    expect(build(['red', 'blue', 'red', 'green']).type).toBe('categorical');
    expect(build(['solo']).type).toBe('categorical');
    // 60 distinct values among 200 rows: ratio 0.3 <= 0.5.
    const many = Array.from({ length: 200 }, (_, i) => `v${i % 60}`);
    expect(build(many).type).toBe('categorical');
    // 80 distinct among 100: not unique, but too many to be a category.
    const free = Array.from({ length: 100 }, (_, i) => `w${i % 80}`);
    expect(build(free).type).toBe('text');
  });

  it('calls a column with no values text', () => {
    const empty = build(['', 'NA', '?']);
    expect(empty.type).toBe('text');
    expect(empty.count).toBe(0);
  });

  it('falls back to strings when a non-number appears, keeping original spellings', () => {
    const col = build(['1.50', 'NA', '2', 'abc', '1.50']);
    expect(col.type).toBe('categorical');
    expect(col.data).toEqual({ kind: 'dict', codes: new Uint32Array([1, 0, 2, 3, 1]), dict: ['1.50', '2', 'abc'] });
  });

  it('keeps integers too long for a double as strings', () => {
    const col = build(['12345678901234567890', '12345678901234567891']);
    expect(col.data.kind).toBe('dict');
    expect(col.type).toBe('text');
  });

  it('drops a numeric dictionary past the limit and rebuilds it with String() if needed', () => {
    const b = new ColumnBuilder();
    const n = NUMERIC_DICT_LIMIT + 10;
    for (let i = 0; i < n; i++) b.push(`${i}.50`);
    b.push('NA');
    b.push('oops');
    const col = b.finish();
    expect(col.data.kind).toBe('dict');
    if (col.data.kind !== 'dict') return;
    expect(col.data.codes).toHaveLength(n + 2);
    expect(col.data.dict[0]).toBe('0.5'); // respelled from the number
    expect(col.data.dict[n - 1]).toBe(`${n - 1}.5`);
    expect(col.data.codes[n]).toBe(0);
    expect(col.data.dict[col.data.codes[n + 1]! - 1]).toBe('oops');
  });
});

describe('conversions', () => {
  it('reads dictionary strings as numbers, booleans and dates', () => {
    const nums = columnAsNumbers({
      kind: 'dict',
      codes: new Uint32Array([1, 2, 3, 4, 0, 5, 6]),
      dict: ['3.5', 'Yes', 'f', 'abc', '1970-01-02', ' 7 '],
    });
    expect(Array.from(nums)).toEqual([3.5, 1, 0, NaN, NaN, 86_400_000, 7]);
  });

  it('spells numbers with String() and keeps NaN missing', () => {
    const s = columnAsStrings({ kind: 'num', values: new Float64Array([1.5, NaN, 2, 1.5, -0]) });
    expect(s.dict).toEqual(['1.5', '2', '0']);
    expect(Array.from(s.codes)).toEqual([1, 0, 2, 1, 3]);
  });
});
