import { posix } from 'node:path';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { sh } from '../shell/quote.js';
import { attrChanges, hasChanges, FILE_ATTR_SPEC } from './files/attrs.js';
import { destStat, writePath } from './files/dest.js';
import { finishFileChange } from './files/finish.js';
import { lineinfileAbsent, lineinfilePresent, type LineinfileEdit, type LineinfileParams } from './files/lineinfile-edit.js';
import { planManagedContent } from './files/managed-content.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type LineinfileArgs = LineinfileParams & {
  path: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** lineinfile edits the whole file, so the probe returns it (up to this size). */
const LINEINFILE_MAX_BYTES = 16 * 1024 * 1024;

const probe = (a: LineinfileArgs, ctx: ModuleContext) => destStat(a.path, ctx, LINEINFILE_MAX_BYTES);
const fail = (msg: string, result?: Record<string, unknown>): Plan => ({ commands: [], changed: false, failed: msg, result });

function argProblem(a: LineinfileArgs): string | undefined {
  if (a.state === 'absent') {
    if (a.regexp === undefined && a.search_string === undefined && a.line === undefined) return 'one of line, search_string, or regexp is required with state=absent';
    return undefined;
  }
  if (a.backrefs && a.regexp === undefined) return 'regexp is required with backrefs=true';
  if (a.line === undefined) return 'line is required with state=present';
  return undefined;
}

function emptyPatternWarning(a: LineinfileArgs): string[] {
  if (a.regexp !== '' && a.search_string !== '') return [];
  const name = a.regexp === '' ? 'regular expression' : 'search string';
  let msg = `The ${name} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
  if (a.regexp === '') msg += " If this is desired, use '^' to match every line in the file and avoid this warning.";
  return [msg];
}

export const lineinfile: ModuleDefinition<LineinfileArgs> = {
  name: 'lineinfile',
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      regexp: { type: 'str', aliases: ['regex'] },
      search_string: { type: 'str' },
      line: { type: 'str', aliases: ['value'] },
      insertafter: { type: 'str' },
      insertbefore: { type: 'str' },
      backrefs: { type: 'bool', default: false },
      create: { type: 'bool', default: false },
      backup: { type: 'bool', default: false },
      firstmatch: { type: 'bool', default: false },
      validate: { type: 'str' },
      ...FILE_ATTR_SPEC,
    },
    mutuallyExclusive: [['insertbefore', 'insertafter'], ['regexp', 'search_string'], ['backrefs', 'search_string']],
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError(() => {
    const st = facts.get(probe(a, ctx));
    const warnings = emptyPatternWarning(a);
    if (st.exists && st.type === 'directory') return fail(`Path ${a.path} is a directory !`, { rc: 256 });
    const problem = argProblem(a);
    if (problem) return fail(problem);
    const absent = a.state === 'absent';
    if (!st.exists) {
      if (absent) return { commands: [], changed: false, result: { msg: 'file not present', changed: false } };
      if (!a.create) return fail(`Destination ${a.path} does not exist !`, { rc: 257 });
    }
    if (st.exists && st.content_too_large) return fail(`${a.path} is larger than ${LINEINFILE_MAX_BYTES} bytes; lineinfile will not edit it`);
    if (st.exists && st.content === undefined) return fail(`cannot read ${a.path} (not readable by the remote user; try become: true)`);
    const before = st.exists ? Buffer.from(st.content!, 'base64').toString('utf8') : '';
    let edit: LineinfileEdit;
    try {
      edit = absent ? lineinfileAbsent(before, a) : lineinfilePresent(before, a);
    } catch (e) {
      return fail(`invalid regular expression: ${(e as Error).message}`);
    }
    const plan = planManagedContent({
      // Like Ansible, edit through a symlink (write to its real path) instead of replacing it.
      dest: writePath(a.path, st, true), content: Buffer.from(edit.content, 'utf8'), stat: st, ctx,
      attrs: a, backup: a.backup, validate: a.validate, beforeText: before,
    });
    if (!st.exists) plan.commands.unshift({ command: sh`mkdir -p -- ${posix.dirname(a.path)}` });
    const attrsChanged = st.exists && hasChanges(attrChanges(a, st));
    let msg = edit.msg;
    if (attrsChanged) msg = msg ? `${msg} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
    plan.result = { ...plan.result, msg, backup: '' };
    if (absent) plan.result.found = edit.found;
    plan.warnings = warnings.length ? warnings : undefined;
    if (!edit.changed && !attrsChanged) plan.diff = undefined;
    // Ansible's lineinfile labels its content diff `<path> (content)` on both sides
    const content = `${a.path} (content)`;
    plan.diff = plan.diff?.map((d) => (d.beforeHeader?.endsWith(' (file attributes)') ? d : { ...d, beforeHeader: content, afterHeader: content }));
    return plan;
  }),
  finish(_a, plan, results) {
    const out = finishFileChange(plan, results);
    if (out.backup_file) out.backup = out.backup_file;
    // Ansible's lineinfile returns no file attributes (unlike copy).
    for (const k of ['dest', 'checksum', 'md5sum', 'size', 'state', 'mode', 'owner', 'group', 'uid', 'gid', 'path']) delete out[k];
    return out;
  },
};
