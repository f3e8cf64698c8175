/**
 * How the app writes numbers, sizes, durations and times for people, in one place: tables,
 * messages, progress lines and exported reports all say "1,234 rows", "2.5 MB", "12.3 s" and
 * "5 minutes ago" the same way. Always en-US digits, so a test or a screenshot reads alike on
 * every machine.
 */

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A whole count with thousands separators: "319,795". */
export function formatCount(n: number): string {
  return counts.format(Math.round(n));
}

/** Bytes in decimal units: "512 B", "1.44 MB", "23.0 MB"; '?' when not finite. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/**
 * A metric value for tables and labels: `digits` decimals with thousands
 * separators, '—' when missing or not finite. Very large or very small values
 * switch to `digits` significant digits in exponent form so they never read as 0.
 */
export function formatMetric(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e9 || (abs > 0 && abs < 10 ** -digits)) return value.toPrecision(Math.max(1, digits));
  return fixedFormat(digits).format(value);
}

// toLocaleString with options builds a formatter on every call (~40 µs): a table of 1,000 runs
// formats thousands of values, so one Intl.NumberFormat per digit count is kept.
const fixedFormats = new Map<number, Intl.NumberFormat>();
function fixedFormat(digits: number): Intl.NumberFormat {
  let f = fixedFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixedFormats.set(digits, f);
  }
  return f;
}

/** "12.3 s" or "2 min 5 s"; '' when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "just now", "12 minutes ago", "3 hours ago", "4 days ago". */
export function formatAgo(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  return `${d} days ago`;
}
