/** Template value kinds: Jinja namespaces, lazy mappings, unsafe text (the Python ones live in python/values.ts). */

export {
  isFloat, isMapping, isTuple, numberOf, PyFloat, pyFloat, someInside, tuple, UnsafeText, type Mapping,
} from '../python/values.js';

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
