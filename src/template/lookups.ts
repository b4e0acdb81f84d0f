/**
 * The local lookups templates use: env, file, template, vars, first_found, fileglob (files),
 * pipe, lines (commands) and the list builders of loop-lookups.ts. Like Ansible, lookups run on
 * the controller, never on the managed host. `lookup` joins results with ',' (wantlist off),
 * `query`/`q` return the list.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { splitArgs } from './args.js';
import { PyError, TemplateRenderError, TemplateUndefinedError } from './errors.js';
import { lookupActiveVariable } from './jinja.js';
import { pyStr } from './pyvalue.js';
import { firstFound } from './first-found.js';
import { dict, indexedItems, items, list, nested, sequence, subelements, together } from './loop-lookups.js';
import { lines, pipe } from './command-lookups.js';
import { isNativeText, noteNativeText } from './native-text.js';
import { findInSearchPath } from './search-path.js';
import { Undefined } from './undefined.js';
import { fnmatchRegExp } from '../python/fnmatch.js';
import { pyRstrip } from '../python/boolean.js';

type LookupFn = (terms: unknown[], kw: Record<string, unknown>) => unknown[];

/** Renders a template file found for the template lookup (`name` as given) with its options. */
type LookupTemplateRenderer = (file: string, name: string, kw: Record<string, unknown>) => unknown;

/**
 * A file for the running task: its `ansible_search_path` (files/ first), then the playbook
 * directory (`searchPaths[0]`); without a task, the templater's search paths.
 */
function findFile(searchPaths: string[], name: string, subdir = 'files'): string | undefined {
  const fromTask = lookupActiveVariable('ansible_search_path');
  const paths = Array.isArray(fromTask) ? fromTask.map((p) => pyStr(p)) : searchPaths;
  return findInSearchPath(paths, subdir, name, searchPaths[0] ?? process.cwd());
}

/**
 * ansible-core's fileglob lookup: a pattern with a directory part globs in that directory as the
 * `file` lookup finds it; a bare pattern globs in each search path's files/, then the path itself
 * (the task's `ansible_search_path`: a role's own directories first), the first that matches wins.
 */
function fileglob(searchPaths: string[], pattern: string): string[] {
  const base = path.basename(pattern);
  const fromTask = lookupActiveVariable('ansible_search_path');
  const paths = Array.isArray(fromTask) ? fromTask.map((p) => pyStr(p)) : searchPaths.slice(0, 1);
  const dirs = base !== pattern ? [findFile(searchPaths, path.dirname(pattern))] : paths.flatMap((p) => [path.join(p, 'files'), p]);
  for (const dir of dirs) {
    const found = dir ? globIn(dir, base) : [];
    if (found.length) return found;
  }
  return [];
}

/** Python's glob in one directory: files only; dot files only for a pattern starting with a dot. */
function globIn(dir: string, pattern: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const re = fnmatchRegExp(pattern);
  const hidden = pattern.startsWith('.');
  return readdirSync(dir)
    .filter((n) => re.test(n) && (hidden || !n.startsWith('.')))
    .map((n) => path.join(dir, n))
    .filter((f) => statSync(f).isFile())
    .sort();
}

export function createLookup(searchPaths: string[], renderTemplate: LookupTemplateRenderer) {
  // the loader's base directory, where pipe and lines run their commands
  const baseDir = () => searchPaths[0] ?? process.cwd();
  const plugins: Record<string, LookupFn> = {
    env: (terms, kw) =>
      terms.map((t) => process.env[pyStr(t)] ?? (kw.default !== undefined ? kw.default : '')),
    file: (terms, kw) =>
      terms.map((t) => {
        const found = findFile(searchPaths, pyStr(t));
        if (!found) throw new PyError(`The 'file' lookup had an issue accessing the file '${pyStr(t)}'. file not found`);
        const text = readFileSync(found, 'utf8');
        return kw.rstrip === false ? text : pyRstrip(text);
      }),
    template: (terms, kw) =>
      terms.map((t) => {
        const found = findFile(searchPaths, pyStr(t), 'templates');
        if (!found) throw new PyError(`the template file ${pyStr(t)} could not be found for the lookup`);
        return renderTemplate(found, pyStr(t), kw);
      }),
    pipe: (terms) => pipe(terms, baseDir()),
    lines: (terms) => lines(terms, baseDir()),
    items,
    list,
    dict,
    indexed_items: indexedItems,
    vars: (terms, kw) =>
      terms.map((t) => {
        const value = lookupActiveVariable(pyStr(t));
        if (value instanceof Undefined) {
          if (kw.default !== undefined) return kw.default;
          throw new TemplateUndefinedError(`No variable found with this name: ${pyStr(t)}`, { variable: pyStr(t) });
        }
        return value;
      }),
    fileglob: (terms) => terms.flatMap((t) => fileglob(searchPaths, pyStr(t))),
    first_found: (terms, kw) => firstFound(terms, kw, (name) => findFile(searchPaths, name)),
    nested,
    together,
    subelements,
    sequence,
  };

  return (wantList: boolean, args: unknown[]): unknown => {
    const { pos, kw } = splitArgs(args);
    const name = pyStr(pos[0]);
    const short = name.replace(/^ansible\.builtin\./, '');
    const plugin = Object.prototype.hasOwnProperty.call(plugins, short) ? plugins[short] : undefined;
    if (!plugin) throw new PyError(`lookup plugin (${name}) not found`);
    for (const t of pos) if (t instanceof Undefined) t.fail();
    let results: unknown[];
    try {
      results = plugin(pos.slice(1), kw);
    } catch (err) {
      // _lookup's errors=warn|ignore: a failing lookup gives nothing; an undefined variable still fails
      if ((kw.errors ?? 'strict') === 'strict' || !(err instanceof PyError || err instanceof TemplateRenderError)) throw err;
      return wantList ? [] : null;
    }
    // as Ansible's _lookup: only a non-empty result is joined
    if (wantList || kw.wantlist || results.length === 0) return results;
    if (!results.every((r) => typeof r === 'string')) return results.length === 1 ? results[0] : results;
    const joined = results.join(',');
    return isNativeText(results[0]) ? noteNativeText(joined) : joined;
  };
}
