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
import type { ExecRequest, ExecResult } from '../connectors/types.js';
import type { DesiredState } from '../engine/desired-files.js';
import { setupFacts } from '../facts/setup.js';
import { managedFilesScript, parseManagedFiles } from './drift-probe.js';
import { compareDrift, driftProblem, rulesEntries, type DriftReport } from './drift.js';
import type { HealthProbe } from './model.js';

interface HealthOptions {
  become: boolean;
  windowMinutes: number;
  /** Bound on the probe's own run time on the host (the connect has --timeout). */
  probeTimeoutMs: number;
  /** Alert lines to bring back per host (0 or absent: none). */
  tailLines?: number;
  /** `--playbook`: the config drift of each host, from the same round trip. */
  drift?: DriftCheck;
}

export interface DriftCheck {
  /** The playbook as given on the command line (reported). */
  playbook: string;
  /** Only files under this directory are compared (/etc/falco). */
  root: string;
  /** What the playbook would write on the host, given the facts its fact gathering would find. */
  desired(host: string, facts: Record<string, unknown>): Promise<DesiredState>;
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
    const probe: ExecRequest = { command, become: opts.become, maxOutputBytes: PROBE_OUTPUT_LIMIT, timeoutMs: opts.probeTimeoutMs };
    const [r, ...driftResults] = await conn.execBatch([probe, ...(opts.drift ? driftRequests(opts.drift, probe) : [])]);
    probeMs = Date.now() - started;
    roundTrips = conn.stats.roundTrips;
    if (r.exitCode !== 0) throw new FalcoDeployError(`health probe exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0]}`, { host, phase: 'probe' });
    const parsed = parseHealthProbe(r.stdout);
    const judged = judgeHealth(parsed, opts.windowMinutes);
    if (!opts.drift) return { host, ...judged, probe: { connectMs, probeMs, roundTrips } };
    const drift = await driftOf(opts.drift, host, parsed, driftResults);
    const problem = driftProblem(drift);
    const withDrift = problem ? { ...judged, status: 'degraded' as const, problems: [...judged.problems, problem] } : judged;
    return { host, ...withDrift, drift, probe: { connectMs, probeMs, roundTrips } };
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

/** The run's fact gathering and the hashes of the files under the root: two more commands in the probe's batch. */
function driftRequests(drift: DriftCheck, probe: ExecRequest): ExecRequest[] {
  const facts = setupFacts();
  return [
    { ...probe, command: facts.command, maxOutputBytes: facts.maxOutputBytes },
    { ...probe, command: managedFilesScript(drift.root) },
  ];
}

async function driftOf(drift: DriftCheck, host: string, parsed: HealthProbe, [facts, files]: ExecResult[]): Promise<DriftReport> {
  const desired = await drift.desired(host, setupFacts().parse(facts));
  return compareDrift(drift.playbook, drift.root, desired, { hashes: parseManagedFiles(files.stdout), rules: parsed.rules, rulesEntries: rulesEntries(parsed.config) });
}
