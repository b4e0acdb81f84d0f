/**
 * Ansible's type checks for module arguments (module_utils/common/validation.py check_type_*):
 * each returns the converted value or throws a TypeError with Ansible's message.
 */
import type { ArgType } from './spec.js';
import { literalEval, pyStr, pyTypeName } from '../template/pyvalue.js';
import { PyFloat } from '../template/pytypes.js';
import { pyJson } from '../template/serialize.js';
import { isFloat, isMapping } from '../python/values.js';
import { boolean } from '../python/boolean.js';

/** Python's `type(value)` as printed: <class 'str'>. */
export function pyClass(value: unknown): string {
  return `<class '${pyTypeName(value)}'>`;
}

const cannot = (value: unknown, what: string) => new TypeError(`${pyClass(value)} cannot be converted to ${what}`);
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types -- UnsafeText (a String object) is text too
const isText = (v: unknown): v is string | String => typeof v === 'string' || v instanceof String;
/** Python int/float: whole numbers that are not PyFloat, or bool (bool is an int in Python). */
const isPyInt = (v: unknown) => typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
const strip = (s: string) => s.replace(/^[\s\x1c-\x1f]+|[\s\x1c-\x1f]+$/g, '');

/** Python int(text): optional sign, digits with single underscores between them. */
function pyInt(text: string): number | undefined {
  const s = strip(text);
  return /^[+-]?\d+(_\d+)*$/.test(s) ? Number(s.replace(/_/g, '')) : undefined;
}

/** Python float(text): decimal, exponent, inf/infinity/nan. */
function pyFloatOf(text: string): number | undefined {
  const s = strip(text);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const digits = '\\d+(?:_\\d+)*';
  const re = new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`);
  return re.test(s) ? Number(s.replace(/_/g, '')) : undefined;
}

function checkTypeStr(value: unknown): string {
  return isText(value) ? value.valueOf() : pyStr(value);
}

function checkTypeList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isText(value)) return value.valueOf().split(',');
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat) return [pyStr(value)];
  throw cannot(value, 'a list');
}

function checkTypeDict(value: unknown): Record<string, unknown> {
  if (isMapping(value)) return value;
  if (!isText(value)) throw cannot(value, 'a dict');
  const text = value.valueOf();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      const parsed = literalEval(text);
      if (!parsed.ok) throw new TypeError('unable to evaluate string as dictionary');
      return parsed.value as Record<string, unknown>;
    }
  }
  if (!text.includes('=')) throw new TypeError('dictionary requested, could not parse JSON or key=value');
  return Object.fromEntries(keyValueFields(strip(text)).map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
}

/** check_type_dict's "k1=v1, k2='v 2'" splitter: quotes group, backslash escapes, ',' or ' ' split. */
function keyValueFields(text: string): string[] {
  const fields: string[] = [];
  let buffer = '';
  let quote: string | false = false;
  let escape = false;
  for (const c of text) {
    if (escape) {
      buffer += c;
      escape = false;
    } else if (c === '\\') escape = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote && quote === c) quote = false;
    else if (!quote && (c === ',' || c === ' ')) {
      if (buffer) fields.push(buffer);
      buffer = '';
    } else buffer += c;
  }
  if (buffer) fields.push(buffer);
  const bad = fields.find((f) => !f.includes('='));
  // Python's dict() of a one-item split: "dictionary update sequence element #n has length 1; 2 is required"
  if (bad !== undefined) throw new TypeError(`dictionary update sequence element #${fields.indexOf(bad)} has length 1; 2 is required`);
  return fields;
}

function checkTypeBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (isText(value) || typeof value === 'number' || value instanceof PyFloat) return boolean(value);
  throw cannot(value, 'a bool');
}

function checkTypeInt(value: unknown): number | boolean {
  if (isPyInt(value) && !(value instanceof PyFloat)) return value as number | boolean;
  const n = isText(value) ? pyInt(value.valueOf()) : undefined;
  if (n === undefined) throw cannot(value, 'an int');
  return n;
}

function checkTypeFloat(value: unknown): number {
  if (isFloat(value)) return Number(value);
  if (isPyInt(value)) return Number(value);
  const n = isText(value) ? pyFloatOf(value.valueOf()) : undefined;
  if (n === undefined) throw cannot(value, 'a float');
  return n;
}

export function checkTypeJsonarg(value: unknown): string {
  if (isText(value)) return strip(value.valueOf());
  if (typeof value === 'object' && value !== null && !(value instanceof PyFloat)) return pyJson(value, null, false);
  throw cannot(value, 'a json string');
}

const SIZE_RANGES: Record<string, number> = { Y: 2 ** 80, Z: 2 ** 70, E: 2 ** 60, P: 2 ** 50, T: 2 ** 40, G: 2 ** 30, M: 2 ** 20, K: 2 ** 10, B: 1 };

/** human_to_bytes ('2K' -> 2048, '1MB' -> 1048576; 'Mb' is bits and refused). */
function checkTypeBytes(value: unknown): number {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(pyStr(value));
  const num = m && m[1] !== '' && m[1] !== '.' ? Number(m[1]) : NaN;
  const unit = m?.[2];
  const limit = unit === undefined ? 1 : SIZE_RANGES[unit[0]!.toUpperCase()];
  const badSuffix = unit !== undefined && unit.length > 1 && !unit.toLowerCase().includes('byte') && unit[1] !== 'B';
  if (Number.isNaN(num) || limit === undefined || badSuffix) throw cannot(value, 'a Byte value');
  return roundHalfEven(num * limit);
}

/** Python 3 round(): halves go to the even neighbour. */
function roundHalfEven(n: number): number {
  const floor = Math.floor(n);
  const diff = n - floor;
  if (diff !== 0.5) return Math.round(n);
  return floor % 2 === 0 ? floor : floor + 1;
}

export const TYPE_CHECKERS: Record<ArgType, (value: unknown) => unknown> = {
  str: checkTypeStr,
  // Ansible also expands ~ and $VARS here, on the managed host; the controller cannot.
  path: checkTypeStr,
  raw: (value) => value,
  list: checkTypeList,
  dict: checkTypeDict,
  bool: checkTypeBool,
  int: checkTypeInt,
  float: checkTypeFloat,
  jsonarg: checkTypeJsonarg,
  bytes: checkTypeBytes,
};
