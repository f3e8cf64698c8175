/**
 * A Prepare recipe: the ordered steps a Prepare cell applies to a dataset
 * version (on danfojs, in the data worker). Plain JSON, so a recipe is stored
 * in the notebook, hashed, and recorded in the lineage of the version it made.
 */

/** What a column is cast to (the stored kinds of a dataset version). */
export type CastTarget = 'number' | 'text';

/** How missing values of a column are filled. */
export type FillMethod = 'value' | 'mean' | 'median' | 'mode';

/** How a numeric column is cut into bins. */
export type BinMethod = 'equal-width' | 'quantile';

export type JoinHow = 'inner' | 'left';

export type PrepareStep =
  /** Removes columns. */
  | { kind: 'drop'; columns: string[] }
  /** Renames one column. */
  | { kind: 'rename'; from: string; to: string }
  /** Casts a column: text to number (unparseable values become missing) or number to text. */
  | { kind: 'cast'; column: string; to: CastTarget }
  /** Keeps the rows where a boolean expression over columns is true (missing counts as false). */
  | { kind: 'filter'; expression: string }
  /** Fills a column's missing values with a constant or a statistic of the column. */
  | { kind: 'fill-missing'; column: string; method: FillMethod; value?: string | number }
  /** Drops rows with a missing value in any of `columns` (all columns when empty). */
  | { kind: 'drop-missing'; columns: string[] }
  /** Adds (or replaces) column `name` computed from an expression over columns. */
  | { kind: 'derive'; name: string; expression: string }
  /** Removes repeated rows, keeping the first; compared on `columns` (all when empty). */
  | { kind: 'dedupe'; columns: string[] }
  /** Adds column `name` holding the bin label ("[18, 25)") of a numeric column. */
  | { kind: 'bin'; column: string; name: string; bins: number; method: BinMethod }
  /** Joins another dataset version (by its content hash) on key columns present in both. */
  | { kind: 'join'; versionHash: string; on: string[]; how: JoinHow };

export type StepKind = PrepareStep['kind'];

/** The ordered steps. Applying the same recipe to the same input gives the same bytes. */
export interface Recipe {
  steps: PrepareStep[];
}

export type AggregateFn = 'count' | 'mean' | 'sum' | 'min' | 'max';

/** A group-by summary shown as a preview (not a step: it does not change the data). */
export interface GroupSummarySpec {
  by: string[];
  aggregates: { column: string; fn: AggregateFn }[];
}

/** Why a recipe cannot run: the step (0-based) and the column it names, in words for the screen. */
export class RecipeError extends Error {
  constructor(
    readonly step: number,
    readonly column: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RecipeError';
  }
}
