/** Jinja2 builtin filters and Ansible's core filters with Python semantics. */
import { createHash } from 'node:crypto';
import { checkDataDepth } from '../yaml/guard.js';
import { safeLoad, safeLoadAll, YamlError } from '../yaml/load.js';
import { bind, splitArgs } from './args.js';
import { PyError } from './errors.js';
import { lookupMember } from './methods.js';
import { percentFormat } from './operators.js';
import {
  isMapping, pyCompare, pyEquals, pyIterate, pyLength, pyRepr, pyStr, pyTruthy, pyTypeName, type Mapping,
} from './pyvalue.js';
import { expandReplacement, pyRegex } from './regex.js';
import { pyJson } from './serialize.js';
import { ansibleToBool, expandHome, TESTS } from './tests.js';
import { isFloat, isTuple, numberOf, PyFloat, pyFloat, tuple } from './pytypes.js';
import { humanReadable, humanToBytes, pythonJsonError } from './ansible-extra.js';
import { Undefined } from './undefined.js';
import { dumpYaml } from './yamldump.js';
import { filterNamed, hasOwn, setItem, testNamed, type Registry } from './sandbox.js';
import { intBase0 } from '../python/int-literal.js';

/** `this` inside a filter: the nunjucks Context (its env has our filters and tests). */
interface FilterThis {
  env: Registry;
}
type FilterFn = (this: FilterThis, value: unknown, ...args: unknown[]) => unknown;

/** Filters whose text output Ansible keeps as text (C.STRING_TYPE_FILTERS). */
export const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml']);

/** Filters that accept Undefined input; all others fail on it like Jinja's StrictUndefined. */
export const UNDEFINED_OK = new Set(['default', 'd', 'mandatory']);

/** Bad YAML (or JSON nested too deep) fails the filter, as PyYAML's errors do in Ansible. */
function yamlFilter<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof YamlError) throw new PyError(err.message);
    throw err;
  }
}

function need<T>(v: T): Exclude<T, Undefined> {
  if (v instanceof Undefined) v.fail();
  return v as Exclude<T, Undefined>;
}

function attrGetter(attribute: unknown): (item: unknown) => unknown {
  const parts = String(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => parts.reduce<unknown>((obj, p) => lookupMember(obj, p), item);
}

function sortKey(v: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
}

function uniqueList(items: unknown[], caseSensitive = true, attribute?: unknown): unknown[] {
  const get = attribute === undefined || attribute === null ? (x: unknown) => x : attrGetter(attribute);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const key = sortKey(get(item), caseSensitive);
    if (!seen.some((s) => pyEquals(s, key))) {
      seen.push(key);
      out.push(item);
    }
  }
  return out;
}

function toInt(value: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  need(value);
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') return Math.trunc(value);
  if (value instanceof PyFloat) return value.value;
  const s = String(value).trim().replace(/_/g, '');
  const b = Number(base);
  if (b === 0) {
    // Python's int(value, 0), else Jinja's do_int quirk: int(float(value))
    const n = intBase0(String(value));
    if (n !== undefined) return n;
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Math.trunc(Number(s)) : dflt;
  }
  if (b !== 10) {
    const body = s.replace(/^0[xob]/i, '');
    const n = parseInt(body, b);
    return Number.isNaN(n) ? dflt : n;
  }
  if (/^[-+]?\d+$/.test(s)) return parseInt(s, 10);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(Number(s));
  return dflt;
}

function toFloat(value: unknown, dflt: unknown = 0): unknown {
  need(value);
  const n = numberOf(value);
  if (n !== null) return pyFloat(n);
  const s = String(value).trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^[-+]?(inf|infinity|nan)$/i.test(s)) return pyFloat(Number(s.replace(/inf(inity)?/i, 'Infinity')));
  return dflt;
}

function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s) && /^[\x00-\x7f]*$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

function combine(terms: unknown[], recursive: boolean, listMerge: string): Mapping {
  const result: Mapping = {};
  const merge = (a: Mapping, b: Mapping): Mapping => {
    const out: Mapping = { ...a };
    for (const [k, bv] of Object.entries(b)) {
      const av = hasOwn(out, k) ? out[k] : undefined;
      if (recursive && isMapping(av) && isMapping(bv)) setItem(out, k, merge(av, bv));
      else if (Array.isArray(av) && Array.isArray(bv)) setItem(out, k, mergeLists(av, bv, listMerge));
      else setItem(out, k, bv);
    }
    return out;
  };
  let acc = result;
  for (const t of terms.flat()) {
    if (!isMapping(t)) {
      throw new PyError(`failed to combine variables, expected dicts but got a 'dict' and a '${pyTypeName(t)}': \n${pyStr(acc)}\n${pyStr(t)}`);
    }
    acc = merge(acc, t);
  }
  return acc;
}

function mergeLists(a: unknown[], b: unknown[], mode: string): unknown[] {
  switch (mode) {
    case 'replace': return b;
    case 'keep': return a;
    case 'append': return [...a, ...b];
    case 'prepend': return [...b, ...a];
    case 'append_rp': return [...a.filter((x) => !b.some((y) => pyEquals(x, y))), ...b];
    case 'prepend_rp': return [...b, ...a.filter((x) => !b.some((y) => pyEquals(x, y)))];
    default: throw new PyError(`'${mode}' is not a valid list_merge value`);
  }
}

function flatten(items: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (skipNulls && (item === null || item === 'None')) continue;
    if (Array.isArray(item) && (levels === null || levels > 0)) out.push(...flatten(item, levels === null ? null : levels - 1, skipNulls));
    else out.push(item);
  }
  return out;
}

function selectOrReject(ctx: FilterThis, items: unknown, args: unknown[], select: boolean, byAttr: boolean): unknown[] {
  const list = pyIterate(need(items));
  const { pos, kw } = splitArgs(args);
  let get = (x: unknown) => x;
  let rest = pos;
  if (byAttr) {
    get = attrGetter(pos[0]);
    rest = pos.slice(1);
  }
  let check: (v: unknown) => boolean;
  if (rest.length === 0) check = (v) => pyTruthy(v);
  else {
    const test = testNamed(ctx.env, String(rest[0]));
    const targs = rest.slice(1);
    const kwArgs = Object.keys(kw).length ? [{ ...kw, __keywords: true }] : [];
    check = (v) => test.call(ctx, v, ...targs, ...kwArgs) === true;
  }
  return list.filter((item) => check(get(item)) === select);
}

function b64decode(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

function doIndent(s: string, width: unknown = 4, first = false, blank = false): string {
  const ind = typeof width === 'string' ? width : ' '.repeat(Number(width));
  const lines = (s + '\n').split(/\r\n|\r|\n/);
  lines.pop();
  let rv: string;
  if (blank) rv = lines.join('\n' + ind);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += '\n' + lines.map((l) => (l ? ind + l : l)).join('\n');
  }
  return first ? ind + rv : rv;
}

function pyRound(value: number, precision: number, method: string): number {
  const f = 10 ** precision;
  if (method === 'ceil') return Math.ceil(value * f) / f;
  if (method === 'floor') return Math.floor(value * f) / f;
  // Python round(): half to even.
  const x = value * f;
  const r = Math.round(x);
  const even = Math.abs(x % 1) === 0.5 ? (r % 2 === 0 ? r : r - 1) : r;
  return even / f;
}

function groupBy(items: unknown[], attribute: unknown): unknown[] {
  const get = attrGetter(attribute);
  const sorted = [...items].sort((a, b) => pyCompare(get(a), get(b)));
  const out: [unknown, unknown[]][] = [];
  for (const item of sorted) {
    const k = get(item);
    const last = out[out.length - 1];
    if (last && pyEquals(last[0], k)) last[1].push(item);
    else out.push([k, [item]]);
  }
  return out;
}

export const FILTERS: Record<string, FilterFn> = {
  default(value, ...args) {
    const a = bind(args, 'default', ['default_value', 'boolean'], { default_value: '', boolean: false });
    if (value instanceof Undefined || (a.boolean && !pyTruthy(value))) return a.default_value;
    return value;
  },
  mandatory(value, ...args) {
    const a = bind(args, 'mandatory', ['msg']);
    if (value instanceof Undefined) {
      const name = value.variable !== undefined ? `'${value.variable}' ` : '';
      throw new PyError(a.msg !== undefined && a.msg !== null ? String(a.msg) : `Mandatory variable ${name} not defined.`);
    }
    return value;
  },
  bool: (value) => ansibleToBool(value),
  int(value, ...args) {
    const a = bind(args, 'int', ['default', 'base'], { default: 0, base: 10 });
    return toInt(value, a.default, a.base);
  },
  float(value, ...args) {
    const a = bind(args, 'float', ['default'], { default: 0 });
    return toFloat(value, a.default);
  },
  string: (value) => pyStr(value),
  lower: (value) => pyStr(value).toLowerCase(),
  upper: (value) => pyStr(value).toUpperCase(),
  capitalize: (value) => { const s = pyStr(value); return s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s; },
  title: (value) => pyStr(value).toLowerCase().replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
  trim(value, ...args) {
    const a = bind(args, 'trim', ['chars']);
    const s = pyStr(value);
    if (a.chars === undefined || a.chars === null) return s.trim();
    const chars = String(a.chars);
    let i = 0;
    let j = s.length;
    while (i < j && chars.includes(s[i]!)) i++;
    while (j > i && chars.includes(s[j - 1]!)) j--;
    return s.slice(i, j);
  },
  replace(value, ...args) {
    const a = bind(args, 'replace', ['old', 'new', 'count']);
    const s = pyStr(value);
    const parts = s.split(String(a.old));
    if (a.count === undefined || a.count === null) return parts.join(String(a.new));
    const c = Number(a.count);
    return parts.slice(0, c + 1).join(String(a.new)) + (parts.length > c + 1 ? String(a.old) + parts.slice(c + 1).join(String(a.old)) : '');
  },
  join(value, ...args) {
    const a = bind(args, 'join', ['d', 'attribute'], { d: '' });
    let items = pyIterate(need(value));
    if (a.attribute !== undefined && a.attribute !== null) items = items.map(attrGetter(a.attribute));
    return items.map((i) => pyStr(i)).join(pyStr(a.d));
  },
  split(value, ...args) {
    const a = bind(args, 'split', ['sep', 'maxsplit'], { sep: null, maxsplit: -1 });
    return (lookupMember(pyStr(need(value)), 'split') as (...x: unknown[]) => unknown)(a.sep, a.maxsplit);
  },
  length: (value) => pyLength(value),
  count: (value) => pyLength(value),
  list: (value) => [...pyIterate(value)],
  first: (value) => { const l = pyIterate(value); return l.length ? l[0] : new Undefined('No first item, sequence was empty.'); },
  last: (value) => { const l = pyIterate(value); return l.length ? l[l.length - 1] : new Undefined('No last item, sequence was empty.'); },
  reverse: (value) => (typeof need(value) === 'string' ? Array.from(value as string).reverse().join('') : [...pyIterate(value)].reverse()),
  unique(value, ...args) {
    const a = bind(args, 'unique', ['case_sensitive', 'attribute']);
    return uniqueList(pyIterate(need(value)), Boolean(a.case_sensitive), a.attribute);
  },
  sort(value, ...args) {
    const a = bind(args, 'sort', ['reverse', 'case_sensitive', 'attribute'], { reverse: false, case_sensitive: false });
    const cs = Boolean(a.case_sensitive);
    // Jinja 3.1: attribute='a,b' sorts by a, then b.
    const getters = a.attribute === undefined || a.attribute === null
      ? [(x: unknown) => x]
      : String(a.attribute).split(',').map((name) => attrGetter(name.trim()));
    const key = (x: unknown) => getters.map((g) => sortKey(need(g(x)), cs));
    const sorted = [...pyIterate(need(value))].sort((x, y) => pyCompare(key(x), key(y)));
    return a.reverse ? sorted.reverse() : sorted;
  },
  dictsort(value, ...args) {
    const a = bind(args, 'dictsort', ['case_sensitive', 'by', 'reverse'], { case_sensitive: false, by: 'key', reverse: false });
    const idx = a.by === 'value' ? 1 : 0;
    const cs = Boolean(a.case_sensitive);
    const items = Object.entries(need(value) as Mapping).map(tuple).sort((x, y) => pyCompare(sortKey(x[idx], cs), sortKey(y[idx], cs)));
    return a.reverse ? items.reverse() : items;
  },
  min(value, ...args) {
    const a = bind(args, 'min', ['case_sensitive', 'attribute'], { case_sensitive: false });
    const get = a.attribute ? attrGetter(a.attribute) : (x: unknown) => x;
    const l = pyIterate(need(value));
    return l.reduce((m, x) => (pyCompare(sortKey(get(x), Boolean(a.case_sensitive)), sortKey(get(m), Boolean(a.case_sensitive))) < 0 ? x : m), l[0]);
  },
  max(value, ...args) {
    const a = bind(args, 'max', ['case_sensitive', 'attribute'], { case_sensitive: false });
    const get = a.attribute ? attrGetter(a.attribute) : (x: unknown) => x;
    const l = pyIterate(need(value));
    return l.reduce((m, x) => (pyCompare(sortKey(get(x), Boolean(a.case_sensitive)), sortKey(get(m), Boolean(a.case_sensitive))) > 0 ? x : m), l[0]);
  },
  sum(value, ...args) {
    const a = bind(args, 'sum', ['attribute', 'start'], { start: 0 });
    const get = a.attribute ? attrGetter(a.attribute) : (x: unknown) => x;
    const items = pyIterate(need(value)).map((x) => need(get(x)));
    const total = items.reduce<number>((s, x) => s + Number(x), Number(a.start));
    return items.some(isFloat) || isFloat(a.start) ? pyFloat(total) : total;
  },
  abs: (value) => (isFloat(need(value)) ? pyFloat(Math.abs(Number(value))) : Math.abs(Number(value))),
  round(value, ...args) {
    const a = bind(args, 'round', ['precision', 'method'], { precision: 0, method: 'common' });
    const n = pyRound(Number(need(value)), Number(a.precision), String(a.method));
    // Python: round(int, 0) stays int; floats (and ceil/floor on anything) give floats.
    return isFloat(value) || a.method !== 'common' ? pyFloat(n) : n;
  },
  to_json(value, ...args) {
    const a = bind(args, 'to_json', ['indent', 'sort_keys', 'ensure_ascii', 'separators', 'vault_to_text', 'preprocess_unsafe'], { indent: null, sort_keys: false });
    return pyJson(value, a.indent === null ? null : Number(a.indent), Boolean(a.sort_keys));
  },
  to_nice_json(value, ...args) {
    const a = bind(args, 'to_nice_json', ['indent', 'sort_keys'], { indent: 4, sort_keys: true });
    return pyJson(value, Number(a.indent), Boolean(a.sort_keys));
  },
  to_yaml(value, ...args) {
    const a = bind(args, 'to_yaml', ['indent', 'default_flow_style', 'sort_keys', 'width'], { indent: 2, default_flow_style: null, sort_keys: true });
    return dumpYaml(need(value), { indent: Number(a.indent), flow: a.default_flow_style as boolean | null, sortKeys: Boolean(a.sort_keys) });
  },
  to_nice_yaml(value, ...args) {
    const a = bind(args, 'to_nice_yaml', ['indent', 'sort_keys', 'width', 'default_flow_style'], { indent: 4, sort_keys: true, default_flow_style: false });
    return dumpYaml(need(value), { indent: Number(a.indent), flow: a.default_flow_style as boolean | null, sortKeys: Boolean(a.sort_keys) });
  },
  from_json(value) {
    const text = pyStr(need(value));
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new PyError(pythonJsonError(text) ?? `from_json: ${(err as Error).message}`);
    }
    yamlFilter(() => checkDataDepth(data));
    return data;
  },
  from_yaml(value) {
    need(value);
    if (typeof value !== 'string') return value;
    return yamlFilter(() => safeLoad(value));
  },
  from_yaml_all(value) {
    need(value);
    if (typeof value !== 'string') return value;
    return yamlFilter(() => safeLoadAll(value));
  },
  regex_replace(value, ...args) {
    const a = bind(args, 'regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline'], { replacement: '', ignorecase: false, multiline: false });
    const re = pyRegex(String(a.pattern), { global: true, ignorecase: Boolean(a.ignorecase), multiline: Boolean(a.multiline) });
    return pyStr(need(value)).replace(re, (...m) => {
      const hasGroups = typeof m[m.length - 1] === 'object';
      const groups = hasGroups ? (m[m.length - 1] as Record<string, string>) : undefined;
      const caps = m.slice(0, hasGroups ? -3 : -2) as string[];
      return expandReplacement(String(a.replacement), caps, groups);
    });
  },
  regex_search(value, ...args) {
    const { pos, kw } = splitArgs(args);
    const re = pyRegex(String(pos[0]), { ignorecase: Boolean(kw.ignorecase), multiline: Boolean(kw.multiline) });
    const m = re.exec(pyStr(need(value)));
    if (!m) return null;
    const refs = pos.slice(1).map(String);
    if (refs.length === 0) return m[0];
    return refs.map((r) => {
      const g = /^\\g<(\w+)>$/.exec(r);
      if (g) return /^\d+$/.test(g[1]!) ? m[Number(g[1])] : m.groups?.[g[1]!];
      const n = /^\\(\d+)$/.exec(r);
      if (n) return m[Number(n[1])];
      throw new PyError(`Unknown argument: ${r}`);
    });
  },
  regex_findall(value, ...args) {
    const a = bind(args, 'regex_findall', ['regex', 'multiline', 'ignorecase'], { multiline: false, ignorecase: false });
    const re = pyRegex(String(a.regex), { global: true, ignorecase: Boolean(a.ignorecase), multiline: Boolean(a.multiline) });
    return Array.from(pyStr(need(value)).matchAll(re), (m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] : m.slice(1)));
  },
  regex_escape: (value) => pyStr(need(value)).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&'),
  b64encode: (value) => Buffer.from(pyStr(need(value)), 'utf8').toString('base64'),
  b64decode: (value) => b64decode(pyStr(need(value))),
  combine(value, ...args) {
    const { pos, kw } = splitArgs(args);
    for (const k of Object.keys(kw)) if (k !== 'recursive' && k !== 'list_merge') throw new PyError(`'${k}' is an invalid keyword argument for combine()`);
    return combine([need(value), ...pos], Boolean(kw.recursive), String(kw.list_merge ?? 'replace'));
  },
  dict2items(value, ...args) {
    const a = bind(args, 'dict2items', ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' });
    if (!isMapping(need(value))) throw new PyError(`dict2items requires a dictionary, got <class '${pyTypeName(value)}'> instead.`);
    return Object.entries(value as Mapping).map(([k, v]) => ({ [String(a.key_name)]: k, [String(a.value_name)]: v }));
  },
  items2dict(value, ...args) {
    const a = bind(args, 'items2dict', ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' });
    if (!Array.isArray(need(value))) throw new PyError(`items2dict requires a list, got <class '${pyTypeName(value)}'> instead.`);
    const out: Mapping = {};
    const [k, v] = [String(a.key_name), String(a.value_name)];
    for (const item of value as unknown[]) {
      if (!isMapping(item)) throw new PyError(`items2dict requires a list of dictionaries, got ${pyStr(value)} instead.`);
      if (!hasOwn(item, k) || !hasOwn(item, v)) {
        throw new PyError(`items2dict requires each dictionary in the list to contain the keys '${k}' and '${v}', got ${pyStr(value)} instead.`);
      }
      setItem(out, pyStr(item[k]), item[v]);
    }
    return out;
  },
  selectattr(value, ...args) { return selectOrReject(this, value, args, true, true); },
  rejectattr(value, ...args) { return selectOrReject(this, value, args, false, true); },
  select(value, ...args) { return selectOrReject(this, value, args, true, false); },
  reject(value, ...args) { return selectOrReject(this, value, args, false, false); },
  map(value, ...args) {
    const items = pyIterate(need(value));
    const { pos, kw } = splitArgs(args);
    if (pos.length === 0 && kw.attribute !== undefined) {
      const get = attrGetter(kw.attribute);
      const hasDefault = Object.prototype.hasOwnProperty.call(kw, 'default');
      return items.map((i) => {
        const v = get(i);
        return v instanceof Undefined && hasDefault ? kw.default : v;
      });
    }
    const filter = filterNamed(this.env, String(pos[0]));
    const kwArgs = Object.keys(kw).length ? [{ ...kw, __keywords: true }] : [];
    return items.map((i) => filter.call(this, i, ...pos.slice(1), ...kwArgs));
  },
  attr(value, name) {
    need(value);
    if (isMapping(value)) {
      const m = lookupMember(value, name);
      return Object.prototype.hasOwnProperty.call(value, String(name)) ? new Undefined(`'dict object' has no attribute '${String(name)}'`) : m;
    }
    return lookupMember(value, name);
  },
  quote: (value) => shellQuote(pyStr(value === null ? '' : need(value))),
  basename: (value) => { const s = pyStr(need(value)); return s.slice(s.lastIndexOf('/') + 1); },
  dirname: (value) => { const s = pyStr(need(value)); const i = s.lastIndexOf('/'); const head = i < 0 ? '' : s.slice(0, i + 1); return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head; },
  splitext(value) {
    const s = pyStr(need(value));
    const base = s.slice(s.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return tuple([s, '']);
    const cut = s.length - base.length + dot;
    return tuple([s.slice(0, cut), s.slice(cut)]);
  },
  expanduser: (value) => expandHome(pyStr(need(value))),
  difference: (a, b) => uniqueList(pyIterate(need(a)).filter((x) => !pyIterate(need(b)).some((y) => pyEquals(x, y)))),
  intersect: (a, b) => uniqueList(pyIterate(need(a)).filter((x) => pyIterate(need(b)).some((y) => pyEquals(x, y)))),
  union: (a, b) => uniqueList([...pyIterate(need(a)), ...pyIterate(need(b))]),
  symmetric_difference(a, b) {
    const la = pyIterate(need(a));
    const lb = pyIterate(need(b));
    return uniqueList([...la.filter((x) => !lb.some((y) => pyEquals(x, y))), ...lb.filter((y) => !la.some((x) => pyEquals(x, y)))]);
  },
  ternary(value, ...args) {
    const a = bind(args, 'ternary', ['true_val', 'false_val', 'none_val'], { none_val: null });
    if (need(value) === null && a.none_val !== null) return a.none_val;
    return pyTruthy(value) ? a.true_val : a.false_val;
  },
  flatten(value, ...args) {
    const a = bind(args, 'flatten', ['levels', 'skip_nulls'], { levels: null, skip_nulls: true });
    return flatten(pyIterate(need(value)), a.levels === null ? null : Number(a.levels), Boolean(a.skip_nulls));
  },
  zip(value, ...others) {
    const lists = [value, ...others].map((l) => pyIterate(need(l)));
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => l[i])));
  },
  batch(value, ...args) {
    const a = bind(args, 'batch', ['linecount', 'fill_with'], { fill_with: null });
    const items = pyIterate(need(value));
    const n = Number(a.linecount);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    const last = out[out.length - 1];
    if (last && a.fill_with !== null) while (last.length < n) last.push(a.fill_with);
    return out;
  },
  groupby: (value, attribute) => groupBy(pyIterate(need(value)), attribute),
  format: (value, ...args) => percentFormat(pyStr(need(value)), splitArgs(args).pos),
  indent(value, ...args) {
    const a = bind(args, 'indent', ['width', 'first', 'blank'], { width: 4, first: false, blank: false });
    return doIndent(pyStr(need(value)), a.width, Boolean(a.first), Boolean(a.blank));
  },
  wordcount: (value) => (pyStr(need(value)).match(/\w+/gu) ?? []).length,
  hash(value, ...args) {
    const a = bind(args, 'hash', ['hashtype'], { hashtype: 'sha1' });
    return createHash(String(a.hashtype)).update(pyStr(need(value)), 'utf8').digest('hex');
  },
  checksum: (value) => createHash('sha1').update(pyStr(need(value)), 'utf8').digest('hex'),
  md5: (value) => createHash('md5').update(pyStr(need(value)), 'utf8').digest('hex'),
  sha1: (value) => createHash('sha1').update(pyStr(need(value)), 'utf8').digest('hex'),
  urlencode: (value) =>
    encodeURIComponent(pyStr(need(value)))
      .replace(/%2F/g, '/')
      .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
  comment(value, ...args) {
    const a = bind(args, 'comment', ['style', 'decoration', 'prefix', 'postfix'], { style: 'plain' });
    const styles: Record<string, { decoration: string; prefix: string; postfix: string }> = {
      plain: { decoration: '# ', prefix: '#', postfix: '#' },
      erlang: { decoration: '% ', prefix: '%', postfix: '%' },
      c: { decoration: '// ', prefix: '//', postfix: '//' },
      cblock: { decoration: ' * ', prefix: '/*', postfix: ' */' },
      xml: { decoration: '   - ', prefix: '<!--', postfix: '-->' },
    };
    const st = { ...(styles[String(a.style)] ?? styles.plain!) };
    if (typeof a.decoration === 'string') st.decoration = a.decoration;
    const body = pyStr(need(value)).split('\n').map((l) => (st.decoration + l).replace(/\s+$/, '') || st.decoration.trimEnd()).join('\n');
    return `${st.prefix}\n${body}\n${st.postfix}`;
  },
  extract(item, container, morekeys) {
    let v = lookupMember(need(container), need(item));
    if (morekeys !== undefined && morekeys !== null) for (const k of Array.isArray(morekeys) ? morekeys : [morekeys]) v = lookupMember(v, k);
    return v;
  },
  type_debug: (value) => (isTuple(value) ? 'tuple' : pyTypeName(value)),
  path_join: (value) => {
    const parts = typeof value === 'string' ? [value] : pyIterate(need(value)).map((p) => pyStr(p));
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '');
  },
  product(value, ...args) {
    const lists = [value, ...splitArgs(args).pos].map((l) => pyIterate(need(l)));
    return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]).map(tuple);
  },
  zip_longest(value, ...args) {
    const { pos, kw } = splitArgs(args);
    const lists = [value, ...pos].map((l) => pyIterate(need(l)));
    const n = Math.max(...lists.map((l) => l.length));
    const fill = Object.prototype.hasOwnProperty.call(kw, 'fillvalue') ? kw.fillvalue : null;
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  },
  log(value, base) {
    const x = Number(need(value));
    return pyFloat(base === undefined ? Math.log(x) : Math.log(x) / Math.log(Number(base)));
  },
  pow: (value, y) => pyFloat(Number(need(value)) ** Number(y)),
  root(value, base = 2) {
    const x = Number(need(value));
    return pyFloat(Number(base) === 2 ? Math.sqrt(x) : x ** (1 / Number(base)));
  },
  human_to_bytes(value, ...args) {
    const a = bind(args, 'human_to_bytes', ['default_unit', 'isbits'], { default_unit: null, isbits: false });
    return humanToBytes(pyStr(need(value)), a.default_unit as string | null, Boolean(a.isbits));
  },
  human_readable(value, ...args) {
    const a = bind(args, 'human_readable', ['isbits', 'unit'], { isbits: false, unit: null });
    return humanReadable(Number(need(value)), Boolean(a.isbits), a.unit as string | null);
  },
  items: (value) => Object.entries(need(value) as Mapping).map(tuple),
  subelements(value, ...args) {
    const a = bind(args, 'subelements', ['subelements', 'skip_missing'], { skip_missing: false });
    const keys = String(a.subelements).split('.');
    const out: unknown[] = [];
    for (const item of pyIterate(need(value))) {
      let sub: unknown = item;
      for (const k of keys) {
        sub = isMapping(sub) && Object.prototype.hasOwnProperty.call(sub, k) ? sub[k] : undefined;
        if (sub === undefined) break;
      }
      if (sub === undefined) {
        if (a.skip_missing) continue;
        throw new PyError(`could not find '${String(a.subelements)}' key in iterated item '${pyStr(item)}'`);
      }
      if (!Array.isArray(sub)) throw new PyError('the key %s should point to a list, got %s'.replace('%s', String(a.subelements)).replace('%s', pyRepr(sub)));
      for (const s of sub) out.push(tuple([item, s]));
    }
    return out;
  },
  dict: (value) => Object.fromEntries(pyIterate(need(value)).map((p) => [pyStr((p as unknown[])[0]), (p as unknown[])[1]])),
  center(value, width = 80) {
    const s = pyStr(need(value));
    const total = Math.max(0, Number(width) - s.length);
    const left = Math.floor(total / 2);
    return ' '.repeat(left) + s + ' '.repeat(total - left);
  },
};
FILTERS.d = FILTERS.default!;

export { TESTS };
