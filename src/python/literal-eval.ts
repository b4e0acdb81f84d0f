/**
 * Python's `ast.literal_eval` (3.11): a complete Python literal (numbers, strings, True/False/None,
 * lists, tuples, dicts, sets) becomes that value as JSON-like data; anything else is not a literal.
 * Tuples are marked (values.ts), sets become lists (JSON has none).
 */
import { pyStr } from './repr.js';
import { isMapping, pyFloat, tuple } from './values.js';

interface LiteralOptions {
  /** Ansible's Json2Python (templating): the names `true`, `false`, `null` are True, False, None. */
  jsonNames?: boolean;
  /**
   * Data for JSON output (the INI inventory): floats are plain numbers and non-string dict keys
   * are named as json.dumps writes them (`true`, `null`); otherwise floats keep printing as
   * floats (1.0) and keys are named by str() (`True`, `None`).
   */
  json?: boolean;
}

/** The literal's value, or `{ ok: false }` where Python raises ValueError or SyntaxError. */
export function literalEval(text: string, options: LiteralOptions = {}): { ok: true; value: unknown } | { ok: false } {
  try {
    const parser = new Parser(tokenize(text.replace(/^[ \t]+/, '')), options);
    const value = parser.expressionList();
    parser.expectEnd();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof NotLiteral) return { ok: false };
    throw err;
  }
}

class NotLiteral extends Error {}

type Token =
  | { kind: 'num'; value: number; isFloat: boolean }
  | { kind: 'str'; value: string; bytes: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

const DIGITS = '[0-9](?:_?[0-9])*';
const NUMBER_RES: Array<[RegExp, (m: string) => number]> = [
  [/^0[xX](?:_?[0-9a-fA-F])+/, (m) => parseInt(m.slice(2).replace(/_/g, ''), 16)],
  [/^0[oO](?:_?[0-7])+/, (m) => parseInt(m.slice(2).replace(/_/g, ''), 8)],
  [/^0[bB](?:_?[01])+/, (m) => parseInt(m.slice(2).replace(/_/g, ''), 2)],
  [
    new RegExp(`^(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|^${DIGITS}[eE][+-]?${DIGITS}`),
    (m) => Number(m.replace(/_/g, '')),
  ],
  [/^(?:[1-9](?:_?[0-9])*|0(?:_?0)*)/, (m) => Number(m.replace(/_/g, ''))],
];

const FLOAT_RE_INDEX = 3;

const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;

/** Python's tokenizer refuses deeper bracket nesting ("too many nested parentheses"). */
const MAX_NESTING = 200;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') break; // a comment runs to the end of the (single) line
    const rest = src.slice(i);
    const str = STRING_START.exec(rest);
    if (str && isStringPrefix(str[1])) {
      const { value, length } = readString(rest, str[1], str[2]);
      out.push({ kind: 'str', value, bytes: /b/i.test(str[1]) });
      i += length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const num = readNumber(rest);
      out.push({ kind: 'num', value: num.value, isFloat: num.isFloat });
      i += num.length;
      continue;
    }
    const name = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/.exec(rest);
    if (name) {
      out.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if ('[](){},:+-'.includes(c)) {
      if ('[({'.includes(c) && ++depth > MAX_NESTING) throw new NotLiteral();
      if ('])}'.includes(c)) depth--;
      out.push({ kind: 'op', value: c });
      i++;
      continue;
    }
    throw new NotLiteral(); // any other operator makes it a non-literal (or a syntax error)
  }
  return out;
}

function isStringPrefix(prefix: string): boolean {
  const p = prefix.toLowerCase();
  return ['', 'r', 'u', 'b', 'br', 'rb'].includes(p); // f-strings are never literals
}

function readNumber(src: string): { value: number; length: number; isFloat: boolean } {
  for (const [index, [re, convert]] of NUMBER_RES.entries()) {
    const m = re.exec(src);
    if (!m) continue;
    const next = src[m[0].length] ?? '';
    // `3abc`, `1j` (complex), `07` (leading zero) are not plain literals here.
    if (/[A-Za-z0-9_.]/.test(next)) throw new NotLiteral();
    return { value: convert(m[0]), length: m[0].length, isFloat: index === FLOAT_RE_INDEX };
  }
  throw new NotLiteral();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

function readString(src: string, prefix: string, quote: string): { value: string; length: number } {
  const raw = /r/i.test(prefix);
  const bytes = /b/i.test(prefix);
  let i = prefix.length + quote.length;
  let value = '';
  for (;;) {
    if (i >= src.length) throw new NotLiteral(); // unterminated string: SyntaxError
    if (src.startsWith(quote, i)) return { value, length: i + quote.length };
    const c = src[i];
    if (c === '\n' && quote.length === 1) throw new NotLiteral();
    if (c !== '\\') {
      if (bytes && c.charCodeAt(0) > 127) throw new NotLiteral();
      value += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined) throw new NotLiteral();
    if (raw) {
      value += c + e;
      i += 2;
      continue;
    }
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1));
    if (oct) {
      value += String.fromCodePoint(parseInt(oct[0], 8));
      i += 1 + oct[0].length;
      continue;
    }
    const hexLen = e === 'x' ? 2 : !bytes && e === 'u' ? 4 : !bytes && e === 'U' ? 8 : 0;
    if (hexLen) {
      const hex = src.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new NotLiteral();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new NotLiteral();
      value += String.fromCodePoint(cp);
      i += 2 + hexLen;
      continue;
    }
    if (e === 'N' && !bytes) throw new NotLiteral(); // \N{NAME}: not supported here
    value += c + e; // unknown escapes are kept verbatim
    i += 2;
  }
}

const NAMES: Record<string, unknown> = { True: true, False: false, None: null };
const JSON_NAMES: Record<string, unknown> = { ...NAMES, true: true, false: false, null: null };

class Parser {
  private pos = 0;
  private readonly names: Record<string, unknown>;
  constructor(
    private readonly tokens: Token[],
    private readonly options: LiteralOptions,
  ) {
    this.names = options.jsonNames ? JSON_NAMES : NAMES;
  }

  expectEnd(): void {
    if (this.pos !== this.tokens.length) throw new NotLiteral();
  }

  /** `a, b` at top level is a tuple, as in Python's eval mode. */
  expressionList(): unknown {
    if (this.tokens.length === 0) throw new NotLiteral();
    const first = this.atom();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.eatOp(',')) {
      if (this.pos >= this.tokens.length) break;
      items.push(this.atom());
    }
    return tuple(items);
  }

  private atom(): unknown {
    const t = this.tokens[this.pos];
    if (!t) throw new NotLiteral();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.pos++;
      // One sign on a number constant; `-(1)` is still a constant, `--1` and `-(1,)` are not.
      let parens = 0;
      while (this.eatOp('(')) parens++;
      const n = this.tokens[this.pos++];
      if (!n || n.kind !== 'num') throw new NotLiteral();
      for (; parens > 0; parens--) if (!this.eatOp(')')) throw new NotLiteral();
      const value = t.value === '-' ? 0 - n.value || (n.isFloat ? -0 : 0) : n.value;
      return this.noBinaryOp(this.number(value, n.isFloat));
    }
    this.pos++;
    switch (t.kind) {
      case 'num':
        return this.noBinaryOp(this.number(t.value, t.isFloat));
      case 'str': {
        let value = t.value;
        while (this.tokens[this.pos]?.kind === 'str') {
          const next = this.tokens[this.pos++] as Extract<Token, { kind: 'str' }>;
          if (next.bytes !== t.bytes) throw new NotLiteral();
          value += next.value;
        }
        return value;
      }
      case 'name':
        if (Object.prototype.hasOwnProperty.call(this.names, t.value)) return this.names[t.value];
        throw new NotLiteral();
      case 'op':
        if (t.value === '[') return this.sequence(']');
        if (t.value === '(') return this.parenthesized();
        if (t.value === '{') return this.braced();
        throw new NotLiteral();
    }
  }

  private number(value: number, isFloat: boolean): unknown {
    return isFloat && !this.options.json ? pyFloat(value) : value;
  }

  /** `1+2` is a BinOp, which literal_eval accepts only for complex numbers. */
  private noBinaryOp<T>(value: T): T {
    if (this.isOp('+') || this.isOp('-')) throw new NotLiteral();
    return value;
  }

  private sequence(close: string): unknown[] {
    const items: unknown[] = [];
    while (!this.eatOp(close)) {
      items.push(this.atom());
      if (!this.eatOp(',')) {
        if (!this.eatOp(close)) throw new NotLiteral();
        break;
      }
    }
    return items;
  }

  private parenthesized(): unknown {
    if (this.eatOp(')')) return tuple([]);
    const first = this.atom();
    if (this.eatOp(')')) return first;
    if (!this.eatOp(',')) throw new NotLiteral();
    return tuple([first, ...this.sequence(')')]);
  }

  private braced(): unknown {
    if (this.eatOp('}')) return {};
    const first = this.atom();
    if (!this.eatOp(':')) {
      if (this.eatOp('}')) return [first];
      if (!this.eatOp(',')) throw new NotLiteral();
      return dedupe([first, ...this.sequence('}')]);
    }
    // Python dict semantics: equal keys (1, 1.0, True) share one entry, named by the first.
    const entries = new Map<string, [string, unknown]>();
    let key = first;
    for (;;) {
      if (Array.isArray(key) || isMapping(key)) throw new NotLiteral(); // no JSON key for it
      const identity = typeof key === 'string' ? `s:${key}` : key === null ? 'none' : `n:${Number(key)}`;
      const value = this.atom();
      const existing = entries.get(identity);
      entries.set(identity, [existing ? existing[0] : this.keyName(key), value]);
      if (!this.eatOp(',')) {
        if (!this.eatOp('}')) throw new NotLiteral();
        break;
      }
      if (this.eatOp('}')) break;
      key = this.atom();
      if (!this.eatOp(':')) throw new NotLiteral();
    }
    return Object.fromEntries(entries.values()); // CreateDataProperty: `__proto__` stays a key
  }

  private keyName(key: unknown): string {
    if (typeof key === 'string') return key;
    if (!this.options.json) return pyStr(key);
    return key === true ? 'true' : key === false ? 'false' : key === null ? 'null' : String(Number(key));
  }

  private isOp(op: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' && t.value === op;
  }

  private eatOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
}

/** A set's members once each (sets of unhashable members are not literals in Python either). */
function dedupe(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
