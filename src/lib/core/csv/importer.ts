/**
 * CSV import: one streaming pass over the file's bytes that hashes, decodes,
 * parses and builds columns, then inference, profiling and columnar encoding.
 * Produces everything storage writes in one transaction; stores nothing.
 */
import { encodeChunks } from './columnar';
import { CsvScanner, detectDelimiter } from './csv';
import { estimateRows, TableAssembler } from './csv-table';
import type { CsvLimits } from './csv-limits';
import { assertText, hasUtf8Bom, InvalidUtf8Error, SNIFF_BYTES, StreamDecoder, type TextEncodingName } from './decode';
import {
  createSha256,
  COLUMN_TYPES,
  ImportError,
  type ColumnData,
  type ColumnSchema,
  type ColumnType,
  type Delimiter,
  type HeaderRename,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
} from '../common';
import { profileDataset } from './profile';

/** Where the bytes come from: a File in the browser, a buffer in tests. */
export interface ImportSource {
  name: string;
  size: number;
  /** A fresh pass over the bytes each call (an import may need two). */
  stream: () => AsyncIterable<Uint8Array>;
}

export interface ImportHooks {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /**
   * The SHA-256 (lower-case hex) of the source's raw bytes, computed elsewhere
   * (in the browser: a hash worker on the other core, reading the same File).
   * When given, the import does not hash; without it, it hashes as it reads.
   */
  hash?: Promise<string>;
}

const PROGRESS_INTERVAL_MS = 100;
/** Long synchronous stretches yield so a worker can still receive "cancel". */
const YIELD_INTERVAL_MS = 100;

/** Names that are dangerous as plain-object keys (or ambiguous in dotted paths). */
export function isUnusualName(name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype' || name.includes('.');
}

/**
 * Makes header names unique and non-empty. An empty (or blank) header becomes
 * `column_N` (N = 1-based position); a repeated one `name_2`, `name_3`…,
 * skipping any name another column already has. Names are otherwise kept
 * verbatim, spaces included.
 */
export function uniqueHeaders(raw: readonly string[]): { names: string[]; renames: HeaderRename[] } {
  const taken = new Set<string>();
  const keeps = raw.map((h) => {
    if (h.trim() === '' || taken.has(h)) return false;
    taken.add(h);
    return true;
  });
  const renames: HeaderRename[] = [];
  const names = raw.map((h, i) => {
    if (keeps[i]) return h;
    const empty = h.trim() === '';
    const base = empty ? `column_${i + 1}` : h;
    let k = empty ? 1 : 2;
    let name = empty ? base : `${base}_${k}`;
    while (taken.has(name)) name = `${base}_${++k}`;
    taken.add(name);
    renames.push({ index: i, from: h, to: name, reason: empty ? 'empty' : 'duplicate' });
    return name;
  });
  return { names, renames };
}

interface PassResult {
  /** Empty when the hash comes from `ImportHooks.hash`. */
  hash: string;
  bytesRead: number;
  hadBom: boolean;
  delimiter: Delimiter;
  lineEnding: ImportResult['lineEnding'];
  table: TableAssembler;
}

function cancelled(): ImportError {
  return new ImportError('cancelled', 'The import was cancelled. Nothing was stored.');
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Reads the whole file once with one encoding. Throws InvalidUtf8Error to ask for a Windows-1252 pass. */
async function readPass(
  source: ImportSource,
  opts: ImportOptions & CsvLimits,
  hooks: ImportHooks,
  encoding: TextEncodingName,
  report: (phase: ImportProgress['phase'], bytes: number, rows: number, force: boolean) => void,
): Promise<PassResult> {
  const hasher = hooks.hash ? null : await createSha256();
  const decoder = new StreamDecoder(encoding);
  const table = new TableAssembler(source.size);
  let parser: CsvScanner | null = null;
  let delimiter: Delimiter = opts.delimiter ?? ',';
  let sawText = false;
  let hadBom = false;
  let head: Uint8Array[] | null = [];
  let headBytes = 0;
  let bytesRead = 0;
  let lastYield = Date.now();

  const feedText = (text: string): void => {
    if (text.length === 0) return;
    if (!sawText && /\S/.test(text)) sawText = true;
    if (parser === null) {
      // The first decoded text is the whole first 64 KiB: plenty to guess from.
      delimiter = opts.delimiter ?? detectDelimiter(text);
      table.rowsHint = estimateRows(text, source.size);
      parser = new CsvScanner(delimiter, table.onRecord, opts, (k) => table.header?.[k]);
    }
    parser.push(text);
  };
  const flushHead = (): void => {
    if (head === null) return;
    const bytes = concat(head, headBytes);
    head = null;
    hadBom = hasUtf8Bom(bytes);
    const body = hadBom ? bytes.subarray(3) : bytes;
    assertText(body); // before decoding: a binary file must not look like Latin-1
    feedText(decoder.push(body));
  };

  const iterator = source.stream()[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new ImportError('unreadable', `The file could not be read (${why}). Check that it still exists and try again.`);
      }
      if (next.done) {
        finished = true;
        break;
      }
      checkSignal(hooks.signal);
      const chunk = next.value;
      if (chunk.length === 0) continue;
      hasher?.update(chunk);
      bytesRead += chunk.length;
      if (head !== null) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_BYTES) flushHead();
      } else {
        feedText(decoder.push(chunk));
      }
      report('reading', bytesRead, table.rows, false);
      if (Date.now() - lastYield > YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        checkSignal(hooks.signal);
        lastYield = Date.now();
      }
    }
  } finally {
    if (!finished) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }

  if (bytesRead === 0) {
    throw new ImportError('empty', 'This file is empty (0 bytes). Choose a CSV file with a header row and data.');
  }
  flushHead();
  feedText(decoder.end());
  if (!sawText) {
    throw new ImportError('empty', 'This file has no data: it contains only blank space. Choose a CSV file with a header row and data.');
  }
  // Non-null: sawText means some text was fed, which creates the parser.
  const p = parser as CsvScanner | null;
  p?.end();
  return {
    hash: hasher?.digestHex() ?? '',
    bytesRead,
    hadBom,
    delimiter,
    lineEnding: p?.lineEnding ?? 'none',
    table,
  };
}

async function injectedHash(hash: Promise<string>, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await hash;
  } catch (err) {
    checkSignal(signal);
    const why = err instanceof Error ? err.message : String(err);
    throw new ImportError('unreadable', `The file could not be hashed (${why}). Check that it still exists and try again.`);
  }
}

function overrideFor(types: ImportOptions['types'], name: string): ColumnType | undefined {
  // Names such as __proto__ must not reach the prototype chain: own properties only.
  if (!types || !Object.hasOwn(types, name)) return undefined;
  const t = types[name];
  return t !== undefined && COLUMN_TYPES.includes(t) ? t : undefined;
}

/**
 * Imports a CSV file. Streams the bytes once (twice if they turn out not to
 * be UTF-8, then read as Windows-1252), hashing every raw byte, BOM included,
 * so the hash matches `sha256sum`. The first record is the header; rows with
 * a different field count are skipped and reported in `ragged`.
 *
 * Progress: while reading at most one call per 100 ms plus one when reading
 * ends, then one as profiling starts and one as encoding starts.
 * A record or field over its limit (csv-limits; `opts` may lower them for
 * tests) stops the import as soon as the bytes that pass it are read.
 * @throws ImportError 'empty' | 'header-only' | 'binary' | 'unterminated-quote' | 'too-large' | 'cancelled' | 'unreadable'
 */
export async function importCsv(
  source: ImportSource,
  opts: ImportOptions & CsvLimits = {},
  hooks: ImportHooks = {},
): Promise<ImportResult> {
  const started = Date.now();
  let lastReport = -Infinity;
  const report = (phase: ImportProgress['phase'], bytes: number, rows: number, force: boolean): void => {
    if (!hooks.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    const elapsedMs = now - started;
    hooks.onProgress({
      bytesRead: bytes,
      totalBytes: source.size,
      rows,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? Math.round((rows * 1000) / elapsedMs) : 0,
      phase,
    });
  };

  // Failures of an injected hash surface where it is awaited, at the end.
  hooks.hash?.catch(() => undefined);
  checkSignal(hooks.signal);
  let encoding: TextEncodingName = 'utf-8';
  let pass: PassResult;
  try {
    pass = await readPass(source, opts, hooks, encoding, report);
  } catch (err) {
    if (!(err instanceof InvalidUtf8Error)) throw err;
    encoding = 'windows-1252';
    pass = await readPass(source, opts, hooks, encoding, report);
  }
  const { table } = pass;
  report('reading', pass.bytesRead, table.rows, true);

  const header = table.header;
  if (header === null) {
    throw new ImportError('empty', 'This file has no data. Choose a CSV file with a header row and data.');
  }
  if (table.rows === 0) {
    if (table.raggedCount > 0) {
      throw new ImportError(
        'unreadable',
        `None of the ${table.raggedCount} data rows has the header's ${header.length} fields, so nothing could be imported. ` +
          'Check the delimiter (choose it by hand if the guess was wrong) and that the first line is the header.',
      );
    }
    throw new ImportError(
      'header-only',
      'This file has a header row but no data rows. Add data below the header and try again.',
    );
  }

  checkSignal(hooks.signal);
  await yieldToEventLoop();
  checkSignal(hooks.signal);
  report('profiling', pass.bytesRead, table.rows, true);

  const { names, renames } = uniqueHeaders(header);
  const columns: ColumnData[] = [];
  const schema: ColumnSchema[] = [];
  const types: ColumnType[] = [];
  table.builders.forEach((builder, i) => {
    const built = builder.finish();
    const name = names[i]!;
    const type = overrideFor(opts.types, name) ?? built.type;
    columns.push(built.data);
    types.push(type);
    // Storage stays as built: an override changes how values are read, never what is stored.
    schema.push({ name, originalName: header[i]!, index: i, type, inferredType: built.type, storage: built.data.kind });
  });
  table.builders = [];
  const profile = profileDataset(names, types, columns, table.rows);

  checkSignal(hooks.signal);
  await yieldToEventLoop();
  checkSignal(hooks.signal);
  report('encoding', pass.bytesRead, table.rows, true);
  const { chunks, storedBytes, dictBlob } = encodeChunks(columns, table.rows);
  checkSignal(hooks.signal);
  const hash = hooks.hash ? await injectedHash(hooks.hash, hooks.signal) : pass.hash;

  return {
    hash,
    fileName: source.name,
    fileBytes: pass.bytesRead,
    encoding,
    hadBom: pass.hadBom,
    delimiter: pass.delimiter,
    delimiterDetected: opts.delimiter === undefined,
    lineEnding: pass.lineEnding,
    rows: table.rows,
    schema,
    renames,
    profile,
    preview: table.preview,
    dictBlob,
    chunks,
    storedBytes,
    ragged: { count: table.raggedCount, firstLines: table.raggedLines, expectedFields: header.length },
    unusualNames: names.filter(isUnusualName),
  };
}
