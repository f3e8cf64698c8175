/**
 * CSV writing (RFC 4180) for exports such as batch predictions: comma by
 * default, CRLF after every record, a field quoted when it holds the
 * delimiter, a double quote, CR or LF, with inner quotes doubled.
 *
 * Built to stream: `csvHeader` and `csvRows` each return the text of a few
 * records, so a 300,000-row export is written as a list of chunk strings
 * (`csvChunks`) handed to `new Blob(parts)`, never as one huge string.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that
 * starts with `=`, `+`, `-` or `@` (and tab / CR can hide such a start), so a
 * string value starting with one of those is prefixed with `'`, which makes
 * Excel, LibreOffice and Sheets show it as text. Only strings are escaped:
 * a JS number is data we produced, so -1.5 stays the number -1.5 and still
 * sorts and sums as one in the spreadsheet.
 */
import type { Delimiter } from '../common';

/** One cell: a string (user data, escaped), a number (written as is) or null / undefined (empty). */
export type CsvValue = string | number | null | undefined;

/** Byte order mark: Excel reads a UTF-8 CSV as Windows-1252 unless the file starts with it. */
export const UTF8_BOM = '\uFEFF';

/** CRLF, as RFC 4180 asks (and Excel expects). */
export const CSV_EOL = '\r\n';

export interface CsvWriteOptions {
  /** Field separator. Default ','. */
  delimiter?: Delimiter;
}

export interface CsvFileOptions extends CsvWriteOptions {
  /** Start the file with a UTF-8 BOM (for Excel). Default false. */
  bom?: boolean;
}

/** First characters that make a spreadsheet treat a cell as a formula (OWASP's list). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

const NEEDS_QUOTES: Record<Delimiter, RegExp> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '\t': /["\t\r\n]/,
};

/**
 * The text of one field. Strings starting with `=`, `+`, `-`, `@`, tab or CR
 * get a leading `'`; then any field holding the delimiter, `"`, CR or LF is
 * quoted with inner quotes doubled. Finite numbers are written with
 * `String(n)` (shortest text that reads back as the same double); NaN,
 * ±Infinity, null and undefined become an empty field.
 */
export function escapeCell(value: CsvValue, delimiter: Delimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (s.length > 0 && FORMULA_START.has(s[0]!)) s = `'${s}`;
  return NEEDS_QUOTES[delimiter].test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One record and its CRLF. */
function record(cells: readonly CsvValue[], delimiter: Delimiter): string {
  // A record that is a single empty field would be a blank line, which readers
  // (ours included) skip: write it as "" so the row survives a round trip.
  if (cells.length === 1) {
    const only = escapeCell(cells[0], delimiter);
    return (only === '' ? '""' : only) + CSV_EOL;
  }
  let line = '';
  for (let k = 0; k < cells.length; k++) {
    if (k > 0) line += delimiter;
    line += escapeCell(cells[k], delimiter);
  }
  return line + CSV_EOL;
}

/**
 * The header record, with its CRLF (and the BOM first when `bom` is set).
 * Column names are user data: they are escaped like any string cell.
 */
export function csvHeader(names: readonly string[], options: CsvFileOptions = {}): string {
  return (options.bom ? UTF8_BOM : '') + record(names, options.delimiter ?? ',');
}

/** A block of records, each ending with CRLF: append blocks one after another to stream a file. */
export function csvRows(rows: Iterable<readonly CsvValue[]>, options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  // Joining an array is faster than repeated += for many records, and the parts die with the call.
  const parts: string[] = [];
  for (const row of rows) parts.push(record(row, delimiter));
  return parts.join('');
}

/**
 * A whole file as chunk strings: the header, then `chunkRows` records at a
 * time (default 10,000). Pass them to `new Blob([...csvChunks(...)], { type:
 * 'text/csv' })`; each chunk is small, and a Blob part, not one big string.
 */
export function* csvChunks(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: CsvFileOptions & { chunkRows?: number } = {},
): Generator<string, void, undefined> {
  const chunkRows = options.chunkRows ?? 10_000;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`chunkRows must be a whole number of at least 1, got ${chunkRows}.`);
  const delimiter = options.delimiter ?? ',';
  yield csvHeader(header, options);
  let parts: string[] = [];
  for (const row of rows) {
    parts.push(record(row, delimiter));
    if (parts.length === chunkRows) {
      yield parts.join('');
      parts = [];
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** A whole file as one string (small exports and tests); use `csvChunks` for large ones. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, options: CsvFileOptions = {}): string {
  return csvHeader(header, options) + csvRows(rows, options);
}
