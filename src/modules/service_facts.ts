import type { ModuleDefinition } from './contract.js';
import { serviceListing, type ServiceListing } from '../facts/service-listing.js';

type Service = Record<string, string>;
const BAD_STATES = ['not-found', 'masked', 'failed'];

/** ServiceScanService._list_sysvinit: `[ + ]  name` lines. */
function sysvServices(out: string, services: Record<string, Service>) {
  for (const m of out.matchAll(/^\s*\[ (\+|-) \]\s+(.+)$/gm)) {
    services[m[2]] = { name: m[2], state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
}

/** SystemctlScanService._list_from_units, then _list_from_unit_files. */
function systemdServices(l: ServiceListing, services: Record<string, Service>) {
  for (const line of (l.units ?? '').split('\n').filter((x) => x.includes('.service'))) {
    let fields = line.split(/\s+/).filter(Boolean);
    const bad = BAD_STATES.find((b) => fields.includes(b));
    const status = bad ?? fields[2];
    if (bad) fields = fields.slice(1);
    services[fields[0]] = { name: fields[0], state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
  }
  for (const line of (l.unitFiles ?? '').split('\n').filter((x) => x.includes('.service'))) {
    const [name, status] = line.split(/\s+/).filter(Boolean);
    if (!(name in services)) services[name] = { name, state: l.activeStates[name] ?? 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(services[name].status)) services[name].status = status;
  }
}

/** Read-only: one probe; the result is ansible_facts.services as ansible-core 2.14 builds it. */
export const serviceFacts: ModuleDefinition = {
  name: 'service_facts',
  spec: { args: {} },
  probes: () => [serviceListing()],
  plan(_a, facts) {
    const l = facts.get(serviceListing());
    const services: Record<string, Service> = {};
    if (l.sysv !== undefined) sysvServices(l.sysv, services);
    if (l.systemd) systemdServices(l, services);
    const result = Object.keys(services).length === 0
      ? { changed: false, skipped: true, msg: 'Failed to find any services. This can be due to privileges or some other configuration issue.' }
      : { changed: false, ansible_facts: { services } };
    return { commands: [], changed: false, result };
  },
  finish: (_a, plan) => ({ ...(plan.result ?? {}) }),
};
