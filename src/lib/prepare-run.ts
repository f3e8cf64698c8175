/**
 * Running a Prepare recipe on danfojs, in the data worker: the whole input
 * (`applyRecipe`, `recipeCsv`) or its first rows (`previewRecipe`), and the
 * group-by preview (`groupSummary`). The steps are in ./prepare-steps, the
 * frame in ./prepare-frame.
 *
 * A step that cannot run ends the run with a RecipeError naming the step
 * and the column; the worker hands it back as a value (`asFailure`).
 */
import {
  RecipeError,
  checkGroupSummary,
  checkRecipe,
  recipeColumnsOf,
  recipeHash,
  type GroupSummarySpec,
  type Recipe,
  type RecipeColumn,
} from './core/prepare';
import type { DatasetSource } from './core/training';
import { NEVER_CANCELLED, isSuperseded, type CancelToken, type ColumnType } from './core/common';
import { danfo, frameOfSource, isMissing, rowCount, type Cell, type Frame } from './prepare-frame';
import { applyStep, joinedHashes } from './prepare-steps';
import { groupSummary, type GroupTable } from './prepare-group';

export { groupSummary, type GroupTable };

export interface RecipeRunOptions {
  /** Only the input's first rows (a preview); joined versions are always read whole. */
  limitRows?: number;
  token?: CancelToken;
  onProgress?(done: number, total: number, label: string): void;
}

/** A recipe's result as a danfojs frame, with the row count before and after each step. */
export interface RecipeRun {
  frame: Frame;
  rowsIn: number;
  /** Rows after each step, one entry per step. */
  stepRows: number[];
}

function stepLabel(kind: string, i: number, total: number): string {
  return `Step ${i + 1} of ${total}: ${kind}`;
}

/** The source cut to the chunks that hold its first `rows` rows (so a preview decodes only those). */
function firstRows(source: DatasetSource, rows: number): DatasetSource {
  const chunks: DatasetSource['chunks'] = [];
  let held = 0;
  for (const c of source.chunks) {
    if (held >= rows) break;
    chunks.push(c);
    held += c.layout.rowCount;
  }
  return held >= source.rows ? source : { ...source, rows: held, chunks };
}

/** Any error of a step as a RecipeError naming that step (and the column an expression error names). */
function asRecipeError(err: unknown, step: number): RecipeError {
  if (err instanceof RecipeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const column = err instanceof Error && 'column' in err && typeof err.column === 'string' ? err.column : null;
  return new RecipeError(step, column, `Step ${step + 1}: ${message}`);
}

/**
 * Runs every step of `recipe` on danfojs over `input` (its first
 * `limitRows` rows for a preview). `joined` holds the versions join steps
 * name, by hash. Throws RecipeError for a step that cannot run, Superseded
 * when the token's request was replaced.
 */
export async function applyRecipe(
  input: DatasetSource,
  recipe: Recipe,
  joined: ReadonlyMap<string, DatasetSource>,
  opts: RecipeRunOptions = {},
): Promise<RecipeRun> {
  const token = opts.token ?? NEVER_CANCELLED;
  const steps = recipe.steps;
  // The same check the cell shows, first: a bad step is named before any row is read.
  const joinedColumns = new Map<string, RecipeColumn[]>();
  for (const [hash, s] of joined) joinedColumns.set(hash, recipeColumnsOf(s.schema));
  const checked = checkRecipe(recipe, recipeColumnsOf(input.schema), joinedColumns);
  if (checked instanceof RecipeError) throw checked;
  const total = steps.length + 1;
  opts.onProgress?.(0, total, 'Reading the data');
  const dfd = await danfo();
  const source = opts.limitRows === undefined ? input : firstRows(input, opts.limitRows);
  const added = steps.filter((s) => s.kind === 'derive' || s.kind === 'bin').length;
  let frame = await frameOfSource(dfd, source, opts.limitRows, added);
  const joinedFrames = new Map<string, Frame>();
  for (const hash of joinedHashes(steps)) {
    const s = joined.get(hash);
    if (s) joinedFrames.set(hash, await frameOfSource(dfd, s));
  }
  const rowsIn = rowCount(frame);
  const stepRows: number[] = [];
  opts.onProgress?.(1, total, steps.length > 0 ? stepLabel(steps[0]!.kind, 0, steps.length) : 'Done');
  for (let i = 0; i < steps.length; i++) {
    await token.step();
    try {
      frame = applyStep(frame, i, steps[i]!, joinedFrames);
    } catch (err) {
      if (isSuperseded(err)) throw err;
      throw asRecipeError(err, i);
    }
    stepRows.push(rowCount(frame));
    opts.onProgress?.(i + 2, total, i + 1 < steps.length ? stepLabel(steps[i + 1]!.kind, i + 1, steps.length) : 'Done');
  }
  token.check();
  return { frame, rowsIn, stepRows };
}

/** A cell as shown and written: numbers, strings, missing as null. */
function shown(v: Cell | undefined): string | number | null {
  return isMissing(v) ? null : (v as string | number);
}

export interface RecipePreview {
  header: string[];
  rows: (string | number | null)[][];
  rowsIn: number;
  rowsOut: number;
  stepRows: number[];
  /** The group-by summary of the previewed rows, when one was asked for. */
  group: GroupTable | null;
}

export const PREVIEW_INPUT_ROWS = 200;

/**
 * The recipe on the input's first `rows` rows (default 200; joins use the
 * whole joined version): at most `rows` result rows, the row counts, and the
 * group-by summary of the result's rows when `group` is given.
 */
export async function previewRecipe(
  input: DatasetSource,
  recipe: Recipe,
  joined: ReadonlyMap<string, DatasetSource>,
  opts: { rows?: number; token?: CancelToken; group?: GroupSummarySpec | null } = {},
): Promise<RecipePreview> {
  const limit = opts.rows ?? PREVIEW_INPUT_ROWS;
  const run = await applyRecipe(input, recipe, joined, { limitRows: limit, ...(opts.token ? { token: opts.token } : {}) });
  const { frame } = run;
  const rows = frame.df.values.slice(0, limit).map((row) => row.map(shown));
  // A summary that cannot run (a column the recipe dropped) shows nothing; it never blocks the recipe.
  const spec = opts.group;
  const columns = frame.names.map((name, j) => ({ name, kind: frame.kinds[j] === 'num' ? ('number' as const) : ('text' as const) }));
  const group = spec && checkGroupSummary(spec, columns) === null ? groupSummary(frame, spec) : null;
  return { header: [...frame.names], rows, rowsIn: run.rowsIn, rowsOut: rowCount(frame), stepRows: run.stepRows, group };
}

/** One CSV field: RFC 4180 quoting only (no spreadsheet escaping: this file is data for Labbook's import). */
function field(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v === '' || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The frame as CSV chunk strings: a header, then blocks of `chunkRows` records, CRLF after each. */
export function* frameCsvChunks(frame: Frame, chunkRows = 10_000): Generator<string> {
  yield frame.names.map(field).join(',') + '\r\n';
  const values = frame.df.values;
  let parts: string[] = [];
  for (const row of values) {
    parts.push(row.map(field).join(',') + '\r\n');
    if (parts.length === chunkRows) {
      yield parts.join('');
      parts = [];
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * The column types the import should keep: an input column's type where the
 * name and kind carry over, and 'categorical' for text columns that read as
 * numbers (a cast to text), which inference would turn back into numbers.
 */
function outputTypes(frame: Frame, input: DatasetSource): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  frame.names.forEach((name, j) => {
    const kind = frame.kinds[j]!;
    const was = input.schema.find((c) => c.name === name);
    if (was && (was.storage === 'num') === (kind === 'num')) {
      types[name] = was.type;
      return;
    }
    if (kind !== 'text') return;
    let sawNumber = false;
    for (const row of frame.df.values) {
      const v = row[j];
      if (isMissing(v)) continue;
      if (!Number.isFinite(Number(v)) || String(v).trim() === '') return;
      sawNumber = true;
    }
    if (sawNumber) types[name] = 'categorical';
  });
  return types;
}

export interface RecipeCsv {
  /** UTF-8 CSV, the same bytes for the same input and recipe. */
  blob: Blob;
  rows: number;
  recipeHash: string;
  /** Type overrides for importing the file (ImportOptions.types). */
  types: Record<string, ColumnType>;
}

/**
 * The recipe's full result as a deterministic CSV file (numbers written as the
 * shortest text that reads back as the same double), with the recipe's hash.
 */
export async function recipeCsv(
  input: DatasetSource,
  recipe: Recipe,
  joined: ReadonlyMap<string, DatasetSource>,
  opts: Omit<RecipeRunOptions, 'limitRows'> = {},
): Promise<RecipeCsv> {
  const run = await applyRecipe(input, recipe, joined, opts);
  const parts: string[] = [];
  for (const chunk of frameCsvChunks(run.frame)) {
    parts.push(chunk);
    await (opts.token ?? NEVER_CANCELLED).step();
  }
  const parents = [input.hash, ...joinedHashes(recipe.steps)];
  return {
    blob: new Blob(parts, { type: 'text/csv' }),
    rows: rowCount(run.frame),
    recipeHash: await recipeHash(recipe, parents),
    types: outputTypes(run.frame, input),
  };
}

/** A failed run as a value that survives the worker boundary. */
export interface PrepareFailure {
  ok: false;
  step: number | null;
  column: string | null;
  message: string;
}

/** A RecipeError (or any error) as a PrepareFailure; Superseded is rethrown (the caller drops it). */
export function asFailure(err: unknown): PrepareFailure {
  if (isSuperseded(err)) throw err;
  if (err instanceof RecipeError) return { ok: false, step: err.step, column: err.column, message: err.message };
  return { ok: false, step: null, column: null, message: err instanceof Error ? err.message : String(err) };
}
