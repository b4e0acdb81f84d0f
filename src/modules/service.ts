import { failOnArgError, noProbesOnArgError } from '../argspec/plan-failure.js';
import type { ModuleDefinition } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { validateArgs } from '../argspec/validate.js';
import { planUnit } from './system/systemd-plan.js';
import type { ServiceState } from './system/systemd-plan.js';
import { unitProbe } from './systemd.js';

const serviceSpec: ModuleSpec = {
  args: {
    name: { type: 'str', required: true },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
    enabled: { type: 'bool' },
    sleep: { type: 'int' },
    pattern: { type: 'str' },
    arguments: { type: 'str', default: '', aliases: ['args'] },
    runlevel: { type: 'str', default: 'default' },
    use: { type: 'str', default: 'auto' },
  },
  requiredOneOf: [['state', 'enabled']],
};

interface ServiceArgs {
  name: string;
  state?: ServiceState;
  enabled?: boolean;
}

/**
 * Ansible's generic `service`: systemctl when systemd runs; without it (lightweight test hosts,
 * containers) enable/disable still go through systemctl's offline mode and the run state goes
 * through the SysV script (`service NAME start`) when there is one.
 */
export const serviceModule: ModuleDefinition = {
  name: 'service',
  spec: serviceSpec,
  probes: (raw) => noProbesOnArgError(() => {
    const a = validateArgs<ServiceArgs>(serviceSpec, raw, 'service');
    return [unitProbe({ name: a.name }, true)];
  }),
  plan: (raw, facts, ctx) => failOnArgError(() => {
    const a = validateArgs<ServiceArgs>(serviceSpec, raw, 'service');
    const probed = facts.get(unitProbe({ name: a.name }, true));
    const unit = probed.units[a.name];
    const sysv = probed.manager !== 'booted' && !!unit?.initScript;
    if (probed.manager === 'absent' && !sysv) {
      return { commands: [], changed: false, failed: `Could not find the requested service ${a.name}: host` };
    }
    const p = planUnit(
      { name: a.name, state: a.state, enabled: sysv && probed.manager === 'absent' ? undefined : a.enabled, sysvFallback: sysv },
      probed.manager === 'absent' ? { manager: 'offline', units: probed.units } : probed,
      ctx.host,
    );
    if (sysv && probed.manager === 'absent' && a.enabled !== undefined) {
      return { ...p, failed: `enabled: ${String(a.enabled)} for the SysV service ${a.name} is not supported on ${ctx.host} (no systemctl)` };
    }
    return p;
  }),
};
