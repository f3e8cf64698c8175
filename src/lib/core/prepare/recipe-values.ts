/**
 * The small pure rules a recipe's runner shares with its checks: column
 * kinds from a stored schema, the names a join gives the joined columns,
 * casting, and cutting a numeric column into labelled bins.
 */
import type { ColumnSchema } from '../common';
import { isMissing, parseNumber } from '../csv';
import type { ColumnKind } from './expr-ast';
import type { BinMethod } from './recipe';

/** A column as the recipe sees it between steps: its name and what it holds. */
export interface RecipeColumn {
  name: string;
  kind: ColumnKind;
}

/** A stored version's columns as a recipe starts from them: numbers where stored as numbers, else text. */
export function recipeColumnsOf(schema: readonly Pick<ColumnSchema, 'name' | 'storage'>[]): RecipeColumn[] {
  return schema.map((c) => ({ name: c.name, kind: c.storage === 'num' ? 'number' : 'text' }));
}

/** `base` if no column has it, else base_2, base_3, ... the first free one. */
export function uniqueName(base: string, taken: ReadonlySet<string> | readonly string[]): string {
  const has = (n: string) => (taken instanceof Set ? taken.has(n) : (taken as readonly string[]).includes(n));
  if (!has(base)) return base;
  let k = 2;
  while (has(`${base}_${k}`)) k++;
  return `${base}_${k}`;
}

/** One column of a join's result: which side it comes from and its name there. */
export interface JoinedColumn {
  name: string;
  side: 'left' | 'right';
  source: string;
}

/**
 * The columns of `left` joined with `right` on `on`: every left column as it
 * is, then the right side's other columns, each renamed `<name>_2`,
 * `<name>_3`, ... (the first free) when its name is already taken. The key
 * columns appear once, from the left.
 */
export function joinOutputColumns(left: readonly string[], right: readonly string[], on: readonly string[]): JoinedColumn[] {
  const out: JoinedColumn[] = left.map((name) => ({ name, side: 'left', source: name }));
  const taken = new Set(left);
  const keys = new Set(on);
  for (const source of right) {
    if (keys.has(source)) continue;
    const name = uniqueName(source, taken);
    taken.add(name);
    out.push({ name, side: 'right', source });
  }
  return out;
}

/**
 * A value cast to a number by the CSV import's rule: missing markers ('', NA,
 * N/A, null, NaN, ?) and anything that is not a plain decimal number (hex,
 * '1,5', 'Infinity', '1_000') become missing (null).
 */
export function castToNumber(value: string | number | null): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value - value === 0 ? value : null;
  if (isMissing(value)) return null;
  const x = parseNumber(value);
  return x === x ? x : null;
}

/** A number cast to text, spelled as the CSV import spells a stored number (String(x)); NaN is missing. */
export function castToText(value: number | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  return value === value ? String(value) : null;
}

function finiteSorted(values: ArrayLike<number | null>): Float64Array {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && v - v === 0) kept.push(v);
  }
  return Float64Array.from(kept).sort();
}

/** The p-quantile of sorted values, interpolating linearly between neighbours (numpy's default). */
function quantile(sorted: Float64Array, p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * Bin edges for a numeric column (missing and NaN values ignored): `bins`
 * equal-width bins from the minimum to the maximum, or quantile bins holding
 * about as many values each (repeated edges merged, so there may be fewer
 * bins). Bins are [edge_i, edge_i+1), the last one closed. A column with a
 * single value gives one bin [v, v]; one with no value gives no edges.
 */
export function binEdges(values: ArrayLike<number | null>, bins: number, method: BinMethod): number[] {
  const sorted = finiteSorted(values);
  if (sorted.length === 0) return [];
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const n = Math.max(1, Math.trunc(bins));
  if (min === max) return [min, max];
  const edges = [min];
  for (let k = 1; k < n; k++) {
    const e = method === 'quantile' ? quantile(sorted, k / n) : min + ((max - min) * k) / n;
    if (e > edges[edges.length - 1]!) edges.push(e);
  }
  if (max > edges[edges.length - 1]!) edges.push(max);
  return edges;
}

/** Which bin `x` falls in (the last bin includes its upper edge); -1 for missing or outside the edges. */
export function binIndex(edges: readonly number[], x: number | null): number {
  const bins = edges.length - 1;
  if (x === null || bins < 1 || !(x >= edges[0]!) || !(x <= edges[bins]!)) return -1;
  let lo = 0;
  let hi = bins - 1;
  // The last bin whose lower edge is <= x.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** An edge as a label shows it: 6 significant digits, no trailing zeros ("18.5", "25", "0.333333"). */
export function formatEdge(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** The label of bin i: "[18.5, 25)", the last bin closed: "[30, 45]". */
export function binLabel(edges: readonly number[], i: number): string {
  const last = i === edges.length - 2;
  return `[${formatEdge(edges[i]!)}, ${formatEdge(edges[i + 1]!)}${last ? ']' : ')'}`;
}
