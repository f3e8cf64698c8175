/**
 * Each Prepare step on a danfojs frame (./prepare-frame). A step that cannot
 * run throws RecipeError naming the step and the column; the runner
 * (./prepare-run) turns any other error into one too.
 */
import {
  RecipeError,
  binEdges,
  binIndex,
  binLabel,
  castToNumber,
  castToText,
  evaluateMask,
  evaluateToColumn,
  joinOutputColumns,
  parseExpression,
  type PrepareStep,
} from './core/prepare';
import {
  columnCells,
  columnIndex,
  dropColumns,
  FrameColumns,
  frameOfRows,
  isMissing,
  missingCell,
  positionsOf,
  putColumn,
  rowCount,
  takeRows,
  type Cell,
  type Frame,
  type Kind,
} from './prepare-frame';

/** Joined versions by hash, already read as frames. */
export type JoinedFrames = ReadonlyMap<string, Frame>;

/** The column's position, or RecipeError naming it. */
function need(f: Frame, step: number, name: string): number {
  const j = columnIndex(f, name);
  if (j < 0) throw new RecipeError(step, name, `Step ${step + 1}: there is no column “${name}” at this point.`);
  return j;
}

/** A derived column's cells: numbers (NaN missing) or text (null missing), as the evaluator typed them. */
function toColumn(out: ReturnType<typeof evaluateToColumn>): { kind: Kind; cells: Cell[] } {
  return out.kind === 'number' ? { kind: 'num', cells: Array.from(out.values) } : { kind: 'text', cells: out.values };
}

function cast(f: Frame, step: number, column: string, to: 'number' | 'text'): Frame {
  const j = need(f, step, column);
  const kind = f.kinds[j]!;
  if ((to === 'number' && kind === 'num') || (to === 'text' && kind === 'text')) return f;
  const cells = columnCells(f, j);
  const out: Cell[] =
    to === 'number'
      ? cells.map((v) => {
          const n = castToNumber(v);
          return n === null ? NaN : n;
        })
      : cells.map((v) => castToText(v));
  return putColumn(f, column, to === 'number' ? 'num' : 'text', out);
}

function fillValue(f: Frame, step: number, j: number, s: Extract<PrepareStep, { kind: 'fill-missing' }>): Cell | undefined {
  const kind = f.kinds[j]!;
  const present = columnCells(f, j).filter((v): v is number | string => v !== null);
  if (s.method === 'value') {
    if (s.value === undefined || s.value === '') throw new RecipeError(step, s.column, `Step ${step + 1}: give the value that fills “${s.column}”.`);
    if (kind === 'text') return String(s.value);
    const n = typeof s.value === 'number' ? s.value : castToNumber(s.value);
    if (n === null || !Number.isFinite(n)) {
      throw new RecipeError(step, s.column, `Step ${step + 1}: “${s.column}” holds numbers, and “${String(s.value)}” is not a number.`);
    }
    return n;
  }
  if (present.length === 0) return undefined; // nothing to take a statistic of: the column stays as it is
  if (s.method === 'mode') return mode(present, kind);
  if (kind !== 'num') throw new RecipeError(step, s.column, `Step ${step + 1}: the ${s.method} of “${s.column}” needs numbers; it holds text.`);
  const nums = present as number[];
  if (s.method === 'mean') {
    let sum = 0;
    for (const v of nums) sum += v;
    return sum / nums.length;
  }
  const sorted = Float64Array.from(nums).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The most frequent value; a tie goes to the smallest (numbers by value, text by code units). */
function mode(values: (number | string)[], kind: Kind): Cell {
  const counts = new Map<number | string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | string | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    const smaller = best !== null && (kind === 'num' ? (v as number) < (best as number) : String(v) < String(best));
    if (c > bestCount || (c === bestCount && smaller)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function fillMissing(f: Frame, step: number, s: Extract<PrepareStep, { kind: 'fill-missing' }>): Frame {
  const j = need(f, step, s.column);
  const value = fillValue(f, step, j, s);
  if (value === undefined || rowCount(f) === 0) return f;
  return { ...f, df: f.df.fillNa([value], { columns: [f.df.columns[j]!] }) };
}

function dropMissing(f: Frame, step: number, columns: readonly string[]): Frame {
  if (columns.length === 0) return rowCount(f) === 0 ? f : { ...f, df: f.df.dropNa({ axis: 1 }) };
  const at = columns.map((c) => need(f, step, c));
  const keep = f.df.values.map((row) => at.every((j) => !isMissing(row[j])));
  return takeRows(f, positionsOf(keep));
}

/** A row's cells on `at` as one string key that tells 1 from "1" and missing from "" (JSON). */
function keyOf(row: readonly Cell[], at: readonly number[]): string {
  const parts = at.map((j) => {
    const v = row[j];
    return isMissing(v) ? null : v;
  });
  return JSON.stringify(parts);
}

function dedupe(f: Frame, step: number, columns: readonly string[]): Frame {
  const at = columns.length === 0 ? f.names.map((_, j) => j) : columns.map((c) => need(f, step, c));
  const seen = new Set<string>();
  const keep = f.df.values.map((row) => {
    const key = keyOf(row, at);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return takeRows(f, positionsOf(keep));
}

function bin(f: Frame, step: number, s: Extract<PrepareStep, { kind: 'bin' }>): Frame {
  const j = need(f, step, s.column);
  if (f.kinds[j] !== 'num') throw new RecipeError(step, s.column, `Step ${step + 1}: “${s.column}” holds text; only numbers can be binned.`);
  const cells = columnCells(f, j) as (number | null)[];
  const edges = binEdges(cells, s.bins, s.method);
  const labels = edges.slice(0, -1).map((_, i) => binLabel(edges, i));
  return putColumn(f, s.name, 'text', cells.map((v) => labels[binIndex(edges, v)] ?? null));
}

/**
 * Joins `right` on key columns through danfojs merge. Keys are compared by
 * type and value (1 never equals "1"); a missing key matches nothing. The
 * rows keep the left frame's order (each left row's matches in the right's
 * order); the right's non-key columns follow the left's, a name already
 * taken getting "_2", "_3", … (the first free: joinOutputColumns).
 */
function join(f: Frame, step: number, right: Frame, s: Extract<PrepareStep, { kind: 'join' }>): Frame {
  const dfd = f.dfd;
  const leftAt = s.on.map((c) => need(f, step, c));
  const rightAt = s.on.map((c) => {
    const j = columnIndex(right, c);
    if (j < 0) throw new RecipeError(step, c, `Step ${step + 1}: the joined version has no column “${c}”.`);
    return j;
  });
  s.on.forEach((c, i) => {
    if (f.kinds[leftAt[i]!] !== right.kinds[rightAt[i]!]) {
      throw new RecipeError(step, c, `Step ${step + 1}: “${c}” holds ${f.kinds[leftAt[i]!] === 'num' ? 'numbers' : 'text'} here and ${right.kinds[rightAt[i]!] === 'num' ? 'numbers' : 'text'} in the joined version; cast one first.`);
    }
  });
  const rightKeep = right.names.map((_, j) => !rightAt.includes(j));
  const width = f.names.length;
  // Left: its cells, the key, then its row number (to restore the order danfojs groups by key).
  const leftRows = f.df.values.map((row, r) => {
    const missing = leftAt.some((j) => isMissing(row[j]));
    return [...row, missing ? `\u0000missing ${r}` : keyOf(row, leftAt), r];
  });
  // Right: the key, its non-key cells, then a marker that tells a match from a left row without one.
  const rightRows: Cell[][] = [];
  for (const row of right.df.values) {
    if (rightAt.some((j) => isMissing(row[j]))) continue;
    rightRows.push([keyOf(row, rightAt), ...row.filter((_, j) => rightKeep[j]), 1]);
  }
  const rightKinds = right.kinds.filter((_, j) => rightKeep[j]);
  const lk = f.names.map((_, j) => `l${j}`);
  const rk = rightKinds.map((_, j) => `r${j}`);
  const dtype = (k: Kind) => (k === 'num' ? 'float32' : 'string');
  const config = { lowMemoryMode: true };
  const left = new dfd.DataFrame(leftRows, { columns: [...lk, 'key', 'row'], dtypes: [...f.kinds.map(dtype), 'string', 'int32'], config });
  const rightDf = new dfd.DataFrame(rightRows, { columns: ['key', ...rk, 'hit'], dtypes: ['string', ...rightKinds.map(dtype), 'int32'], config });
  // danfojs's inner merge compares every left key with every right key; left + the hit marker is linear.
  const merged = leftRows.length === 0 ? null : dfd.merge({ left, right: rightDf, on: ['key'], how: 'left' });
  const cols = merged?.columns ?? [];
  const at = (name: string) => cols.indexOf(name);
  const rowAt = at('row');
  const hitAt = at('hit');
  const leftPos = lk.map(at);
  const rightPos = rk.map(at);
  const out = (merged?.values ?? []).filter((row) => s.how === 'left' || row[hitAt] === 1);
  // danfojs groups rows by key: back to the left's order (a stable sort keeps each key's right order).
  out.sort((a, b) => (a[rowAt] as number) - (b[rowAt] as number));
  const rows: Cell[][] = out.map((row) => {
    const cells = new Array<Cell>(width + rk.length);
    for (let j = 0; j < width; j++) cells[j] = row[leftPos[j]!]!;
    for (let j = 0; j < rk.length; j++) {
      const v = row[rightPos[j]!];
      cells[width + j] = isMissing(v) ? missingCell(rightKinds[j]!) : v!;
    }
    return cells;
  });
  const names = joinOutputColumns(f.names, right.names, s.on).map((c) => c.name);
  return frameOfRows(dfd, rows, names, [...f.kinds, ...rightKinds]);
}

/** Applies one step (0-based `step`) to the frame. */
export function applyStep(f: Frame, step: number, s: PrepareStep, joined: JoinedFrames): Frame {
  switch (s.kind) {
    case 'drop':
      s.columns.forEach((c) => need(f, step, c));
      return dropColumns(f, s.columns);
    case 'rename': {
      const j = need(f, step, s.from);
      if (s.to !== s.from && columnIndex(f, s.to) >= 0) throw new RecipeError(step, s.to, `Step ${step + 1}: there is already a column “${s.to}”.`);
      // The frame's columns are internal keys (see prepare-frame): a rename changes the name beside it.
      return { ...f, names: f.names.map((n, i) => (i === j ? s.to : n)) };
    }
    case 'cast':
      return cast(f, step, s.column, s.to);
    case 'filter': {
      const mask = evaluateMask(parseExpression(s.expression), new FrameColumns(f), rowCount(f));
      return takeRows(f, positionsOf(mask));
    }
    case 'fill-missing':
      return fillMissing(f, step, s);
    case 'drop-missing':
      return dropMissing(f, step, s.columns);
    case 'derive': {
      const { kind, cells } = toColumn(evaluateToColumn(parseExpression(s.expression), new FrameColumns(f), rowCount(f)));
      return putColumn(f, s.name, kind, cells);
    }
    case 'dedupe':
      return dedupe(f, step, s.columns);
    case 'bin':
      return bin(f, step, s);
    case 'join': {
      const right = joined.get(s.versionHash);
      if (!right) throw new RecipeError(step, null, `Step ${step + 1}: the joined dataset version is no longer stored.`);
      return join(f, step, right, s);
    }
  }
}

/** The hashes a recipe joins, each once, in step order. */
export function joinedHashes(steps: readonly PrepareStep[]): string[] {
  return [...new Set(steps.flatMap((s) => (s.kind === 'join' ? [s.versionHash] : [])))];
}
