import { PyFloat } from '../python/values.js';
import type { SerialValue } from './model.js';

/**
 * One `serial` entry as Ansible 2.14's pct_to_int reads it: "N%" (whole N, as Python's int()),
 * an integer or an integer string; a float is truncated. Normalized to a number or "N%";
 * undefined when Ansible would fail on it.
 */
export function serialItem(raw: unknown): SerialValue | undefined {
  const v = raw instanceof PyFloat ? raw.value : raw;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const pct = /^\s*([+-]?\d+)\s*%$/.exec(v);
  if (pct) return `${Number(pct[1])}%`;
  return /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : undefined;
}


/** max_fail_percentage as a number 0-100 ("30%" and "30" read as 30); undefined when it is not one. */
export function maxFailPercentage(v: unknown): number | undefined {
  const n = typeof v === 'number' || v instanceof PyFloat ? Number(v) : typeof v === 'string' ? Number(v.replace(/%\s*$/, '')) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}
