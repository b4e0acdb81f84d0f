import { writeFileSync } from 'node:fs';
import { defineCommand, type CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { createConnector, type Connector } from '../../connectors/setup.js';
import { probeHosts, type ConnectHost, type DriftCheck } from '../../health/gather.js';
import { driftCheck } from '../health-drift.js';
import type { HostHealth } from '../../health/report.js';
import { renderTable, useColour } from '../../health/table.js';
import { HEALTH_WINDOW_MINUTES, healthExitCode, healthSummary } from '../../health/summary.js';
import { inShard } from '../../inventory/shard.js';
import { withShardOption } from '../shard-option.js';
import { renderHtml } from '../../health/html.js';

interface HealthArgs {
  watch?: number;
  html?: string;
  playbook?: string;
  extraVars?: string[];
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/**
 * `falco-deploy health -i INV [--limit PAT] [--json] [--watch S] [--html FILE]`: one probe per
 * host, a table (or JSON lines), exit 0 only when every selected host is healthy; 2 when a host
 * is degraded, 3 when hosts are unreachable and none degraded (docs/health.md).
 */
export const healthCommand = defineCommand({
  command: 'health',
  describe: 'Falco health of every host: unit, /healthz, driver, version, rules, recent alerts and drops, config drift with --playbook (one probe per host)',
  builder: (y) =>
    withShardOption(y)
      .option('watch', { type: 'number', describe: 'Probe again every SECONDS over the same connections (Ctrl-C stops)' })
      .option('html', { type: 'string', describe: 'Also write a self-contained HTML status page to FILE' })
      .option('playbook', { type: 'string', describe: 'Also report config drift: /etc/falco files that differ from what this playbook would write' })
      .option('extra-vars', { alias: 'e', type: 'string', array: true, describe: 'With --playbook: extra vars as the run takes them (k=v, JSON/YAML, @file)' })
      .check((a) => {
        if (a.watch !== undefined && !(a.watch > 0)) throw new Error('--watch must be a positive number of seconds');
        if ((a.extraVars as string[] | undefined)?.length && a.playbook === undefined) throw new Error('-e/--extra-vars is for the playbook of --playbook: give --playbook too');
        return true;
      }),
  run: async (args, ctx) => {
    const inventory = await loadInventory(args.inventory, { onWarning: (m) => ctx.stderr.write(`[WARNING]: ${m}\n`) });
    const hosts = inShard(inventory.listHosts('all', args.limit), args.shard);
    // Checked before any host is contacted: a bad playbook is bad input (file:line, exit 4).
    const drift = args.playbook ? driftCheck(args.playbook, args.extraVars ?? [], inventory, args.limit) : undefined;
    const debug = args.verbose > 1 ? (m: string) => ctx.stderr.write(`debug: ${m}\n`) : undefined;
    const connector = await createConnector(args, { debug });
    const connect: ConnectHost = (name) =>
      connector.pool.connect(connector.targetOrUnreachable(name, inventory.hostVars(name), (variable) => inventory.varOrigin(name, variable)));
    return runHealth(connector, connect, hosts, { ...args, drift }, ctx);
  },
});

async function runHealth(connector: Connector, connect: ConnectHost, hosts: string[], args: GlobalOptions & HealthArgs & { drift?: DriftCheck }, ctx: CommandContext): Promise<number> {
  const interrupt = () => void connector.interrupt();
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  const colour = useColour(ctx.stdout);
  let results: HostHealth[] = [];
  try {
    for (let round = 0; ; round++) {
      results = await probeHosts(connect, hosts, { become: args.become, windowMinutes: HEALTH_WINDOW_MINUTES, probeTimeoutMs: Math.max(30_000, args.timeout * 1000), drift: args.drift });
      if (ctx.signal.aborted) break;
      if (args.json) {
        for (const r of results) ctx.stdout.write(JSON.stringify(r) + '\n');
        ctx.stdout.write(JSON.stringify({ summary: healthSummary(results) }) + '\n');
      } else {
        const head = args.watch !== undefined ? `${colour && round > 0 ? CLEAR_SCREEN : round > 0 ? '\n' : ''}${new Date().toISOString()}  every ${args.watch}s\n` : '';
        ctx.stdout.write(head + renderTable(results, { colour, windowMinutes: HEALTH_WINDOW_MINUTES }));
      }
      if (args.html) writeHtml(args.html, results);
      if (args.watch === undefined || !(await sleep(args.watch * 1000, ctx.signal))) break;
    }
  } finally {
    ctx.signal.removeEventListener('abort', interrupt);
    await connector.close();
  }
  if (ctx.signal.aborted) return ExitCode.interrupted;
  return healthExitCode(results);
}

function writeHtml(file: string, results: HostHealth[]): void {
  try {
    writeFileSync(file, renderHtml(results, { windowMinutes: HEALTH_WINDOW_MINUTES, generatedAt: new Date() }));
  } catch (err) {
    throw new FalcoDeployError(`cannot write the HTML page: ${(err as Error).message}`, { file, phase: 'input', exitCode: ExitCode.badInput, cause: err });
  }
}

/** Resolves true after ms, false at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
