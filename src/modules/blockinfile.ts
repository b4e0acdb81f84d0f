import { posix } from 'node:path';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { sh } from '../shell/quote.js';
import { attrChanges, hasChanges, FILE_ATTR_SPEC } from './files/attrs.js';
import { destStat, writePath } from './files/dest.js';
import { finishFileChange } from './files/finish.js';
import { blockinfileEdit, type BlockinfileEdit, type BlockinfileParams } from './files/blockinfile-edit.js';
import { planManagedContent } from './files/managed-content.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type BlockinfileArgs = BlockinfileParams & {
  path: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** blockinfile edits the whole file, so the probe returns it (up to this size). */
const BLOCKINFILE_MAX_BYTES = 16 * 1024 * 1024;

const probe = (a: BlockinfileArgs, ctx: ModuleContext) => destStat(a.path, ctx, BLOCKINFILE_MAX_BYTES);
const fail = (msg: string, result?: Record<string, unknown>): Plan => ({ commands: [], changed: false, failed: msg, result });

export const blockinfile: ModuleDefinition<BlockinfileArgs> = {
  name: 'blockinfile',
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
      block: { type: 'str', default: '', aliases: ['content'] },
      insertafter: { type: 'str' },
      insertbefore: { type: 'str' },
      create: { type: 'bool', default: false },
      backup: { type: 'bool', default: false },
      validate: { type: 'str' },
      marker_begin: { type: 'str', default: 'BEGIN' },
      marker_end: { type: 'str', default: 'END' },
      ...FILE_ATTR_SPEC,
    },
    mutuallyExclusive: [['insertbefore', 'insertafter']],
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError(() => {
    const st = facts.get(probe(a, ctx));
    if (st.exists && st.type === 'directory') return fail(`Path ${a.path} is a directory !`, { rc: 256 });
    if (!st.exists) {
      if (!a.create) return fail(`Path ${a.path} does not exist !`, { rc: 257 });
      if (a.state === 'absent') return { commands: [], changed: false, result: { msg: `File ${a.path} not present`, changed: false } };
    }
    if (st.exists && st.content_too_large) return fail(`${a.path} is larger than ${BLOCKINFILE_MAX_BYTES} bytes; blockinfile will not edit it`);
    if (st.exists && st.content === undefined) return fail(`cannot read ${a.path} (not readable by the remote user; try become: true)`);
    const before = st.exists ? Buffer.from(st.content!, 'base64').toString('utf8') : undefined;
    let edit: BlockinfileEdit;
    try {
      edit = blockinfileEdit(before, a);
    } catch (e) {
      return fail(`invalid regular expression: ${(e as Error).message}`);
    }
    const plan = planManagedContent({
      // Like Ansible, edit through a symlink (write to its real path) instead of replacing it.
      dest: writePath(a.path, st, true), content: Buffer.from(edit.content, 'utf8'), stat: st, ctx,
      attrs: a, backup: a.backup, validate: a.validate, beforeText: before ?? '',
    });
    if (!st.exists) plan.commands.unshift({ command: sh`mkdir -p -- ${posix.dirname(a.path)}` });
    const attrsChanged = st.exists && hasChanges(attrChanges(a, st));
    let msg = edit.msg;
    if (attrsChanged) msg = msg ? `${msg} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
    plan.result = { ...plan.result, msg };
    if (!edit.changed && !attrsChanged) plan.diff = undefined;
    const content = `${a.path} (content)`;
    plan.diff = plan.diff?.map((d) => (d.beforeHeader?.endsWith(' (file attributes)') ? d : { ...d, beforeHeader: content, afterHeader: content }));
    return plan;
  }),
  finish(_a, plan, results) {
    const out = finishFileChange(plan, results);
    // Ansible's blockinfile returns no file attributes (unlike copy).
    for (const k of ['dest', 'checksum', 'md5sum', 'size', 'state', 'mode', 'owner', 'group', 'uid', 'gid', 'path']) delete out[k];
    return out;
  },
};
