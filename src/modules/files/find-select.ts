/**
 * ansible-core 2.14 find's selection rules (modules/find.py: pfilter, agefilter, sizefilter,
 * contentfilter) over the entries of a find_tree probe, in os.walk's order.
 */
import { posix } from 'node:path';
import type { FoundEntry } from '../../facts/find-tree.js';
import { fnmatch } from '../../python/fnmatch.js';
import { pythonRegex } from '../../python/re.js';

/** os.walk(top) order: each directory's files, then its subdirectories, then their walks in turn. */
export function walkOrder(entries: readonly FoundEntry[], follow: boolean): FoundEntry[] {
  const byParent = new Map<string, FoundEntry[]>();
  for (const e of entries) {
    const parent = posix.dirname(e.rel) === '.' ? '' : posix.dirname(e.rel);
    const group = byParent.get(parent) ?? [];
    group.push(e);
    byParent.set(parent, group);
  }
  const out: FoundEntry[] = [];
  const walk = (dir: string) => {
    const group = byParent.get(dir) ?? [];
    const dirs = group.filter((e) => e.targetType === 'd');
    out.push(...group.filter((e) => e.targetType !== 'd'), ...dirs);
    for (const d of dirs) if (follow || d.type !== 'l') walk(d.rel);
  };
  walk('');
  return out;
}

/** Python's re.match: anchored at the start only. */
function reMatch(pattern: string, text: string): boolean {
  const re = pythonRegex(pattern, 'y');
  re.lastIndex = 0;
  return re.test(text);
}

/** pfilter: some pattern matches the base name and, for that pattern, no exclude does. */
export function nameMatches(name: string, patterns: readonly string[], excludes: readonly string[] | undefined, useRegex: boolean): boolean {
  const matches = (p: string) => (useRegex ? reMatch(p, name) : fnmatch(name, p));
  if (patterns.length === 0 && !excludes?.length) return true;
  if (patterns.length === 0) return false;
  return patterns.some(matches) && !(excludes ?? []).some(matches);
}

const AGE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function withUnit(text: string, units: Record<string, number>): number | undefined {
  const m = new RegExp(`^(-?\\d+)([${Object.keys(units).join('')}])?$`).exec(text.toLowerCase());
  return m ? Number(m[1]) * (m[2] ? units[m[2]] : 1) : undefined;
}

/** age "2d", "-3h" -> seconds; undefined when Ansible fails with "failed to process age". */
export const parseAge = (age: string) => withUnit(age, AGE_UNITS);
/** size "10k", "-1m" -> bytes; undefined when Ansible fails with "failed to process size". */
export const parseSize = (size: string) => withUnit(size, SIZE_UNITS);

/** agefilter: older than age (age >= 0) or at most -age old (age < 0). */
export function ageMatches(stamp: number, now: number, age: number | undefined): boolean {
  if (age === undefined) return true;
  return age >= 0 ? now - stamp >= age : now - stamp <= -age;
}

/** sizefilter: at least size (size >= 0) or at most -size bytes. */
export function sizeMatches(bytes: number, size: number | undefined): boolean {
  if (size === undefined) return true;
  return size >= 0 ? bytes >= size : bytes <= -size;
}

/**
 * contentfilter on the file read as UTF-8 text with universal newlines: re.match on each line, or
 * re.search on the whole text with read_whole_file. Undecodable text matches nothing (Python's
 * decode error is swallowed).
 */
export function contentMatches(base64: string, pattern: string, wholeFile: boolean): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch (e) {
    if (e instanceof TypeError) return false;
    throw e;
  }
  text = text.replace(/\r\n?/g, '\n');
  if (wholeFile) {
    // Python's `$` also matches before a final newline
    return pythonRegex(pattern).test(text) || (text.endsWith('\n') && pythonRegex(pattern).test(text.slice(0, -1)));
  }
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((line) => reMatch(pattern, line.endsWith('\n') ? line.slice(0, -1) : line) || reMatch(pattern, line));
}

/** os.path.normpath for the joined paths find reports. */
export function normpath(path: string): string {
  const n = posix.normalize(path);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}
