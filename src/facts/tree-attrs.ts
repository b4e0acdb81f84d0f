import type { FactRequest } from './request.js';
import { sh, raw } from '../shell/quote.js';

interface TreeAttrsArgs {
  path: string;
  /** Octal mode every entry must have. */
  mode?: string;
  owner?: string;
  group?: string;
  become?: boolean;
}

function treeAttrsKey(a: TreeAttrsArgs): string {
  return `tree_attrs_differ:${JSON.stringify([a.path, a.mode ?? '', a.owner ?? '', a.group ?? '', !!a.become])}`;
}

/** Is there any entry under `path` (itself included) whose mode/owner/group differs? (file recurse=yes) */
export function treeAttrsDiffer(a: TreeAttrsArgs): FactRequest<boolean> {
  const tests: string[] = [];
  if (a.mode !== undefined) tests.push(sh`! -perm ${a.mode}`);
  if (a.owner !== undefined) tests.push(sh`! -user ${a.owner}`);
  if (a.group !== undefined) tests.push(sh`! -group ${a.group}`);
  const cond = tests.length ? raw(`\\( ${tests.join(' -o ')} \\) `) : raw('-false ');
  return {
    key: treeAttrsKey(a),
    command: sh`find ${a.path} ${cond}-print -quit 2>/dev/null | head -n 1 | sed 's/.*/differs/'; :`,
    become: a.become || undefined,
    parse: (r) => r.stdout.includes('differs'),
  };
}
