/**
 * Ansible host patterns (`--limit`, a play's `hosts:`), evaluated as ansible-core's
 * InventoryManager does: unions first, then `&` intersections, then `!` exclusions; globs,
 * `~regex`, subscripts `[0]`, `[-1]`, `[1:3]`, `@file` lists; hosts stay in inventory order.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { parseAddress } from './host-range.js';
import { fnmatchRegExp } from '../python/fnmatch.js';

/** What pattern evaluation needs to know about the inventory. */
export interface PatternSource {
  /** Group names in creation order (including all and ungrouped). */
  groupNames(): string[];
  /** Host names in creation order. */
  hostNames(): string[];
  /** Hosts of a group and its descendants, in Ansible's order. */
  groupHosts(group: string): string[];
  hasHost(name: string): boolean;
  /** Name of an implicit localhost (`localhost`, `127.0.0.1`, `::1`) when it is not in the inventory. */
  implicitLocalhost(name: string): string | undefined;
  warn(message: string): void;
}

const LOCALHOST_NAMES = ['127.0.0.1', 'localhost', '::1'];
export const isLocalhostName = (name: string) => LOCALHOST_NAMES.includes(name);

/** split_host_pattern: `a,b` or `a:b` (colons only when it is not an address like `::1`). */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p);
}

/** Expand `@file` entries into the file's lines (one host or pattern per line), as --limit does. */
export function expandLimitFiles(patterns: string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (!p.startsWith('@')) {
      out.push(p);
      continue;
    }
    const file = p.slice(1);
    if (!existsSync(file)) throw new InputError(`Unable to find limit file ${file}`, { file });
    if (!statSync(file).isFile()) {
      throw new InputError(`Limit starting with "@" must be a file, not a directory: ${file}`, { file });
    }
    out.push(...readFileSync(file, 'utf8').split('\n').map((l) => l.trim()));
  }
  return out;
}

function orderPatterns(patterns: string[]): string[] {
  const regular: string[] = [];
  const intersection: string[] = [];
  const exclude: string[] = [];
  for (const p of patterns) {
    if (!p) continue;
    if (p[0] === '!') exclude.push(p);
    else if (p[0] === '&') intersection.push(p);
    else regular.push(p);
  }
  return [...(regular.length ? regular : ['all']), ...intersection, ...exclude];
}

/** Evaluate a full pattern string to host names (deduplicated, inventory order). */
export function evaluatePattern(source: PatternSource, pattern: string): string[] {
  return evaluatePatterns(source, expandLimitFiles(splitHostPattern(pattern)));
}

export function evaluatePatterns(source: PatternSource, patterns: string[]): string[] {
  let hosts: string[] = [];
  for (const p of orderPatterns(patterns)) {
    if (source.hasHost(p)) {
      if (!hosts.includes(p)) hosts.push(p);
      continue;
    }
    const that = matchOnePattern(source, p);
    if (p[0] === '!') {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const existing = new Set(hosts);
      for (const h of that) if (!existing.has(h)) hosts.push(h);
    }
  }
  return [...new Set(hosts)];
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

type Subscript = [number, number | undefined];

function splitSubscript(source: PatternSource, pattern: string): [string, Subscript | undefined] {
  if (pattern[0] === '~') return [pattern, undefined];
  const m = SUBSCRIPT.exec(pattern);
  if (!m) return [pattern, undefined];
  const [, expr, idx, start, sep, end] = m;
  if (idx !== undefined) return [expr, [Number(idx), undefined]];
  if (sep === '-') source.warn('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
  return [expr, [Number(start), end ? Number(end) : -1]];
}

function applySubscript(hosts: string[], subscript: Subscript | undefined, pattern: string): string[] {
  if (!hosts.length || !subscript) return hosts;
  const [start] = subscript;
  let end = subscript[1];
  if (end) {
    if (end === -1) end = hosts.length - 1;
    return hosts.slice(start, end + 1);
  }
  const index = start < 0 ? hosts.length + start : start;
  if (index < 0 || index >= hosts.length) {
    throw new InputError(`No hosts matched the subscripted pattern '${pattern}'`);
  }
  return [hosts[index]];
}

function matchOnePattern(source: PatternSource, rawPattern: string): string[] {
  const pattern = rawPattern[0] === '&' || rawPattern[0] === '!' ? rawPattern.slice(1) : rawPattern;
  if (!pattern) throw new InputError(`empty host pattern after '${rawPattern}'`);
  const [expr, subscript] = splitSubscript(source, pattern);
  return applySubscript(enumerateMatches(source, expr), subscript, pattern);
}

function enumerateMatches(source: PatternSource, pattern: string): string[] {
  const re = compileHostPattern(pattern);
  const results: string[] = [];
  const matchingGroups = source.groupNames().filter((g) => re.test(g));
  for (const g of matchingGroups) results.push(...source.groupHosts(g));
  if (!matchingGroups.length || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    for (const h of source.hostNames()) if (re.test(h)) results.push(h);
  }
  if (!results.length) {
    const implicit = source.implicitLocalhost(pattern);
    if (implicit) results.push(implicit);
  }
  if (!results.length && !matchingGroups.length && pattern !== 'all') {
    source.warn(`Could not match supplied host pattern, ignoring: ${pattern}`);
  }
  return results;
}

/** `~regex` (Python re.match: anchored at the start only) or an fnmatch glob (whole name). */
export function compileHostPattern(pattern: string): RegExp {
  try {
    if (pattern[0] === '~') return pythonRegex(pattern.slice(1));
    return fnmatchRegExp(pattern);
  } catch {
    throw new InputError(`Invalid host list pattern: ${pattern}`);
  }
}

function pythonRegex(src: string): RegExp {
  let flags = '';
  let body = src;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const f of inline[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  body = body
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^');
  return new RegExp(`^(?:${body})`, flags);
}
