/**
 * Python value semantics for template values (JSON-like JS data): truthiness, str()/repr(),
 * equality, ordering and ast.literal_eval. Templates written for Ansible depend on these.
 */
import { PyError } from './errors.js';
import { literalEval as pythonLiteralEval } from '../python/literal-eval.js';
import { pyRepr as pythonRepr, pyStr as pythonStr } from '../python/repr.js';
import { isMapping, LazyMapping, numberOf, PyFloat } from './pytypes.js';
import { mappingOf } from './sandbox.js';
import { keepUnsafeMark } from './unsafe.js';
import { Undefined } from './undefined.js';

export { isMapping, type Mapping } from './pytypes.js';
export { pyNumberStr } from '../python/repr.js';

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

/** Template kinds besides Python's: an undefined value fails, a lazy mapping prints its items. */
function templateStr(value: unknown): string | undefined {
  if (value instanceof Undefined) value.fail();
  if (typeof value === 'function') return '<function>';
  if (value instanceof LazyMapping) return pyStr(Object.fromEntries(value.keys().map((k) => [k, value.get(k)])));
  return undefined;
}

export function pyRepr(value: unknown): string {
  return pythonRepr(value, templateStr);
}

/** Python str(): what `{{ value }}` renders. */
export function pyStr(value: unknown): string {
  return pythonStr(value, templateStr);
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

/** Python's ast.literal_eval as ansible_eval_concat runs it (JSON's true/false/null also accepted). */
export function literalEval(src: string): { ok: true; value: unknown } | { ok: false } {
  return pythonLiteralEval(src, { jsonNames: true });
}
