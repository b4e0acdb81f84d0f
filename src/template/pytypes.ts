/** Python value kinds that JSON-like data lacks: tuples (repr with parentheses) and namespaces. */

export type Mapping = Record<string, unknown>;

/** A Python dict as JSON-like data: a plain object. */
export function isMapping(value: unknown): value is Mapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  // Object.prototype itself has a null prototype but is never template data.
  return proto === Object.prototype || (proto === null && value !== Object.prototype);
}

/** A Python tuple: an array whose str() is `(a, b)`. */
export class PyTuple extends Array<unknown> {
  static override get [Symbol.species]() {
    return Array;
  }
}

export function tuple(items: unknown[]): unknown[] {
  return Object.setPrototypeOf([...items], PyTuple.prototype) as unknown[];
}

export function isTuple(value: unknown): boolean {
  return value instanceof PyTuple;
}

/**
 * Jinja's `namespace()`: the one object templates may assign attributes to. The attributes
 * live in a prototype-less table, so any name (`__proto__`, `constructor`) is just an attribute.
 */
export class Namespace {
  readonly #attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  constructor(init: Iterable<readonly [string, unknown]> = []) {
    for (const [k, v] of init) this.#attrs[k] = v;
  }
  has(name: string): boolean {
    return name in this.#attrs;
  }
  get(name: string): unknown {
    return this.#attrs[name];
  }
  set(name: string, value: unknown): void {
    this.#attrs[name] = value;
  }
}

/**
 * A Python float whose value is integral (1.0): JS numbers cannot tell it from the int 1, yet
 * Python prints "1.0". Non-integral floats stay plain JS numbers (unambiguous). valueOf()
 * keeps Number(x) and JS arithmetic working.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return Number.isFinite(this.value) ? `${this.value}.0` : String(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A float result: integral values are boxed so they still print as floats. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** True for Python floats: boxed integral ones and non-integral JS numbers. */
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Number of an int/float/bool, or null. */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return Number(v);
  return null;
}

/**
 * A mapping whose values are produced on access, for variables like Ansible's `hostvars`
 * (another host's variables, templated in that host's own scope, only when used). Templating
 * never walks into it.
 */
export class LazyMapping {
  constructor(
    private readonly listKeys: () => string[],
    private readonly resolve: (key: string) => unknown,
  ) {}
  keys(): string[] {
    return this.listKeys();
  }
  has(key: string): boolean {
    return this.listKeys().includes(key);
  }
  get(key: string): unknown {
    return this.resolve(key);
  }
}

/**
 * Ansible's AnsibleUnsafeText: text that is never templated (data a managed host returned, or a
 * `!unsafe` YAML scalar). Only ever a variable's whole value or a templating result; inside
 * lists and dicts host data stays plain and the container itself is marked (see unsafe.ts).
 */
export class UnsafeText extends String {}
