/**
 * Data that is never templated again, as Ansible's AnsibleUnsafe: everything a managed host
 * returns, lookup results and `!unsafe` YAML. A string is boxed as UnsafeText; a list or dict is
 * marked and keeps plain values inside, so filters and modules see ordinary data.
 *
 * A render that reads unsafe data is tainted (Ansible's AnsibleContext.unsafe) and its result is
 * unsafe too, so host data stays data wherever it travels: set_fact, loops, vars, hostvars.
 */
import { isMapping, someInside, UnsafeText } from './pytypes.js';
import { mappingOf } from './sandbox.js';

export { UnsafeText };

const marked = new WeakSet<object>();

export function isUnsafe(value: unknown): boolean {
  return value instanceof UnsafeText || (typeof value === 'object' && value !== null && marked.has(value));
}

/** Whether `value` or anything inside it is unsafe (a structure built from safe and unsafe parts). */
function holdsUnsafe(value: unknown): boolean {
  return someInside(value, isUnsafe);
}

/**
 * Marks data as unsafe and returns it: a string becomes UnsafeText; a list or dict is marked
 * with every list and dict inside it, and UnsafeText inside it is unboxed (in place).
 */
export function markUnsafe<T>(value: T): T {
  if (typeof value === 'string') return new UnsafeText(value) as T;
  if (Array.isArray(value) || isMapping(value)) markContainer(value);
  return value;
}

function markContainer(value: unknown[] | Record<string, unknown>): void {
  marked.add(value);
  const slots = value as Record<string | number, unknown>;
  for (const key of Object.keys(value)) {
    const v = slots[key];
    if (v instanceof UnsafeText) slots[key] = v.valueOf();
    else if (Array.isArray(v) || isMapping(v)) markContainer(v);
  }
}

/** A value about to be bound to a variable: unsafe as a whole if any part of it is. */
export function settleUnsafe<T>(value: T): T {
  if (isUnsafe(value)) return value; // marked containers are marked all through already
  return holdsUnsafe(value) ? markUnsafe(value) : value;
}

/** `copy`, made from `original`, is unsafe when the original is. */
export function keepUnsafeMark<T extends object>(original: object, copy: T): T {
  if (marked.has(original)) marked.add(copy);
  return copy;
}

/** The plain value: UnsafeText as a string, anything else as it is. */
export function plainText(value: unknown): string {
  return value instanceof UnsafeText ? value.valueOf() : String(value);
}

/** UnsafeText anywhere inside `value` unboxed: what modules and output receive. */
export function plainData<T>(value: T): T {
  if (value instanceof UnsafeText) return value.valueOf() as T;
  if (Array.isArray(value)) return value.some(holdsBox) ? (value.map(plainData) as T) : value;
  if (isMapping(value)) {
    if (!Object.values(value).some(holdsBox)) return value;
    return mappingOf(Object.entries(value).map(([k, v]) => [k, plainData(v)])) as T;
  }
  return value;
}

function holdsBox(value: unknown): boolean {
  return someInside(value, (v) => v instanceof UnsafeText);
}

// ---- the taint of the render in progress (renders are synchronous; nested ones stack) ----

let current: { tainted: boolean } | null = null;

/** A template read unsafe data: the result of the render in progress is unsafe. */
export function noteUnsafe(): void {
  if (current) current.tainted = true;
}

/** What a template sees of a variable or member: the plain value; reading unsafe data taints. */
export function reveal(value: unknown): unknown {
  if (value instanceof UnsafeText) {
    noteUnsafe();
    return value.valueOf();
  }
  if (typeof value === 'object' && value !== null && marked.has(value)) noteUnsafe();
  return value;
}

/** Runs `fn` in a taint frame of its own; a tainted frame taints the one around it too. */
export function trackTaint<T>(fn: () => T): { value: T; tainted: boolean } {
  const outer = current;
  const frame = { tainted: false };
  current = frame;
  try {
    return { value: fn(), tainted: frame.tainted };
  } finally {
    current = outer;
    if (outer && frame.tainted) outer.tainted = true;
  }
}

/** `fn`'s result, unsafe when `fn` read unsafe data. */
export function taintedResult<T>(fn: () => T): T {
  const { value, tainted } = trackTaint(fn);
  return tainted ? markUnsafe(value) : value;
}

/** JSON.stringify replacer: unsafe text as ansible-inventory prints it, `{"__ansible_unsafe": "..."}`. */
export function ansibleUnsafeJson(_key: string, value: unknown): unknown {
  return value instanceof UnsafeText ? { __ansible_unsafe: value.valueOf() } : value;
}
