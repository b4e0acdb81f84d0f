import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { FalcoDeployError } from '../errors.js';

/**
 * Controller-side lookups, as Ansible's lookup()/query(): fileglob, file, env. lookup joins
 * list results with commas (wantlist=False), query always returns a list.
 */
export function lookupFunctions(baseDir: string): { lookup: (...a: unknown[]) => unknown; query: (...a: unknown[]) => unknown[] } {
  const run = (name: unknown, terms: unknown[]): unknown[] => {
    const plugin = PLUGINS[String(name)];
    if (!plugin) throw new FalcoDeployError(`lookup plugin '${String(name)}' is not available (have: ${Object.keys(PLUGINS).join(', ')})`, { phase: 'plan' });
    return terms.flatMap((t) => plugin(String(t), baseDir));
  };
  return {
    lookup: (name, ...terms) => {
      const out = run(name, terms.filter((t) => typeof t !== 'object' || t === null));
      return out.length === 1 ? out[0] : out.join(',');
    },
    query: (name, ...terms) => run(name, terms.filter((t) => typeof t !== 'object' || t === null)),
  };
}

const PLUGINS: Record<string, (term: string, baseDir: string) => unknown[]> = {
  fileglob: (term, baseDir) => {
    const pattern = isAbsolute(term) ? term : resolve(baseDir, 'files', term);
    const dir = dirname(pattern);
    const re = globToRegExp(basename(pattern));
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => re.test(n))
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isFile())
      .sort();
  },
  file: (term, baseDir) => [readFileSync(isAbsolute(term) ? term : resolve(baseDir, 'files', term), 'utf8').replace(/\n$/, '')],
  env: (term) => [process.env[term] ?? ''],
};

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}
