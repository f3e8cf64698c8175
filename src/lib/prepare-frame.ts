/**
 * The danfojs side of a Prepare run: a stored dataset version as a danfojs
 * DataFrame, and the few reads and writes the steps make on it.
 *
 * danfojs is loaded lazily (`danfo()`), so the data worker's CSV import never
 * pays for it (it brings mathjs and xlsx). Frames are built in low-memory mode
 * (rows only, no column copy) with their dtypes given, so nothing is inferred.
 *
 * Column names are kept beside the frame, not in it: danfojs defines a
 * property per column name on the frame, so a column called "index",
 * "values" or "shape" would shadow the frame's own getters (a column named
 * "index" overflows the stack). The frame's columns are internal keys
 * (`k0`, `k1`, …) and `Frame.names` holds the names, in the same order.
 */
import { decodeColumns, type DatasetSource } from './core/training';

/** One cell in a frame: a number (NaN when missing) or a string (null when missing). */
export type Cell = number | string | null;

/** How a column is held: numbers (NaN missing) or strings (null missing), as the storage kinds. */
export type Kind = 'num' | 'text';

/** The part of a danfojs DataFrame the steps use (its typings have no null cells). */
export interface DfFrame {
  readonly columns: string[];
  readonly values: Cell[][];
  readonly shape: [number, number];
  iloc(args: { rows?: number[]; columns?: number[] }): DfFrame;
  addColumn(column: string, values: Cell[], options?: { inplace?: boolean; atIndex?: number }): DfFrame | undefined;
  drop(options: { columns: string[] }): DfFrame;
  dropNa(options: { axis: 0 | 1 }): DfFrame;
  fillNa(values: Cell[], options: { columns: string[] }): DfFrame;
  groupby(columns: string[]): { agg(ops: Record<string, string | string[]>): DfFrame };
}

export interface DfOptions {
  columns: string[];
  dtypes: string[];
  index?: number[];
  config?: { lowMemoryMode: boolean };
}

/** The danfojs module, as far as it is used here. */
export interface Danfo {
  DataFrame: new (data: Cell[][], options: DfOptions) => DfFrame;
  merge(params: { left: DfFrame; right: DfFrame; on: string[]; how: 'inner' | 'left' }): DfFrame;
}

let loading: Promise<Danfo> | null = null;

/** danfojs, imported on first use (a separate chunk in the build). */
export function danfo(): Promise<Danfo> {
  loading ??= import('danfojs').then((mod) => {
    const m = mod as unknown as Partial<Danfo> & { default?: Danfo };
    return (m.DataFrame ? m : m.default) as Danfo;
  });
  return loading;
}

/** A danfojs frame with the names and kinds of its columns (aligned with `df.columns`). */
export interface Frame {
  readonly dfd: Danfo;
  readonly df: DfFrame;
  readonly names: readonly string[];
  readonly kinds: readonly Kind[];
}

const DTYPE: Record<Kind, string> = { num: 'float32', text: 'string' };
const CONFIG = { lowMemoryMode: true };

export const missingCell = (kind: Kind): Cell => (kind === 'num' ? NaN : null);

/** Whether a cell is missing (NaN, null or undefined, as danfojs counts it). */
export function isMissing(v: Cell | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

export function rowCount(f: Frame): number {
  return f.df.values.length;
}

/** A new frame over row arrays (each row's cells in column order); the rows are used as they are, not copied. */
export function frameOfRows(dfd: Danfo, rows: Cell[][], names: readonly string[], kinds: readonly Kind[]): Frame {
  const keys = names.map((_, j) => `k${j}`);
  const df = new dfd.DataFrame(rows, { columns: keys, dtypes: kinds.map((k) => DTYPE[k]), config: CONFIG });
  return { dfd, df, names: [...names], kinds: [...kinds] };
}

/**
 * A stored dataset version's first `limitRows` rows (all by default) as a frame:
 * numbers with NaN for missing, dictionary columns as strings with null for missing.
 * `spare`: how many columns the recipe will add (a hint for speed only).
 */
export async function frameOfSource(dfd: Danfo, source: DatasetSource, limitRows?: number, spare = 0): Promise<Frame> {
  const names = source.schema.map((c) => c.name);
  const decoded = await decodeColumns(source, names);
  const rows = limitRows === undefined ? source.rows : Math.min(source.rows, Math.max(0, limitRows));
  const width = decoded.length;
  const out = new Array<Cell[]>(rows);
  for (let r = 0; r < rows; r++) {
    // Room for the columns the recipe adds: V8 keeps an array's capacity when its length is cut,
    // so appending a column later does not reallocate every row.
    const row = new Array<Cell>(width + spare);
    row.length = width;
    out[r] = row;
  }
  decoded.forEach(({ data }, j) => {
    if (data.kind === 'num') {
      const values = data.values;
      for (let r = 0; r < rows; r++) out[r]![j] = values[r]!;
      return;
    }
    const { codes } = data;
    const dict: Cell[] = [null, ...data.dict];
    for (let r = 0; r < rows; r++) out[r]![j] = dict[codes[r]!] ?? null;
  });
  return frameOfRows(
    dfd,
    out,
    names,
    decoded.map(({ data }) => (data.kind === 'num' ? 'num' : 'text')),
  );
}

/** The position of a column by name, or -1. */
export function columnIndex(f: Frame, name: string): number {
  return f.names.indexOf(name);
}

/** A column's cells as the expression evaluator reads them: numbers in a Float64Array (NaN missing), text with null. */
export function columnValues(f: Frame, j: number): Float64Array | (string | null)[] {
  const rows = f.df.values;
  if (f.kinds[j] === 'num') {
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![j];
      out[r] = typeof v === 'number' ? v : NaN;
    }
    return out;
  }
  const out = new Array<string | null>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r]![j];
    out[r] = typeof v === 'string' ? v : null;
  }
  return out;
}

/** A column's cells, missing as null. */
export function columnCells(f: Frame, j: number): (number | string | null)[] {
  const rows = f.df.values;
  const out = new Array<number | string | null>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r]![j];
    out[r] = isMissing(v) ? null : (v as number | string);
  }
  return out;
}

/**
 * Every column by name, read from the frame only when asked for (an
 * expression reads only the columns it names).
 */
type Values = Float64Array | (string | null)[];

export class FrameColumns implements ReadonlyMap<string, ArrayLike<number | string | null>> {
  readonly #frame: Frame;
  readonly #cache = new Map<string, Values>();

  constructor(frame: Frame) {
    this.#frame = frame;
  }

  get size(): number {
    return this.#frame.names.length;
  }

  get(name: string): Values | undefined {
    const j = columnIndex(this.#frame, name);
    if (j < 0) return undefined;
    let cells = this.#cache.get(name);
    if (!cells) {
      cells = columnValues(this.#frame, j);
      this.#cache.set(name, cells);
    }
    return cells;
  }

  has(name: string): boolean {
    return columnIndex(this.#frame, name) >= 0;
  }

  *keys(): MapIterator<string> {
    yield* this.#frame.names;
  }

  *values(): MapIterator<Values> {
    for (const name of this.#frame.names) yield this.get(name)!;
  }

  *entries(): MapIterator<[string, Values]> {
    for (const name of this.#frame.names) yield [name, this.get(name)!];
  }

  [Symbol.iterator](): MapIterator<[string, Values]> {
    return this.entries();
  }

  forEach(fn: (value: ArrayLike<number | string | null>, key: string, map: ReadonlyMap<string, ArrayLike<number | string | null>>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/**
 * The frame with only the rows at `positions` (in that order): a new danfojs
 * frame over the same row arrays (danfojs iloc would copy every cell of every
 * kept row; the old frame is not used again).
 */
export function takeRows(f: Frame, positions: number[]): Frame {
  if (positions.length === rowCount(f) && positions.every((p, i) => p === i)) return f;
  const values = f.df.values;
  return frameOfRows(
    f.dfd,
    positions.map((p) => values[p]!),
    f.names,
    f.kinds,
  );
}

/** The positions where `keep` is true. */
export function positionsOf(keep: ArrayLike<boolean | number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) out.push(i);
  return out;
}

/**
 * Adds column `name` at the end, or replaces the column of that name in
 * place (danfojs addColumn). `values` are cells of `kind` (NaN / null for
 * missing). A new column is appended to each row array and a new frame made
 * over them: danfojs addColumn would copy every row to add one cell.
 */
export function putColumn(f: Frame, name: string, kind: Kind, values: Cell[]): Frame {
  const j = columnIndex(f, name);
  const rows = f.df.values;
  if (j >= 0) {
    if (rows.length > 0) f.df.addColumn(f.df.columns[j]!, values, { inplace: true });
    return { ...f, kinds: f.kinds.map((k, i) => (i === j ? kind : k)) };
  }
  for (let r = 0; r < rows.length; r++) rows[r]!.push(values[r]!);
  return frameOfRows(f.dfd, rows, [...f.names, name], [...f.kinds, kind]);
}

/** Removes the named columns through danfojs drop. */
export function dropColumns(f: Frame, names: readonly string[]): Frame {
  const gone = new Set(names);
  const keys = f.df.columns.filter((_, j) => gone.has(f.names[j]!));
  if (keys.length === 0) return f;
  const keep = f.names.map((n) => !gone.has(n));
  if (rowCount(f) === 0) return frameOfRows(f.dfd, [], f.names.filter((_, j) => keep[j]), f.kinds.filter((_, j) => keep[j]));
  return { ...f, df: f.df.drop({ columns: keys }), names: f.names.filter((_, j) => keep[j]), kinds: f.kinds.filter((_, j) => keep[j]) };
}
