/**
 * The Runs page as plain data: filtering and sorting the rows of the runs
 * table, the columns it starts with, and the settings of a compare view (the
 * compare cell's config, plain JSON). Split from compare.ts, which flattens
 * runs into rows and compares the selected ones.
 */
import type { RunStatus } from '../training';
import { distinguishingParams, lowerIsBetter, metricKeys, type ComparableRun, type CurveValue, type RunRow } from './compare';
// ---------------------------------------------------------------------------
// Filter and sort

export interface RunsFilter {
  /** null: every dataset version. */
  datasetHash: string | null;
  status: RunStatus | 'all';
  tag: string | null;
  sweepId: string | null;
  text: string;
}

export const EMPTY_FILTER: RunsFilter = { datasetHash: null, status: 'all', tag: null, sweepId: null, text: '' };

/** Rows that pass every part of the filter; the text matches id, target, tags, notes and param values. */
export function filterRows<R extends ComparableRun>(rows: readonly RunRow<R>[], f: RunsFilter): RunRow<R>[] {
  const needle = f.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (f.datasetHash === null || r.run.datasetHash === f.datasetHash) &&
      (f.status === 'all' || r.run.status === f.status) &&
      (f.tag === null || r.run.tags.includes(f.tag)) &&
      (f.sweepId === null || r.run.sweepId === f.sweepId) &&
      (needle === '' || r.haystack.includes(needle)),
  );
}

/** The choices the filter menus offer: datasets, tags and sweeps that occur in the rows. */
export function filterChoices(rows: readonly RunRow[]): { datasets: string[]; tags: string[]; sweeps: { id: string; runs: number; firstAt: number }[] } {
  const datasets = new Set<string>();
  const tags = new Set<string>();
  const sweeps = new Map<string, { id: string; runs: number; firstAt: number }>();
  for (const r of rows) {
    datasets.add(r.run.datasetHash);
    for (const t of r.run.tags) tags.add(t);
    const s = r.run.sweepId;
    if (s) {
      const found = sweeps.get(s);
      if (found) {
        found.runs++;
        found.firstAt = Math.min(found.firstAt, r.run.createdAt);
      } else sweeps.set(s, { id: s, runs: 1, firstAt: r.run.createdAt });
    }
  }
  return { datasets: [...datasets], tags: [...tags].sort(), sweeps: [...sweeps.values()].sort((a, b) => b.firstAt - a.firstAt) };
}

/** A column key: 'createdAt', 'status', 'duration', 'backend', 'param:<key>' or 'metric:<key>'. */
export interface RunsSort {
  key: string;
  descending: boolean;
}

/** The direction a click on a column header sorts first: best first for metrics, newest first for dates. */
export function firstDirection(key: string): boolean {
  if (key.startsWith('metric:')) return !lowerIsBetter(key.slice(7));
  return key === 'createdAt' || key === 'duration';
}

/** The value of a column in a row (numbers and strings sort; null and NaN go last). */
export function cellValue(row: RunRow, key: string): number | string | null {
  if (key.startsWith('param:')) return row.params[key.slice(6)] ?? null;
  if (key.startsWith('metric:')) {
    const v = row.metrics[key.slice(7)];
    return v !== undefined && Number.isFinite(v) ? v : null;
  }
  switch (key) {
    case 'createdAt':
      return row.run.createdAt;
    case 'status':
      return row.run.status;
    case 'duration':
      return row.run.durationMs;
    case 'backend':
      return row.run.backend?.used ?? null;
    default:
      return null;
  }
}

/**
 * Rows sorted by one column, stable (ties keep the newest first); rows without
 * a value come last in either direction, so "best first" never starts with a
 * failed run.
 */
export function sortRows<R extends ComparableRun>(rows: readonly RunRow<R>[], sort: RunsSort): RunRow<R>[] {
  const dir = sort.descending ? -1 : 1;
  const keyed = rows.map((row, i) => ({ row, i, v: cellValue(row, sort.key) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'en', { numeric: true });
    return c !== 0 ? c * dir : a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** Newest first: the order rows are built in before any column is sorted. */
export function newestFirst<R extends ComparableRun>(runs: readonly R[]): R[] {
  return [...runs].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}


// ---------------------------------------------------------------------------
// Settings of a compare view (the compare cell's config: plain JSON)

export interface CompareSettings {
  filter: RunsFilter;
  sort: RunsSort;
  /** Selected run ids, in the order they were picked. */
  selected: string[];
  /** The pinned baseline every other run is measured against. */
  baselineId: string | null;
  /** Param and metric columns of the table ('param:…' / 'metric:…'); null picks them from the runs. */
  columns: string[] | null;
  /** The per-epoch value the learning curves overlay. */
  curve: CurveValue;
  /** The class whose ROC / PR curves are overlaid (multiclass); null: the positive class. */
  curveClass: string | null;
  /** The metric the parallel coordinates end on and the scatter plots; null: the primary metric. */
  metric: string | null;
  /** The param the scatter puts on x; null: the first param that varies. */
  scatterParam: string | null;
}

export const DEFAULT_SORT: RunsSort = { key: 'createdAt', descending: true };

export function defaultCompareSettings(): CompareSettings {
  return { filter: { ...EMPTY_FILTER }, sort: { ...DEFAULT_SORT }, selected: [], baselineId: null, columns: null, curve: 'valLoss', curveClass: null, metric: null, scatterParam: null };
}

const STATUSES: readonly string[] = ['all', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];
const CURVES: readonly string[] = ['loss', 'valLoss', 'metric', 'valMetric'];

/** Repairs settings read back from storage: unknown or mistyped fields get defaults. */
export function normalizeCompareSettings(raw: unknown): CompareSettings {
  const d = defaultCompareSettings();
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string'))] : []);
  const f = o.filter && typeof o.filter === 'object' ? (o.filter as Record<string, unknown>) : {};
  const s = o.sort && typeof o.sort === 'object' ? (o.sort as Record<string, unknown>) : {};
  return {
    filter: {
      datasetHash: str(f.datasetHash),
      status: typeof f.status === 'string' && STATUSES.includes(f.status) ? (f.status as RunsFilter['status']) : 'all',
      tag: str(f.tag),
      sweepId: str(f.sweepId),
      text: typeof f.text === 'string' ? f.text : '',
    },
    sort: { key: str(s.key) ?? d.sort.key, descending: typeof s.descending === 'boolean' ? s.descending : d.sort.descending },
    selected: strings(o.selected),
    baselineId: str(o.baselineId),
    columns: Array.isArray(o.columns) ? strings(o.columns) : null,
    curve: typeof o.curve === 'string' && CURVES.includes(o.curve) ? (o.curve as CurveValue) : d.curve,
    curveClass: str(o.curveClass),
    metric: str(o.metric),
    scatterParam: str(o.scatterParam),
  };
}


/** The table's columns when the user chose none: up to 4 params that vary and the first 4 metrics. */
export function defaultColumns(rows: readonly RunRow[]): string[] {
  const params = distinguishingParams(rows).slice(0, 4);
  // What the user came for first: the (honest) metrics, then the settings that tell the runs apart.
  return [...metricKeys(rows).slice(0, 4).map((k) => `metric:${k}`), ...params.map((k) => `param:${k}`)];
}
