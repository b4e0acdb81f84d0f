import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode, FalcoDeployError, UnreachableError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { createConnector } from '../../connectors/setup.js';
import { parsePriority, PRIORITIES, type Priority } from '../../alerts/priority.js';
import { parseSince } from '../../alerts/since.js';
import { alertJson, alertLine, keep, mergeByTime, summarize, summaryTable, type AlertFilter } from '../../alerts/report.js';
import { readAlerts, type HostRead } from '../../alerts/host-source.js';
import type { AlertSource } from '../../alerts/source-probe.js';
import { followAll, type FollowedHost } from '../../alerts/follow.js';
import type { Alert } from '../../alerts/alert-line.js';
import type { HostConnection } from '../../connectors/types.js';

interface AlertsArgs {
  since: string;
  priority: string;
  rule?: string;
  follow: boolean;
  summary: boolean;
  maxBytes: number;
  interval: number;
}

export async function handleAlerts(args: GlobalOptions & AlertsArgs, ctx: CommandContext): Promise<number> {
  const filter = filterOf(args);
  const inventory = await loadInventory(args.inventory, { onWarning: (m) => ctx.stderr.write(`[WARNING]: ${m}\n`) });
  const hosts = inventory.listHosts('all', args.limit);
  const connector = await createConnector(args);
  const connect = (h: string) => connector.pool.connect(connector.targetOrUnreachable(h, inventory.hostVars(h), (v) => inventory.varOrigin(h, v)));
  const interrupt = () => void connector.interrupt();
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  const probeOpts = { become: args.become, maxBytes: args.maxBytes, timeoutMs: Math.max(5, args.timeout) * 1000 };
  try {
    const started = Date.now();
    const reads = await Promise.all(hosts.map((h) => readHost(h, connect, filter, probeOpts)));
    const alerts = mergeByTime(reads.flatMap((r) => ('read' in r ? r.read.alerts : [])).filter((a) => keep(a, filter)));
    printAlerts(alerts, args, ctx);
    const code = report(reads, ctx);
    if (!args.follow || ctx.signal.aborted) return code;
    const followed: FollowedHost[] = reads.flatMap((r) =>
      'read' in r ? [{ name: r.host, source: r.source, position: r.read.position, cursor: r.read.cursor, sinceEpochSec: started / 1000 }] : [],
    );
    const out = (a: Alert) => ctx.stdout.write((args.json ? alertJson(a) : alertLine(a)) + '\n');
    await followAll(
      followed,
      { ...probeOpts, pollMs: args.interval * 1000, signal: ctx.signal, connect },
      {
        alerts: (batch) => batch.filter((a) => keep(a, filter)).forEach(out),
        malformed: (host, n) => ctx.stderr.write(`[WARNING]: ${host}: ${n} malformed line(s) skipped\n`),
        note: (host, msg) => ctx.stderr.write(`[${host}] ${msg}\n`),
      },
    );
    return code;
  } finally {
    ctx.signal.removeEventListener('abort', interrupt);
    await connector.close();
  }
}

function filterOf(args: AlertsArgs): AlertFilter {
  const usage = (msg: string) => new FalcoDeployError(msg, { phase: 'usage' });
  if (args.follow && args.summary) throw usage('--follow and --summary cannot be used together');
  const since = parseSince(args.since, Date.now());
  if (!since) throw usage(`--since ${JSON.stringify(args.since)}: expected a duration (30s, 10m, 2h, 1d) or a UTC time (2026-12-03T10:00:00Z)`);
  const minPriority: Priority | undefined = parsePriority(args.priority);
  if (!minPriority) throw usage(`--priority ${JSON.stringify(args.priority)}: expected one of ${PRIORITIES.join(', ')}`);
  let rule: RegExp | undefined;
  try {
    rule = args.rule === undefined ? undefined : new RegExp(args.rule);
  } catch (err) {
    throw usage(`--rule: ${(err as Error).message}`);
  }
  if (!(args.maxBytes > 0)) throw usage('--max-bytes must be a positive number');
  if (!(args.interval > 0)) throw usage('--interval must be a positive number of seconds');
  return { since, minPriority, ...(rule ? { rule } : {}) };
}

type HostOutcome = { host: string; source: AlertSource; read: HostRead } | { host: string; error: FalcoDeployError };

async function readHost(
  host: string,
  connect: (h: string) => Promise<HostConnection>,
  filter: AlertFilter,
  opts: { become: boolean; maxBytes: number; timeoutMs: number },
): Promise<HostOutcome> {
  try {
    const conn = await connect(host);
    const { source, read } = await readAlerts(conn, filter.since, opts);
    return { host, source, read };
  } catch (err) {
    const e = err instanceof FalcoDeployError ? err : new FalcoDeployError((err as Error).message, { host, phase: 'probe', cause: err });
    return { host, error: e };
  }
}

function printAlerts(alerts: Alert[], args: GlobalOptions & AlertsArgs, ctx: CommandContext): void {
  if (args.summary) {
    const rows = summarize(alerts);
    ctx.stdout.write(args.json ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : summaryTable(rows));
    return;
  }
  for (const a of alerts) ctx.stdout.write((args.json ? alertJson(a) : alertLine(a)) + '\n');
}

/** Per-host problems on stderr; the exit code: 3 if a host was unreachable, else 2 if one failed. */
function report(reads: HostOutcome[], ctx: CommandContext): number {
  let code: number = ExitCode.ok;
  for (const r of reads) {
    if ('error' in r) {
      const unreachable = r.error instanceof UnreachableError || r.error.phase === 'connect';
      ctx.stderr.write(`${r.host} | ${unreachable ? 'UNREACHABLE' : 'FAILED'} | ${r.error.message}\n`);
      code = unreachable ? ExitCode.unreachable : code === ExitCode.unreachable ? code : ExitCode.hostFailures;
      continue;
    }
    for (const n of r.read.notes) ctx.stderr.write(`[${r.host}] ${n}\n`);
    if (r.read.malformed) ctx.stderr.write(`[WARNING]: ${r.host}: ${r.read.malformed} malformed line(s) skipped\n`);
  }
  return code;
}
