/**
 * Column building and type inference. A `ColumnBuilder` takes one column's
 * raw strings row by row while the file streams, so no row objects are ever
 * kept; `finish()` picks the storage and infers the type.
 */
import { MISSING_MARKERS, type ColumnData, type ColumnType } from './types';

const MISSING = new Set(MISSING_MARKERS);
// Derived from the markers so the fast rejections below stay right if the list changes.
const MISSING_MAX_LENGTH = Math.max(...MISSING_MARKERS.map((m) => m.length));
const MISSING_FIRST = new Set(MISSING_MARKERS.filter((m) => m.length > 0).flatMap((m) => [m.charCodeAt(0), m.toUpperCase().charCodeAt(0)]));

/** Numeric columns drop their string dictionary past this many distinct values (memory). */
export const NUMERIC_DICT_LIMIT = 65_536;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * True for a missing value: one of MISSING_MARKERS ('', NA, N/A, null, NaN, ?),
 * case-insensitive, ignoring surrounding spaces.
 */
export function isMissing(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  let s = value;
  if (isBlank(value.charCodeAt(0)) || isBlank(value.charCodeAt(n - 1))) s = value.trim();
  // Markers are short and start with few letters (n, N, ?): most values are
  // rejected here without allocating a lower-case copy.
  if (s.length === 0) return true;
  if (s.length > MISSING_MAX_LENGTH || !MISSING_FIRST.has(s.charCodeAt(0))) return false;
  return MISSING.has(s.toLowerCase());
}

const F_DOT = 1;
const F_EXP = 2;
/** An integer with more than 15 significant digits: a double may not hold it exactly. */
const F_LONG_INT = 4;

/** Flags of the last successful `parseNumber` call (module state avoids an allocation per value). */
let lastFlags = 0;

/**
 * Parses a plain decimal number: optional sign, digits with an optional
 * decimal point, optional exponent, surrounding spaces/tabs allowed. Returns
 * NaN for anything else, including '', ' ', hex, 'Infinity', '1_000' and
 * values that overflow to Infinity (where `Number()` would be lenient).
 */
export function parseNumber(s: string): number {
  let end = s.length;
  let i = 0;
  while (i < end && isBlank(s.charCodeAt(i))) i++;
  while (end > i && isBlank(s.charCodeAt(end - 1))) end--;
  if (i === end) return NaN;
  const begin = i;
  let c = s.charCodeAt(i);
  const neg = c === 45;
  if (neg || c === 43) {
    i++;
    if (i === end) return NaN;
  }
  let digits = 0;
  let significant = 0;
  let value = 0;
  while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    if (significant > 0 || c !== 48) significant++;
    digits++;
    i++;
  }
  let flags = 0;
  if (i < end && s.charCodeAt(i) === 46) {
    flags |= F_DOT;
    i++;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      digits++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
    flags |= F_EXP;
    i++;
    if (i < end && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
    const expStart = i;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
    if (i === expStart) return NaN;
  }
  if (i !== end) return NaN;
  if (flags === 0) {
    if (significant > 15) {
      lastFlags = F_LONG_INT;
      return Number(s.slice(begin, end));
    }
    lastFlags = 0;
    // Up to 15 digits the running value is exact: no need for Number().
    return neg ? -value : value;
  }
  const x = Number(s.slice(begin, end));
  if (!Number.isFinite(x)) return NaN;
  lastFlags = flags;
  return x;
}

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
 */
export class ColumnBuilder {
  private n = 0;
  private capacity: number;
  private codes: Uint32Array | null;
  private dict: Map<string, number> | null = new Map();
  private dictValues: string[] = [];
  private nums: Float64Array | null;
  private numeric = true;
  private allIntegral = true;
  private anyDot = false;
  private nonMissing = 0;

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
    const i = this.n;
    if (i === this.capacity) this.grow();
    this.n = i + 1;
    if (isMissing(value)) {
      if (this.nums) this.nums[i] = NaN;
      if (this.codes) this.codes[i] = 0;
      return;
    }
    this.nonMissing++;
    if (this.numeric) {
      const x = parseNumber(value);
      if (x === x && (lastFlags & F_LONG_INT) === 0) {
        this.nums![i] = x;
        if (lastFlags & F_DOT) this.anyDot = true;
        if (this.allIntegral && !Number.isInteger(x)) this.allIntegral = false;
      } else {
        this.becomeStrings(i);
      }
    }
    const codes = this.codes;
    if (codes === null) return; // numeric with its dictionary dropped
    const dict = this.dict!;
    let code = dict.get(value);
    if (code === undefined) {
      code = this.dictValues.push(value);
      dict.set(value, code);
      if (this.numeric && code > NUMERIC_DICT_LIMIT) {
        this.dict = null;
        this.dictValues = [];
        this.codes = null;
        return;
      }
    }
    codes[i] = code;
  }

  /** The column's data and inferred type. The builder must not be used afterwards. */
  finish(): BuiltColumn {
    const n = this.n;
    const count = this.nonMissing;
    if (this.numeric && count > 0) {
      const values = this.nums!.slice(0, n);
      const type: ColumnType = this.allIntegral && !this.anyDot ? 'integer' : 'numeric';
      this.release();
      return { data: { kind: 'num', values }, type, count };
    }
    // Defensive: codes are only dropped while numeric, and numeric columns returned above.
    if (this.codes === null) this.rebuildDictionary();
    const codes = this.codes!.slice(0, n);
    const dict = this.dictValues;
    this.release();
    return { data: { kind: 'dict', codes, dict }, type: inferStringType(dict, count), count };
  }

  private release(): void {
    this.codes = null;
    this.nums = null;
    this.dict = null;
    this.dictValues = [];
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
