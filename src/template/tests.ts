/** Jinja2 + Ansible tests (`x is defined`, `v is version('1.0', '>=')`, ...). */
import { boolean } from '../python/boolean.js';
import { bind } from './args.js';
import { pyRegex } from './regex.js';
import { lstatSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { PyError } from './errors.js';
import { isMapping, pyCompare, pyContains, pyEquals, pyIterate, pyTruthy } from './pyvalue.js';
import { isFloat, PyFloat } from './pytypes.js';
import { Undefined } from './undefined.js';
import { versionCompare } from './version.js';

type TestFn = (value: unknown, ...args: unknown[]) => boolean;

function defined(v: unknown): v is Exclude<unknown, Undefined> {
  return !(v instanceof Undefined);
}
function need(v: unknown): unknown {
  if (v instanceof Undefined) v.fail();
  return v;
}

function regexTest(kind: 'match' | 'search' | 'fullmatch') {
  return (value: unknown, ...args: unknown[]): boolean => {
    const a = bind(args, kind, ['pattern', 'ignorecase', 'multiline'], { ignorecase: false, multiline: false });
    const re = pyRegex(String(a.pattern), { ignorecase: Boolean(a.ignorecase), multiline: Boolean(a.multiline) });
    const s = String(need(value));
    const m = re.exec(s);
    if (!m) return false;
    if (kind === 'match') return m.index === 0 || pyRegex(`^(?:${String(a.pattern)})`, { ignorecase: Boolean(a.ignorecase), multiline: false }).test(s);
    if (kind === 'fullmatch') return pyRegex(`^(?:${String(a.pattern)})$`, { ignorecase: Boolean(a.ignorecase), multiline: false }).test(s);
    return true;
  };
}

const version: TestFn = (value, ...args) => {
  const a = bind(args, 'version', ['version', 'operator', 'strict', 'version_type'], { operator: 'eq', strict: false });
  return versionCompare(need(value), need(a.version), a.operator, Boolean(a.strict) || a.version_type === 'strict');
};

const isNumber = (v: unknown) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;

export const TESTS: Record<string, TestFn> = {
  defined: (v) => defined(v),
  undefined: (v) => !defined(v),
  none: (v) => need(v) === null,
  string: (v) => typeof need(v) === 'string',
  number: (v) => isNumber(need(v)),
  integer: (v) => typeof need(v) === 'number' && Number.isInteger(v),
  float: (v) => isFloat(need(v)),
  boolean: (v) => typeof need(v) === 'boolean',
  true: (v) => need(v) === true,
  false: (v) => need(v) === false,
  mapping: (v) => isMapping(need(v)),
  sequence: (v) => Array.isArray(need(v)) || typeof v === 'string' || isMapping(v),
  iterable: (v) => Array.isArray(need(v)) || typeof v === 'string' || isMapping(v),
  callable: (v) => typeof need(v) === 'function',
  sameas: (v, other) => need(v) === other,
  lower: (v) => { const s = String(need(v)); return s === s.toLowerCase(); },
  upper: (v) => { const s = String(need(v)); return s === s.toUpperCase(); },
  even: (v) => Number(need(v)) % 2 === 0,
  odd: (v) => Math.abs(Number(need(v)) % 2) === 1,
  divisibleby: (v, n) => Number(need(v)) % Number(n) === 0,
  in: (v, seq) => pyContains(need(seq), need(v)),
  contains: (seq, v) => pyContains(need(seq), need(v)),
  equalto: (a, b) => pyEquals(need(a), b),
  eq: (a, b) => pyEquals(need(a), b),
  '==': (a, b) => pyEquals(need(a), b),
  ne: (a, b) => !pyEquals(need(a), b),
  '!=': (a, b) => !pyEquals(need(a), b),
  lt: (a, b) => pyCompare(need(a), b, '<') < 0,
  '<': (a, b) => pyCompare(need(a), b, '<') < 0,
  lessthan: (a, b) => pyCompare(need(a), b, '<') < 0,
  le: (a, b) => pyCompare(need(a), b, '<=') <= 0,
  '<=': (a, b) => pyCompare(need(a), b, '<=') <= 0,
  gt: (a, b) => pyCompare(need(a), b, '>') > 0,
  '>': (a, b) => pyCompare(need(a), b, '>') > 0,
  greaterthan: (a, b) => pyCompare(need(a), b, '>') > 0,
  ge: (a, b) => pyCompare(need(a), b, '>=') >= 0,
  '>=': (a, b) => pyCompare(need(a), b, '>=') >= 0,
  match: regexTest('match'),
  search: regexTest('search'),
  regex: (value, ...args) => {
    const a = bind(args, 'regex', ['pattern', 'ignorecase', 'multiline', 'match_type'], { match_type: 'search' });
    const kind = a.match_type === 'match' ? 'match' : a.match_type === 'fullmatch' ? 'fullmatch' : 'search';
    return regexTest(kind)(value, a.pattern, a.ignorecase ?? false, a.multiline ?? false);
  },
  version,
  version_compare: version,
  truthy: (v, ...args) => {
    const a = bind(args, 'truthy', ['convert_bool'], { convert_bool: false });
    return a.convert_bool ? convertedTruthy(v) : pyTruthy(v);
  },
  falsy: (v, ...args) => {
    const a = bind(args, 'falsy', ['convert_bool'], { convert_bool: false });
    return !(a.convert_bool ? convertedTruthy(v) : pyTruthy(v));
  },
  subset: (a, b) => (need(a) as unknown[]).every((x) => pyContains(need(b), x)),
  issubset: (a, b) => (need(a) as unknown[]).every((x) => pyContains(need(b), x)),
  superset: (a, b) => (need(b) as unknown[]).every((x) => pyContains(need(a), x)),
  issuperset: (a, b) => (need(b) as unknown[]).every((x) => pyContains(need(a), x)),
};

function resultMapping(v: unknown, test: string): Record<string, unknown> {
  if (!isMapping(need(v))) throw new PyError(`The '${test}' test expects a dictionary`);
  return v as Record<string, unknown>;
}

/** Ansible's task-result tests (`when: result is changed`, `until: r is succeeded`). */
const failed = (v: unknown) => pyTruthy(resultMapping(v, 'failed').failed ?? false);
const changed = (v: unknown): boolean => {
  const r = resultMapping(v, 'changed');
  if (Object.prototype.hasOwnProperty.call(r, 'changed')) return pyTruthy(r.changed);
  const results = r.results;
  return Array.isArray(results) && isMapping(results[0]) && results.some((x) => isMapping(x) && pyTruthy(x.changed ?? false));
};
const skipped = (v: unknown) => pyTruthy(resultMapping(v, 'skipped').skipped ?? false);
const unreachable = (v: unknown) => pyTruthy(resultMapping(v, 'unreachable').unreachable ?? false);
const finished = (v: unknown) => {
  const r = resultMapping(v, 'finished');
  return Object.prototype.hasOwnProperty.call(r, 'finished') ? pyEquals(r.finished, 1) : true;
};
const started = (v: unknown) => {
  const r = resultMapping(v, 'started');
  return Object.prototype.hasOwnProperty.call(r, 'started') ? pyEquals(r.started, 1) : true;
};

const pathStat = (v: unknown, follow = true) => {
  try {
    return (follow ? statSync : lstatSync)(expandHome(String(need(v))));
  } catch {
    return null;
  }
};

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

Object.assign(TESTS, {
  failed, failure: failed,
  succeeded: (v: unknown) => !failed(v), success: (v: unknown) => !failed(v), successful: (v: unknown) => !failed(v),
  changed, change: changed,
  skipped, skip: skipped,
  unreachable, reachable: (v: unknown) => !unreachable(v),
  finished, started,
  any: (v: unknown) => pyIterate(need(v)).some(pyTruthy),
  all: (v: unknown) => pyIterate(need(v)).every(pyTruthy),
  abs: (v: unknown) => String(need(v)).startsWith('/'),
  exists: (v: unknown) => pathStat(v) !== null,
  file: (v: unknown) => pathStat(v)?.isFile() ?? false,
  directory: (v: unknown) => pathStat(v)?.isDirectory() ?? false,
  link: (v: unknown) => pathStat(v, false)?.isSymbolicLink() ?? false,
  nan: (v: unknown) => Number.isNaN(Number(need(v))),
} satisfies Record<string, TestFn>);

export { expandHome };

/** truthy(convert_bool=True): boolean() where it applies, else Python truthiness (test/core.py). */
function convertedTruthy(v: unknown): boolean {
  need(v);
  try {
    return boolean(v);
  } catch (err) {
    if (err instanceof TypeError) return pyTruthy(v);
    throw err;
  }
}

/** Ansible's `bool` filter (plugins/filter/core.py to_bool): None and bools pass through. */
export function ansibleToBool(v: unknown): boolean | null {
  need(v);
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase());
  return (typeof v === 'number' || v instanceof PyFloat) && Number(v) === 1;
}
