import type { ModuleDefinition } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { blockinfileEdit, type BlockinfileParams } from './files/blockinfile-edit.js';
import { failPlan, finishTextEdit, planTextEdit, textEditProbe, type TextEditArgs } from './files/text-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type BlockinfileArgs = BlockinfileParams & TextEditArgs;

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
  probes: (a, ctx) => [textEditProbe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError(() => {
    const st = facts.get(textEditProbe(a, ctx));
    if (st.exists && st.type === 'directory') return failPlan(`Path ${a.path} is a directory !`, { rc: 256 });
    if (!st.exists) {
      if (!a.create) return failPlan(`Path ${a.path} does not exist !`, { rc: 257 });
      if (a.state === 'absent') return { commands: [], changed: false, result: { msg: `File ${a.path} not present`, changed: false } };
    }
    return planTextEdit('blockinfile', a, st, ctx, (before) => blockinfileEdit(before, a));
  }),
  finish: (_a, plan, results) => finishTextEdit(plan, results),
};
