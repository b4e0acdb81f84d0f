import { posix } from 'node:path';
import type { ModuleDefinition, Plan } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { writePath } from './files/dest.js';
import { planManagedContent } from './files/managed-content.js';
import { failPlan, finishTextEdit, textEditProbe, type TextEditArgs } from './files/text-edit.js';
import { iniFileEdit, type IniFileParams, type SectionCondition } from './files/ini-file-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { sh } from '../shell/quote.js';

type IniFileArgs = TextEditArgs & Omit<IniFileParams, 'values' | 'section_has_values'> & {
  value?: string | null;
  values?: string[] | null;
  section_has_values?: { option: string; value?: string | null; values?: string[] | null }[] | null;
  follow: boolean;
};

/** section_has_values' items (validated by their suboptions): value or values, as the module merges them. */
function sectionConditions(items: IniFileArgs['section_has_values']): SectionCondition[] | null {
  if (!items) return null;
  return items.map((item) => ({ option: item.option, values: item.value != null ? [item.value] : (item.values ?? []) }));
}

export const iniFile: ModuleDefinition<IniFileArgs> = {
  name: 'ini_file',
  aliases: ['community.general.ini_file'],
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest'] },
      section: { type: 'str' },
      section_has_values: {
        type: 'list',
        elements: 'dict',
        options: { option: { type: 'str', required: true }, value: { type: 'str' }, values: { type: 'list', elements: 'str' } },
        mutuallyExclusive: [['value', 'values']],
      },
      option: { type: 'str' },
      value: { type: 'str' },
      values: { type: 'list', elements: 'str' },
      backup: { type: 'bool', default: false },
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      exclusive: { type: 'bool', default: true },
      no_extra_spaces: { type: 'bool', default: false },
      ignore_spaces: { type: 'bool', default: false },
      allow_no_value: { type: 'bool', default: false },
      modify_inactive_option: { type: 'bool', default: true },
      create: { type: 'bool', default: true },
      follow: { type: 'bool', default: false },
      ...FILE_ATTR_SPEC,
    },
    mutuallyExclusive: [['value', 'values']],
  },
  probes: (a, ctx) => [textEditProbe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    const conditions = sectionConditions(a.section_has_values);
    if (a.state === 'present' && !a.allow_no_value && a.value == null && !a.values?.length) {
      return failPlan("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.");
    }
    const st = facts.get(textEditProbe(a, ctx));
    const target = writePath(a.path, st, a.follow);
    if (!st.exists && !a.create) return failPlan(`Destination ${target} does not exist!`, { rc: 257 });
    if (st.exists && st.type === 'directory') return failPlan(`Destination ${target} is a directory`);
    if (st.exists && st.content === undefined) return failPlan(`cannot read ${a.path} (not readable by the remote user; try become: true)`);
    const before = st.exists ? Buffer.from(st.content!, 'base64').toString('utf8') : undefined;
    const values = a.value != null ? [a.value] : a.values ?? [];
    const edit = iniFileEdit(before, { ...a, values, section_has_values: conditions });
    const header = `${a.path} (content)`;
    const diff = { before: ctx.diff ? (before ?? '').replace(/^\ufeff/, '').replace(/\r\n?/g, '\n') : '', after: ctx.diff ? edit.content : '', before_header: header, after_header: header };
    const result: Record<string, unknown> = { msg: edit.msg, path: a.path, diff };
    if (!st.exists && !edit.changed) return { commands: [], changed: false, result: { ...result, state: 'absent' } };
    // Unchanged text is never rewritten (an empty file stays empty although the module reads it as "\n").
    const content = edit.changed ? Buffer.from(edit.content, 'utf8') : Buffer.from(st.content ?? '', 'base64');
    const plan = planManagedContent({ dest: target, content, stat: st, ctx, attrs: a, backup: a.backup });
    if (plan.failed) return plan;
    if (!st.exists) plan.commands.unshift({ command: sh`mkdir -p -- ${posix.dirname(target)}` });
    const written = plan.result ?? {};
    Object.assign(result, { state: 'file', mode: written.mode, owner: written.owner, group: written.group, size: content.length });
    if (st.exists && st.uid !== undefined && written.owner === st.owner) result.uid = st.uid;
    if (st.exists && st.gid !== undefined && written.group === st.group) result.gid = st.gid;
    return {
      commands: plan.commands,
      changed: plan.commands.length > 0,
      result,
      diff: edit.changed && ctx.diff ? [{ path: target, before: diff.before, after: diff.after, beforeHeader: header, afterHeader: header }] : undefined,
    };
  }),
  finish: (_a, plan, results) => {
    const out = finishTextEdit(plan, results);
    // finishTextEdit drops the file fields lineinfile does not return; ini_file's result has them (it returns path)
    for (const k of ['path', 'state', 'mode', 'owner', 'group', 'uid', 'gid', 'size']) if (plan.result?.[k] !== undefined && !out.failed) out[k] = plan.result[k];
    return out;
  },
};
