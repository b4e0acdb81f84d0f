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
        const lookup = this.parseAggregate();
        if (lookup.children.length > 1) this.fail('invalid index');
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, lookup.children[0]);
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

  /**
   * Jinja's slice syntax `x[a:b:c]` (nunjucks only has it through its global jinja-compat patch).
   * A bracket is a slice when a `:` appears at its own nesting level; deciding that by looking
   * ahead (instead of parsing, failing and re-parsing) keeps nested brackets linear, not
   * exponential (`x[[[[...` would otherwise hang).
   */
  parseAggregate(): any {
    const tok = this.peekToken();
    if (!tok || tok.type !== lexer.TOKEN_LEFT_BRACKET || !this.bracketHoldsColon()) return super.parseAggregate();
    this.nextToken();
    const node = new SliceNode(tok.lineno, tok.colno);
    for (let i = 0; i <= node.fields.length; i++) {
      if (this.skip(lexer.TOKEN_RIGHT_BRACKET)) break;
      if (i === node.fields.length) this.fail('parseSlice: too many slice components', tok.lineno, tok.colno);
      if (!this.skip(lexer.TOKEN_COLON)) {
        node[node.fields[i]] = this.parseExpression();
        this.skip(lexer.TOKEN_COLON);
      }
    }
    return new nodes.Array(tok.lineno, tok.colno, [node]);
  }

  /** Whether the peeked `[` has a `:` at its own level before its `]` (tokens are not consumed). */
  private bracketHoldsColon(): boolean {
    const saved = { index: this.tokens.index, lineno: this.tokens.lineno, colno: this.tokens.colno, in_code: this.tokens.in_code };
    let depth = 0;
    let found = false;
    for (let t = this.tokens.nextToken(); t; t = this.tokens.nextToken()) {
      if (t.type === lexer.TOKEN_LEFT_BRACKET || t.type === lexer.TOKEN_LEFT_PAREN || t.type === lexer.TOKEN_LEFT_CURLY) depth++;
      else if (t.type === lexer.TOKEN_RIGHT_BRACKET || t.type === lexer.TOKEN_RIGHT_PAREN || t.type === lexer.TOKEN_RIGHT_CURLY) {
        if (--depth < 0) break;
      } else if (t.type === lexer.TOKEN_COLON && depth === 0) {
        found = true;
        break;
      } else if (t.type === lexer.TOKEN_VARIABLE_END || t.type === lexer.TOKEN_BLOCK_END) break;
    }
    Object.assign(this.tokens, saved);
    return found;
  }
}
