import type { FileDiff, ModuleDefinition, Plan } from './contract.js';
import { debconfShow } from '../facts/debconf.js';
import { quoteArgv } from '../shell/quote.js';
import { dictDiffText } from './system/dict-diff.js';

type DebconfArgs = {
  name: string;
  question?: string;
  vtype?: string;
  value?: string;
  unseen: boolean;
};

const VTYPES = ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'];

function planDebconf(a: DebconfArgs, prev: Record<string, string>, diff: boolean): Plan {
  const q = a.question;
  if (q === undefined) return { commands: [], changed: false, result: { changed: false, msg: '', current: prev } };
  let value = a.value!;
  if (q in prev) {
    // booleans compare as debconf shows them (true/false)
    const existing = a.vtype === 'boolean' ? prev[q]!.toLowerCase() : prev[q];
    if (a.vtype === 'boolean') value = value.toLowerCase();
    if (value === existing) return { commands: [], changed: false, result: { changed: false, msg: '', current: prev } };
  }
  const stored = a.vtype === 'boolean' && (value === 'True' || value === 'False') ? value.toLowerCase() : value;
  const current = { [q]: value };
  const previous = q in prev ? { [q]: prev[q]! } : { ...prev, [q]: '' };
  const after = { ...previous, ...current };
  const shown: FileDiff[] | undefined = diff ? [{ path: a.name, before: dictDiffText(previous), after: dictDiffText(after) }] : undefined;
  return {
    commands: [{ command: quoteArgv(['debconf-set-selections', ...(a.unseen ? ['-u'] : [])]), stdin: `${[a.name, q, a.vtype, stored].join(' ')}\n`, describe: `debconf-set-selections ${a.name} ${q}` }],
    changed: true,
    diff: shown,
    result: { changed: true, msg: '', current, previous, diff: diff ? { before: previous, after } : {} },
  };
}

/** ansible-core 2.14 debconf: debconf-show, then debconf-set-selections when the answer differs. */
export const debconfModule: ModuleDefinition<DebconfArgs> = {
  name: 'debconf',
  spec: {
    args: {
      name: { type: 'str', required: true, aliases: ['pkg'] },
      question: { type: 'str', aliases: ['selection', 'setting'] },
      vtype: { type: 'str', choices: VTYPES },
      value: { type: 'str', aliases: ['answer'] },
      unseen: { type: 'bool', default: false },
    },
    requiredTogether: [['question', 'vtype', 'value']],
  },
  probes: (a) => [debconfShow(a)],
  plan: (a, facts, ctx) => {
    const shown = facts.get(debconfShow(a));
    if (shown.error !== undefined) return { commands: [], changed: false, failed: shown.error };
    return planDebconf(a, shown.selections, ctx.diff);
  },
  finish: (_a, plan, results, ctx) => {
    const r = results[0];
    if (ctx.check || !r) return plan.result ?? {};
    if (r.exitCode !== 0) return { changed: false, failed: true, msg: r.stderr };
    return { ...plan.result, msg: r.stdout };
  },
};
