/**
 * Caps on the size of one CSV record and one field. The streaming parser keeps
 * the open record in memory until its line break arrives; without a cap, a
 * file with no line break (or a quote that never closes) grows that carry
 * until the tab runs out of memory. Sizes are counted in decoded characters:
 * each is at least one byte of the file, so "longer than 1 MB" stays true.
 */
import { ImportError } from '../common';

/**
 * Longest record. Real CSVs rarely have lines over a few hundred KB; very
 * wide tables (tens of thousands of numeric columns) reach about 1 MB, so
 * twice that is left before a file is judged not to be a CSV.
 */
export const MAX_RECORD_CHARS = 2 * 1024 * 1024;

/** Longest field: a cell over 1 MB is a document or an unclosed quote, not tabular data. */
export const MAX_FIELD_CHARS = 1024 * 1024;

/** Overrides of the limits (tests use small ones to stay fast). */
export interface CsvLimits {
  maxRecordChars?: number;
  maxFieldChars?: number;
}

/** A size as a round figure the real size is guaranteed to exceed. */
function sizeLabel(chars: number): string {
  if (chars >= 1e6) return `${Math.floor(chars / 1e6)} MB`;
  if (chars >= 1e3) return `${Math.floor(chars / 1e3)} KB`;
  return `${chars} bytes`;
}

/**
 * The record starting on `line` passed the limit. `oneLine`: no line break
 * inside it so far (no quoted multi-line field), so it is a single line.
 */
export function recordTooLong(line: number, oneLine: boolean, limit: number): ImportError {
  const size = sizeLabel(limit);
  const what = oneLine
    ? `Line ${line} is longer than ${size} (it has no line break in the first ${size})`
    : `The record that starts on line ${line} is longer than ${size}`;
  return new ImportError('too-large', `${what}: this does not look like a CSV file. Nothing was stored.`);
}

export interface FieldAt {
  /** 1-based line on which the field starts. */
  line: number;
  /** 0-based column index. */
  index: number;
  /** The header's name for the column, once the header is known. */
  name: string | undefined;
  quoted: boolean;
  /** A quoted field whose closing quote has not been seen yet. */
  open: boolean;
}

/** One field passed the limit. */
export function fieldTooLong(at: FieldAt, limit: number): ImportError {
  const size = sizeLabel(limit);
  const column = `column ${at.index + 1}${at.name === undefined ? '' : ` ("${at.name}")`}`;
  if (at.quoted && at.open) {
    return new ImportError(
      'too-large',
      `A quoted value that starts on line ${at.line}, ${column}, is longer than ${size}: its closing " is probably missing. ` +
        'Fix the quotes around that line (a " inside a quoted field must be doubled, as "") and try again. Nothing was stored.',
    );
  }
  const why = at.quoted ? '' : ', with no delimiter or line break in it';
  return new ImportError(
    'too-large',
    `Line ${at.line}, ${column}, has a value longer than ${size}${why}: this does not look like tabular data. Nothing was stored.`,
  );
}
