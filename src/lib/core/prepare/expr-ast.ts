/**
 * The Prepare expression language's syntax tree, its error, the allow-list of
 * functions, and printing a tree back to text (for messages and the recipe's
 * readable lines). Expressions are parsed and interpreted by our own code:
 * nothing is ever handed to eval or new Function (the CSP forbids both).
 */

/** A value an expression produces for one row; null is missing. */
export type Value = number | string | boolean | null;

/** What a column holds, as stored: numbers or text (a dictionary of strings). */
export type ColumnKind = 'number' | 'text';

/** What an expression produces: 'boolean' for conditions, 'any' when only missing (null) is known. */
export type ExprKind = ColumnKind | 'boolean' | 'any';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '**';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'and' | 'or';
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp;

/** Every function an expression may call: the allow-list, with how many arguments each takes. */
export const EXPRESSION_FUNCTIONS = {
  abs: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  log: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  round: { min: 1, max: 2 },
  floor: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
  pow: { min: 2, max: 2 },
  lower: { min: 1, max: 1 },
  upper: { min: 1, max: 1 },
  len: { min: 1, max: 1 },
  trim: { min: 1, max: 1 },
  is_missing: { min: 1, max: 1 },
  if: { min: 3, max: 3 },
  coalesce: { min: 2, max: Infinity },
} as const;

export type FunctionName = keyof typeof EXPRESSION_FUNCTIONS;

export const FUNCTION_NAMES = Object.keys(EXPRESSION_FUNCTIONS) as FunctionName[];

/** True only for a name on the allow-list (own keys: `constructor` or `__proto__` are not functions). */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(EXPRESSION_FUNCTIONS, name);
}

/** A parsed expression. `pos` is the 0-based character offset where the node starts in the text. */
export type Expression =
  | { type: 'literal'; value: number | string | boolean | null; pos: number }
  | { type: 'column'; name: string; pos: number }
  | { type: 'unary'; op: '-' | 'not'; operand: Expression; pos: number }
  | { type: 'binary'; op: BinaryOp; left: Expression; right: Expression; pos: number }
  | { type: 'in'; operand: Expression; items: Expression[]; negated: boolean; pos: number }
  | { type: 'call'; name: FunctionName; args: Expression[]; pos: number };

/** Why an expression cannot be used: where (0-based character offset) and, when known, the column it names. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly column: string | null = null,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Words the parser reads as operators or literals (any case); a column with such a name needs backticks. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** A column name as it is written in an expression: bare when it can be, else in backticks. */
export function formatColumnName(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : '`' + name.replaceAll('`', '``') + '`';
}

function formatLiteral(value: number | string | boolean | null): string {
  if (typeof value === 'string') return "'" + value.replaceAll('\\', '\\\\').replaceAll("'", "\\'") + "'";
  return String(value);
}

// Binding strength, loosest first; a child looser than its place needs parentheses.
const P_OR = 1;
const P_AND = 2;
const P_NOT = 3;
const P_COMPARE = 4;
const P_ADD = 5;
const P_MUL = 6;
const P_UNARY = 7;
const P_POWER = 8;
const P_ATOM = 9;

function precedence(node: Expression): number {
  switch (node.type) {
    case 'literal':
      return typeof node.value === 'number' && node.value < 0 ? P_UNARY : P_ATOM;
    case 'column':
    case 'call':
      return P_ATOM;
    case 'unary':
      return node.op === 'not' ? P_NOT : P_UNARY;
    case 'in':
      return P_COMPARE;
    case 'binary':
      return binaryPrecedence(node.op);
  }
}

function binaryPrecedence(op: BinaryOp): number {
  if (op === 'or') return P_OR;
  if (op === 'and') return P_AND;
  if (op === '+' || op === '-') return P_ADD;
  if (op === '*' || op === '/' || op === '%') return P_MUL;
  if (op === '**') return P_POWER;
  return P_COMPARE;
}

function child(node: Expression, least: number): string {
  const text = formatExpression(node);
  return precedence(node) < least ? `(${text})` : text;
}

/** The expression as text, with only the parentheses its meaning needs ("BMI + Sex", "(a + b) * 2"). */
export function formatExpression(node: Expression): string {
  switch (node.type) {
    case 'literal':
      return formatLiteral(node.value);
    case 'column':
      return formatColumnName(node.name);
    case 'unary':
      return node.op === 'not' ? `not ${child(node.operand, P_NOT)}` : `-${child(node.operand, P_UNARY)}`;
    case 'in': {
      const items = node.items.map((item) => formatExpression(item)).join(', ');
      return `${child(node.operand, P_ADD)} ${node.negated ? 'not in' : 'in'} (${items})`;
    }
    case 'call':
      return `${node.name}(${node.args.map((a) => formatExpression(a)).join(', ')})`;
    case 'binary': {
      const p = binaryPrecedence(node.op);
      if (node.op === '**') return `${child(node.left, P_ATOM)} ** ${child(node.right, P_UNARY)}`;
      if (p === P_COMPARE) return `${child(node.left, P_ADD)} ${node.op} ${child(node.right, P_ADD)}`;
      return `${child(node.left, p)} ${node.op} ${child(node.right, p + 1)}`;
    }
  }
}

/** The columns an expression reads, each once, in order of first mention. */
export function expressionColumns(node: Expression): string[] {
  const seen = new Set<string>();
  const walk = (n: Expression): void => {
    switch (n.type) {
      case 'column':
        seen.add(n.name);
        return;
      case 'literal':
        return;
      case 'unary':
        walk(n.operand);
        return;
      case 'binary':
        walk(n.left);
        walk(n.right);
        return;
      case 'in':
        walk(n.operand);
        n.items.forEach(walk);
        return;
      case 'call':
        n.args.forEach(walk);
        return;
    }
  };
  walk(node);
  return [...seen];
}
