/**
 * Evaluating a parsed expression over whole columns: the kinds of the
 * columns it names are read from their values and checked first
 * (typecheckExpression), then the tree is computed a column at a time
 * (expr-vector.ts). Missing is null in what comes back.
 */
import { ExpressionError, expressionColumns, formatExpression, type ColumnKind, type Expression, type ExprKind, type Value } from './expr-ast';
import { kindWords, typecheckExpression, unknownColumnMessage } from './expr-typecheck';
import { columnVector, evaluateVector, filled, MISSING, TRUE, type ColumnValues, type Vec } from './expr-vector';

export { roundTo, type ColumnValues } from './expr-vector';

/** A column's kind from its values: typed arrays are numbers, else the first value present tells. */
export function columnKindOf(values: ColumnValues): ColumnKind | 'any' {
  if (ArrayBuffer.isView(values)) return 'number';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') return 'text';
    if (typeof v === 'number' && v === v) return 'number';
  }
  return 'any';
}

function run(expr: Expression, columns: ReadonlyMap<string, ColumnValues>, rows: number): { kind: ExprKind; vec: Vec } {
  const kinds = new Map<string, ColumnKind | 'any'>();
  for (const name of expressionColumns(expr)) {
    const col = columns.get(name);
    if (col) kinds.set(name, columnKindOf(col));
  }
  let kind: ExprKind;
  try {
    kind = typecheckExpression(expr, kinds);
  } catch (err) {
    // The check saw only the columns named; the suggestion comes from all of them.
    if (err instanceof ExpressionError && err.column !== null && !columns.has(err.column)) {
      throw new ExpressionError(unknownColumnMessage(err.column, [...columns.keys()]), err.position, err.column);
    }
    throw err;
  }
  const cache = new Map<string, Vec>();
  const column = (name: string): Vec => {
    let vec = cache.get(name);
    if (!vec) {
      vec = columnVector(columns.get(name)!, kinds.get(name)!, rows);
      cache.set(name, vec);
    }
    return vec;
  };
  return { kind, vec: evaluateVector(expr, column, rows) };
}

/**
 * The expression's value for rows 0..rows-1: a number, string, boolean, or
 * null for missing. Column kinds come from the values (columnKindOf).
 * @throws ExpressionError for an unknown column (with the closest name) or kinds that do not fit.
 */
export function evaluateExpression(expr: Expression, columns: ReadonlyMap<string, ColumnValues>, rows: number): Value[] {
  const { vec } = run(expr, columns, rows);
  if (vec.k === 'text') return vec.v === columns.get(expr.type === 'column' ? expr.name : '') ? vec.v.slice() : vec.v;
  const out = new Array<Value>(rows);
  if (vec.k === 'number') for (let i = 0; i < rows; i++) out[i] = vec.v[i] === vec.v[i] ? vec.v[i]! : null;
  else if (vec.k === 'boolean') for (let i = 0; i < rows; i++) out[i] = vec.v[i] === MISSING ? null : vec.v[i] === TRUE;
  else out.fill(null);
  return out;
}

/** Refuses an expression that is not a condition, for filter. */
export function conditionError(expr: Expression, kind: ExprKind): ExpressionError {
  const column = expressionColumns(expr)[0] ?? null;
  return new ExpressionError(`${formatExpression(expr)} is ${kindWords(kind)}, not a condition (true/false), e.g. BMI > 25`, expr.pos, column);
}

/**
 * Which rows a condition keeps: true where it is true; false where it is false or missing.
 * @throws ExpressionError as evaluateExpression, and when the expression is not a condition.
 */
export function evaluateMask(expr: Expression, columns: ReadonlyMap<string, ColumnValues>, rows: number): boolean[] {
  const { kind, vec } = run(expr, columns, rows);
  if (kind !== 'boolean' && kind !== 'any') throw conditionError(expr, kind);
  const out = new Array<boolean>(rows);
  if (vec.k === 'boolean') for (let i = 0; i < rows; i++) out[i] = vec.v[i] === TRUE;
  else out.fill(false);
  return out;
}

/** A derived column as a stored column holds it: numbers (NaN = missing), or text (null = missing). */
export type EvaluatedColumn = { kind: 'number'; values: Float64Array } | { kind: 'text'; values: (string | null)[] };

/**
 * The expression's values as a column: numbers stay numbers (NaN for
 * missing); conditions become the text 'true' / 'false' (as a CSV import
 * reads them back), and an always-missing result is a text column of nulls,
 * matching the kinds checkRecipe gives a derived column.
 */
export function evaluateToColumn(expr: Expression, columns: ReadonlyMap<string, ColumnValues>, rows: number): EvaluatedColumn {
  const { vec } = run(expr, columns, rows);
  // A bare column's vector may be the caller's own array: copied, so the result can be changed freely.
  if (vec.k === 'number') return { kind: 'number', values: expr.type === 'column' ? vec.v.slice() : vec.v };
  if (vec.k === 'text') return { kind: 'text', values: expr.type === 'column' ? vec.v.slice() : vec.v };
  const values = filled<string | null>(rows, null);
  if (vec.k === 'boolean') for (let i = 0; i < rows; i++) values[i] = vec.v[i] === MISSING ? null : vec.v[i] === TRUE ? 'true' : 'false';
  return { kind: 'text', values };
}
