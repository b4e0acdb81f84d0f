/** JSON as Python's json.dumps writes it (", " / ": " separators, ensure_ascii, indent). */
import { PyError } from './errors.js';
import { isMapping, pyNumberStr } from './pyvalue.js';
import { PyFloat } from './pytypes.js';
import { Undefined } from './undefined.js';

function jsonString(s: string, ensureAscii = true): string {
  if (!ensureAscii) return JSON.stringify(s);
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function pyJson(value: unknown, indent: number | null, sortKeys: boolean, ensureAscii = true, level = 0): string {
  if (value instanceof Undefined) value.fail();
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? pyNumberStr(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value === 'string' || value instanceof String) return jsonString(value.valueOf(), ensureAscii); // unsafe text too
  if (value instanceof PyFloat) return value.toString();
  const nl = indent === null ? '' : '\n' + ' '.repeat(indent * (level + 1));
  const end = indent === null ? '' : '\n' + ' '.repeat(indent * level);
  const sep = indent === null ? ', ' : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => nl + pyJson(v, indent, sortKeys, ensureAscii, level + 1)).join(sep) + end + ']';
  }
  if (isMapping(value)) {
    let e = Object.entries(value);
    if (e.length === 0) return '{}';
    if (sortKeys) e = e.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + e.map(([k, v]) => `${nl}${jsonString(k, ensureAscii)}: ${pyJson(v, indent, sortKeys, ensureAscii, level + 1)}`).join(sep) + end + '}';
  }
  throw new PyError(`Object of type ${typeof value} is not JSON serializable`);
}
