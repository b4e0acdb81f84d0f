import type { ModuleDefinition } from './contract.js';
import { FILE_ATTR_SPEC } from './files/attrs.js';
import { lineinfileAbsent, lineinfilePresent, type LineinfileParams } from './files/lineinfile-edit.js';
import { failPlan as fail, finishTextEdit, planTextEdit, textEditProbe as probe, type TextEditArgs } from './files/text-edit.js';
import { failOnArgError } from '../argspec/plan-failure.js';

type LineinfileArgs = LineinfileParams & TextEditArgs;

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
    let found: number | undefined;
    const plan = planTextEdit('lineinfile', a, st, ctx, (before = '') => {
      const edit = absent ? lineinfileAbsent(before, a) : lineinfilePresent(before, a);
      found = edit.found;
      return edit;
    });
    if (plan.failed) return plan;
    plan.result = { ...plan.result, backup: '' };
    if (absent) plan.result.found = found;
    plan.warnings = warnings.length ? warnings : undefined;
    return plan;
  }),
  joinsBatch: true,
  finish(_a, plan, results) {
    const out = finishTextEdit(plan, results);
    if (out.backup_file) out.backup = out.backup_file;
    return out;
  },
};
