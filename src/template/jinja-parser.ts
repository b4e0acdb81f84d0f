/** Our nunjucks Parser subclass: the Jinja2 syntax nunjucks lacks. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { PyFloatLiteral, SliceNode } from './jinja-compiler.js';
import { lexer, nodes, parserModule } from './nunjucks-internals.js';

const NOT_A_TEST_ARG = new Set(['else', 'or', 'and', 'if', 'in', 'not', 'is']);
const TEST_ARG_STARTS = new Set([
  lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE,
  lexer.TOKEN_SYMBOL, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY,
]);

// Jinja's names; nunjucks' lexer reads any run of non-delimiters (`m"x`) as one symbol, and its
// compiler pastes symbols into generated JavaScript unquoted.
const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
// Far beyond what real templates nest.
const MAX_NESTING = 100;

export class PyParser extends (parserModule.Parser as new (...args: any[]) => any) {
  [key: string]: any;

  /** Rejects symbols that are not Jinja names, as Jinja's lexer does ("unexpected char"). */
  nextToken(withWhitespace?: boolean): any {
    const tok = super.nextToken(withWhitespace);
    if (tok && tok.type === lexer.TOKEN_SYMBOL && !NAME.test(tok.value)) {
      const bad = [...String(tok.value)].find((ch) => !/[\p{L}\p{N}_]/u.test(ch)) ?? tok.value;
      this.fail(`unexpected char ${JSON.stringify(bad)}`, tok.lineno, tok.colno);
    }
    return tok;
  }

  /** Adds Jinja's `x.0` (integer item after a dot) to nunjucks' postfix parsing. */
  parsePostfix(node: any): any {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, this.nested(tok, () => this.parseSubscript()));
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        const lookup = (key: unknown) => (node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, key)));
        // nunjucks lexes `.0.stdout` as the float `0.` then `stdout`, and `.0.1` as `0.1`; Jinja's
        // lexer never starts a float right after a dot, so these are item lookups, one per part.
        const dotted = val.type === lexer.TOKEN_FLOAT ? /^(\d+)\.(\d*)$/.exec(val.value) : null;
        if (val.type === lexer.TOKEN_SYMBOL) lookup(val.value);
        else if (val.type === lexer.TOKEN_INT) lookup(parseInt(val.value, 10));
        else if (dotted) {
          lookup(parseInt(dotted[1], 10));
          const after = dotted[2] ? { type: lexer.TOKEN_INT, value: dotted[2] } : this.nextToken();
          if (after?.type === lexer.TOKEN_SYMBOL) lookup(after.value);
          else if (after?.type === lexer.TOKEN_INT) lookup(parseInt(after.value, 10));
          else this.fail(`expected name as lookup value, got ${after?.value}`, val.lineno, val.colno);
        } else this.fail(`expected name as lookup value, got ${val.value}`, val.lineno, val.colno);
      } else {
        break;
      }
      tok = this.peekToken();
    }
    return node;
  }

  /** Float literals keep being floats (`{{ 1.0 }}` prints "1.0"). */
  parsePrimary(noPostfix?: boolean): any {
    const tok = this.peekToken();
    if (tok && tok.type === lexer.TOKEN_FLOAT) {
      this.nextToken();
      const node = new PyFloatLiteral(tok.lineno, tok.colno, parseFloat(tok.value));
      return noPostfix ? node : this.parsePostfix(node);
    }
    return super.parsePrimary(noPostfix);
  }

  /** Jinja's `x is test`, `x is test(args)` and `x is test arg` (e.g. `is divisibleby 3`). */
  parseIs(): any {
    let node = this.parseCompare();
    if (!this.skipSymbol('is')) return node;
    const not = this.skipSymbol('not');
    const tok = this.nextToken();
    if (![lexer.TOKEN_SYMBOL, lexer.TOKEN_NONE, lexer.TOKEN_BOOLEAN].includes(tok.type)) {
      this.fail('expected a test name after "is"', tok.lineno, tok.colno);
    }
    let testName = String(tok.value);
    while (this.skipValue(lexer.TOKEN_OPERATOR, '.')) testName += '.' + this.expect(lexer.TOKEN_SYMBOL).value;
    const name = new nodes.Symbol(tok.lineno, tok.colno, testName);
    const next = this.peekToken();
    let test: any = name;
    if (next && next.type === lexer.TOKEN_LEFT_PAREN) {
      test = this.parsePostfix(name);
    } else if (next && TEST_ARG_STARTS.has(next.type) && !(next.type === lexer.TOKEN_SYMBOL && NOT_A_TEST_ARG.has(next.value))) {
      const arg = this.parsePrimary();
      test = new nodes.FunCall(tok.lineno, tok.colno, name, new nodes.NodeList(tok.lineno, tok.colno, [arg]));
    }
    node = new nodes.Is(node.lineno, node.colno, node, test);
    return not ? new nodes.Not(node.lineno, node.colno, node) : node;
  }

  /** Literals `(...)`, `[...]`, `{...}`. */
  parseAggregate(): any {
    const tok = this.peekToken();
    return this.nested(tok, () => this.parseCollection());
  }

  private nesting = 0;

  /** Bounds the recursion where Python's Jinja stops at its recursion limit. */
  private nested<T>(tok: any, parse: () => T): T {
    if (++this.nesting > MAX_NESTING) this.fail(`brackets nested more than ${MAX_NESTING} levels deep`, tok?.lineno, tok?.colno);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  /**
   * `x[i]` and Jinja's slices `x[a:b:c]` (nunjucks only has them through its global jinja-compat
   * patch), decided by the token after the first expression, so nested brackets parse in linear time.
   */
  private parseSubscript(): any {
    const open = this.nextToken();
    const index = this.peekToken()?.type === lexer.TOKEN_COLON ? null : this.parseExpression();
    if (index && this.skip(lexer.TOKEN_RIGHT_BRACKET)) return index;
    if (!this.skip(lexer.TOKEN_COLON)) this.fail('expected ] or : in a subscript', open.lineno, open.colno);
    const part = () => ([lexer.TOKEN_COLON, lexer.TOKEN_RIGHT_BRACKET].includes(this.peekToken()?.type) ? null : this.parseExpression());
    const stop = part();
    const step = this.skip(lexer.TOKEN_COLON) ? part() : null;
    if (!this.skip(lexer.TOKEN_RIGHT_BRACKET)) this.fail('expected ] after a slice', open.lineno, open.colno);
    return new SliceNode(open.lineno, open.colno, index, stop, step);
  }

  /**
   * `(...)`, `[...]` and `{...}` as Jinja parses them: a trailing comma is allowed, and `(x,)` is
   * a one-item tuple where `(x)` is just x.
   */
  private parseCollection(): any {
    const tok = this.nextToken();
    const Kind = { [lexer.TOKEN_LEFT_PAREN]: nodes.Group, [lexer.TOKEN_LEFT_BRACKET]: nodes.Array, [lexer.TOKEN_LEFT_CURLY]: nodes.Dict }[tok?.type];
    if (!Kind) return null;
    const node = new Kind(tok.lineno, tok.colno);
    let trailingComma = false;
    while (!this.skipClosing()) {
      if (node.children.length > 0 && !trailingComma) this.fail('expected comma after expression', tok.lineno, tok.colno);
      if (node instanceof nodes.Dict) {
        const key = this.parsePrimary();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail('expected colon after dict key', tok.lineno, tok.colno);
        node.addChild(new nodes.Pair(key.lineno, key.colno, key, this.parseExpression()));
      } else node.addChild(this.parseExpression());
      trailingComma = this.skip(lexer.TOKEN_COMMA);
    }
    if (node instanceof nodes.Group && trailingComma) node.isTuple = true;
    return node;
  }

  /** Call arguments, with Jinja's trailing comma (`f(1,)`, `f(a=1,)`). */
  parseSignature(tolerant?: boolean, noParens?: boolean): any {
    const tok = this.peekToken();
    if (noParens || tok?.type !== lexer.TOKEN_LEFT_PAREN) return super.parseSignature(tolerant, noParens);
    this.nextToken();
    const args = new nodes.NodeList(tok.lineno, tok.colno);
    const kwargs = new nodes.KeywordArgs(tok.lineno, tok.colno);
    let comma = true;
    while (!this.skip(lexer.TOKEN_RIGHT_PAREN)) {
      if (!comma) this.fail('expected comma after expression', tok.lineno, tok.colno);
      const arg = this.parseExpression();
      if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) kwargs.addChild(new nodes.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      else args.addChild(arg);
      comma = this.skip(lexer.TOKEN_COMMA);
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  }

  private skipClosing(): boolean {
    return this.skip(lexer.TOKEN_RIGHT_PAREN) || this.skip(lexer.TOKEN_RIGHT_BRACKET) || this.skip(lexer.TOKEN_RIGHT_CURLY);
  }
}
