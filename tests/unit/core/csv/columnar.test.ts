import { describe, expect, it } from 'vitest';
import { decodeColumn, encodeChunks, encodeCodes, encodeNumbers } from '../../../../src/lib/core/csv';
import { createSha256, sha256Hex, type ColumnData, type EncodedChunk } from '../../../../src/lib/core/common';

/** Same doubles bit for bit, NaN included. */
function expectSameDoubles(actual: Float64Array, expected: Float64Array) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBe(true);
}

/** Reads column `c` back the way storage does: each chunk's byte range via blob.slice(). */
async function readBack(chunks: EncodedChunk[], c: number, kind: 'num' | 'dict', dict?: string[]) {
  const slices = await Promise.all(
    chunks.map(async ({ layout, blob }) => {
      const s = layout.columns[c]!;
      return { layout: s, bytes: await blob.slice(s.offset, s.offset + s.byteLength).arrayBuffer() };
    }),
  );
  return decodeColumn(slices, kind, dict);
}

describe('encodeNumbers', () => {
  it('chooses the narrowest integer width with the type minimum as missing', () => {
    expect(encodeNumbers(new Float64Array([0, 127, -127, NaN]))).toMatchObject({ encoding: 'i8', scale: 1, missingSentinel: -128 });
    expect(encodeNumbers(new Float64Array([-128]))).toMatchObject({ encoding: 'i16', missingSentinel: -32768 });
    expect(encodeNumbers(new Float64Array([30000, 2]))).toMatchObject({ encoding: 'i16', scale: 1 });
    expect(encodeNumbers(new Float64Array([70000]))).toMatchObject({ encoding: 'i32', scale: 1 });
    expect(encodeNumbers(new Float64Array([2 ** 31]))).toMatchObject({ encoding: 'f64' });
  });

  it('scales decimals by 10^d and falls back to f64 when not exact', () => {
    expect(encodeNumbers(new Float64Array([16.6, 40.25, 28.87]))).toMatchObject({ encoding: 'i16', scale: 100 });
    expect(encodeNumbers(new Float64Array([0.123456]))).toMatchObject({ encoding: 'i32', scale: 1_000_000 });
    expect(encodeNumbers(new Float64Array([0.1234567]))).toMatchObject({ encoding: 'f64', scale: 1 });
    expect(encodeNumbers(new Float64Array([0.1 + 0.2]))).toMatchObject({ encoding: 'f64' });
    expect(encodeNumbers(new Float64Array([Math.PI]))).toMatchObject({ encoding: 'f64' });
    expect(encodeNumbers(new Float64Array([-0, 1]))).toMatchObject({ encoding: 'f64' }); // an integer has no -0
    expect(encodeNumbers(new Float64Array([NaN, NaN]))).toMatchObject({ encoding: 'f64' });
  });

  it('decodes every scaled value to exactly the same double', () => {
    // Values typical of CSVs: prices, BMI, sensor readings, with missing ones.
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const decimals of [0, 1, 2, 3, 4, 5, 6]) {
      const values = new Float64Array(5000);
      for (let i = 0; i < values.length; i++) {
        values[i] = i % 97 === 0 ? NaN : Number(((rnd() - 0.5) * 2000).toFixed(decimals)) + 0; // + 0: no -0
      }
      const enc = encodeNumbers(values);
      // |v| <= 1000 with up to 6 decimals always fits a scaled i16/i32.
      expect(enc.encoding, `decimals ${decimals}`).toBe(decimals <= 1 ? 'i16' : 'i32'); // 1000 * 10^d vs 32767
      expect(enc.scale).toBe(10 ** decimals);
      const decoded = decodeColumn(
        [{ layout: { encoding: enc.encoding, scale: enc.scale, missingSentinel: enc.missingSentinel, offset: 0, byteLength: enc.array.byteLength }, bytes: enc.array.slice().buffer as ArrayBuffer }],
        'num',
      );
      expect(decoded.kind).toBe('num');
      if (decoded.kind === 'num') expectSameDoubles(decoded.values, values);
    }
  });
});

describe('encodeCodes', () => {
  it('uses u8, u16 or u32 by dictionary size', () => {
    const codes = new Uint32Array([0, 1, 2]);
    expect(encodeCodes(codes, 255).encoding).toBe('u8');
    expect(encodeCodes(codes, 256).encoding).toBe('u16');
    expect(encodeCodes(codes, 65_535).encoding).toBe('u16');
    expect(encodeCodes(codes, 65_536).encoding).toBe('u32');
  });
});

describe('encodeChunks / decodeColumn', () => {
  it('round-trips mixed columns through chunk Blobs, aligned to 8 bytes', async () => {
    const rows = 10;
    const ints: ColumnData = { kind: 'num', values: new Float64Array([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]) };
    const floats: ColumnData = { kind: 'num', values: new Float64Array([0.1, Math.PI, NaN, -1e300, 5e-324, 1, 2, 3, 4, 5]) };
    const cats: ColumnData = { kind: 'dict', codes: new Uint32Array([1, 2, 0, 1, 2, 1, 2, 1, 2, 1]), dict: ['a', 'b'] };
    const { chunks, storedBytes, dictBlob } = encodeChunks([ints, cats, floats], rows, 4);
    expect(chunks.map((c) => [c.index, c.layout.rowStart, c.layout.rowCount])).toEqual([
      [0, 0, 4],
      [1, 4, 4],
      [2, 8, 2],
    ]);
    const first = chunks[0]!.layout.columns;
    expect(first.map((c) => c.encoding)).toEqual(['i8', 'u8', 'f64']);
    for (const c of first) expect(c.offset % 8).toBe(0);
    expect(first.map((c) => c.byteLength)).toEqual([4, 4, 32]);
    expect(JSON.parse(await dictBlob.text())).toEqual([[], ['a', 'b'], []]);
    expect(storedBytes).toBe(chunks.reduce((s, c) => s + c.blob.size, 0) + dictBlob.size);

    const back0 = await readBack(chunks, 0, 'num');
    const back2 = await readBack(chunks, 2, 'num');
    const back1 = await readBack(chunks, 1, 'dict', ['a', 'b']);
    if (back0.kind !== 'num' || back2.kind !== 'num' || ints.kind !== 'num' || floats.kind !== 'num') throw new Error('kind');
    expectSameDoubles(back0.values, ints.values);
    expectSameDoubles(back2.values, floats.values);
    expect(back1).toEqual(cats);

    // decodeColumn also accepts the whole chunk buffer and applies the offsets.
    const whole = await Promise.all(chunks.map(async (c) => ({ layout: c.layout.columns[2]!, bytes: await c.blob.arrayBuffer() })));
    const fromWhole = decodeColumn(whole, 'num');
    if (fromWhole.kind === 'num') expectSameDoubles(fromWhole.values, floats.values);
  });

  it('produces no chunks for zero rows', () => {
    const { chunks } = encodeChunks([{ kind: 'num', values: new Float64Array(0) }], 0);
    expect(chunks).toEqual([]);
  });
});

describe('SHA-256', () => {
  it('matches the standard test vectors', async () => {
    const enc = new TextEncoder();
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(enc.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // Incremental updates give the same digest as one shot.
    const h = await createSha256();
    const text = enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    h.update(text.subarray(0, 5));
    h.update(text.subarray(5));
    expect(h.digestHex()).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
});
