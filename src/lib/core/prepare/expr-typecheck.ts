/**
 * What an expression produces, known before any row is read: from the kinds
 * of the columns it names ('number' or 'text'). Unknown columns are refused
 * with the closest existing name, and mixing kinds is refused naming the
 * operand at fault ("BMI + Sex: Sex is text").
 */
import {
  ExpressionError,
  expressionColumns,
  formatExpression,
  type ColumnKind,
  type Expression,
  type ExprKind,
} from './expr-ast';

/** Column kinds by name: a Map, or a plain object read by own keys only. */
export type ColumnKinds = ReadonlyMap<string, ColumnKind | 'any'> | Readonly<Record<string, ColumnKind | 'any'>>;

function lookup(kinds: ColumnKinds, name: string): ExprKind | undefined {
  if (kinds instanceof Map) return kinds.get(name);
  const record = kinds as Readonly<Record<string, ExprKind>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function names(kinds: ColumnKinds): string[] {
  return kinds instanceof Map ? [...kinds.keys()] : Object.keys(kinds);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The existing name the user most likely meant: the same name in another
 * case, else the nearest by edit distance (at most a third of the name's
 * length, and at least 1), else the shortest name that starts with it. Null
 * when nothing is close.
 */
export function closestName(name: string, candidates: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== null || lower.length < 3) return best;
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  prefixed.sort((a, b) => a.length - b.length);
  return prefixed[0] ?? null;
}

/** "no column “Agee” — did you mean “Age”?" (the suggestion only when one is close). */
export function unknownColumnMessage(name: string, candidates: readonly string[]): string {
  const guess = closestName(name, candidates);
  return guess === null ? `no column “${name}”` : `no column “${name}” — did you mean “${guess}”?`;
}

/** A kind in words, for messages. */
export function kindWords(kind: ExprKind): string {
  if (kind === 'number') return 'a number';
  if (kind === 'text') return 'text';
  if (kind === 'boolean') return 'a condition (true/false)';
  return 'always missing';
}

function fault(parent: Expression, operand: Expression, what: string): ExpressionError {
  const column = expressionColumns(operand)[0] ?? expressionColumns(parent)[0] ?? null;
  return new ExpressionError(`${formatExpression(parent)}: ${formatExpression(operand)} ${what}`, operand.pos, column);
}

/** Kinds that can meet in a comparison, an in-list, if() or coalesce(). */
function compatible(a: ExprKind, b: ExprKind): boolean {
  return a === b || a === 'any' || b === 'any';
}

class Checker {
  constructor(private readonly kinds: ColumnKinds) {}

  /** The kind of `node`, which must be one of `wanted` (or 'any', always accepted) inside `parent`. */
  private need(node: Expression, parent: Expression, wanted: ExprKind): ExprKind {
    const kind = this.kind(node);
    if (kind !== 'any' && kind !== wanted) throw fault(parent, node, `is ${kindWords(kind)}`);
    return kind;
  }

  /** The kinds of two operands that must agree (a comparison, if's branches, coalesce). */
  private same(parent: Expression, nodes: readonly Expression[]): ExprKind {
    let result: ExprKind = 'any';
    let first: Expression | null = null;
    for (const node of nodes) {
      const kind = this.kind(node);
      if (!compatible(result, kind)) {
        throw fault(parent, node, `is ${kindWords(kind)} but ${formatExpression(first!)} is ${kindWords(result)}`);
      }
      if (result === 'any' && kind !== 'any') {
        result = kind;
        first = node;
      }
    }
    return result;
  }

  kind(node: Expression): ExprKind {
    switch (node.type) {
      case 'literal':
        if (node.value === null) return 'any';
        if (typeof node.value === 'number') return 'number';
        return typeof node.value === 'string' ? 'text' : 'boolean';
      case 'column': {
        const kind = lookup(this.kinds, node.name);
        if (kind === undefined) throw new ExpressionError(unknownColumnMessage(node.name, names(this.kinds)), node.pos, node.name);
        return kind;
      }
      case 'unary': {
        const wanted = node.op === 'not' ? 'boolean' : 'number';
        this.need(node.operand, node, wanted);
        return wanted;
      }
      case 'in': {
        this.same(node, [node.operand, ...node.items]);
        return 'boolean';
      }
      case 'binary':
        return this.binary(node);
      case 'call':
        return this.call(node);
    }
  }

  private binary(node: Extract<Expression, { type: 'binary' }>): ExprKind {
    switch (node.op) {
      case 'and':
      case 'or':
        this.need(node.left, node, 'boolean');
        this.need(node.right, node, 'boolean');
        return 'boolean';
      case '==':
      case '!=':
        this.same(node, [node.left, node.right]);
        return 'boolean';
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const kind = this.same(node, [node.left, node.right]);
        if (kind === 'boolean') throw fault(node, node.left, 'is a condition (true/false), which has no order');
        return 'boolean';
      }
      default:
        this.need(node.left, node, 'number');
        this.need(node.right, node, 'number');
        return 'number';
    }
  }

  private call(node: Extract<Expression, { type: 'call' }>): ExprKind {
    const args = node.args;
    switch (node.name) {
      case 'lower':
      case 'upper':
      case 'trim':
        this.need(args[0]!, node, 'text');
        return 'text';
      case 'len':
        this.need(args[0]!, node, 'text');
        return 'number';
      case 'is_missing':
        this.kind(args[0]!);
        return 'boolean';
      case 'if':
        this.need(args[0]!, node, 'boolean');
        return this.same(node, args.slice(1));
      case 'coalesce':
        return this.same(node, args);
      default:
        for (const arg of args) this.need(arg, node, 'number');
        return 'number';
    }
  }
}

/**
 * The kind an expression produces, given its columns' kinds ('any' for a
 * column with no value to tell).
 * @throws ExpressionError naming the unknown column (with the closest name)
 * or the operand whose kind does not fit ("BMI + Sex: Sex is text").
 */
export function typecheckExpression(expr: Expression, kinds: ColumnKinds): ExprKind {
  return new Checker(kinds).kind(expr);
}
