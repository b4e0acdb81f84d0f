/**
 * How Ansible finds a controller file for a task (DataLoader.path_dwim_relative_stack in
 * ansible-core 2.14): each directory of the task's search path (`ansible_search_path`: its
 * role, the roles depending on it, the task file's directory) with the kind's subdirectory
 * (files/, templates/, vars/) first, then the playbook directory as a last resort.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The candidates, in the order Ansible tries them; an absolute (or ~) name is the only one. */
export function searchCandidates(searchPath: readonly string[], subdir: string, name: string, baseDir: string, home = process.env.HOME ?? '/'): string[] {
  if (name.startsWith('~')) return [path.resolve(home + name.slice(1))];
  if (path.isAbsolute(name)) return [path.resolve(name)];
  // "don't add dirname if user already is using it in source"
  const withSub = name.split('/')[0] !== subdir;
  const out: string[] = [];
  for (const dir of [...searchPath.map((d) => path.resolve(d)), path.resolve(baseDir)]) {
    const parent = path.dirname(dir);
    if (parent.endsWith('/tasks')) {
      // a directory inside a role's tasks/: the role's <subdir>/ and tasks/
      out.push(path.join(path.dirname(parent), subdir, name), path.join(parent, name));
      continue;
    }
    if (withSub) out.push(path.join(dir, subdir, name));
    out.push(path.join(dir, name));
  }
  return out;
}

/** The first existing candidate, or undefined. */
export function findInSearchPath(searchPath: readonly string[], subdir: string, name: string, baseDir: string): string | undefined {
  return searchCandidates(searchPath, subdir, name, baseDir).find((c) => existsSync(c));
}
