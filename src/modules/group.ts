import type { ModuleDefinition, Plan } from './contract.js';
import { getentGroup } from '../facts/accounts.js';
import { quoteArgv, sh } from '../shell/quote.js';
import { accountFailure, commandOutput } from './system/accounts.js';

type GroupArgs = {
  name: string;
  state: 'absent' | 'present';
  gid?: number;
  system: boolean;
  local: boolean;
  non_unique: boolean;
};

/** ansible-core 2.14 group (Linux: groupadd/groupmod/groupdel); check mode of an add or delete reports only changed. */
export const groupModule: ModuleDefinition<GroupArgs> = {
  name: 'group',
  spec: {
    args: {
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      name: { type: 'str', required: true },
      gid: { type: 'int' },
      system: { type: 'bool', default: false },
      local: { type: 'bool', default: false },
      non_unique: { type: 'bool', default: false },
    },
    requiredIf: [['non_unique', true, ['gid']]],
  },
  probes: (a) => [getentGroup(a)],
  plan: (a, facts): Plan => {
    if (a.local) return { commands: [], changed: false, failed: 'group: local: true (libuser lgroupadd) is not supported by falco-deploy' };
    const group = facts.get(getentGroup(a));
    const base = { name: a.name, state: a.state };
    if (a.state === 'absent') {
      if (!group) return { commands: [], changed: false, result: { ...base, changed: false } };
      return { commands: [{ command: sh`groupdel ${a.name}` }], changed: true, result: { changed: true } };
    }
    if (!group) {
      const argv = ['groupadd', ...(a.gid !== undefined ? ['-g', String(a.gid), ...(a.non_unique ? ['-o'] : [])] : []), ...(a.system ? ['-r'] : []), a.name];
      return {
        commands: [{ command: quoteArgv(argv) }, { command: getentGroup(a).command, describe: `getent group ${a.name}` }],
        changed: true,
        result: { changed: true },
      };
    }
    const known = { ...base, system: a.system, gid: group.gid };
    if (a.gid === undefined || a.gid === group.gid) return { commands: [], changed: false, result: { ...known, changed: false } };
    const argv = ['groupmod', '-g', String(a.gid), ...(a.non_unique ? ['-o'] : []), a.name];
    return { commands: [{ command: quoteArgv(argv) }], changed: true, result: { ...known, changed: true } };
  },
  finish: (a, plan, results, ctx) => {
    if (ctx.check || results.length === 0) return plan.result ?? {};
    const failure = accountFailure(a.name, results[0], false);
    if (failure) return failure;
    const done = { name: a.name, state: a.state, ...commandOutput(results[0]), changed: true };
    if (a.state === 'absent') return done;
    const after = results[1] ? getentGroup(a).parse(results[1]) : null;
    return { ...done, system: a.system, gid: after?.gid ?? a.gid };
  },
};
