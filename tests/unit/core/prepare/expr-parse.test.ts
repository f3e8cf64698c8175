import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  ExpressionError,
  expressionColumns,
  formatExpression,
  parseExpression,
  type Expression,
  type Value,
} from '../../../../src/lib/core/prepare';

/** Fully parenthesized, written independently of formatExpression, so the tree's shape is visible. */
function shape(e: Expression): string {
  switch (e.type) {
    case 'literal':
      return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'column':
      return `[${e.name}]`;
    case 'unary':
      return `(${e.op} ${shape(e.operand)})`;
    case 'binary':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'in':
      return `(${shape(e.operand)} ${e.negated ? 'not in' : 'in'} ${e.items.map(shape).join(' ')})`;
    case 'call':
      return `${e.name}(${e.args.map(shape).join(' ')})`;
  }
}

const p = (text: string) => shape(parseExpression(text));
/** A constant expression's value. */
const value = (text: string): Value => evaluateExpression(parseExpression(text), new Map(), 1)[0]!;

function refusal(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseExpression: precedence', () => {
  it('binds * / % tighter than + -, and both left to right', () => {
    expect(p('1 + 2 * 3')).toBe('(1 + (2 * 3))');
    expect(p('10 - 4 - 3')).toBe('((10 - 4) - 3)');
    expect(p('8 / 4 / 2')).toBe('((8 / 4) / 2)');
    expect(p('a % b * c')).toBe('(([a] % [b]) * [c])');
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('8 / 4 / 2')).toBe(1);
  });
  it('makes ** right-associative and tighter than unary minus on its left', () => {
    expect(p('2 ** 3 ** 2')).toBe('(2 ** (3 ** 2))');
    expect(value('2 ** 3 ** 2')).toBe(512);
    expect(p('-2 ** 2')).toBe('(- (2 ** 2))');
    expect(value('-2 ** 2')).toBe(-4);
    expect(value('(-2) ** 2')).toBe(4);
    expect(value('2 ** -1')).toBe(0.5);
  });
  it('puts comparisons below arithmetic, then not, and, or', () => {
    expect(p('a + 1 > b * 2')).toBe('(([a] + 1) > ([b] * 2))');
    expect(p('not a == 1')).toBe('(not ([a] == 1))');
    expect(p('a or b and c')).toBe('([a] or ([b] and [c]))');
    expect(p('not a and b')).toBe('((not [a]) and [b])');
    expect(p('a || b && !c')).toBe('([a] or ([b] and (not [c])))');
    expect(value('true or false and false')).toBe(true);
    expect(value('(true or false) and false')).toBe(false);
    expect(value('not 1 == 2')).toBe(true);
  });
  it('reads in and not in lists, literals, backticked names and calls', () => {
    expect(p("Sex in ('Male', \"Female\")")).toBe("([Sex] in 'Male' 'Female')");
    expect(p('x not in (1, 2 + 3)')).toBe('([x] not in 1 (2 + 3))');
    expect(p('`Age Category` == null')).toBe('([Age Category] == null)');
    expect(p('`a``b` + 1')).toBe('([a`b] + 1)');
    expect(p('TRUE AND False')).toBe('(true and false)');
    expect(p('ROUND(BMI, 1)')).toBe('round([BMI] 1)');
    expect(p('1.5e2 + .5')).toBe('(150 + 0.5)');
    expect(p("'it\\'s'")).toBe("'it's'");
  });
  it('prints a tree back with only the parentheses it needs, and lists its columns once', () => {
    for (const text of ['(a + b) * c', 'a - (b - c)', '(-2) ** 2', '-x ** 2', 'not (a or b)', '`Age Category` in (\'18-24\')', "lower(trim(Sex)) != 'x'"]) {
      const e = parseExpression(text);
      expect(shape(parseExpression(formatExpression(e)))).toBe(shape(e));
    }
    expect(formatExpression(parseExpression('((a + b)) * (c)'))).toBe('(a + b) * c');
    expect(expressionColumns(parseExpression('a + b * a > `c d`'))).toEqual(['a', 'b', 'c d']);
  });
});

describe('parseExpression: refusals', () => {
  it('refuses functions off the allow-list, including the prototype and eval names', () => {
    for (const text of ['constructor(1)', '__proto__(1)', "eval('1')", "Function('x')", 'alert(1)', 'toString()']) {
      expect(refusal(text).message).toMatch(/^unknown function/);
    }
    expect(refusal("eval('1')").position).toBe(0);
  });
  it('refuses member access, indexing and assignment, saying where', () => {
    const member = refusal('x.constructor');
    expect(member.message).toMatch(/member access/);
    expect(member.position).toBe(1);
    expect(refusal('a[0]').message).toMatch(/indexing/);
    expect(refusal('a[0]').position).toBe(1);
    expect(refusal("Sex = 'Male'").message).toMatch(/assignment.*compare with ==/);
    expect(refusal('"abc".length').message).toMatch(/member access/);
  });
  it('refuses malformed text with its position', () => {
    expect(refusal('1 +').message).toBe('the expression ends too early');
    expect(refusal('(1 + 2').message).toBe('missing “)” at the end');
    expect(refusal('1 2').message).toBe('unexpected “2” at character 3');
    expect(refusal("'open").message).toMatch(/no closing '/);
    expect(refusal('a < b < c').message).toMatch(/cannot be chained/);
    expect(refusal('x in ()').message).toMatch(/empty/);
    expect(refusal('round()').message).toBe('round() takes 1 or 2 arguments, not 0 at character 1');
    expect(refusal('if(a, b)').message).toMatch(/takes 3 arguments/);
    expect(refusal('a; b').message).toMatch(/unexpected “;”/);
    expect(refusal('   ').message).toBe('the expression is empty');
    expect(refusal('('.repeat(500) + '1' + ')'.repeat(500)).message).toMatch(/nested too deeply/);
  });
});
