/**
 * Checking a recipe before it runs: the steps are walked over the column
 * list (names and kinds), and the first step that cannot run is named in
 * words with its column ("Step 3 (filter): no column “Agee” — did you mean
 * “Age”?"). Nothing here reads a row, so the check runs on every keystroke.
 */
import { ExpressionError, type ColumnKind } from './expr-ast';
import { parseExpression } from './expr-parse';
import { kindWords, typecheckExpression, unknownColumnMessage } from './expr-typecheck';
import { RecipeError, type GroupSummarySpec, type PrepareStep, type Recipe, type StepKind } from './recipe';
import { joinOutputColumns, type RecipeColumn } from './recipe-values';

/** Bins beyond this many are refused (a label per bin; more is a different tool). */
export const MAX_BINS = 1000;

/** Each step kind in words, as messages and menus name it. */
export const STEP_WORDS: Readonly<Record<StepKind, string>> = {
  drop: 'drop columns',
  rename: 'rename',
  cast: 'cast',
  filter: 'filter',
  'fill-missing': 'fill missing',
  'drop-missing': 'drop missing',
  derive: 'derived column',
  dedupe: 'remove duplicates',
  bin: 'bin',
  join: 'join',
};

/** Columns of joinable versions, by content hash. */
export type JoinedColumns = ReadonlyMap<string, readonly RecipeColumn[]>;

/** How a version is named in words ("heart-extra v1"); by default the first 12 hex digits of its hash. */
export type VersionLabel = (hash: string) => string;

export const defaultVersionLabel: VersionLabel = (hash) => `version ${hash.slice(0, 12)}`;

/** What the walk found: the columns before each step it reached, the output (null after an error), and the error. */
export interface RecipeWalk {
  /** before[i]: the columns step i starts from (as far as the walk got). */
  before: RecipeColumn[][];
  output: RecipeColumn[] | null;
  error: RecipeError | null;
}

class Problem {
  constructor(
    readonly column: string | null,
    readonly message: string,
  ) {}
}

function names(cols: readonly RecipeColumn[]): string[] {
  return cols.map((c) => c.name);
}

function find(cols: readonly RecipeColumn[], name: string): RecipeColumn {
  const col = cols.find((c) => c.name === name);
  if (!col) throw new Problem(name, unknownColumnMessage(name, names(cols)));
  return col;
}

/** The kind of an expression over `cols`, or the problem with it. */
function expressionKind(text: string, cols: readonly RecipeColumn[], example: string) {
  if (text.trim() === '') throw new Problem(null, `write ${example}`);
  try {
    return typecheckExpression(parseExpression(text), new Map(cols.map((c) => [c.name, c.kind])));
  } catch (err) {
    if (err instanceof ExpressionError) throw new Problem(err.column, err.message);
    throw err;
  }
}

function newName(name: string, cols: readonly RecipeColumn[], what: string): void {
  if (name.trim() === '') throw new Problem(null, `${what} needs a name`);
  if (cols.some((c) => c.name === name)) throw new Problem(name, `a column “${name}” already exists — pick another name`);
}

/** The step applied to the columns: the columns after it. */
function applyStep(step: PrepareStep, cols: RecipeColumn[], joined: JoinedColumns | undefined, label: VersionLabel): RecipeColumn[] {
  switch (step.kind) {
    case 'drop': {
      if (step.columns.length === 0) throw new Problem(null, 'choose at least one column to drop');
      step.columns.forEach((name) => find(cols, name));
      const left = cols.filter((c) => !step.columns.includes(c.name));
      if (left.length === 0) throw new Problem(null, 'this would drop every column; keep at least one');
      return left;
    }
    case 'rename': {
      find(cols, step.from);
      if (step.to === step.from) return cols;
      newName(step.to, cols, 'the renamed column');
      return cols.map((c) => (c.name === step.from ? { name: step.to, kind: c.kind } : c));
    }
    case 'cast': {
      find(cols, step.column);
      if (step.to !== 'number' && step.to !== 'text') throw new Problem(step.column, 'cast to a number or to text');
      return cols.map((c) => (c.name === step.column ? { name: c.name, kind: step.to } : c));
    }
    case 'filter': {
      const kind = expressionKind(step.expression, cols, 'a condition, e.g. BMI > 25');
      if (kind !== 'boolean' && kind !== 'any') {
        throw new Problem(null, `${step.expression.trim()} is ${kindWords(kind)}, not a condition (true/false), e.g. BMI > 25`);
      }
      return cols;
    }
    case 'fill-missing':
      fillCheck(step, find(cols, step.column));
      return cols;
    case 'drop-missing':
    case 'dedupe':
      step.columns.forEach((name) => find(cols, name));
      return cols;
    case 'derive': {
      if (step.name.trim() === '') throw new Problem(null, 'the new column needs a name');
      const result = expressionKind(step.expression, cols, 'an expression, e.g. BMI / 2');
      // Conditions and always-missing values are stored as text ('true' / 'false', empty).
      const kind: ColumnKind = result === 'number' ? 'number' : 'text';
      if (!cols.some((c) => c.name === step.name)) return [...cols, { name: step.name, kind }];
      return cols.map((c) => (c.name === step.name ? { name: c.name, kind } : c));
    }
    case 'bin': {
      const col = find(cols, step.column);
      if (col.kind !== 'number') throw new Problem(col.name, `${col.name} is text; only a number column can be binned`);
      if (!Number.isInteger(step.bins) || step.bins < 2) throw new Problem(col.name, `the number of bins must be a whole number of at least 2, not ${step.bins}`);
      if (step.bins > MAX_BINS) throw new Problem(col.name, `at most ${MAX_BINS} bins, not ${step.bins}`);
      if (step.method !== 'equal-width' && step.method !== 'quantile') throw new Problem(col.name, 'bin by equal width or by quantile');
      newName(step.name, cols, 'the bin column');
      return [...cols, { name: step.name, kind: 'text' }];
    }
    case 'join':
      return joinCheck(step, cols, joined, label);
    default:
      throw new Problem(null, 'unknown step');
  }
}

function fillCheck(step: Extract<PrepareStep, { kind: 'fill-missing' }>, col: RecipeColumn): void {
  const { method, value } = step;
  if ((method === 'mean' || method === 'median') && col.kind !== 'number') {
    throw new Problem(col.name, `the ${method} needs numbers: ${col.name} is text`);
  }
  if (method !== 'value') {
    if (method !== 'mean' && method !== 'median' && method !== 'mode') throw new Problem(col.name, 'fill with a value, the mean, the median or the mode');
    return;
  }
  if (value === undefined || value === '') throw new Problem(col.name, `give the value to fill ${col.name} with`);
  if (col.kind === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new Problem(col.name, `the fill value “${String(value)}” is text but ${col.name} is a number`);
  }
  if (col.kind === 'text' && typeof value !== 'string') {
    throw new Problem(col.name, `the fill value ${String(value)} is a number but ${col.name} is text`);
  }
}

function joinCheck(step: Extract<PrepareStep, { kind: 'join' }>, cols: RecipeColumn[], joined: JoinedColumns | undefined, label: VersionLabel): RecipeColumn[] {
  if (step.versionHash === '') throw new Problem(null, 'choose the dataset version to join');
  const right = joined?.get(step.versionHash);
  const name = label(step.versionHash);
  if (!right) throw new Problem(null, `${name} is not available to join`);
  if (step.on.length === 0) throw new Problem(null, `choose the key columns to join ${name} on`);
  if (step.how !== 'inner' && step.how !== 'left') throw new Problem(null, 'join as inner or left');
  for (const key of step.on) {
    const here = find(cols, key);
    const there = right.find((c) => c.name === key);
    if (!there) throw new Problem(key, `${name}: ${unknownColumnMessage(key, names(right))}`);
    if (there.kind !== here.kind) throw new Problem(key, `${key} is ${kindWords(here.kind)} here but ${kindWords(there.kind)} in ${name}`);
  }
  const kinds = new Map(right.map((c) => [c.name, c.kind]));
  return joinOutputColumns(names(cols), names(right), step.on).map((c) =>
    c.side === 'left' ? cols.find((l) => l.name === c.source)! : { name: c.name, kind: kinds.get(c.source)! },
  );
}

/** The versions a recipe joins (its parents after the input), each once, in step order. */
export function joinedVersionHashes(recipe: Recipe): string[] {
  const hashes: string[] = [];
  for (const step of recipe.steps) if (step.kind === 'join' && step.versionHash !== '' && !hashes.includes(step.versionHash)) hashes.push(step.versionHash);
  return hashes;
}

/** The prefix of a step's messages: "Step 3 (filter)". */
export function stepTitle(index: number, kind: string): string {
  const words = Object.hasOwn(STEP_WORDS, kind) ? STEP_WORDS[kind as StepKind] : kind;
  return `Step ${index + 1} (${words})`;
}

/**
 * Walks the recipe's steps over the input columns, recording the columns
 * before each step (for the step editors' column lists) until the first
 * step that cannot run.
 */
export function walkRecipe(recipe: Recipe, inputColumns: readonly RecipeColumn[], joined?: JoinedColumns, versionLabel: VersionLabel = defaultVersionLabel): RecipeWalk {
  const before: RecipeColumn[][] = [];
  let cols = inputColumns.map((c) => ({ name: c.name, kind: c.kind }));
  for (let i = 0; i < recipe.steps.length; i++) {
    const step = recipe.steps[i]!;
    before.push(cols);
    try {
      cols = applyStep(step, cols, joined, versionLabel);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      return { before, output: null, error: new RecipeError(i, err.column, `${stepTitle(i, String(step.kind))}: ${err.message}`) };
    }
  }
  return { before, output: cols, error: null };
}

/**
 * Checks a recipe against its input's columns (and the joined versions'
 * columns, by hash). Returns the output columns, or the first problem as a
 * RecipeError naming the step (0-based `step`, "Step 3 (filter)" in the
 * message) and the column.
 */
export function checkRecipe(recipe: Recipe, inputColumns: readonly RecipeColumn[], joined?: JoinedColumns, versionLabel?: VersionLabel): RecipeColumn[] | RecipeError {
  const walk = walkRecipe(recipe, inputColumns, joined, versionLabel);
  return walk.error ?? walk.output!;
}

/** What is wrong with a group-by preview over these columns, or null when it can run. */
export function checkGroupSummary(spec: GroupSummarySpec, columns: readonly RecipeColumn[]): { column: string | null; message: string } | null {
  try {
    if (spec.by.length === 0) throw new Problem(null, 'choose the columns to group by');
    spec.by.forEach((name) => find(columns, name));
    for (const { column, fn } of spec.aggregates) {
      const col = find(columns, column);
      if (fn !== 'count' && col.kind !== 'number') throw new Problem(column, `the ${fn} needs numbers: ${column} is text`);
    }
    return null;
  } catch (err) {
    if (err instanceof Problem) return { column: err.column, message: `Group by: ${err.message}` };
    throw err;
  }
}
