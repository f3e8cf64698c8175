/**
 * Storage health, pure: the ledger of what the app last saw stored (kept in
 * localStorage, which outlives an IndexedDB eviction or deletion), what is
 * missing when the database holds less than the ledger says, the plain
 * sentence that says so, and the "nearly full" check.
 */

/** How many records of each kind are stored. */
export interface RecordCounts {
  notebooks: number;
  datasets: number;
  versions: number;
  runs: number;
  modelVersions: number;
  driftReports: number;
}

/** The counts the app last saw, and when (ms since the epoch). */
export interface Ledger {
  counts: RecordCounts;
  at: number;
}

export const LEDGER_KEY = 'labbook:ledger';

/** The order kinds are named in, with their singular and plural names. */
const KINDS: readonly [keyof RecordCounts, string, string][] = [
  ['datasets', 'dataset', 'datasets'],
  ['versions', 'dataset version', 'dataset versions'],
  ['runs', 'run', 'runs'],
  ['modelVersions', 'model version', 'model versions'],
  ['driftReports', 'drift report', 'drift reports'],
  ['notebooks', 'notebook', 'notebooks'],
];

export const COUNT_KEYS: readonly (keyof RecordCounts)[] = KINDS.map(([key]) => key);

export function ledgerText(counts: RecordCounts, at: number): string {
  return JSON.stringify({ counts, at } satisfies Ledger);
}

/** The stored ledger, or null when there is none or it is not one (then nothing is compared). */
export function parseLedger(text: string | null | undefined): Ledger | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { counts, at } = value as { counts?: unknown; at?: unknown };
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof counts !== 'object' || counts === null) return null;
  const out = {} as RecordCounts;
  for (const key of COUNT_KEYS) {
    const n = (counts as Record<string, unknown>)[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return null;
    out[key] = n;
  }
  return { counts: out, at };
}

export function sameCounts(a: RecordCounts, b: RecordCounts): boolean {
  return COUNT_KEYS.every((key) => a[key] === b[key]);
}

/** A kind the ledger expected more of than is stored. */
export interface Missing {
  kind: keyof RecordCounts;
  expected: number;
  found: number;
}

/** The kinds of which fewer records are stored than the ledger says, in naming order. */
export function missingRecords(ledger: Ledger | null, counts: RecordCounts): Missing[] {
  if (!ledger) return [];
  return COUNT_KEYS.filter((kind) => counts[kind] < ledger.counts[kind]).map((kind) => ({
    kind,
    expected: ledger.counts[kind],
    found: counts[kind],
  }));
}

function named(kind: keyof RecordCounts, n: number): string {
  const entry = KINDS.find(([key]) => key === kind)!;
  return `${n.toLocaleString('en-US')} ${n === 1 ? entry[1] : entry[2]}`;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The plain sentence for what is gone, e.g. "Labbook expected 3 dataset versions, 20 runs and
 * 2 notebooks in this browser, but they are gone: …". Empty when nothing is missing.
 */
export function goneSentence(missing: Missing[], at?: number): string {
  if (missing.length === 0) return '';
  const expected = listOf(missing.map((m) => named(m.kind, m.expected)));
  const allGone = missing.every((m) => m.found === 0);
  const which = allGone
    ? missing.length === 1 && missing[0]!.expected === 1
      ? 'it is'
      : 'they are'
    : `${listOf(missing.map((m) => (m.found === 0 ? `all ${named(m.kind, m.expected)}` : named(m.kind, m.expected - m.found))))} ${
        missing.length === 1 && missing[0]!.expected - missing[0]!.found === 1 ? 'is' : 'are'
      }`;
  const when = at === undefined ? '' : ` (last seen ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  return (
    `Labbook expected ${expected} in this browser${when}, but ${which} gone: the browser evicted or cleared ` +
    "the site's storage, or the database was deleted. Restore them from a backup, or dismiss this to carry on with what is stored now."
  );
}

/** At or above this share of the quota, the storage panel warns. */
export const NEARLY_FULL = 0.8;

/** The warning when usage is at or above `threshold` of the quota; null below it or when the browser does not say. */
export function fullWarning(usage: number | null, quota: number | null, threshold = NEARLY_FULL): string | null {
  if (usage === null || quota === null || !(quota > 0) || usage / quota < threshold) return null;
  const pct = Math.min(100, Math.round((usage / quota) * 100));
  return (
    `Storage is ${pct}% full (${formatBytes(usage)} of ${formatBytes(quota)}). When it fills up, imports and runs ` +
    'fail and the browser may evict data. Back up the workspace, then delete old dataset versions or runs you no longer need.'
  );
}

export interface UsagePart {
  kind: string;
  label: string;
  bytes: number;
}

const USAGE_LABELS: readonly [string, string][] = [
  ['datasets', 'Datasets'],
  ['runs', 'Runs'],
  ['models', 'Models'],
  ['reports', 'Reports'],
  ['notebooks', 'Notebooks'],
];

/** Usage by kind as labelled parts, in a fixed order. */
export function usageParts(usage: Record<string, number>): UsagePart[] {
  return USAGE_LABELS.map(([kind, label]) => ({ kind, label, bytes: usage[kind] ?? 0 }));
}

/** "Datasets 41.2 MB · Runs 3.1 MB · Models 800 KB · Reports 2.00 MB · Notebooks 12 KB". */
export function usageLine(usage: Record<string, number>): string {
  return usageParts(usage)
    .map((p) => `${p.label} ${formatBytes(p.bytes)}`)
    .join(' · ');
}
import { formatBytes } from '../common';
