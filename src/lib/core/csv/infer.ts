/**
 * Column building and type inference. A `ColumnBuilder` takes one column's
 * raw strings row by row while the file streams, so no row objects are ever
 * kept; `finish()` picks the storage and infers the type.
 */
import { F_DOT, F_LONG_INT, isMissingRange, lastNumberFlags, parseNumber, parseNumberRange } from './scan';
import { type ColumnData, type ColumnType } from '../common';

export { isMissing, isMissingRange, parseNumber, parseNumberRange } from './scan';

/** Numeric columns drop their string dictionary past this many distinct values (memory). */
export const NUMERIC_DICT_LIMIT = 65_536;

/** Dictionaries up to this size are searched by comparing text in place, before any copy or Map lookup. */
const SCAN_DICT_MAX = 16;

/** text.slice(start, start + len) === other.slice(otherStart, otherStart + len), without the copies. */
function sameText(text: string, start: number, other: string, otherStart: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (text.charCodeAt(start + k) !== other.charCodeAt(otherStart + k)) return false;
  return true;
}

const NO_LAST = 0;
const LAST_MISSING = 1;
const LAST_VALUE = 2;

const ISO_DATE =
  /^(\d{4})([-/])(\d{2})\2(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses an ISO-like date or date-time: YYYY-MM-DD or YYYY/MM/DD, optionally
 * followed by `T` or a space and hh:mm[:ss[.fff]], optionally Z or an offset.
 * A value without an offset is taken as UTC, so results do not depend on the
 * machine's time zone. Returns epoch milliseconds, or NaN (also for
 * impossible dates such as 2021-02-30, which Date.parse would roll over).
 */
export function parseIsoDate(value: string): number {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return NaN;
  const y = +m[1]!;
  const mo = +m[3]!;
  const d = +m[4]!;
  const h = m[5] === undefined ? 0 : +m[5];
  const mi = m[6] === undefined ? 0 : +m[6];
  const sec = m[7] === undefined ? 0 : +m[7];
  const ms = m[8] === undefined ? 0 : +m[8].slice(0, 3).padEnd(3, '0');
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return NaN;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
  if (d > daysInMonth) return NaN;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec, ms));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  let t = date.getTime();
  const zone = m[9];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = +digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2) : 0);
    t -= sign * offset * 60_000;
  }
  return t;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
];

/** 1 for yes/true/y/t, 0 for no/false/n/f (any case, trimmed), NaN otherwise. */
export function parseBooleanLike(value: string): number {
  const s = value.trim().toLowerCase();
  for (const [yes, no] of BOOLEAN_PAIRS) {
    if (s === yes) return 1;
    if (s === no) return 0;
  }
  return NaN;
}

/** At most two distinct values once case and spaces are ignored ('Yes' = 'yes'), all from one pair. */
function isBooleanSet(values: readonly string[]): boolean {
  // 32 spellings is already generous ('yes' has 8 case variants); more means text.
  if (values.length === 0 || values.length > 32) return false;
  const lower = new Set(values.map((v) => v.trim().toLowerCase()));
  if (lower.size > 2) return false;
  return BOOLEAN_PAIRS.some((pair) => [...lower].every((v) => v === pair[0] || v === pair[1]));
}

/** The inferred type of a column that is not numeric, from its distinct values. */
export function inferStringType(dict: readonly string[], nonMissing: number): ColumnType {
  const unique = dict.length;
  if (nonMissing === 0 || unique === 0) return 'text';
  if (isBooleanSet(dict)) return 'boolean';
  if (dict.every((v) => !Number.isNaN(parseIsoDate(v)))) return 'datetime';
  // Every value different: an identifier or free text, not a category.
  if (unique === nonMissing && nonMissing >= 2) return 'text';
  if (unique <= 50 || unique / nonMissing <= 0.5) return 'categorical';
  return 'text';
}

/**
 * The first n values: a view when little is left over (the usual case once the
 * capacity came from a row estimate), else a copy, so a poor guess does not
 * keep a mostly empty buffer alive.
 */
function trimmed<T extends Float64Array | Uint32Array>(array: T, n: number): T {
  return (n * 4 >= array.length * 3 ? array.subarray(0, n) : array.slice(0, n)) as T;
}

/** What `ColumnBuilder.finish()` returns. */
export interface BuiltColumn {
  data: ColumnData;
  type: ColumnType;
  /** Non-missing values. */
  count: number;
}

/**
 * Accumulates one column. Keeps dictionary codes (0 = missing) and, while
 * every value so far is a number, the parsed numbers too, so finishing needs
 * no second pass over the text.
 *
 * Memory note: a column that is still numeric drops its dictionary once it
 * has more than NUMERIC_DICT_LIMIT distinct strings. If a non-number turns up
 * after that, the dictionary is rebuilt from the numbers with `String(n)`, so
 * those earlier values lose their original spelling ('1.50' becomes '1.5',
 * '007' becomes '7'). Integers with more than 15 significant digits are not
 * treated as numbers (a double could not hold them exactly), so long IDs stay
 * strings.
 *
 * Speed: values arrive as ranges of the parser's text (`pushRange`), so most
 * are never copied: a repeat of the previous value reuses its result, a
 * numeric column finds its code by number (while each number has had a single
 * spelling, which is then the same dictionary as by string), and a small
 * dictionary is searched in place.
 */
export class ColumnBuilder {
  private n = 0;
  private capacity: number;
  private codes: Uint32Array | null;
  /** Code by string; null while `byNumber` keys the dictionary, or once it is dropped. */
  private dict: Map<string, number> | null = null;
  /** While numeric and every number so far had one spelling: code by number. */
  private byNumber: Map<number, number> | null = new Map();
  private dictValues: string[] = [];
  private nums: Float64Array | null;
  private numeric = true;
  private allIntegral = true;
  private anyDot = false;
  private nonMissing = 0;
  // The previous value, as a range of the text it came in, and what it gave.
  private lastText = '';
  private lastStart = 0;
  private lastLen = -1;
  private lastKind = NO_LAST;
  private lastCode = 0;
  private lastNum = NaN;

  constructor(initialCapacity = 4096) {
    this.capacity = Math.max(16, initialCapacity);
    this.codes = new Uint32Array(this.capacity);
    this.nums = new Float64Array(this.capacity);
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Appends the next row's raw value. */
  push(value: string): void {
    this.pushRange(value, 0, value.length);
  }

  /** Appends the next row's raw value, text.slice(start, end). */
  pushRange(text: string, start: number, end: number): void {
    const i = this.n;
    if (i === this.capacity) this.grow();
    this.n = i + 1;
    const len = end - start;
    if (len === this.lastLen && this.lastKind !== NO_LAST && sameText(text, start, this.lastText, this.lastStart, len)) {
      if (this.lastKind === LAST_MISSING) {
        if (this.nums) this.nums[i] = NaN;
        if (this.codes) this.codes[i] = 0;
        return;
      }
      this.nonMissing++;
      if (this.nums) this.nums[i] = this.lastNum;
      if (this.codes) this.codes[i] = this.lastCode;
      return;
    }
    this.lastText = text;
    this.lastStart = start;
    this.lastLen = len;
    if (isMissingRange(text, start, end)) {
      this.lastKind = LAST_MISSING;
      if (this.nums) this.nums[i] = NaN;
      if (this.codes) this.codes[i] = 0;
      return;
    }
    this.lastKind = LAST_VALUE;
    this.nonMissing++;
    if (this.numeric) {
      const x = parseNumberRange(text, start, end);
      const flags = lastNumberFlags();
      if (x === x && (flags & F_LONG_INT) === 0) {
        this.nums![i] = x;
        this.lastNum = x;
        if (flags & F_DOT) this.anyDot = true;
        if (this.allIntegral && !Number.isInteger(x)) this.allIntegral = false;
        if (this.byNumber !== null && this.codeByNumber(i, x, text, start, end)) return;
      } else {
        this.becomeStrings(i);
      }
    }
    this.codeByString(i, text, start, end);
  }

  /** Sets row i's code by its number; false when the spelling is new for that number (then key by string). */
  private codeByNumber(i: number, x: number, text: string, start: number, end: number): boolean {
    const byNumber = this.byNumber!;
    let code = byNumber.get(x);
    if (code === undefined) {
      code = this.dictValues.push(text.slice(start, end));
      byNumber.set(x, code);
      if (code > NUMERIC_DICT_LIMIT) {
        this.dropDictionary();
        return true;
      }
    } else {
      const spelled = this.dictValues[code - 1]!;
      if (spelled.length !== end - start || !sameText(text, start, spelled, 0, end - start)) {
        // Another spelling of an earlier number ('1.50' after '1.5', '-0' after '0').
        this.keyByString();
        return false;
      }
    }
    this.codes![i] = code;
    this.lastCode = code;
    return true;
  }

  private codeByString(i: number, text: string, start: number, end: number): void {
    const codes = this.codes;
    if (codes === null) return; // numeric with its dictionary dropped
    const values = this.dictValues;
    const len = end - start;
    if (values.length <= SCAN_DICT_MAX) {
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        if (v.length === len && sameText(text, start, v, 0, len)) {
          codes[i] = this.lastCode = k + 1;
          return;
        }
      }
    }
    const value = text.slice(start, end);
    const dict = this.dict!;
    let code = dict.get(value);
    if (code === undefined) {
      code = values.push(value);
      dict.set(value, code);
      if (this.numeric && code > NUMERIC_DICT_LIMIT) {
        this.dropDictionary();
        return;
      }
    }
    codes[i] = this.lastCode = code;
  }

  /** The column's data and inferred type. The builder must not be used afterwards. */
  finish(): BuiltColumn {
    const n = this.n;
    const count = this.nonMissing;
    if (this.numeric && count > 0) {
      const values = trimmed(this.nums!, n);
      const type: ColumnType = this.allIntegral && !this.anyDot ? 'integer' : 'numeric';
      this.release();
      return { data: { kind: 'num', values }, type, count };
    }
    // Defensive: codes are only dropped while numeric, and numeric columns returned above.
    if (this.codes === null) this.rebuildDictionary();
    const codes = trimmed(this.codes!, n);
    const dict = this.dictValues;
    this.release();
    return { data: { kind: 'dict', codes, dict }, type: inferStringType(dict, count), count };
  }

  private release(): void {
    this.codes = null;
    this.nums = null;
    this.dict = null;
    this.byNumber = null;
    this.dictValues = [];
    this.lastText = '';
    this.lastKind = NO_LAST;
  }

  private dropDictionary(): void {
    this.dict = null;
    this.byNumber = null;
    this.dictValues = [];
    this.codes = null;
    this.lastKind = NO_LAST;
  }

  /** Every spelling so far is a distinct dictionary entry, so the string Map is built from them. */
  private keyByString(): void {
    const dict = new Map<string, number>();
    this.dictValues.forEach((v, k) => dict.set(v, k + 1));
    this.dict = dict;
    this.byNumber = null;
  }

  private grow(): void {
    this.capacity *= 2;
    if (this.codes) {
      const next = new Uint32Array(this.capacity);
      next.set(this.codes);
      this.codes = next;
    }
    if (this.nums) {
      const next = new Float64Array(this.capacity);
      next.set(this.nums);
      this.nums = next;
    }
  }

  /** The column stops being numeric at row `row` (exclusive of it). */
  private becomeStrings(row: number): void {
    this.numeric = false;
    if (this.codes === null) this.rebuildDictionary(row);
    else if (this.byNumber !== null) this.keyByString();
    this.nums = null;
  }

  /** Recreates codes for rows [0, upTo) from the numbers, spelling them with String(). */
  private rebuildDictionary(upTo = this.n): void {
    const nums = this.nums!;
    const codes = new Uint32Array(this.capacity);
    const dict = new Map<string, number>();
    const values: string[] = [];
    for (let r = 0; r < upTo; r++) {
      const x = nums[r]!;
      if (x !== x) continue; // missing: code 0
      const s = String(x);
      let code = dict.get(s);
      if (code === undefined) {
        code = values.push(s);
        dict.set(s, code);
      }
      codes[r] = code;
    }
    this.codes = codes;
    this.dict = dict;
    this.byNumber = null;
    this.dictValues = values;
  }
}

/**
 * A column's values as numbers, whatever its storage: dictionary strings are
 * parsed as numbers, then as booleans (yes/true/y/t = 1, no/false/n/f = 0),
 * then as ISO dates (epoch milliseconds); anything else is NaN, as is a
 * missing value. A `num` column is returned as is (do not mutate it).
 */
export function columnAsNumbers(data: ColumnData): Float64Array {
  if (data.kind === 'num') return data.values;
  const table = new Float64Array(data.dict.length + 1);
  table[0] = NaN;
  for (let k = 0; k < data.dict.length; k++) {
    const s = data.dict[k]!;
    let x = parseNumber(s);
    if (x !== x) x = parseBooleanLike(s);
    if (x !== x) x = parseIsoDate(s);
    table[k + 1] = x;
  }
  const codes = data.codes;
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]!]!;
  return out;
}

/**
 * A column's values as dictionary codes (0 = missing), whatever its storage.
 * Numbers are spelled with String(); NaN is missing. Dictionary order is
 * first appearance.
 */
export function columnAsStrings(data: ColumnData): { codes: Uint32Array; dict: string[] } {
  if (data.kind === 'dict') return { codes: data.codes, dict: data.dict };
  const values = data.values;
  const codes = new Uint32Array(values.length);
  // Keyed by number: Map uses SameValueZero, so -0 and 0 share '0' like String() does.
  const index = new Map<number, number>();
  const dict: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) continue;
    let code = index.get(x);
    if (code === undefined) {
      code = dict.push(String(x));
      index.set(x, code);
    }
    codes[i] = code;
  }
  return { codes, dict };
}
