import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ModuleDefinition } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { systemdUnits } from '../facts/systemd.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { planUnit } from './system/systemd-plan.js';
import type { UnitRequest } from './system/systemd-plan.js';

const systemdSpec: ModuleSpec = {
  args: {
    name: { type: 'str', aliases: ['service', 'unit'] },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
    enabled: { type: 'bool' },
    force: { type: 'bool' },
    masked: { type: 'bool' },
    daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
    daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
    scope: { type: 'str', default: 'system', choices: ['system', 'user', 'global'] },
    no_block: { type: 'bool', default: false },
  },
  requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
};

function args(raw: Record<string, unknown>): UnitRequest {
  const a = validateArgs<UnitRequest>(systemdSpec, raw, 'systemd');
  for (const k of ['state', 'enabled', 'masked'] as const) {
    if (a[k] !== undefined && !a.name) throw new ArgumentError(`missing parameter(s) required by '${k}': name`);
  }
  if (a.name && /[*?[]/.test(a.name)) throw new ArgumentError(`This module does not currently support using glob patterns, found '${a.name.match(/[*?[]/)![0]}' in service name: ${a.name}`);
  return a;
}

/** One systemd_units probe per task (the engine dedupes identical keys across tasks). */
export function unitProbe(a: UnitRequest, sysv = false) {
  return systemdUnits({ units: a.name ? [a.name] : [], scope: a.scope, sysv });
}

export const systemdModule: ModuleDefinition = {
  name: 'systemd',
  aliases: ['systemd_service', 'ansible.builtin.systemd_service'],
  spec: systemdSpec,
  probes: (raw) => noProbesOnArgError(() => [unitProbe(args(raw))]),
  plan: (raw, facts, ctx) => failOnArgError(() => {
    const a = args(raw);
    return planUnit(a, facts.get(unitProbe(a)), ctx.host);
  }),
};
