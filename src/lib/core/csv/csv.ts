/**
 * Streaming RFC 4180 CSV parsing. The parser is fed decoded text in chunks of
 * any size and keeps its state between them, so a record, a quoted field or
 * a CRLF pair may be split anywhere by the chunking.
 */
import { fieldTooLong, MAX_FIELD_CHARS, MAX_RECORD_CHARS, recordTooLong, type CsvLimits } from './csv-limits';
import { ImportError, type Delimiter } from '../common';

// Kept in its own file; re-exported so callers import CSV helpers from one place.
export { detectDelimiter } from './csv-delimiter';

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

// Parser states. FIELD_START: at the first character of a field. UNQUOTED:
// inside an unquoted field (or after a closing quote, see below). QUOTED:
// inside quotes. QUOTE_SEEN: just read a quote inside quotes; the next
// character decides whether it was a doubled quote or the closing one.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** Which record terminators the parser met; `none` for a one-line file without one. */
export type LineEnding = 'lf' | 'crlf' | 'cr' | 'none';

/**
 * Called once per record. `fields` is a fresh array the callee may keep;
 * `line` is the 1-based physical line on which the record starts.
 */
export type RowHandler = (fields: string[], line: number) => void;

/**
 * One record, valid only during the handler call. Field k is
 * `text.slice(starts[k], ends[k])` when `starts[k] >= 0` (read it in place to
 * avoid the copy), else `strs[k]` (a quoted field, or one split across chunks).
 */
export interface CsvRecord {
  readonly count: number;
  readonly text: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly strs: readonly string[];
}

/** Called once per record with a view that is reused for the next one. */
export type RecordHandler = (record: CsvRecord, line: number) => void;

/** Field k of a record as a string. */
export function recordField(r: CsvRecord, k: number): string {
  const start = r.starts[k]!;
  return start >= 0 ? r.text.slice(start, r.ends[k]) : r.strs[k]!;
}

/** A record's fields as a fresh array. */
export function recordFields(r: CsvRecord): string[] {
  const out = new Array<string>(r.count);
  for (let k = 0; k < r.count; k++) out[k] = recordField(r, k);
  return out;
}

/**
 * Streaming CSV scanner: `push()` decoded text as it arrives, then `end()`.
 * Records come as views into the text (see CsvRecord), so plain fields are
 * never copied by the scanner itself.
 *
 * Lenient where RFC 4180 is strict, the way spreadsheet exports need: a quote
 * inside an unquoted field is literal, and characters after a closing quote
 * are appended to the field (`"ab"c` reads as `abc`). Lines with nothing on
 * them are skipped.
 *
 * A record or field longer than its limit (see csv-limits) throws
 * ImportError('too-large') as soon as the text that passes it arrives.
 */
export class CsvScanner implements CsvRecord {
  /** The first record terminator seen (`none` until one is). */
  lineEnding: LineEnding = 'none';
  /** Records delivered so far (skipped empty lines not counted). */
  records = 0;

  // The current record (CsvRecord).
  count = 0;
  text = '';
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  strs: string[] = [];

  private readonly delim: number;
  private state = FIELD_START;
  private part = '';
  /** Physical line of the current position, 1-based. */
  private line = 1;
  /** Line on which the current record started. */
  private recordLine = 1;
  /** Line on which the open quoted field started, for the error message. */
  private quoteLine = 1;
  /** Whether the current record had a quoted field (so `""` is not an empty line). */
  private quotedInRecord = false;
  /** The previous chunk ended with a record-ending CR: a leading LF belongs to it. */
  private pendingCR = false;
  /** Inside quotes, the previous character was a CR (so a following LF is the same line break). */
  private quotedPrevCR = false;
  /** Whether the current field started with a quote. */
  private fieldQuoted = false;
  /** Characters of the open record in earlier chunks. */
  private carried = 0;
  /** Fields of the open record already copied out of earlier chunks. */
  private kept = 0;
  private readonly maxRecord: number;
  private readonly maxField: number;

  /** `columnName` names column k in limit errors (the header, once known). */
  constructor(
    delimiter: Delimiter,
    private readonly onRecord: RecordHandler,
    limits: CsvLimits = {},
    private readonly columnName: (index: number) => string | undefined = () => undefined,
  ) {
    this.delim = delimiter.charCodeAt(0);
    this.maxRecord = limits.maxRecordChars ?? MAX_RECORD_CHARS;
    this.maxField = limits.maxFieldChars ?? MAX_FIELD_CHARS;
  }

  /** Parses the next piece of decoded text. */
  push(text: string): void {
    const n = text.length;
    if (n === 0) return;
    this.text = text;
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === LF) {
        this.noteEnding('crlf');
        i = 1;
      } else {
        this.noteEnding('cr');
      }
    }
    // Where the open record starts in this text (its earlier part is `carried`).
    let recordStart = i;
    const d = this.delim;
    // Hot state lives in locals and is written back when the chunk is done.
    let state = this.state;
    let part = this.part;

    while (i < n) {
      if (state === QUOTED) {
        const q = text.indexOf('"', i);
        const stop = q === -1 ? n : q;
        if (stop > i) {
          part += text.slice(i, stop);
          this.countQuotedLines(text, i, stop);
        }
        if (q === -1) {
          i = n;
          break;
        }
        i = q + 1;
        state = QUOTE_SEEN;
        continue;
      }
      // Whether the field starts here, unquoted: then it is a plain range of `text`.
      let plain = false;
      if (state === QUOTE_SEEN) {
        if (text.charCodeAt(i) === QUOTE) {
          part += '"';
          this.quotedPrevCR = false;
          i++;
          state = QUOTED;
          continue;
        }
        state = UNQUOTED; // closing quote; scan on to the delimiter
      } else if (state === FIELD_START) {
        if (text.charCodeAt(i) === QUOTE) {
          state = QUOTED;
          this.quoteLine = this.line;
          this.quotedInRecord = true;
          this.fieldQuoted = true;
          this.quotedPrevCR = false;
          i++;
          continue;
        }
        state = UNQUOTED;
        plain = true;
      }

      // UNQUOTED: the common case, a plain char-code scan.
      let j = i;
      let c = 0;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c === d || c === LF || c === CR) break;
        j++;
      }
      if (j === n) {
        if (j > i) part = part.length === 0 ? text.slice(i, j) : part + text.slice(i, j);
        i = n;
        break;
      }
      if (plain) {
        this.addRange(i, j);
      } else {
        if (j > i) part = part.length === 0 ? text.slice(i, j) : part + text.slice(i, j);
        this.addString(part);
        part = '';
        this.fieldQuoted = false;
      }
      state = FIELD_START;
      i = j + 1;
      if (c === d) continue;
      if (c === CR) {
        if (i < n) {
          if (text.charCodeAt(i) === LF) {
            this.noteEnding('crlf');
            i++;
          } else {
            this.noteEnding('cr');
          }
        } else {
          this.pendingCR = true;
        }
      } else {
        this.noteEnding('lf');
      }
      if (this.carried + (j - recordStart) > this.maxRecord) throw this.recordError();
      this.carried = 0;
      recordStart = i;
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
    }
    this.state = state;
    this.part = part;
    // Checked per chunk so a file without line breaks stops early instead of filling memory.
    if (part.length > this.maxField) throw this.fieldError(state === QUOTED);
    this.carried += n - recordStart;
    if (this.carried > this.maxRecord) throw this.recordError();
    // The open record continues in the next chunk: its ranges must not outlive this text.
    // Fields before `kept` were copied after an earlier chunk: skipping them keeps this linear.
    const starts = this.starts;
    for (let k = this.kept; k < this.count; k++) {
      if (starts[k]! >= 0) {
        this.strs[k] = text.slice(starts[k], this.ends[k]);
        starts[k] = -1;
      }
    }
    this.kept = this.count;
  }

  /**
   * Flushes the last record (a file need not end with a newline).
   * @throws ImportError('unterminated-quote') when a quoted field never closes.
   */
  end(): void {
    if (this.pendingCR) {
      this.pendingCR = false;
      this.noteEnding('cr');
    }
    if (this.state === QUOTED) {
      throw new ImportError(
        'unterminated-quote',
        `A quoted field that starts on line ${this.quoteLine} never ends: the file has an opening " without a closing one. ` +
          'Fix the quotes around that line (a " inside a quoted field must be doubled, as "") and try again.',
      );
    }
    if (this.state !== FIELD_START || this.count > 0) {
      this.addString(this.part);
      this.part = '';
      this.endRecord();
    }
    this.state = FIELD_START;
    this.fieldQuoted = false;
    this.carried = 0;
  }

  private recordError(): ImportError {
    return recordTooLong(this.recordLine, this.line === this.recordLine, this.maxRecord);
  }

  /** For the field being added at index `count`; `open`: its quote is not closed yet. */
  private fieldError(open: boolean): ImportError {
    const quoted = this.fieldQuoted;
    const at = { line: quoted ? this.quoteLine : this.line, index: this.count, name: this.columnName(this.count), quoted, open };
    return fieldTooLong(at, this.maxField);
  }

  private addRange(start: number, end: number): void {
    if (end - start > this.maxField) throw this.fieldError(false);
    const k = this.count;
    if (k === this.starts.length) this.growFields();
    this.starts[k] = start;
    this.ends[k] = end;
    this.count = k + 1;
  }

  private addString(value: string): void {
    if (value.length > this.maxField) throw this.fieldError(false);
    const k = this.count;
    if (k === this.starts.length) this.growFields();
    this.starts[k] = -1;
    this.strs[k] = value;
    this.count = k + 1;
  }

  private growFields(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }

  private endRecord(): void {
    const quoted = this.quotedInRecord;
    this.quotedInRecord = false;
    const empty =
      this.count === 1 && !quoted && (this.starts[0]! >= 0 ? this.starts[0] === this.ends[0] : this.strs[0] === '');
    if (!empty) {
      this.records++;
      this.onRecord(this, this.recordLine);
    }
    this.count = 0;
    this.kept = 0;
  }

  private noteEnding(kind: LineEnding): void {
    if (this.lineEnding === 'none') this.lineEnding = kind;
  }

  /** Advances the line counter over line breaks inside a quoted field (CRLF counts once). */
  private countQuotedLines(text: string, from: number, to: number): void {
    let prevCR = this.quotedPrevCR;
    let line = this.line;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === CR) {
        line++;
        prevCR = true;
      } else {
        if (c === LF && !prevCR) line++;
        prevCR = false;
      }
    }
    this.line = line;
    this.quotedPrevCR = prevCR;
  }
}

/** The scanner with records delivered as fresh string arrays (tests, small inputs). */
export class CsvParser extends CsvScanner {
  constructor(delimiter: Delimiter, onRow: RowHandler) {
    super(delimiter, (record, line) => onRow(recordFields(record), line));
  }
}

/** Parses a whole string at once (tests, small inputs). */
export function parseCsv(text: string, delimiter: Delimiter = ','): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const parser = new CsvParser(delimiter, (f, l) => {
    rows.push(f);
    lines.push(l);
  });
  parser.push(text);
  parser.end();
  return { rows, lines };
}
