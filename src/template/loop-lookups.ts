/**
 * ansible-core 2.14's list-building lookups, for `query('nested', ...)` in templates and for the
 * with_items, with_list, with_dict, with_indexed_items, with_nested, with_together,
 * with_subelements and with_sequence loops (their `terms` are the loop's templated value,
 * listified as Ansible's task executor does). Ported from plugins/lookup/{items,list,dict,
 * indexed_items,nested,together,subelements,sequence}.py, quirks included: a string is iterated
 * by character, a mapping by key, and subelements' first item lacks the subkey.
 */
import { PyError } from './errors.js';
import { parseKv } from './kv.js';
import { percentFormat } from './operators.js';
import { deepCopy, isMapping, pyIterate, pyRepr, pyStr } from './pyvalue.js';
import { LazyMapping, tuple } from './pytypes.js';
import { intBase0 } from '../python/int-literal.js';
import { boolean } from '../python/boolean.js';

/** The lookups that take their terms as given (a mapping stays one); the others iterate them. */
const LOOP_LOOKUPS = {
  items,
  list,
  dict,
  // as ansible-playbook 2.14 shows them, a with_indexed_items item is a list, not the tuple
  indexed_items: (terms: unknown) => indexedItems(terms).map((pair) => [...(pair as unknown[])]),
  nested: (terms: unknown) => nested(pyIterate(terms)),
  together: (terms: unknown) => together(pyIterate(terms)),
  subelements: (terms: unknown) => subelements(pyIterate(terms)),
  sequence: (terms: unknown) => sequence(pyIterate(terms)),
};

/** A with_<name> loop's items: the lookup run on its templated value, listified. */
export function loopLookup(name: keyof typeof LOOP_LOOKUPS, value: unknown): unknown[] {
  return LOOP_LOOKUPS[name](listify(value));
}

/** The terms a with_<lookup> loop hands its lookup: the loop's templated value, listified. */
export function lookupTerms(value: unknown): unknown[] {
  return pyIterate(listify(value));
}

/** listify_lookup_plugin_terms on a templated value: a string or a non-iterable is one term. */
function listify(terms: unknown): unknown {
  return Array.isArray(terms) || isMapping(terms) ? terms : [terms];
}

/** The lookups' _flatten: one level, lists only. */
function flatten(terms: unknown): unknown[] {
  return pyIterate(terms).flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** items.py: the terms, lists among them flattened one level. */
export function items(terms: unknown): unknown[] {
  return flatten(terms);
}

/** list.py: the terms as given. */
export function list(terms: unknown): unknown[] {
  if (!Array.isArray(terms)) throw new PyError('with_list expects a list');
  return terms;
}

/** dict.py: each mapping's {key, value} pairs (a lone mapping is one term). */
export function dict(terms: unknown): unknown[] {
  return (Array.isArray(terms) ? terms : [terms]).flatMap((term) => {
    if (term instanceof LazyMapping) return term.keys().map((key) => ({ key, value: term.get(key) }));
    if (!isMapping(term)) throw new PyError('with_dict expects a dict');
    return Object.entries(term).map(([key, value]) => ({ key, value }));
  });
}

/** indexed_items.py: (index, item) tuples of the terms flattened one level. */
export function indexedItems(terms: unknown): unknown[] {
  if (!Array.isArray(terms)) throw new PyError('with_indexed_items expects a list');
  return flatten(terms).map((item, i) => tuple([i, item]));
}

export function nested(terms: unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw new PyError('with_nested requires at least one element in the nested list');
  let result: unknown = lists[0];
  for (const next of lists.slice(1)) result = pyIterate(result).flatMap((x) => pyIterate(next).map((y) => flatten([x, y])));
  return pyIterate(result).map(flatten);
}

export function together(terms: unknown[]): unknown[] {
  const lists = terms.map((t) => pyIterate(listify(t)));
  if (lists.length === 0) throw new PyError('with_together requires at least one element in each list');
  const length = Math.max(...lists.map((l) => l.length));
  return Array.from({ length }, (_, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))));
}

const SUBELEMENT_FLAGS = ['skip_missing'];

export function subelements(input: unknown[]): unknown[] {
  const terms = [...input];
  const termsError = (msg = '') => new PyError(`subelements lookup expects a list of two or three items, ${msg}`);
  terms[0] = listify(terms[0]);
  if (terms.length < 2 || terms.length > 3) throw termsError();
  const [source, path] = terms;
  if (!(Array.isArray(source) || isMapping(source)) || typeof path !== 'string') {
    throw termsError('first a dict or a list, second a string pointing to the subkey');
  }
  const subkeys = path.split('.');
  let elements: unknown[];
  if (isMapping(source)) {
    if (skipped(source)) return [];
    elements = Object.values(source);
  } else {
    elements = source;
  }
  const flags = terms.length === 3 ? terms[2] : {};
  if (!isMapping(flags) && !pyIterate(flags).every((k) => typeof k === 'string' && SUBELEMENT_FLAGS.includes(k))) {
    // Ansible formats its one-flag tuple with %, which prints the flag alone
    throw termsError(`the optional third item must be a dict with flags ${SUBELEMENT_FLAGS.join(', ')}`);
  }
  const out: unknown[] = [];
  for (const original of elements) {
    if (!isMapping(original)) throw new PyError(`subelements lookup expects a dictionary, got '${pyStr(original)}'`);
    if (skipped(original)) continue;
    const item = deepCopy(original);
    const skipMissing = boolean(isMapping(flags) ? (flags.skip_missing ?? false) : false, false);
    let value: Record<string, unknown> = item;
    let sublist: unknown[] = [];
    subkeys.forEach((subkey, i) => {
      const last = i === subkeys.length - 1;
      if (!Object.prototype.hasOwnProperty.call(value, subkey)) {
        if (skipMissing) return;
        throw new PyError(`could not find '${subkey}' key in iterated item '${pyStr(value)}'`);
      }
      const found = value[subkey];
      if (!last) {
        if (isMapping(found)) value = found;
        else if (!skipMissing) throw new PyError(`the key ${subkey} should point to a dictionary, got '${pyStr(found)}'`);
        return;
      }
      if (!Array.isArray(found)) throw new PyError(`the key ${subkey} should point to a list, got '${pyStr(found)}'`);
      sublist = found;
      delete value[subkey];
    });
    for (const sub of sublist) out.push([item, sub]);
  }
  return out;
}

/** `x.get('skipped', False) is not False`: a registered result that was skipped. */
function skipped(v: Record<string, unknown>): boolean {
  return Object.prototype.hasOwnProperty.call(v, 'skipped') && v.skipped !== false;
}

/** `[start-]end[/stride][:format]`, numbers in any base Python's int(x, 0) reads. */
const SHORTCUT = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/i;

interface Sequence {
  start: number;
  end?: number;
  count?: number;
  stride: number;
  format: string;
}

function integer(name: string, raw: string): number {
  const n = intBase0(raw);
  if (n === undefined) throw new PyError(`can't parse ${name}=${raw} as integer`);
  return n;
}

function parseSequence(term: unknown): Sequence {
  const seq: Sequence = { start: 1, stride: 1, format: '%d' };
  if (typeof term !== 'string') {
    throw new PyError(`unknown error parsing with_sequence arguments: ${pyRepr(term)}. Error was: expected string or bytes-like object`);
  }
  const m = SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) seq.start = integer('start', m[2]);
    seq.end = integer('end', m[3]!);
    if (m[5] !== undefined) seq.stride = integer('stride', m[5]);
    if (m[7] !== undefined) seq.format = m[7];
    return seq;
  }
  const args: Record<string, string> = { ...parseKv(term, false) };
  for (const name of ['start', 'end', 'count', 'stride'] as const) {
    const raw = args[name];
    delete args[name];
    if (raw !== undefined) seq[name] = integer(name, raw);
  }
  if ('format' in args) {
    seq.format = args.format!;
    delete args.format;
  }
  const left = Object.keys(args);
  if (left.length) throw new PyError(`unrecognized arguments to with_sequence: ${pyRepr(left)}`);
  return seq;
}

export function sequence(terms: unknown[]): string[] {
  const out: string[] = [];
  for (const term of terms) {
    const seq = parseSequence(term);
    let { start, end, stride } = seq;
    if (seq.count === undefined && end === undefined) throw new PyError('must specify count or end in with_sequence');
    if (seq.count !== undefined && end !== undefined) throw new PyError("can't specify both count and end in with_sequence");
    if (seq.count !== undefined) {
      if (seq.count !== 0) end = start + seq.count * stride - 1;
      else [start, end, stride] = [0, 0, 0];
    }
    if (stride > 0 && end! < start) throw new PyError('to count backwards make stride negative');
    if (stride < 0 && end! > start) throw new PyError("to count forward don't make stride negative");
    if (seq.format.split('%').length - 1 !== 1) throw new PyError(`bad formatting string: ${seq.format}`);
    if (stride === 0) continue;
    const stop = end! + (stride > 0 ? 1 : -1);
    for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) out.push(formatted(seq.format, i));
  }
  return out;
}

function formatted(format: string, i: number): string {
  try {
    return percentFormat(format, i);
  } catch {
    throw new PyError(`problem formatting ${i} with ${pyRepr(format)}`);
  }
}
