import type { ModuleDefinition } from './contract.js';
import { sh } from '../shell/quote.js';
import { commandResult } from './files/run-command.js';

type RawArgs = {
  _raw_params: string;
  executable?: string;
}

/** The text as-is in the host's login shell; no probes; skipped in check mode (like Ansible). */
export const raw: ModuleDefinition<RawArgs> = {
  name: 'raw',
  spec: { args: { _raw_params: { type: 'str', required: true }, executable: { type: 'str' } }, freeForm: '_raw_params' },
  probes: () => [],
  plan(a, _facts, ctx) {
    if (!a._raw_params || a._raw_params.trim() === '') return { commands: [], changed: false, failed: 'no command given' };
    if (ctx.check) return { commands: [], changed: false, skippedReason: 'raw does not support check mode', result: { skipped: true, changed: false } };
    const command = a.executable ? sh`${a.executable} -c ${a._raw_params}` : a._raw_params;
    return { commands: [{ command, describe: a._raw_params }], changed: true, result: {} };
  },
  finish: (_a, plan, results) => commandResult(plan, results, false),
  changedOnFailure: true,
};
