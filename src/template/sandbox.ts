/**
 * What a template may reach, whoever wrote it: plain data's own keys, the Python method tables
 * of methods.ts, namespace attributes, and the filters, tests and globals registered by name.
 * Everything is looked up as an OWN property, so JavaScript internals (`constructor`,
 * `__proto__`, `prototype`, `toString` ...) are never found, and keys are written as data
 * properties, so a key named `__proto__` is an ordinary key (as in Python), never a prototype.
 */

export function hasOwn(obj: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** `obj[key] = value` as an own data property (plain assignment of `__proto__` sets the prototype). */
export function setItem(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A mapping built from entries the safe way (CreateDataProperty, like setItem). */
export function mappingOf(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** The filters and tests of a nunjucks Environment, by name. */
export interface Registry {
  filters: Record<string, unknown>;
  tests: Record<string, unknown>;
}

function registered(table: Record<string, unknown>, name: string, kind: 'filter' | 'test'): (...args: unknown[]) => unknown {
  const fn = hasOwn(table, name) ? table[name] : undefined;
  // Same message as nunjucks' env.getFilter/getTest, which the error translation recognizes.
  if (typeof fn !== 'function') throw new Error(`${kind} not found: ${name}`);
  return fn as (...args: unknown[]) => unknown;
}

/** The filter registered under `name` (nunjucks' env.getFilter would also find `constructor`). */
export function filterNamed(env: Registry, name: string): (...args: unknown[]) => unknown {
  return registered(env.filters, name, 'filter');
}

export function testNamed(env: Registry, name: string): (...args: unknown[]) => unknown {
  return registered(env.tests, name, 'test');
}
