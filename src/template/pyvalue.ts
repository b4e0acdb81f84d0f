/**
 * Python value semantics for template values (JSON-like JS data): truthiness, str()/repr(),
 * equality, ordering and ast.literal_eval. Templates written for Ansible depend on these.
 */
import { PyError } from './errors.js';
import { isMapping, isTuple, LazyMapping, numberOf, PyFloat, pyFloat, UnsafeText, type Mapping } from './pytypes.js';
import { mappingOf, setItem } from './sandbox.js';
import { keepUnsafeMark } from './unsafe.js';
import { Undefined } from './undefined.js';

export { isMapping, type Mapping } from './pytypes.js';

export function isPlainString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Python type name, as used in Jinja messages ("'dict object' has no attribute ..."). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (isMapping(value) || value instanceof LazyMapping) return 'dict';
  if (typeof value === 'function') return 'function';
  return 'object';
}

export function pyTruthy(value: unknown): boolean {
  if (value instanceof Undefined) value.fail();
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  if (value instanceof LazyMapping) return value.keys().length > 0;
  return true;
}

function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

export function pyNumberStr(n: number): string {
  return Number.isInteger(n) ? String(n) : pyFloatRepr(n);
}

export function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStringRepr(value);
  if (value instanceof UnsafeText) return pyStringRepr(value.valueOf());
  return pyStr(value);
}

/** Python str(): what `{{ value }}` renders. */
export function pyStr(value: unknown): string {
  if (value instanceof Undefined) value.fail();
  if (typeof value === 'string') return value;
  if (value instanceof UnsafeText) return value.valueOf();
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumberStr(value);
  if (value instanceof PyFloat) return value.toString();
  if (isTuple(value)) {
    const items = (value as unknown[]).map(pyRepr);
    return '(' + items.join(', ') + (items.length === 1 ? ',' : '') + ')';
  }
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
  if (isMapping(value)) {
    return (
      '{' +
      Object.entries(value)
        .map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`)
        .join(', ') +
      '}'
    );
  }
  if (typeof value === 'function') return '<function>';
  if (value instanceof LazyMapping) {
    return pyStr(Object.fromEntries(value.keys().map((k) => [k, value.get(k)])));
  }
  return String(value);
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    // Jinja compares Undefined equal only to another Undefined; Ansible's strict one fails.
    (a instanceof Undefined ? a : (b as Undefined)).fail();
  }
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python ordering (<, >): numbers with numbers, strings with strings, lists elementwise. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new PyError(
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

/** Python `in`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) container.fail();
  if (item instanceof Undefined) item.fail();
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw new PyError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((v) => pyEquals(v, item));
  if (isMapping(container)) {
    return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  }
  if (container instanceof LazyMapping) return typeof item === 'string' && container.has(item);
  throw new PyError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

/** Python iteration: lists, strings (characters), dicts (keys). */
export function pyIterate(value: unknown): unknown[] {
  if (value instanceof Undefined) value.fail();
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (isMapping(value)) return Object.keys(value);
  if (value instanceof LazyMapping) return value.keys();
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) {
    return Array.from(value as Iterable<unknown>);
  }
  throw new PyError(`'${pyTypeName(value)}' object is not iterable`);
}

export function pyLength(value: unknown): number {
  if (value instanceof Undefined) value.fail();
  if (typeof value === 'string') return Array.from(value).length;
  if (Array.isArray(value)) return value.length;
  if (isMapping(value)) return Object.keys(value).length;
  if (value instanceof LazyMapping) return value.keys().length;
  throw new PyError(`object of type '${pyTypeName(value)}' has no len()`);
}

/** JSON-like data for callers outside the templater: boxed floats become plain numbers. */
export function toPlainData<T>(value: T): T {
  if (value instanceof PyFloat) return value.value as T;
  if (Array.isArray(value)) return keepUnsafeMark(value, Array.from(value, toPlainData)) as T;
  if (isMapping(value)) return keepUnsafeMark(value, mappingOf(Object.entries(value).map(([k, v]) => [k, toPlainData(v)]))) as T;
  return value;
}

/** Deep copy of JSON-like data (arrays and plain objects); a copy of unsafe data is unsafe. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return keepUnsafeMark(value, Array.from(value, deepCopy)) as T;
  if (isMapping(value)) return keepUnsafeMark(value, mappingOf(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]))) as T;
  return value;
}

// ---------------------------------------------------------------------------------------------
// ast.literal_eval for the subset Ansible meets (with JSON's true/false/null also accepted).

class LiteralParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): unknown {
    const value = this.value();
    this.space();
    if (this.pos !== this.src.length) throw new Error('trailing data');
    return value;
  }

  private space(): void {
    while (this.pos < this.src.length && /[ \t\n\r]/.test(this.src[this.pos]!)) this.pos++;
  }

  private value(): unknown {
    this.space();
    const ch = this.src[this.pos];
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '(') return this.sequence('(', ')');
    if (ch === '{') return this.mapping();
    if (ch === "'" || ch === '"') return this.strings();
    if (ch === '-' || ch === '+' || (ch !== undefined && /[0-9.]/.test(ch))) return this.number();
    const m = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos));
    if (m) {
      this.pos += m[0].length;
      const names: Record<string, unknown> = {
        True: true, False: false, None: null, true: true, false: false, null: null,
      };
      if (m[0] in names) return names[m[0]];
    }
    throw new Error('not a literal');
  }

  private sequence(open: string, close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.src[this.pos] === close) { this.pos++; return out; }
      out.push(this.value());
      this.space();
      if (this.src[this.pos] === ',') { this.pos++; continue; }
      if (this.src[this.pos] === close) { this.pos++; return out; }
      throw new Error(`expected , or ${open}${close}`);
    }
  }

  private mapping(): Mapping | unknown[] {
    this.pos++;
    const out: Mapping = {};
    for (;;) {
      this.space();
      if (this.src[this.pos] === '}') { this.pos++; return out; }
      const key = this.value();
      this.space();
      if (this.src[this.pos] !== ':') throw new Error('set literal'); // sets are not JSON data
      this.pos++;
      setItem(out, typeof key === 'string' ? key : pyStr(key), this.value());
      this.space();
      if (this.src[this.pos] === ',') { this.pos++; continue; }
      if (this.src[this.pos] === '}') { this.pos++; return out; }
      throw new Error('expected , or }');
    }
  }

  private strings(): string {
    let out = this.string();
    for (;;) {
      const save = this.pos;
      this.space();
      const ch = this.src[this.pos];
      if (ch === "'" || ch === '"') out += this.string();
      else { this.pos = save; return out; }
    }
  }

  private string(): string {
    const quote = this.src[this.pos]!;
    this.pos++;
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos++]!;
      if (ch === quote) return out;
      if (ch === '\n') throw new Error('newline in string');
      if (ch !== '\\') { out += ch; continue; }
      const esc = this.src[this.pos++];
      const simple: Record<string, string> = {
        n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '',
      };
      if (esc === undefined) break;
      if (esc in simple) out += simple[esc];
      else if (esc === 'x' || esc === 'u' || esc === 'U') {
        const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Error('bad escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += len;
      } else out += '\\' + esc;
    }
    throw new Error('unterminated string');
  }

  private number(): number | PyFloat {
    const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?|\d[\d_]*\.)/.exec(
      this.src.slice(this.pos),
    );
    if (!m) throw new Error('bad number');
    this.pos += m[0].length;
    const text = m[0].replace(/_/g, '');
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[+-]/, '');
    if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
    if (/^0[oO]/.test(body)) return sign * parseInt(body.slice(2), 8);
    if (/^0[bB]/.test(body)) return sign * parseInt(body.slice(2), 2);
    if (/^0\d/.test(body) && !/[.eE]/.test(body)) throw new Error('leading zeros');
    const n = sign * Number(body);
    return (/[.eE]/.test(body) ? pyFloat(n) : n) as number;
  }
}

/** Python's ast.literal_eval; returns `{ ok: false }` where Python raises. */
export function literalEval(src: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: new LiteralParser(src).parse() };
  } catch {
    return { ok: false };
  }
}
