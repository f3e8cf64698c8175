/**
 * A reference's drift statistics as a file (`reference-stats.json` in a model
 * bundle), so a colleague can drift-check an imported model version without
 * its training data. Numeric columns keep at most MAX_VALUES evenly spaced
 * order statistics (all values when there are fewer): the distances used
 * above 1,000 reference rows (Wasserstein, Jensen-Shannon, PSI) read the
 * distribution, which those quantiles keep; a reference of at most 1,000 rows,
 * where K-S needs every value, keeps every value.
 */
import type { ColumnStats } from './drift';

export const REFERENCE_STATS_FORMAT = 'labbook-reference-stats';
/** Order statistics kept per numeric column. */
export const MAX_VALUES = 5000;

export interface ReferenceStatsFile {
  format: typeof REFERENCE_STATS_FORMAT;
  formatVersion: 1;
  /** The dataset version the statistics were computed from. */
  datasetHash: string;
  rows: number;
  columns: ColumnStats[];
}

/** `sorted`'s evenly spaced order statistics (first and last kept), or all of it when short. */
export function quantileSample(sorted: Float64Array, max = MAX_VALUES): Float64Array {
  if (sorted.length <= max) return sorted;
  const out = new Float64Array(max);
  for (let k = 0; k < max; k++) out[k] = sorted[Math.round((k * (sorted.length - 1)) / (max - 1))]!;
  return out;
}

/** The file's text: numeric columns compacted, missing counts scaled to the kept values. */
export function referenceStatsJson(datasetHash: string, rows: number, columns: readonly ColumnStats[]): string {
  const out = columns.map((c) => {
    if (c.kind !== 'numeric') return { ...c, counts: c.counts };
    const kept = quantileSample(c.sorted);
    const scale = c.sorted.length > 0 ? kept.length / c.sorted.length : 1;
    return { name: c.name, kind: c.kind, rows: Math.round(c.missing * scale) + kept.length, missing: Math.round(c.missing * scale), sorted: Array.from(kept) };
  });
  return JSON.stringify({ format: REFERENCE_STATS_FORMAT, formatVersion: 1, datasetHash, rows, columns: out });
}

const bad = (why: string) => new Error(`reference-stats.json is not valid: ${why}.`);

/**
 * Reads the file back, checking every field (it comes from a bundle: its hash
 * was verified, but its shape is checked here before it is used).
 */
export function parseReferenceStats(text: string): ReferenceStatsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad('it is not JSON');
  }
  const o = raw as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.format !== REFERENCE_STATS_FORMAT || o.formatVersion !== 1) throw bad('unknown format');
  if (typeof o.datasetHash !== 'string' || !/^[0-9a-f]{64}$/.test(o.datasetHash)) throw bad('no dataset hash');
  if (typeof o.rows !== 'number' || !Number.isInteger(o.rows) || o.rows < 0) throw bad('no row count');
  if (!Array.isArray(o.columns)) throw bad('no columns');
  const columns: ColumnStats[] = o.columns.map((c: unknown, i: number) => {
    const col = c as Record<string, unknown>;
    if (!col || typeof col.name !== 'string') throw bad(`column ${i + 1} has no name`);
    const rows = Number(col.rows);
    const missing = Number(col.missing);
    if (!Number.isInteger(rows) || !Number.isInteger(missing) || rows < 0 || missing < 0) throw bad(`“${col.name}” has no row counts`);
    if (col.kind === 'numeric') {
      if (!Array.isArray(col.sorted) || !col.sorted.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad(`“${col.name}” has no values`);
      const sorted = Float64Array.from(col.sorted as number[]);
      for (let k = 1; k < sorted.length; k++) if (sorted[k]! < sorted[k - 1]!) throw bad(`“${col.name}” is not sorted`);
      return { name: col.name, kind: 'numeric', rows, missing, sorted };
    }
    if (col.kind === 'categorical') {
      if (!Array.isArray(col.counts) || !col.counts.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'number' && e[1] >= 0)) {
        throw bad(`“${col.name}” has no category counts`);
      }
      return { name: col.name, kind: 'categorical', rows, missing, counts: (col.counts as [string, number][]).map(([k, v]) => [k, v] as [string, number]) };
    }
    throw bad(`“${col.name}” has an unknown kind`);
  });
  return { format: REFERENCE_STATS_FORMAT, formatVersion: 1, datasetHash: o.datasetHash, rows: o.rows, columns };
}
