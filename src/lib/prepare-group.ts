/**
 * The group-by preview of a Prepare cell, through danfojs groupby. Missing
 * values are left out of each aggregate (as pandas does): count is the
 * number of present values, and a group with none shows null. Groups are
 * sorted by their key values (numbers ascending, text by code units,
 * missing last), whatever order danfojs finds them in.
 */
import type { AggregateFn, GroupSummarySpec } from './core/prepare';
import { columnIndex, isMissing, type Cell, type Frame } from './prepare-frame';

export interface GroupTable {
  header: string[];
  rows: (string | number | null)[][];
}

function compareCells(a: Cell, b: Cell): number {
  const am = isMissing(a);
  const bm = isMissing(b);
  if (am || bm) return am === bm ? 0 : am ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** `fn` of `column` by the groups of `by` on `frame` (all its rows). */
export function groupSummary(frame: Frame, spec: GroupSummarySpec): GroupTable {
  const at = (name: string) => {
    const j = columnIndex(frame, name);
    if (j < 0) throw new Error(`There is no column “${name}” to group by or summarise.`);
    return j;
  };
  const byAt = spec.by.map(at);
  const aggAt = spec.aggregates.map((a) => at(a.column));
  spec.aggregates.forEach((a, i) => {
    if (a.fn !== 'count' && frame.kinds[aggAt[i]!] !== 'num') throw new Error(`The ${a.fn} of “${a.column}” needs numbers; it holds text.`);
  });
  // One string key per group (JSON of its values), so ("a-b", "c") and ("a", "b-c") stay apart.
  const groups = new Map<string, Cell[]>();
  const keys = frame.df.values.map((row) => {
    const values = byAt.map((j) => (isMissing(row[j]) ? null : row[j]!));
    const key = JSON.stringify(values);
    if (!groups.has(key)) groups.set(key, values);
    return key;
  });
  const results = spec.aggregates.map((a, i) => aggregate(frame, keys, aggAt[i]!, a.fn));
  const ordered = [...groups.entries()].sort(([, a], [, b]) => {
    for (let k = 0; k < a.length; k++) {
      const c = compareCells(a[k]!, b[k]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  return {
    header: [...spec.by, ...spec.aggregates.map((a) => `${a.fn}(${a.column})`)],
    rows: ordered.map(([key, values]) => [...values.map((v) => (isMissing(v) ? null : (v as string | number))), ...results.map((r) => r.get(key) ?? null)]),
  };
}

/** One aggregate per group key, through danfojs groupby + agg on the rows where the column is present. */
function aggregate(frame: Frame, keys: readonly string[], j: number, fn: AggregateFn): Map<string, number> {
  const rows: Cell[][] = [];
  frame.df.values.forEach((row, r) => {
    const v = row[j];
    if (!isMissing(v)) rows.push([keys[r]!, fn === 'count' ? 1 : v!]);
  });
  const out = new Map<string, number>();
  if (rows.length === 0) return out;
  const df = new frame.dfd.DataFrame(rows, { columns: ['g', 'v'], dtypes: ['string', 'float32'], config: { lowMemoryMode: true } });
  const result = df.groupby(['g']).agg({ v: fn });
  const gAt = result.columns.indexOf('g');
  const vAt = result.columns.indexOf(`v_${fn}`);
  for (const row of result.values) out.set(String(row[gAt]), row[vAt] as number);
  return out;
}
