/**
 * Value scanning on a range of a string: the missing-value test and the
 * number parser behind type inference. They take (text, start, end) so the
 * importer can read a field where the CSV parser found it, without first
 * copying it into a string of its own.
 */
import { MISSING_MARKERS } from '../common';

const MISSING = new Set(MISSING_MARKERS);
// Derived from the markers so the fast rejections below stay right if the list changes.
const MISSING_MAX_LENGTH = Math.max(...MISSING_MARKERS.map((m) => m.length));
/** MISSING_FIRST[c] is 1 when a non-empty marker can start with char code c (either case). */
const MISSING_FIRST = new Uint8Array(128);
for (const m of MISSING_MARKERS) {
  if (m.length === 0) continue;
  for (const c of [m.charCodeAt(0), m.toUpperCase().charCodeAt(0)]) {
    if (c < 128) MISSING_FIRST[c] = 1;
    else throw new Error('missing-value markers must start with an ASCII character');
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** `isMissing` on text.slice(start, end), without a copy in the common case. */
export function isMissingRange(text: string, start: number, end: number): boolean {
  if (start === end) return true;
  if (isBlank(text.charCodeAt(start)) || isBlank(text.charCodeAt(end - 1))) {
    const t = text.slice(start, end).trim();
    if (t.length === 0) return true;
    const c = t.charCodeAt(0);
    if (t.length > MISSING_MAX_LENGTH || c >= 128 || MISSING_FIRST[c] === 0) return false;
    return MISSING.has(t.toLowerCase());
  }
  // Markers are short and start with few letters (n, N, ?): most values are
  // rejected here without allocating a lower-case copy.
  const c = text.charCodeAt(start);
  if (end - start > MISSING_MAX_LENGTH || c >= 128 || MISSING_FIRST[c] === 0) return false;
  return MISSING.has(text.slice(start, end).toLowerCase());
}

/**
 * True for a missing value: one of MISSING_MARKERS ('', NA, N/A, null, NaN, ?),
 * case-insensitive, ignoring surrounding spaces.
 */
export function isMissing(value: string): boolean {
  return isMissingRange(value, 0, value.length);
}

export const F_DOT = 1;
export const F_EXP = 2;
/** An integer with more than 15 significant digits: a double may not hold it exactly. */
export const F_LONG_INT = 4;

/** Flags of the last successful parse (module state avoids an allocation per value). */
let lastFlags = 0;

/** F_* flags of the last number `parseNumber`/`parseNumberRange` returned. */
export function lastNumberFlags(): number {
  return lastFlags;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** `parseNumber` on text.slice(start, end). */
export function parseNumberRange(s: string, start: number, stop: number): number {
  let end = stop;
  let i = start;
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
  const intSignificant = significant;
  let flags = 0;
  let fraction = 0;
  if (i < end && s.charCodeAt(i) === 46) {
    flags |= F_DOT;
    i++;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (significant > 0 || c !== 48) significant++;
      digits++;
      fraction++;
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
    if (intSignificant > 15) {
      lastFlags = F_LONG_INT;
      return Number(s.slice(begin, end));
    }
    lastFlags = 0;
    // Up to 15 digits the running value is exact: no need for Number().
    return neg ? -value : value;
  }
  if (flags === F_DOT && significant <= 15 && fraction <= 22) {
    // Clinger's fast path: an exact integer below 2^53 divided by an exact
    // power of ten is one correctly rounded operation, so it equals Number().
    lastFlags = flags;
    const x = value / POW10[fraction]!;
    return neg ? -x : x;
  }
  const x = Number(s.slice(begin, end));
  if (!Number.isFinite(x)) return NaN;
  lastFlags = flags;
  return x;
}

/**
 * Parses a plain decimal number: optional sign, digits with an optional
 * decimal point, optional exponent, surrounding spaces/tabs allowed. Returns
 * NaN for anything else, including '', ' ', hex, 'Infinity', '1_000' and
 * values that overflow to Infinity (where `Number()` would be lenient).
 */
export function parseNumber(s: string): number {
  return parseNumberRange(s, 0, s.length);
}
