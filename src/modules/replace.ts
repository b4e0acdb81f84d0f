import type { ModuleDefinition } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { replaceEdit, type ReplaceParams } from './files/replace-edit.js';
import { failPlan, finishTextEdit, planTextEdit, textEditProbe, type TextEditArgs } from './files/text-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type ReplaceArgs = ReplaceParams & TextEditArgs;

export const replace: ModuleDefinition<ReplaceArgs> = {
  name: 'replace',
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
      regexp: { type: 'str', required: true },
      replace: { type: 'str', default: '' },
      after: { type: 'str' },
      before: { type: 'str' },
      backup: { type: 'bool', default: false },
      validate: { type: 'str' },
      ...FILE_ATTR_SPEC,
    },
  },
  probes: (a, ctx) => [textEditProbe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError(() => {
    const st = facts.get(textEditProbe(a, ctx));
    if (st.exists && st.type === 'directory') return failPlan(`Path ${a.path} is a directory !`, { rc: 256 });
    if (!st.exists) return failPlan(`Path ${a.path} does not exist !`, { rc: 257 });
    let missing: string | undefined;
    const plan = planTextEdit('replace', a, st, ctx, (before = '') => {
      const edit = replaceEdit(before, a);
      if (edit.sectionMissing) missing = edit.msg;
      return edit;
    });
    if (missing !== undefined) return { commands: [], changed: false, result: { rc: 0, msg: missing, changed: false } };
    if (!plan.failed) plan.result = { rc: 0, ...plan.result };
    return plan;
  }),
  finish: (_a, plan, results) => finishTextEdit(plan, results),
};
