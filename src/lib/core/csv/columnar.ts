/**
 * Columnar storage encoding. Each chunk of rows becomes one Blob holding every
 * column's bytes back to back (8-byte aligned), described by a ChunkLayout so
 * a single column can be read back with `blob.slice()` without the others.
 * Numbers are stored in the narrowest exact form: a scaled integer when every
 * value has few decimals, float64 otherwise.
 */
import { CHUNK_ROWS, type ChunkLayout, type ColumnData, type ColumnSlice, type EncodedChunk } from '../common';

type IntEncoding = 'i8' | 'i16' | 'i32';
type CodeEncoding = 'u8' | 'u16' | 'u32';
type Encoding = ColumnSlice['encoding'];

/** Whole-column encoding: the element kind plus the typed array that holds it. */
export interface EncodedColumn {
  encoding: Encoding;
  scale: number;
  missingSentinel?: number;
  array: Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
}

/** The most decimal places a number may have to be stored as a scaled integer. */
export const MAX_DECIMALS = 6;

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

// Integer widths; the minimum of each is kept free to mean "missing".
const INT_RANGES: readonly { encoding: IntEncoding; min: number; max: number }[] = [
  { encoding: 'i8', min: -(2 ** 7), max: 2 ** 7 - 1 },
  { encoding: 'i16', min: -(2 ** 15), max: 2 ** 15 - 1 },
  { encoding: 'i32', min: -(2 ** 31), max: 2 ** 31 - 1 },
];

function bytesPerElement(encoding: Encoding): number {
  switch (encoding) {
    case 'f64':
      return 8;
    case 'i32':
    case 'u32':
      return 4;
    case 'i16':
    case 'u16':
      return 2;
    default:
      return 1;
  }
}

function allocate(encoding: Encoding, length: number): EncodedColumn['array'] {
  switch (encoding) {
    case 'f64':
      return new Float64Array(length);
    case 'i8':
      return new Int8Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u8':
      return new Uint8Array(length);
    case 'u16':
      return new Uint16Array(length);
    case 'u32':
      return new Uint32Array(length);
  }
}

function view(encoding: Encoding, buffer: ArrayBuffer, byteOffset: number, byteLength: number): EncodedColumn['array'] {
  const n = byteLength / bytesPerElement(encoding);
  switch (encoding) {
    case 'f64':
      return new Float64Array(buffer, byteOffset, n);
    case 'i8':
      return new Int8Array(buffer, byteOffset, n);
    case 'i16':
      return new Int16Array(buffer, byteOffset, n);
    case 'i32':
      return new Int32Array(buffer, byteOffset, n);
    case 'u8':
      return new Uint8Array(buffer, byteOffset, n);
    case 'u16':
      return new Uint16Array(buffer, byteOffset, n);
    case 'u32':
      return new Uint32Array(buffer, byteOffset, n);
  }
}

/**
 * Picks the narrowest exact encoding for numbers. If every non-NaN value v
 * has at most MAX_DECIMALS decimals in the sense that round(v * 10^d) / 10^d
 * === v (the very division the decoder does, so decoding is exact by
 * construction) and the scaled integers fit, they are stored as i8/i16/i32
 * with `scale = 10^d` and the type's minimum as the missing sentinel.
 * Otherwise (or if a -0 is present, which an integer cannot hold) float64
 * with NaN for missing.
 */
export function encodeNumbers(values: Float64Array): EncodedColumn {
  const n = values.length;
  let d = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let exact = true;
  for (let i = 0; i < n && exact; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    if (v === 0 && 1 / v < 0) {
      exact = false;
      break;
    }
    // More decimals for one value keeps earlier values exact: they are
    // re-checked in the write pass below anyway.
    while (Math.round(v * POW10[d]!) / POW10[d]! !== v) {
      if (++d > MAX_DECIMALS) {
        exact = false;
        break;
      }
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (exact && lo <= hi) {
    const scale = POW10[d]!;
    const sLo = Math.round(lo * scale);
    const sHi = Math.round(hi * scale);
    const range = INT_RANGES.find((r) => sLo > r.min && sHi <= r.max);
    if (range) {
      const out = allocate(range.encoding, n);
      const sentinel = range.min;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (v !== v) {
          out[i] = sentinel;
          continue;
        }
        const k = Math.round(v * scale);
        if (k / scale !== v) {
          ok = false;
          break;
        }
        out[i] = k;
      }
      if (ok) return { encoding: range.encoding, scale, missingSentinel: sentinel, array: out };
    }
  }
  return { encoding: 'f64', scale: 1, array: values };
}

/** Dictionary codes (0 = missing, 1..dictSize) in the narrowest unsigned width. */
export function encodeCodes(codes: Uint32Array, dictSize: number): EncodedColumn {
  const encoding: CodeEncoding = dictSize < 256 ? 'u8' : dictSize < 65_536 ? 'u16' : 'u32';
  if (encoding === 'u32') return { encoding, scale: 1, array: codes };
  const out = allocate(encoding, codes.length);
  out.set(codes);
  return { encoding, scale: 1, array: out };
}

/** Encodes one column whole; chunks then take slices of it, so every chunk shares its encoding. */
export function encodeColumn(data: ColumnData): EncodedColumn {
  return data.kind === 'num' ? encodeNumbers(data.values) : encodeCodes(data.codes, data.dict.length);
}

/** Column dictionaries as one JSON Blob of string[][] (`[]` for `num` columns), index-aligned with the columns. */
export function encodeDictionaries(columns: readonly ColumnData[]): Blob {
  const dicts = columns.map((c) => (c.kind === 'dict' ? c.dict : []));
  return new Blob([JSON.stringify(dicts)], { type: 'application/json' });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Splits columns into chunks of `chunkRows` rows. Each chunk is one Blob with
 * every column's bytes back to back, offsets aligned to 8 bytes so a typed
 * array can view them in place. `storedBytes` counts the chunk Blobs plus the
 * dictionary JSON (returned as `dictBlob`, the same bytes the importer stores).
 */
export function encodeChunks(
  columns: readonly ColumnData[],
  rows: number,
  chunkRows: number = CHUNK_ROWS,
): { chunks: EncodedChunk[]; storedBytes: number; dictBlob: Blob } {
  const encoded = columns.map(encodeColumn);
  const chunks: EncodedChunk[] = [];
  const padding = new Uint8Array(8);
  let storedBytes = 0;
  for (let rowStart = 0, index = 0; rowStart < rows; rowStart += chunkRows, index++) {
    const rowCount = Math.min(chunkRows, rows - rowStart);
    const parts: Uint8Array<ArrayBuffer>[] = [];
    const slices: ColumnSlice[] = [];
    let offset = 0;
    for (const col of encoded) {
      const aligned = align8(offset);
      if (aligned > offset) parts.push(padding.subarray(0, aligned - offset));
      const sub = col.array.subarray(rowStart, rowStart + rowCount);
      // Our arrays are never shared: the cast only satisfies BlobPart's ArrayBuffer-backed type.
      const bytes = new Uint8Array(sub.buffer as ArrayBuffer, sub.byteOffset, sub.byteLength);
      parts.push(bytes);
      const slice: ColumnSlice = { encoding: col.encoding, scale: col.scale, offset: aligned, byteLength: bytes.byteLength };
      if (col.missingSentinel !== undefined) slice.missingSentinel = col.missingSentinel;
      slices.push(slice);
      offset = aligned + bytes.byteLength;
    }
    const blob = new Blob(parts, { type: 'application/octet-stream' });
    storedBytes += blob.size;
    const layout: ChunkLayout = { rowStart, rowCount, columns: slices };
    chunks.push({ index, layout, blob });
  }
  const dictBlob = encodeDictionaries(columns);
  storedBytes += dictBlob.size;
  return { chunks, storedBytes, dictBlob };
}

/**
 * Reassembles a column from its slices, in chunk order. Each `bytes` is
 * either exactly the slice's bytes (what `blob.slice(offset, offset +
 * byteLength)` gives) or the whole chunk's buffer, in which case the slice
 * offset is applied. `dict` is required for `dict` columns.
 */
export function decodeColumn(
  slices: readonly { layout: ColumnSlice; bytes: ArrayBuffer }[],
  kind: 'num' | 'dict',
  dict?: string[],
): ColumnData {
  let total = 0;
  for (const s of slices) total += s.layout.byteLength / bytesPerElement(s.layout.encoding);
  if (kind === 'num') {
    const values = new Float64Array(total);
    let at = 0;
    for (const { layout, bytes } of slices) {
      const src = sliceView(layout, bytes);
      if (layout.encoding === 'f64') {
        values.set(src, at);
      } else {
        const scale = layout.scale;
        const sentinel = layout.missingSentinel;
        for (let i = 0; i < src.length; i++) {
          const k = src[i]!;
          values[at + i] = k === sentinel ? NaN : scale === 1 ? k : k / scale;
        }
      }
      at += src.length;
    }
    return { kind: 'num', values };
  }
  const codes = new Uint32Array(total);
  let at = 0;
  for (const { layout, bytes } of slices) {
    const src = sliceView(layout, bytes);
    codes.set(src, at);
    at += src.length;
  }
  return { kind: 'dict', codes, dict: dict ?? [] };
}

function sliceView(layout: ColumnSlice, bytes: ArrayBuffer): EncodedColumn['array'] {
  const whole = bytes.byteLength !== layout.byteLength;
  const offset = whole ? layout.offset : 0;
  if (whole && offset + layout.byteLength > bytes.byteLength) {
    throw new Error(`Stored chunk is truncated: column bytes ${offset}..${offset + layout.byteLength} of ${bytes.byteLength}`);
  }
  // A typed array needs an aligned offset; a slice read from a Blob starts at 0.
  return view(layout.encoding, bytes, offset, layout.byteLength);
}
