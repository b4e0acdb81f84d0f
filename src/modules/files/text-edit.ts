/** What lineinfile and blockinfile share: read the whole file in the probe, edit its text, write it atomically. */
import { posix } from 'node:path';
import type { ModuleContext, Plan } from '../contract.js';
import type { FileStat } from '../../facts/file-stat.js';
import type { ExecResult } from '../../connectors/types.js';
import { sh } from '../../shell/quote.js';
import { attrChanges, hasChanges } from './attrs.js';
import { destStat, writePath } from './dest.js';
import { finishFileChange } from './finish.js';
import { planManagedContent } from './managed-content.js';

export type TextEditArgs = {
  path: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

export interface TextEdit {
  content: string;
  changed: boolean;
  msg: string;
}

/** The probe returns the whole file, up to this size. */
const TEXT_EDIT_MAX_BYTES = 16 * 1024 * 1024;

export const textEditProbe = (a: TextEditArgs, ctx: ModuleContext) => destStat(a.path, ctx, TEXT_EDIT_MAX_BYTES);
export const failPlan = (msg: string, result?: Record<string, unknown>): Plan => ({ commands: [], changed: false, failed: msg, result });

/** `edit` gets the file's text, undefined when it does not exist (create=true). */
export function planTextEdit(module: string, a: TextEditArgs, st: FileStat, ctx: ModuleContext, edit: (before: string | undefined) => TextEdit): Plan {
  if (st.exists && st.content_too_large) return failPlan(`${a.path} is larger than ${TEXT_EDIT_MAX_BYTES} bytes; ${module} will not edit it`);
  if (st.exists && st.content === undefined) return failPlan(`cannot read ${a.path} (not readable by the remote user; try become: true)`);
  const before = st.exists ? Buffer.from(st.content!, 'base64').toString('utf8') : undefined;
  let done: TextEdit;
  try {
    done = edit(before);
  } catch (e) {
    return failPlan(`invalid regular expression: ${(e as Error).message}`);
  }
  const plan = planManagedContent({
    // Like Ansible, edit through a symlink (write to its real path) instead of replacing it.
    dest: writePath(a.path, st, true), content: Buffer.from(done.content, 'utf8'), stat: st, ctx,
    attrs: a, backup: a.backup, validate: a.validate, beforeText: before ?? '',
  });
  if (!st.exists) plan.commands.unshift({ command: sh`mkdir -p -- ${posix.dirname(a.path)}` });
  const attrsChanged = st.exists && hasChanges(attrChanges(a, st));
  let msg = done.msg;
  if (attrsChanged) msg = msg ? `${msg} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
  plan.result = { ...plan.result, msg };
  if (!done.changed && !attrsChanged) plan.diff = undefined;
  // Ansible labels the content diff `<path> (content)` on both sides
  const content = `${a.path} (content)`;
  plan.diff = plan.diff?.map((d) => (d.beforeHeader?.endsWith(' (file attributes)') ? d : { ...d, beforeHeader: content, afterHeader: content }));
  return plan;
}

export function finishTextEdit(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out = finishFileChange(plan, results);
  // Ansible's lineinfile and blockinfile return no file attributes (unlike copy).
  for (const k of ['dest', 'checksum', 'md5sum', 'size', 'state', 'mode', 'owner', 'group', 'uid', 'gid', 'path']) delete out[k];
  return out;
}
