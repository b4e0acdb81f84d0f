import { factIdentity, type FactRequest } from './request.js';
import { sh, raw } from '../shell/quote.js';

interface TreeAttrsArgs {
  path: string;
  /** Octal mode every entry must have. */
  mode?: string;
  owner?: string;
  group?: string;
  become?: boolean;
}

/** Is there any entry under `path` (itself included) whose mode/owner/group differs? (file recurse=yes) */
export function treeAttrsDiffer(a: TreeAttrsArgs): FactRequest<boolean> {
  const tests: string[] = [];
  if (a.mode !== undefined) tests.push(sh`! -perm ${a.mode}`);
  if (a.owner !== undefined) tests.push(sh`! -user ${a.owner}`);
  if (a.group !== undefined) tests.push(sh`! -group ${a.group}`);
  const cond = tests.length ? raw(`\\( ${tests.join(' -o ')} \\) `) : raw('-false ');
  return {
    ...factIdentity('tree_attrs_differ', { path: a.path, mode: a.mode ?? null, owner: a.owner ?? null, group: a.group ?? null, become: !!a.become }),
    command: sh`find ${a.path} ${cond}-print -quit 2>/dev/null | head -n 1 | sed 's/.*/differs/'; :`,
    become: a.become || undefined,
    parse: (r) => r.stdout.includes('differs'),
  };
}
