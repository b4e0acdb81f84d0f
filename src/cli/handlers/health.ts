import { writeFileSync } from 'node:fs';
import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { createConnector, type Connector } from '../../connectors/setup.js';
import { probeHosts, type ConnectHost, type DriftCheck } from '../../health/gather.js';
import { driftCheck } from '../health-drift.js';
import type { HostHealth } from '../../health/report.js';
import { renderTable, useColour } from '../../health/table.js';
import { HEALTH_WINDOW_MINUTES, healthExitCode, healthSummary } from '../../health/summary.js';
import { inShard, type Shard } from '../../inventory/shard.js';
import { renderHtml } from '../../health/html.js';

interface HealthArgs {
  watch?: number;
  html?: string;
  playbook?: string;
  extraVars?: string[];
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export async function handleHealth(args: GlobalOptions & HealthArgs & { shard?: Shard }, ctx: CommandContext): Promise<number> {
  const inventory = await loadInventory(args.inventory, { onWarning: (m) => ctx.stderr.write(`[WARNING]: ${m}\n`) });
  const hosts = inShard(inventory.listHosts('all', args.limit), args.shard);
  // Checked before any host is contacted: a bad playbook is bad input (file:line, exit 4).
  const drift = args.playbook ? driftCheck(args.playbook, args.extraVars ?? [], inventory, args.limit) : undefined;
  const debug = args.verbose > 1 ? (m: string) => ctx.stderr.write(`debug: ${m}\n`) : undefined;
  const connector = await createConnector(args, { debug });
  const connect: ConnectHost = (name) =>
    connector.pool.connect(connector.targetOrUnreachable(name, inventory.hostVars(name), (variable) => inventory.varOrigin(name, variable)));
  return runHealth(connector, connect, hosts, { ...args, drift }, ctx);
}

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
