/**
 * Python value kinds as JSON-like JavaScript data: dicts are plain objects, lists arrays, and the
 * kinds JSON lacks are marked (tuples) or boxed (integral floats). Every layer may import this.
 */

export type Mapping = Record<string, unknown>;

/** A Python dict as JSON-like data: a plain object (never a Date, a String box, a class instance). */
export function isMapping(value: unknown): value is Mapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  // Object.prototype itself has a null prototype but is never data.
  return proto === Object.prototype || (proto === null && value !== Object.prototype);
}

/** Whether `value`, or anything in the lists and dicts inside it, passes `test`. */
export function someInside(value: unknown, test: (v: unknown) => boolean): boolean {
  if (test(value)) return true;
  if (Array.isArray(value)) return value.some((v) => someInside(v, test));
  if (isMapping(value)) return Object.values(value).some((v) => someInside(v, test));
  return false;
}

/** A Python tuple: an array whose str() is `(a, b)`. */
class PyTuple extends Array<unknown> {
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
    if (!Number.isFinite(this.value)) return String(this.value);
    return `${Object.is(this.value, -0) ? '-0' : this.value}.0`;
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
 * Ansible's AnsibleUnsafeText: text that is never templated (data a managed host returned, or a
 * `!unsafe` YAML scalar). Only ever a variable's whole value or a templating result; inside
 * lists and dicts host data stays plain and the container itself is marked (template/unsafe.ts).
 */
export class UnsafeText extends String {}
