/**
 * Attribute/item lookup with Jinja's rules and the Python methods Ansible users call on
 * strings, lists and dicts (`s.split(',')`, `d.items()`, `d.get(k, dflt)` ...). Methods are
 * returned as closures bound to the value; nothing is added to JS prototypes.
 */
import { PyError } from './errors.js';
import { isMapping, pyEquals, pyRepr, pyStr, pyTypeName } from './pyvalue.js';
import { SafeString } from './nunjucks-internals.js';
import { LazyMapping, Namespace, tuple } from './pytypes.js';
import { hasOwn } from './sandbox.js';
import { Undefined } from './undefined.js';

export class SliceKey {
  constructor(
    readonly start: number | null,
    readonly stop: number | null,
    readonly step: number | null,
  ) {}

  apply<T>(items: T[]): T[] {
    const len = items.length;
    const step = this.step ?? 1;
    if (step === 0) throw new PyError('slice step cannot be zero');
    const clamp = (v: number | null, dflt: number, lo: number, hi: number) => {
      if (v === null) return dflt;
      const i = v < 0 ? v + len : v;
      return Math.min(Math.max(i, lo), hi);
    };
    const out: T[] = [];
    if (step > 0) {
      const start = clamp(this.start, 0, 0, len);
      const stop = clamp(this.stop, len, 0, len);
      for (let i = start; i < stop; i += step) out.push(items[i]!);
    } else {
      const start = clamp(this.start, len - 1, -1, len - 1);
      const stop = clamp(this.stop, -1, -1, len - 1);
      for (let i = start; i > stop; i += step) out.push(items[i]!);
    }
    return out;
  }
}

type Method = (...args: unknown[]) => unknown;

function positional(args: unknown[]): unknown[] {
  const last = args[args.length - 1] as { __keywords?: boolean } | undefined;
  return last && typeof last === 'object' && last.__keywords ? args.slice(0, -1) : args;
}

const WS = /\s+/;

function pySplit(s: string, sep: unknown, maxsplit: unknown, fromRight: boolean): string[] {
  const max = typeof maxsplit === 'number' ? maxsplit : -1;
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(WS).filter((p) => p !== '');
    if (max < 0 || parts.length <= max + 1) return parts;
    if (fromRight) {
      const re = new RegExp(`^(.*?)\\s+((?:\\S+\\s+){${max - 1}}\\S+)\\s*$`, 's');
      const m = max > 0 ? re.exec(s.trimEnd()) : null;
      return m ? [m[1]!.trim(), ...m[2]!.split(WS)] : [s.trim()];
    }
    const head = parts.slice(0, max);
    let rest = s.trimStart();
    for (const _p of head) rest = rest.replace(/^\S+\s+/, '');
    return [...head, rest];
  }
  if (typeof sep !== 'string' || sep === '') throw new PyError('empty separator');
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  if (fromRight) return [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)];
  return [...parts.slice(0, max), parts.slice(max).join(sep)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = typeof chars === 'string' ? chars : null;
  const strip = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
  const arr = Array.from(s);
  let a = 0;
  let b = arr.length;
  if (left) while (a < b && strip(arr[a]!)) a++;
  if (right) while (b > a && strip(arr[b - 1]!)) b--;
  return arr.slice(a, b).join('');
}

/** Python's format-spec mini language: [[fill]align][sign][0][width][,][.precision][type]. */
function applySpec(value: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfeEgGxXobn%])?$/.exec(spec);
  if (!m) throw new PyError(`Invalid format specifier '${spec}'`);
  const [, fillCh, alignCh, sign, zero, widthS, comma, precS, type] = m;
  const isNum = typeof value === 'number';
  let text: string;
  const prec = precS === undefined ? undefined : Number(precS);
  switch (type) {
    case 'f': text = Number(value).toFixed(prec ?? 6); break;
    case 'e': text = Number(value).toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); break;
    case '%': text = (Number(value) * 100).toFixed(prec ?? 6) + '%'; break;
    case 'd': text = String(Math.trunc(Number(value))); break;
    case 'x': text = Math.trunc(Number(value)).toString(16); break;
    case 'X': text = Math.trunc(Number(value)).toString(16).toUpperCase(); break;
    case 'o': text = Math.trunc(Number(value)).toString(8); break;
    case 'b': text = Math.trunc(Number(value)).toString(2); break;
    default:
      text = pyStr(value);
      if (prec !== undefined && !isNum) text = text.slice(0, prec);
  }
  if (comma) text = text.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  if (sign === '+' && isNum && Number(value) >= 0) text = '+' + text;
  if (sign === ' ' && isNum && Number(value) >= 0) text = ' ' + text;
  const width = widthS === undefined ? 0 : Number(widthS);
  const fill = fillCh ?? (zero && !alignCh ? '0' : ' ');
  const align = alignCh ?? (zero ? '=' : isNum ? '>' : '<');
  if (text.length >= width) return text;
  const pad = width - text.length;
  if (align === '<') return text + fill.repeat(pad);
  if (align === '>') return fill.repeat(pad) + text;
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(pad - Math.floor(pad / 2));
  const signPart = /^[-+ ]/.test(text) ? text[0]! : '';
  return signPart + fill.repeat(pad) + text.slice(signPart.length);
}

function formatMethod(fmt: string, args: unknown[]): string {
  const pos = positional(args);
  const kw = (pos.length < args.length ? args[args.length - 1] : {}) as Record<string, unknown>;
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(![rs])?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const key = field ?? '';
    const [head, ...attrs] = key.split('.');
    let value: unknown;
    if (head === '') value = pos[auto++];
    else if (/^\d+$/.test(head!)) value = pos[Number(head)];
    else if (hasOwn(kw, head!)) value = kw[head!];
    else throw new PyError(pyRepr(head)); // Python's KeyError
    for (const a of attrs) value = lookupMember(value, a);
    if (conv === '!r') value = pyRepr(value);
    return spec ? applySpec(value, spec) : pyStr(value);
  });
}

function stringMethods(s: string): Record<string, Method> {
  return {
    upper: () => s.toUpperCase(),
    lower: () => s.toLowerCase(),
    strip: (c) => stripChars(s, c, true, true),
    lstrip: (c) => stripChars(s, c, true, false),
    rstrip: (c) => stripChars(s, c, false, true),
    split: (sep, max) => pySplit(s, sep, max, false),
    rsplit: (sep, max) => pySplit(s, sep, max, true),
    splitlines: () => s.split(/\r\n|\r|\n/).filter((l, i, all) => !(i === all.length - 1 && l === '')),
    startswith: (p) => (Array.isArray(p) ? p : [p]).some((x) => s.startsWith(String(x))),
    endswith: (p) => (Array.isArray(p) ? p : [p]).some((x) => s.endsWith(String(x))),
    replace: (a, b, count) => {
      if (typeof count !== 'number' || count < 0) return s.split(String(a)).join(String(b));
      const parts = s.split(String(a));
      return parts.slice(0, count + 1).join(String(b)) + (parts.length > count + 1 ? String(a) + parts.slice(count + 1).join(String(a)) : '');
    },
    find: (sub) => s.indexOf(String(sub)),
    rfind: (sub) => s.lastIndexOf(String(sub)),
    index: (sub) => {
      const i = s.indexOf(String(sub));
      if (i < 0) throw new PyError('substring not found');
      return i;
    },
    count: (sub) => (String(sub) === '' ? s.length + 1 : s.split(String(sub)).length - 1),
    join: (items) => (items as unknown[]).map((i) => pyStr(i)).join(s),
    format: (...args) => formatMethod(s, args),
    isdigit: () => /^[0-9]+$/.test(s),
    isalpha: () => /^\p{L}+$/u.test(s),
    isalnum: () => /^[\p{L}0-9]+$/u.test(s),
    isspace: () => /^\s+$/.test(s),
    islower: () => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
    isupper: () => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
    capitalize: () => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
    title: () => s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
    zfill: (w) => (s.startsWith('-') ? '-' + s.slice(1).padStart(Number(w) - 1, '0') : s.padStart(Number(w), '0')),
    center: (w) => {
      const total = Math.max(0, Number(w) - s.length);
      const left = Math.floor(total / 2) + (total % 2 && Number(w) % 2 ? 1 : 0);
      return ' '.repeat(left) + s + ' '.repeat(total - left);
    },
    ljust: (w, f) => s.padEnd(Number(w), typeof f === 'string' ? f : ' '),
    rjust: (w, f) => s.padStart(Number(w), typeof f === 'string' ? f : ' '),
  };
}

function listMethods(l: unknown[]): Record<string, Method> {
  return {
    index: (v) => {
      const i = l.findIndex((x) => pyEquals(x, v));
      if (i < 0) throw new PyError(`${pyRepr(v)} is not in list`);
      return i;
    },
    count: (v) => l.filter((x) => pyEquals(x, v)).length,
    copy: () => [...l],
  };
}

function dictMethods(d: Record<string, unknown>): Record<string, Method> {
  return {
    keys: () => Object.keys(d),
    values: () => Object.values(d),
    items: () => Object.entries(d).map(tuple),
    get: (k, dflt) => (typeof k === 'string' && hasOwn(d, k) ? d[k] : dflt ?? null),
    copy: () => ({ ...d }),
  };
}

function noAttribute(obj: unknown, key: unknown): Undefined {
  const owner = obj === null || obj === undefined ? "'None'" : `'${pyTypeName(obj)} object'`;
  return new Undefined(`${owner} has no attribute ${pyRepr(typeof key === 'string' ? key : pyStr(key))}`);
}

function indexInto<T>(items: T[], key: number, what: string): T | Undefined {
  const i = key < 0 ? key + items.length : key;
  if (!Number.isInteger(key) || i < 0 || i >= items.length) {
    return new Undefined(`${what} object has no element ${key}`);
  }
  return items[i]!;
}

/**
 * `obj.key` / `obj[key]` with Jinja semantics (Undefined for missing, not an exception).
 * An allow-list (see sandbox.ts): strings, lists and dicts give their items and the Python
 * methods of the tables above, dicts only their OWN keys, namespaces their attributes. Nothing
 * else has attributes: not functions (globals, macros, caller, the methods themselves), not
 * numbers, not any other object, so no JavaScript internal (`constructor`, `__proto__`) is
 * reachable from a template.
 */
export function lookupMember(obj: unknown, key: unknown): unknown {
  if (obj instanceof Undefined) return obj;
  if (key instanceof Undefined) key.fail();
  // A macro's output (nunjucks SafeString) is a str, like Jinja's Markup.
  if (obj instanceof SafeString) obj = String(obj);
  const slice = key instanceof SliceKey ? key : Array.isArray(key) && key.length === 1 && key[0] instanceof SliceKey ? key[0] : null;
  if (typeof obj === 'string') {
    if (slice) return slice.apply(Array.from(obj)).join('');
    if (typeof key === 'number') return indexInto(Array.from(obj), key, 'str');
    return method(stringMethods(obj), obj, key);
  }
  if (Array.isArray(obj)) {
    if (slice) return slice.apply(obj);
    if (typeof key === 'number' || typeof key === 'boolean') return indexInto(obj, Number(key), 'list');
    return method(listMethods(obj), obj, key);
  }
  if (obj instanceof LazyMapping) {
    const k = typeof key === 'string' ? key : pyStr(key);
    if (obj.has(k)) return obj.get(k);
    return noAttribute(obj, key);
  }
  if (isMapping(obj)) {
    const k = typeof key === 'string' ? key : pyStr(key);
    if (hasOwn(obj, k)) return obj[k];
    return method(dictMethods(obj), obj, k);
  }
  if (obj instanceof Namespace) {
    const k = typeof key === 'string' ? key : pyStr(key);
    if (obj.has(k)) return obj.get(k);
    return new Undefined(`'jinja2.utils.Namespace object' has no attribute ${pyRepr(k)}`);
  }
  return noAttribute(obj, key);
}

function method(table: Record<string, Method>, obj: unknown, key: unknown): Method | Undefined {
  return typeof key === 'string' && hasOwn(table, key) ? table[key]! : noAttribute(obj, key);
}
