/**
 * The first_found lookup (and with_first_found) as ansible-core 2.14's: terms are file names,
 * lists of them, or mappings with `files`, `paths` and `skip`; `files` split on , and ;, `paths`
 * on , : and ;. With paths, every path/file pair is a candidate; a mapping without paths replaces
 * the candidates gathered so far with its files (as Ansible does). Each candidate is looked up in
 * the task's search path (`find`).
 */
import { PyError } from './errors.js';
import { isMapping, pyStr } from './pyvalue.js';

interface FirstFoundOptions {
  files?: unknown;
  paths?: unknown;
  skip?: unknown;
}

function splitOn(value: unknown, separators: RegExp): string[] {
  const items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return items.flatMap((v) => pyStr(v).split(separators)).filter((s) => s !== '');
}

function candidates(terms: readonly unknown[], kw: FirstFoundOptions, found: { list: string[]; skip: boolean }): void {
  for (const given of terms) {
    // a name built from host facts arrives boxed (UnsafeText)
    const term = given instanceof String ? String(given) : given;
    if (Array.isArray(term)) {
      candidates(term, kw, found);
      continue;
    }
    const opts: FirstFoundOptions = isMapping(term) ? (term as FirstFoundOptions) : kw;
    if (!isMapping(term) && typeof term !== 'string') {
      throw new PyError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${pyStr(term)}`);
    }
    const files = splitOn(opts.files, /[,;]/);
    const paths = splitOn(opts.paths, /[,:;]/);
    found.skip = Boolean(opts.skip);
    if (paths.length > 0) {
      for (const p of paths) for (const f of files) found.list.push(joinLikePython(p, f));
    } else if (files.length > 0) {
      found.list = files;
    } else {
      found.list.push(pyStr(term));
    }
  }
}

/** os.path.join: an absolute second part wins. */
function joinLikePython(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** [the path found] or [] with skip; otherwise Ansible's error. */
export function firstFound(terms: readonly unknown[], kw: Record<string, unknown>, find: (name: string) => string | undefined): string[] {
  const found = { list: [] as string[], skip: false };
  candidates(terms, kw, found);
  for (const name of found.list) {
    const path = find(name);
    if (path !== undefined) return [path];
  }
  if (found.skip) return [];
  throw new PyError('No file was found when using first_found.');
}
