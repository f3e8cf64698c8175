/**
 * Groups of a sensitive attribute: a categorical column by value, a numeric
 * one by quantile bins ("[18, 35)", ..., "[70, 80]"), missing values in a
 * group of their own. The groups are fitted once on the dataset's rows and
 * applied to the test rows (`like`), so both halves of the report share
 * the same groups and edges.
 */
import type { ColumnData } from '../common';
import { columnAsNumbers, columnAsStrings, quantileSorted } from '../csv';
import type { AttributeGrouping } from './fairness-types';

/** The label of the group of missing values. */
export const MISSING_GROUP = '(missing)';

/** A sensitive attribute's groups and the group of every row. */
export interface GroupedAttribute {
  grouping: AttributeGrouping;
  /** Group labels; a row's group index points into this list. */
  labels: string[];
  /** The group index of each row. */
  groupOf: Uint32Array;
  /** The index of the missing values' group in `labels`, -1 when there is none. */
  missingGroup: number;
}

export interface GroupAttributeOptions {
  /** The column's name (written into the grouping). */
  column: string;
  /** Quantile bins for a numeric column; a numeric column with at most this many distinct values is grouped by value. */
  bins: number;
  /**
   * Groups fitted on other rows (the dataset's) to reuse: the same edges or
   * values in the same order. A value it never saw gets a new group at the end;
   * a number outside its edges goes to the first or last bin.
   */
  like?: GroupedAttribute;
}


/** Edge labels with the fewest significant digits (at least 3) that keep distinct edges distinct. */
function edgeTexts(edges: readonly number[]): string[] {
  for (let digits = 3; digits < 17; digits++) {
    const texts = edges.map((e) => String(Number(e.toPrecision(digits))));
    if (new Set(texts).size === texts.length) return texts;
  }
  return edges.map(String);
}

/** "[a, b)" for every bin but the last, which is closed: "[a, b]". */
export function binLabels(edges: readonly number[]): string[] {
  const t = edgeTexts(edges);
  const out: string[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push(`[${t[i]}, ${t[i + 1]}${i + 2 === edges.length ? ']' : ')'}`);
  return out;
}

/** Ascending quantile edges at k / bins, equal edges kept once. */
export function quantileEdges(sorted: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const e = quantileSorted(sorted, k / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return edges;
}

/** The bin of `x` for ascending `edges`: the last edge at or below x, clamped to the bins. */
function binOf(x: number, edges: readonly number[]): number {
  const last = edges.length - 2;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`Bins must be a whole number of at least 1, got ${String(bins)}.`);
}

/** A label not yet used: "(missing)", else "(missing) 2", ... */
function missingLabel(labels: readonly string[]): string {
  let label = MISSING_GROUP;
  for (let k = 2; labels.includes(label); k++) label = `${MISSING_GROUP} ${k}`;
  return label;
}

type Groups = Omit<GroupedAttribute, 'grouping'>;

/** Groups rows by value; `seed` labels come first, in order, then new values by first appearance. */
function byValue(data: ColumnData, seed: readonly string[], seedMissing = -1): Groups {
  const { codes, dict } = columnAsStrings(data);
  const labels = [...seed];
  const index = new Map<string, number>();
  labels.forEach((l, i) => {
    if (i !== seedMissing) index.set(l, i);
  });
  // dict code -> group, filled as codes are met; -1 = not yet assigned.
  const table = new Int32Array(dict.length + 1).fill(-1);
  let missing = seedMissing;
  const groupOf = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    let g = table[code]!;
    if (g < 0) {
      if (code === 0) {
        if (missing < 0) missing = labels.push(missingLabel(labels)) - 1;
        g = missing;
      } else {
        const value = dict[code - 1]!;
        const known = index.get(value);
        g = known ?? labels.push(value) - 1;
        if (known === undefined) index.set(value, g);
      }
      table[code] = g;
    }
    groupOf[i] = g;
  }
  return { labels, groupOf, missingGroup: missing };
}

/** Distinct non-missing numbers, ascending. */
function distinctSorted(values: Float64Array): Float64Array {
  const finite = values.filter((x) => x === x);
  finite.sort();
  let n = 0;
  for (let i = 0; i < finite.length; i++) if (i === 0 || finite[i] !== finite[n - 1]) finite[n++] = finite[i]!;
  return finite.subarray(0, n);
}

/** A numeric column cut at `edges`; missing values into their own group, after the bins. */
function byEdges(values: Float64Array, edges: readonly number[], seedLabels: readonly string[], seedMissing = -1): Groups {
  const labels = [...seedLabels];
  let missing = seedMissing;
  const groupOf = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      if (missing < 0) missing = labels.push(missingLabel(labels)) - 1;
      groupOf[i] = missing;
    } else groupOf[i] = binOf(x, edges);
  }
  return { labels, groupOf, missingGroup: missing };
}

/**
 * Groups a sensitive attribute column. A dictionary column gets one group
 * per value (in order of first appearance); a numeric column with more than
 * `bins` distinct values gets up to `bins` quantile bins (numpy's linear
 * quantiles at k / bins, equal edges merged; each bin holds its lower edge,
 * the last also its upper), and one with at most `bins` distinct values one
 * group per value, ascending. Missing values form the group "(missing)".
 * @throws Error when bins is not a whole number of at least 1.
 */
export function groupAttribute(values: ColumnData, options: GroupAttributeOptions): GroupedAttribute {
  checkBins(options.bins);
  const column = options.column;
  const like = options.like;
  if (like) {
    const edges = like.grouping.edges;
    if (like.grouping.kind === 'binned' && edges) {
      const groups = byEdges(columnAsNumbers(values), edges, like.labels, like.missingGroup);
      return { grouping: { column, kind: 'binned', edges: [...edges] }, ...groups };
    }
    return { grouping: { column, kind: 'categorical' }, ...byValue(values, like.labels, like.missingGroup) };
  }
  if (values.kind === 'dict') return { grouping: { column, kind: 'categorical' }, ...byValue(values, []) };
  const distinct = distinctSorted(values.values);
  if (distinct.length <= options.bins) {
    return { grouping: { column, kind: 'categorical' }, ...byValue(values, Array.from(distinct, String)) };
  }
  const sorted = values.values.filter((x) => x === x).sort();
  const edges = quantileEdges(sorted, options.bins);
  return { grouping: { column, kind: 'binned', edges }, ...byEdges(values.values, edges, binLabels(edges)) };
}
