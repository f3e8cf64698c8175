/**
 * Reading a Labbook archive by its central directory, entry by entry, from a
 * random-access source (a File in the browser). The streaming writer puts each
 * entry's sizes after its data, and scanning the data for the next signature
 * could stop early inside a binary entry, so the directory at the end is the
 * one reliable index; a file cut off anywhere loses it and is refused as such.
 */
import { blobChunks } from '../common';
import { inflateSync } from 'fflate';
import { ArchiveError } from './backup-format';

export interface RandomAccess {
  size: number;
  /** Bytes [start, end). */
  read(start: number, end: number): Promise<Uint8Array>;
  /** The bytes [start, end) as a stream of chunks. */
  stream(start: number, end: number): AsyncIterable<Uint8Array>;
}

export interface ZipEntry {
  name: string;
  compression: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

/** Small reads are served from one window of this many bytes read ahead. */
const WINDOW = 256 * 1024;

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The entries in directory (= write) order. Throws when the directory is missing (a cut-off file). */
export async function readDirectory(src: RandomAccess, label: string): Promise<ZipEntry[]> {
  const tailLen = Math.min(src.size, 22 + 65535);
  const tail = await src.read(src.size - tailLen, src.size);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError(`${label} is cut off or is not a zip file (its table of contents at the end is missing); nothing was restored.`, null);
  const count = u16(tail, eocd + 10);
  const dirSize = u32(tail, eocd + 12);
  const dirOffset = u32(tail, eocd + 16);
  if (dirOffset + dirSize > src.size) throw new ArchiveError(`${label} is cut off; nothing was restored.`, null);
  const dir = await src.read(dirOffset, dirOffset + dirSize);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  let i = 0;
  for (let n = 0; n < count; n++) {
    if (i + 46 > dir.length || u32(dir, i) !== 0x02014b50) throw new ArchiveError(`${label} has a damaged table of contents.`, null);
    const nameLen = u16(dir, i + 28);
    const extraLen = u16(dir, i + 30);
    const commentLen = u16(dir, i + 32);
    entries.push({
      name: decoder.decode(dir.subarray(i + 46, i + 46 + nameLen)),
      compression: u16(dir, i + 10),
      compressedSize: u32(dir, i + 20),
      size: u32(dir, i + 24),
      headerOffset: u32(dir, i + 42),
    });
    i += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Where an entry's data starts (after its local header). */
export async function dataStart(src: RandomAccess, entry: ZipEntry): Promise<number> {
  const head = await src.read(entry.headerOffset, entry.headerOffset + 30);
  if (head.length < 30 || u32(head, 0) !== 0x04034b50) throw new ArchiveError(`${entry.name} is damaged (no local header).`, entry.name);
  return entry.headerOffset + 30 + u16(head, 26) + u16(head, 28);
}

/** An entry's uncompressed bytes, chunk by chunk. */
export async function* entryData(src: RandomAccess, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  const start = await dataStart(src, entry);
  const end = start + entry.compressedSize;
  if (end > src.size) throw new ArchiveError(`The backup is cut off in ${entry.name}; nothing was restored.`, entry.name);
  if (entry.compression === 0) {
    yield* src.stream(start, end);
    return;
  }
  if (entry.compression !== 8) throw new ArchiveError(`${entry.name} uses an unknown compression (${entry.compression}).`, entry.name);
  if (entry.compressedSize <= WINDOW) {
    // A small entry (a record's JSON) is inflated in one call: a stream's hops between tasks
    // cost more than inflating it.
    let bytes: Uint8Array;
    try {
      bytes = inflateSync(await src.read(start, end));
    } catch {
      throw new ArchiveError(`${entry.name} is damaged (it does not inflate).`, entry.name);
    }
    if (bytes.byteLength !== entry.size) throw new ArchiveError(`${entry.name} is damaged (it does not inflate to its size).`, entry.name);
    yield bytes;
    return;
  }
  // A large one is inflated by the platform's own zlib (DecompressionStream), fed from the source as it is read.
  const inflate = new DecompressionStream('deflate-raw');
  const writer = inflate.writable.getWriter();
  const feeding = (async () => {
    for await (const chunk of src.stream(start, end)) await writer.write(chunk as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  feeding.catch(() => undefined); // Reported through the reader below.
  const reader = inflate.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    await feeding;
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`${entry.name} is damaged (it does not inflate).`, entry.name);
  } finally {
    reader.releaseLock();
  }
}

/** A whole (small) entry. */
export async function entryBytes(src: RandomAccess, entry: ZipEntry): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of entryData(src, entry)) {
    parts.push(c);
    total += c.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A Blob (File) as a RandomAccess. Every Blob read is a round trip to the browser's blob
 * store, so the many small reads of a restore (each entry's header and JSON) are served from
 * one window of 256 KB read ahead: the entries are read in file order. Larger ranges are read
 * on their own, in chunks.
 */
export function blobSource(blob: Blob): RandomAccess {
  let windowStart = 0;
  let window = new Uint8Array(0);
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    if (end - start > WINDOW) return new Uint8Array(await blob.slice(start, end).arrayBuffer());
    if (start < windowStart || end > windowStart + window.length) {
      windowStart = start;
      window = new Uint8Array(await blob.slice(start, Math.min(blob.size, start + WINDOW)).arrayBuffer());
    }
    return window.subarray(start - windowStart, end - windowStart);
  };
  return {
    size: blob.size,
    read,
    stream: (start, end) => (end - start > WINDOW ? blobChunks(blob.slice(start, end)) : once(read(start, end))),
  };
}

async function* once(bytes: Promise<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield await bytes;
}
