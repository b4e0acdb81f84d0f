/** Loading the connector's table-driven case files (test/cases/connectors/*.yaml). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export function loadCases<T>(file: string): T {
  const path = fileURLToPath(new URL(`../cases/connectors/${file}`, import.meta.url));
  return parse(readFileSync(path, 'utf8')) as T;
}

/** YAML null in an expectation means "absent"; everything else is compared deeply. */
export function nullsToUndefined<T>(value: T): T {
  if (value === null) return undefined as T;
  if (Array.isArray(value)) return value.map(nullsToUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nullsToUndefined(v)])) as T;
  }
  return value;
}

/** The subset of `actual` named by `expected`'s keys (recursively through arrays of objects). */
export function pick(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((a, i) => (i < expected.length ? pick(a, expected[i]) : a));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object' && !Array.isArray(expected)) {
    return Object.fromEntries(Object.keys(expected).map((k) => [k, pick((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k])]));
  }
  return actual;
}
