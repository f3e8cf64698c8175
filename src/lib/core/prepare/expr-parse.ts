/**
 * Tokenizer and recursive-descent parser of Prepare expressions, loosest
 * binding first:
 *
 *   or (||)  <  and (&&)  <  not (!)  <  == != < <= > >= in, not in
 *   <  + -  <  * / %  <  unary -  <  ** (right-associative, so -2 ** 2 = -4)
 *
 * Atoms: numbers, 'single' or "double" quoted strings, true / false / null,
 * columns (bare names, or `backticked` for any other name), calls of the
 * allow-listed functions, parentheses. Anything else is refused with an
 * ExpressionError saying where: member access (`.`), indexing (`[`),
 * assignment (`=`), unknown functions (`eval`, `constructor`, ...).
 */
import { ExpressionError, isFunctionName, EXPRESSION_FUNCTIONS, FUNCTION_NAMES, type BinaryOp, type Expression } from './expr-ast';

type Token =
  | { t: 'num'; value: number; pos: number }
  | { t: 'str'; value: string; pos: number }
  | { t: 'name'; value: string; quoted: boolean; pos: number }
  | { t: 'op'; value: string; pos: number }
  | { t: 'end'; pos: number };

/** Longer expressions are refused (a recipe step is one line, not a program). */
export const MAX_EXPRESSION_LENGTH = 10_000;
const MAX_DEPTH = 100;

const OPERATORS = ['**', '==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!', '(', ')', ','];
const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;

function at(pos: number): string {
  return ` at character ${pos + 1}`;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      const value = Number(m[0]);
      if (!Number.isFinite(value)) throw new ExpressionError(`the number ${m[0]} is too large${at(i)}`, i);
      tokens.push({ t: 'num', value, pos: i });
      i += m[0].length;
      if (NAME_START.test(text[i] ?? '')) throw new ExpressionError(`a number cannot run into a name${at(i)}`, i);
    } else if (c === "'" || c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`the text starting${at(start)} has no closing ${c}`, start);
        const d = text[i]!;
        if (d === c) break;
        if (d === '\\' && i + 1 < text.length) {
          const e = text[i + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'str', value, pos: start });
      i++;
    } else if (c === '`') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`the column name starting${at(start)} has no closing \``, start);
        if (text[i] === '`') {
          if (text[i + 1] !== '`') break;
          value += '`'; // `` inside backticks is one backtick
          i += 2;
        } else {
          value += text[i]!;
          i++;
        }
      }
      if (value === '') throw new ExpressionError(`empty column name${at(start)}`, start);
      tokens.push({ t: 'name', value, quoted: true, pos: start });
      i++;
    } else if (NAME_START.test(c)) {
      const start = i;
      while (i < text.length && NAME_PART.test(text[i]!)) i++;
      tokens.push({ t: 'name', value: text.slice(start, i), quoted: false, pos: start });
    } else {
      if (c === '.') throw new ExpressionError(`member access (“.”) is not allowed${at(i)}`, i);
      if (c === '[' || c === ']') throw new ExpressionError(`indexing (“${c}”) is not allowed${at(i)}`, i);
      if (c === '=' && text[i + 1] !== '=') throw new ExpressionError(`assignment (“=”) is not allowed${at(i)}; compare with ==`, i);
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) throw new ExpressionError(`unexpected “${c}”${at(i)}`, i);
      tokens.push({ t: 'op', value: op, pos: i });
      i += op.length;
    }
  }
  tokens.push({ t: 'end', pos: text.length });
  return tokens;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private k = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.k + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const tok = this.peek();
    if (this.k < this.tokens.length - 1) this.k++;
    return tok;
  }

  /** True when the token is the operator or (unquoted, any case) keyword `word`. */
  private is(tok: Token, ...words: string[]): boolean {
    if (tok.t === 'op') return words.includes(tok.value);
    return tok.t === 'name' && !tok.quoted && words.includes(tok.value.toLowerCase());
  }

  private unexpected(tok: Token): ExpressionError {
    if (tok.t === 'end') return new ExpressionError('the expression ends too early', tok.pos);
    const shown = tok.t === 'str' ? `'${tok.value}'` : String(tok.value);
    return new ExpressionError(`unexpected “${shown}”${at(tok.pos)}`, tok.pos);
  }

  private expect(word: string): void {
    const tok = this.next();
    if (!this.is(tok, word)) {
      if (tok.t === 'end') throw new ExpressionError(`missing “${word}” at the end`, tok.pos);
      const found = tok.t === 'str' ? `'${tok.value}'` : String(tok.value);
      throw new ExpressionError(`expected “${word}” but found “${found}”${at(tok.pos)}`, tok.pos);
    }
  }

  private deeper<T>(pos: number, f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested too deeply${at(pos)}`, pos);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  parse(): Expression {
    const e = this.or();
    const tok = this.peek();
    if (tok.t !== 'end') throw this.unexpected(tok);
    return e;
  }

  private or(): Expression {
    let left = this.and();
    while (this.is(this.peek(), 'or', '||')) {
      this.next();
      left = { type: 'binary', op: 'or', left, right: this.and(), pos: left.pos };
    }
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (this.is(this.peek(), 'and', '&&')) {
      this.next();
      left = { type: 'binary', op: 'and', left, right: this.not(), pos: left.pos };
    }
    return left;
  }

  private not(): Expression {
    const tok = this.peek();
    if (this.is(tok, 'not', '!')) {
      this.next();
      return this.deeper(tok.pos, () => ({ type: 'unary', op: 'not', operand: this.not(), pos: tok.pos }));
    }
    return this.comparison();
  }

  private comparison(): Expression {
    const left = this.additive();
    const tok = this.peek();
    let result: Expression;
    if (this.is(tok, 'in') || (this.is(tok, 'not') && this.is(this.peek(1), 'in'))) {
      const negated = this.is(tok, 'not');
      this.next();
      if (negated) this.next();
      result = { type: 'in', operand: left, items: this.list(), negated, pos: left.pos };
    } else if (tok.t === 'op' && COMPARISONS.has(tok.value)) {
      this.next();
      result = { type: 'binary', op: tok.value as BinaryOp, left, right: this.additive(), pos: left.pos };
    } else {
      return left;
    }
    const after = this.peek();
    if ((after.t === 'op' && COMPARISONS.has(after.value)) || this.is(after, 'in')) {
      throw new ExpressionError(`comparisons cannot be chained${at(after.pos)}; join them with and`, after.pos);
    }
    return result;
  }

  private list(): Expression[] {
    this.expect('(');
    const items: Expression[] = [];
    if (this.is(this.peek(), ')')) throw new ExpressionError(`the list after in is empty${at(this.peek().pos)}`, this.peek().pos);
    const pos = this.peek().pos;
    for (;;) {
      items.push(this.deeper(pos, () => this.or()));
      if (!this.is(this.peek(), ',')) break;
      this.next();
    }
    this.expect(')');
    return items;
  }

  private additive(): Expression {
    let left = this.multiplicative();
    while (this.is(this.peek(), '+', '-')) {
      const op = this.next() as { value: '+' | '-' };
      left = { type: 'binary', op: op.value, left, right: this.multiplicative(), pos: left.pos };
    }
    return left;
  }

  private multiplicative(): Expression {
    let left = this.unary();
    while (this.is(this.peek(), '*', '/', '%')) {
      const op = this.next() as { value: '*' | '/' | '%' };
      left = { type: 'binary', op: op.value, left, right: this.unary(), pos: left.pos };
    }
    return left;
  }

  private unary(): Expression {
    const tok = this.peek();
    if (this.is(tok, '-')) {
      this.next();
      return this.deeper(tok.pos, () => ({ type: 'unary', op: '-', operand: this.unary(), pos: tok.pos }));
    }
    return this.power();
  }

  private power(): Expression {
    const base = this.atom();
    if (!this.is(this.peek(), '**')) return base;
    this.next();
    return { type: 'binary', op: '**', left: base, right: this.deeper(base.pos, () => this.unary()), pos: base.pos };
  }

  private atom(): Expression {
    const tok = this.next();
    if (tok.t === 'num') return { type: 'literal', value: tok.value, pos: tok.pos };
    if (tok.t === 'str') return { type: 'literal', value: tok.value, pos: tok.pos };
    if (this.is(tok, '(')) {
      const inner = this.deeper(tok.pos, () => this.or());
      this.expect(')');
      return inner;
    }
    if (tok.t !== 'name') throw this.unexpected(tok);
    if (!tok.quoted) {
      const word = tok.value.toLowerCase();
      if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true', pos: tok.pos };
      if (word === 'null') return { type: 'literal', value: null, pos: tok.pos };
      if (word === 'and' || word === 'or' || word === 'not' || word === 'in') throw this.unexpected(tok);
      if (this.is(this.peek(), '(')) return this.call(tok.value, tok.pos);
    }
    return { type: 'column', name: tok.value, pos: tok.pos };
  }

  private call(written: string, pos: number): Expression {
    const name = written.toLowerCase();
    if (!isFunctionName(name)) {
      throw new ExpressionError(`unknown function “${written}”${at(pos)}; the functions are ${FUNCTION_NAMES.join(', ')}`, pos);
    }
    this.next(); // (
    const args: Expression[] = [];
    if (!this.is(this.peek(), ')')) {
      for (;;) {
        args.push(this.deeper(pos, () => this.or()));
        if (!this.is(this.peek(), ',')) break;
        this.next();
      }
    }
    this.expect(')');
    const { min, max } = EXPRESSION_FUNCTIONS[name];
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      throw new ExpressionError(`${name}() takes ${wanted} argument${min === 1 && max === 1 ? '' : 's'}, not ${args.length}${at(pos)}`, pos);
    }
    return { type: 'call', name, args, pos };
  }
}

/**
 * Parses an expression into its syntax tree.
 * @throws ExpressionError (with the character position) for anything the language does not allow.
 */
export function parseExpression(text: string): Expression {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  if (text.trim() === '') throw new ExpressionError('the expression is empty', 0);
  return new Parser(tokenize(text)).parse();
}
