/**
 * Ansible's one rule for reading a boolean (module_utils/parsing/convert_bool.py boolean()):
 * playbook keywords, module arguments and the `truthy(convert_bool=True)` test all use it.
 * (The `bool` filter has its own, looser rule: template/tests.ts ansibleToBool.)
 */
import { PyFloat } from './values.js';

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f'];
/** BOOLEANS_TRUE / BOOLEANS_FALSE (1 also stands for 1.0 and True, 0 for 0.0 and False). */
export const BOOLEANS_TRUE: readonly unknown[] = [...TRUE_WORDS, 1];
export const BOOLEANS_FALSE: readonly unknown[] = [...FALSE_WORDS, 0];

/** Python's str.strip() whitespace (wider than JS trim on \x1c-\x1f, narrower on \ufeff). */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const PY_RSTRIP = new RegExp(`[${PY_SPACE}]+$`);

/** Python's repr of BOOLEANS (Python prints the frozenset in hash order; this is source order). */
const VALID = [...BOOLEANS_TRUE, ...BOOLEANS_FALSE].map((b) => (typeof b === 'string' ? `'${b}'` : String(b))).join(', ');

/** Raised for a value that is not a boolean in strict mode; callers say where it came from. */
class NotABooleanError extends TypeError {
  constructor(readonly value: unknown) {
    super(`The value '${pythonText(value)}' is not a valid boolean.  Valid booleans include: ${VALID}`);
    this.name = 'NotABooleanError';
  }
}

/**
 * boolean(value, strict): true for y/yes/on/1/true/t (any case, surrounding space ignored) and
 * the numbers 1/1.0; false for n/no/off/0/false/f and 0/0.0. Anything else throws in strict
 * mode and is false otherwise.
 */
export function boolean(value: unknown, strict = true): boolean {
  if (typeof value === 'boolean') return value;
  // Python looks a list or dict up in the frozensets: TypeError, strict or not
  if (typeof value === 'object' && value !== null && !(value instanceof String) && !(value instanceof PyFloat)) {
    throw new TypeError(`unhashable type: '${Array.isArray(value) ? 'list' : 'dict'}'`);
  }
  const word = normalized(value);
  if (word === 1 || (typeof word === 'string' && TRUE_WORDS.includes(word))) return true;
  if (word === 0 || (typeof word === 'string' && FALSE_WORDS.includes(word)) || !strict) return false;
  throw new NotABooleanError(value);
}

/** What boolean() compares against the word lists: lower-cased stripped text, or a number. */
/** Python's str.strip() with no argument. */
export function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}

/** Python's str.rstrip() with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(PY_RSTRIP, '');
}

function normalized(value: unknown): string | number | undefined {
  if (typeof value === 'string' || value instanceof String) return pyStrip(value.valueOf().toLowerCase());
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

/** to_text(value) for the message: Python's str() of scalars. */
function pythonText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  return String(value);
}
