/** Python's str() and repr() of JSON-like values: what Ansible prints for a value. */
import { isMapping, isTuple, PyFloat } from './values.js';

/** str() of the kinds a caller adds (the templater's Undefined, lazy mappings), or undefined. */
type StrHook = (value: unknown) => string | undefined;

function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

export function pyNumberStr(n: number): string {
  return Number.isInteger(n) ? String(n) : pyFloatRepr(n);
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Python repr(): strings quoted, everything else as str(). */
export function pyRepr(value: unknown, hook?: StrHook): string {
  if (typeof value === 'string') return pyStringRepr(value);
  if (value instanceof String) return pyStringRepr(value.valueOf());
  return pyStr(value, hook);
}

/** Python str(): what `{{ value }}` renders and `'%s' % value` prints. */
export function pyStr(value: unknown, hook?: StrHook): string {
  const own = hook?.(value);
  if (own !== undefined) return own;
  if (typeof value === 'string') return value;
  if (value instanceof String) return value.valueOf();
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumberStr(value);
  if (value instanceof PyFloat) return value.toString();
  const repr = (v: unknown) => pyRepr(v, hook);
  if (isTuple(value)) {
    const items = (value as unknown[]).map(repr);
    return '(' + items.join(', ') + (items.length === 1 ? ',' : '') + ')';
  }
  if (Array.isArray(value)) return '[' + value.map(repr).join(', ') + ']';
  if (isMapping(value)) {
    return '{' + Object.entries(value).map(([k, v]) => `${pyStringRepr(k)}: ${repr(v)}`).join(', ') + '}';
  }
  return String(value);
}

/** Python's repr() of the UTF-8 bytes of `text` (b'...'), as in an OSError message about a path. */
export function pyBytesRepr(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const q = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (c === '\\' || c === q) out += `\\${c}`;
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (b >= 0x20 && b < 0x7f) out += c;
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `b${q}${out}${q}`;
}
