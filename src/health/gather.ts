/**
 * Probing hosts for `falco-deploy health`: each host's one connection (opened once, reused by
 * --watch), ONE batched probe on it, the findings judged. Unreachable (connect, auth, host key,
 * unusable connection vars) is kept apart from degraded (Falco answered badly).
 */
import { FalcoDeployError, UnreachableError } from '../errors.js';
import type { Connector } from '../connectors/setup.js';
import type { VarOrigin } from '../connectors/resolve-target.js';
import { healthProbeScript } from './probe-script.js';
import { parseHealthProbe } from './parse-probe.js';
import { judgeHealth } from './verdict.js';
import type { HostHealth } from './report.js';

export interface HealthHost {
  name: string;
  vars: Record<string, unknown>;
  originOf?: VarOrigin;
}

export interface HealthOptions {
  become: boolean;
  windowMinutes: number;
  /** Bound on the probe's own run time on the host (the connect has --timeout). */
  probeTimeoutMs: number;
}

/** Probe output is counts, not alert text; this is far above what a host sends. */
const PROBE_OUTPUT_LIMIT = 4 * 1024 * 1024;

export function probeHosts(connector: Connector, hosts: HealthHost[], opts: HealthOptions): Promise<HostHealth[]> {
  const command = healthProbeScript({ windowMinutes: opts.windowMinutes });
  return Promise.all(hosts.map((h) => probeOne(connector, h, command, opts)));
}

async function probeOne(connector: Connector, host: HealthHost, command: string, opts: HealthOptions): Promise<HostHealth> {
  let connectMs: number | null = null;
  let roundTrips: number | null = null;
  let probeMs: number | null = null;
  try {
    const conn = await connector.pool.connect(connector.targetOrUnreachable(host.name, host.vars, host.originOf));
    connectMs = conn.stats.connectMs;
    const started = Date.now();
    const [r] = await conn.execBatch([{ command, become: opts.become, maxOutputBytes: PROBE_OUTPUT_LIMIT, timeoutMs: opts.probeTimeoutMs }]);
    probeMs = Date.now() - started;
    roundTrips = conn.stats.roundTrips;
    if (r.exitCode !== 0) throw new FalcoDeployError(`health probe exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0]}`, { host: host.name, phase: 'probe' });
    const judged = judgeHealth(parseHealthProbe(r.stdout), opts.windowMinutes);
    return { host: host.name, ...judged, probe: { connectMs, probeMs, roundTrips } };
  } catch (err) {
    const e = err instanceof FalcoDeployError ? err : new FalcoDeployError(String((err as Error)?.message ?? err), { host: host.name, phase: 'probe', cause: err });
    const unreachable = e instanceof UnreachableError || e.phase === 'connect';
    return {
      host: host.name,
      status: unreachable ? 'unreachable' : 'degraded',
      problems: [unreachable ? `unreachable: ${e.message}` : `probe failed: ${e.message}`],
      ...(unreachable ? { error: e.message } : {}),
      probe: { connectMs, probeMs, roundTrips },
    };
  }
}
