/**
 * Probing hosts for health: each host's one connection (opened once, reused by --watch and by
 * `run`'s gather-back), ONE batched probe on it, the findings judged. Unreachable (connect, auth,
 * host key, unusable connection vars) is kept apart from degraded (Falco answered badly).
 */
import { FalcoDeployError, UnreachableError } from '../errors.js';
import type { HostConnection } from '../connectors/types.js';
import { healthProbeScript } from './probe-script.js';
import { parseHealthProbe } from './parse-probe.js';
import { judgeHealth } from './verdict.js';
import type { HostHealth } from './report.js';

interface HealthOptions {
  become: boolean;
  windowMinutes: number;
  /** Bound on the probe's own run time on the host (the connect has --timeout). */
  probeTimeoutMs: number;
  /** Alert lines to bring back per host (0 or absent: none). */
  tailLines?: number;
}

/** The host's connection: the pool's, opened on first use. Rejects with UnreachableError. */
export type ConnectHost = (host: string) => Promise<HostConnection>;

/** Probe output is counts and a short tail, not alert files; this is far above what a host sends. */
const PROBE_OUTPUT_LIMIT = 4 * 1024 * 1024;

export function probeHosts(connect: ConnectHost, hosts: string[], opts: HealthOptions): Promise<HostHealth[]> {
  const command = healthProbeScript({ windowMinutes: opts.windowMinutes, tailLines: opts.tailLines });
  return Promise.all(hosts.map((h) => probeOne(connect, h, command, opts)));
}

async function probeOne(connect: ConnectHost, host: string, command: string, opts: HealthOptions): Promise<HostHealth> {
  let connectMs: number | null = null;
  let roundTrips: number | null = null;
  let probeMs: number | null = null;
  try {
    const conn = await connect(host);
    connectMs = conn.stats.connectMs;
    const started = Date.now();
    const [r] = await conn.execBatch([{ command, become: opts.become, maxOutputBytes: PROBE_OUTPUT_LIMIT, timeoutMs: opts.probeTimeoutMs }]);
    probeMs = Date.now() - started;
    roundTrips = conn.stats.roundTrips;
    if (r.exitCode !== 0) throw new FalcoDeployError(`health probe exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0]}`, { host, phase: 'probe' });
    const judged = judgeHealth(parseHealthProbe(r.stdout), opts.windowMinutes);
    return { host, ...judged, probe: { connectMs, probeMs, roundTrips } };
  } catch (err) {
    const e = err instanceof FalcoDeployError ? err : new FalcoDeployError(String((err as Error)?.message ?? err), { host, phase: 'probe', cause: err });
    const unreachable = e instanceof UnreachableError || e.phase === 'connect';
    return {
      host,
      status: unreachable ? 'unreachable' : 'degraded',
      problems: [unreachable ? `unreachable: ${e.message}` : `probe failed: ${e.message}`],
      ...(unreachable ? { error: e.message } : {}),
      probe: { connectMs, probeMs, roundTrips },
    };
  }
}
