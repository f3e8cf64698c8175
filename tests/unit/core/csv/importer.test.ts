import { describe, expect, it } from 'vitest';
import { decodeColumn, importCsv, uniqueHeaders, type ImportSource } from '../../../../src/lib/core/csv';
import {
  sha256Hex,
  ImportError,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
} from '../../../../src/lib/core/common';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** An in-memory file delivered in chunks of `chunkSize` bytes; counts how often it is read. */
function memorySource(bytes: Uint8Array, chunkSize = 7, name = 'test.csv') {
  const source = {
    name,
    size: bytes.length,
    reads: 0,
    stream: async function* () {
      source.reads++;
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.slice(i, i + chunkSize);
    },
  };
  return source;
}

async function importText(text: string | Uint8Array, opts: ImportOptions = {}, chunkSize = 7): Promise<ImportResult> {
  return importCsv(memorySource(typeof text === 'string' ? utf8(text) : text, chunkSize), opts, {});
}

async function importError(source: ImportSource | string | Uint8Array, opts: ImportOptions = {}, signal?: AbortSignal) {
  const src = typeof source === 'string' || source instanceof Uint8Array ? memorySource(typeof source === 'string' ? utf8(source) : source) : source;
  try {
    await importCsv(src, opts, signal ? { signal } : {});
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected the import to fail');
}

async function column(result: ImportResult, index: number) {
  const schema = result.schema[index]!;
  const slices = await Promise.all(
    result.chunks.map(async (c) => {
      const s = c.layout.columns[index]!;
      return { layout: s, bytes: await c.blob.slice(s.offset, s.offset + s.byteLength).arrayBuffer() };
    }),
  );
  const dicts = JSON.parse(await result.dictBlob.text()) as string[][];
  return decodeColumn(slices, schema.storage, dicts[index]);
}

describe('importCsv', () => {
  it('imports a small file end to end', async () => {
    const text = 'id,age,bmi,smoker,group,when\r\n1,34,22.5,Yes,a,2021-01-01\r\n2,NA,31.25,No,b,2021-01-02\r\n3,51,,yes,a,2021-01-03\r\n';
    const r = await importText(text);
    expect(r.hash).toBe(await sha256Hex(utf8(text)));
    expect(r).toMatchObject({ fileName: 'test.csv', fileBytes: utf8(text).length, encoding: 'utf-8', hadBom: false });
    expect(r).toMatchObject({ delimiter: ',', delimiterDetected: true, lineEnding: 'crlf', rows: 3, renames: [], unusualNames: [] });
    expect(r.schema.map((c) => [c.name, c.type, c.storage])).toEqual([
      ['id', 'integer', 'num'],
      ['age', 'integer', 'num'],
      ['bmi', 'numeric', 'num'],
      ['smoker', 'boolean', 'dict'],
      ['group', 'categorical', 'dict'],
      ['when', 'datetime', 'dict'],
    ]);
    expect(r.preview).toEqual([
      ['1', '34', '22.5', 'Yes', 'a', '2021-01-01'],
      ['2', '', '31.25', 'No', 'b', '2021-01-02'],
      ['3', '51', '', 'yes', 'a', '2021-01-03'],
    ]);
    expect(r.ragged).toEqual({ count: 0, firstLines: [], expectedFields: 6 });
    const age = r.profile.columnProfiles[1]!;
    expect(age).toMatchObject({ name: 'age', count: 2, missing: 1, unique: 2 });
    expect(age.numeric!.mean).toBe(42.5);
    expect(await column(r, 2)).toEqual({ kind: 'num', values: new Float64Array([22.5, 31.25, NaN]) });
    expect(await column(r, 3)).toEqual({ kind: 'dict', codes: new Uint32Array([1, 2, 3]), dict: ['Yes', 'No', 'yes'] });
    expect(r.chunks[0]!.layout.columns.map((c) => c.encoding)).toEqual(['i8', 'i8', 'i16', 'u8', 'u8', 'u8']);
  });

  it('skips ragged rows and lists their line numbers', async () => {
    const lines = ['a,b,c', '1,2,3', '4,5', '6,7,8', '9,10,11,12'];
    for (let i = 0; i < 12; i++) lines.push('x');
    lines.push('13,14,15');
    const r = await importText(lines.join('\n'));
    expect(r.rows).toBe(3);
    expect(r.ragged.count).toBe(14);
    expect(r.ragged.expectedFields).toBe(3);
    expect(r.ragged.firstLines).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(r.preview.map((row) => row[0])).toEqual(['1', '6', '13']);
  });

  it('renames empty and duplicate headers and keeps names unique', async () => {
    const r = await importText('a,,a,a_2,b,a,\n1,2,3,4,5,6,7\n');
    expect(r.schema.map((c) => c.name)).toEqual(['a', 'column_2', 'a_3', 'a_2', 'b', 'a_4', 'column_7']);
    expect(r.schema.map((c) => c.originalName)).toEqual(['a', '', 'a', 'a_2', 'b', 'a', '']);
    expect(r.renames).toEqual([
      { index: 1, from: '', to: 'column_2', reason: 'empty' },
      { index: 2, from: 'a', to: 'a_3', reason: 'duplicate' },
      { index: 5, from: 'a', to: 'a_4', reason: 'duplicate' },
      { index: 6, from: '', to: 'column_7', reason: 'empty' },
    ]);
    expect(uniqueHeaders(['column_1', '']).names).toEqual(['column_1', 'column_2']);
    expect(uniqueHeaders(['', 'column_1']).names).toEqual(['column_1_2', 'column_1']);
  });

  it('reads Latin-1 bytes as Windows-1252, re-reading the file', async () => {
    // A long UTF-8-clean start, so the bad byte arrives after parsing has begun.
    const head = 'name,price\n' + 'plain,1\n'.repeat(20_000);
    const bytes = new Uint8Array([...utf8(head), ...utf8('caf'), 0xe9, ...utf8(',2\n'), 0x80, ...utf8(',3\n')]);
    const source = memorySource(bytes, 4096);
    const r = await importCsv(source, {}, {});
    expect(source.reads).toBe(2);
    expect(r.encoding).toBe('windows-1252');
    expect(r.rows).toBe(20_002);
    expect(r.hash).toBe(await sha256Hex(bytes));
    const names = await column(r, 0);
    if (names.kind !== 'dict') throw new Error('expected strings');
    expect(names.dict).toEqual(['plain', 'café', '€']);
  });

  it('gives the same result however the bytes are chunked, multi-byte characters included', async () => {
    const text = '\uFEFFcity,"note, long",n\r\nZürich,"naïve ""quote""\r\nline",1\r\n東京,日本,2\r\nSão Paulo,😀,3';
    const results = await Promise.all([1, 2, 3, 5, 64].map((size) => importText(text, {}, size)));
    for (const r of results) {
      expect(r.encoding).toBe('utf-8');
      expect(r.hadBom).toBe(true);
      expect(r.preview).toEqual([
        ['Zürich', 'naïve "quote"\r\nline', '1'],
        ['東京', '日本', '2'],
        ['São Paulo', '😀', '3'],
      ]);
      expect(r.hash).toBe(results[0]!.hash);
    }
  });

  it('strips a UTF-8 BOM but hashes it', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('x;y\n1;2\n')]);
    const r = await importText(bytes);
    expect(r.hadBom).toBe(true);
    expect(r.delimiter).toBe(';');
    expect(r.schema.map((c) => c.name)).toEqual(['x', 'y']);
    expect(r.hash).toBe(await sha256Hex(bytes));
  });

  it('refuses binary files with a clear message', async () => {
    const zip = new Uint8Array(200);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    const err = await importError(zip);
    expect(err.code).toBe('binary');
    expect(err.message).toMatch(/not text.*ZIP.*Export it as CSV/);
    const controls = new Uint8Array(Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 65)));
    expect((await importError(controls)).code).toBe('binary');
    expect((await importError(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).message).toContain('UTF-16');
  });

  it('refuses empty, blank and header-only files', async () => {
    expect((await importError('')).code).toBe('empty');
    expect((await importError(' \r\n\t\n')).code).toBe('empty');
    expect((await importError(new Uint8Array([0xef, 0xbb, 0xbf]))).code).toBe('empty');
    const headerOnly = await importError('a,b,c\r\n\r\n');
    expect(headerOnly.code).toBe('header-only');
    expect(headerOnly.message).toMatch(/no data rows/);
    expect((await importError('a,b,c\n1,2\n3\n')).code).toBe('unreadable');
  });

  it('reports an unterminated quote with its line', async () => {
    const err = await importError('a,b\n1,2\n3,"oops\n4,5\n');
    expect(err.code).toBe('unterminated-quote');
    expect(err.message).toContain('line 3');
  });

  it('can be cancelled before or during reading', async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect((await importError('a\n1\n', {}, aborted.signal)).code).toBe('cancelled');

    const controller = new AbortController();
    const bytes = utf8('a,b\n' + '1,2\n'.repeat(1000));
    const source = {
      name: 'slow.csv',
      size: bytes.length,
      stream: async function* () {
        for (let i = 0; i < bytes.length; i += 100) {
          if (i === 500) controller.abort(); // the user clicks cancel mid-file
          yield bytes.slice(i, i + 100);
        }
      },
    };
    const err = await importError(source, {}, controller.signal);
    expect(err.code).toBe('cancelled');
  });

  it('turns a failing read into an "unreadable" error', async () => {
    const source = {
      name: 'gone.csv',
      size: 10,
      stream: async function* (): AsyncGenerator<Uint8Array> {
        yield utf8('a,b\n');
        throw new Error('NotReadableError');
      },
    };
    const err = await importError(source);
    expect(err.code).toBe('unreadable');
    expect(err.message).toContain('NotReadableError');
  });

  it('keeps __proto__, constructor and dotted names verbatim without polluting prototypes', async () => {
    const types: Record<string, 'categorical'> = Object.create(null) as Record<string, 'categorical'>;
    types['__proto__'] = 'categorical';
    const r = await importText('__proto__,constructor,a.b,prototype,polluted\n1,2,3,4,5\n6,7,8,9,10\n', { types });
    expect(r.schema.map((c) => c.name)).toEqual(['__proto__', 'constructor', 'a.b', 'prototype', 'polluted']);
    expect(r.unusualNames).toEqual(['__proto__', 'constructor', 'a.b', 'prototype']);
    expect(r.schema[0]).toMatchObject({ type: 'categorical', inferredType: 'integer', storage: 'num' });
    expect(r.profile.columnProfiles[0]!.name).toBe('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(JSON.parse(await r.dictBlob.text())).toEqual([[], [], [], [], []]);
  });

  it('applies a forced delimiter and type overrides by name', async () => {
    const r = await importText('a;b\n1,5;x\n1,5;y\n2,5;z\n', { delimiter: ';', types: { b: 'text', nope: 'numeric' } });
    expect(r).toMatchObject({ delimiter: ';', delimiterDetected: false });
    expect(r.schema.map((c) => [c.name, c.type, c.inferredType])).toEqual([
      ['a', 'categorical', 'categorical'],
      ['b', 'text', 'text'],
    ]);
    const forced = await importText('a;b\n1;2\n', { delimiter: ',' });
    expect(forced.schema.map((c) => c.name)).toEqual(['a;b']);
  });

  it('streams a larger file into several chunks with throttled progress', async () => {
    const rows = 70_000;
    const lines = ['n,half,label'];
    for (let i = 0; i < rows; i++) lines.push(`${i},${i / 2},${i % 3 === 0 ? 'x' : 'y'}`);
    const bytes = utf8(lines.join('\n'));
    const events: ImportProgress[] = [];
    const started = Date.now();
    const r = await importCsv(memorySource(bytes, 16_384), {}, { onProgress: (p) => events.push(p) });
    const elapsed = Date.now() - started;
    expect(r.rows).toBe(rows);
    expect(r.chunks).toHaveLength(2); // 65,536 rows per chunk
    expect(r.schema.map((c) => c.type)).toEqual(['integer', 'numeric', 'categorical']);
    expect(r.profile.columnProfiles[0]!.numeric!.mean).toBe((rows - 1) / 2);
    const n = await column(r, 1);
    if (n.kind !== 'num') throw new Error('expected numbers');
    expect(n.values[69_999]).toBe(34_999.5);

    const reading = events.filter((e) => e.phase === 'reading');
    expect(reading.length).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 2);
    expect(reading.at(-1)).toMatchObject({ rows, bytesRead: bytes.length, totalBytes: bytes.length });
    expect(events.map((e) => e.phase).slice(-2)).toEqual(['profiling', 'encoding']);
  });
});
