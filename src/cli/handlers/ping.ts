import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode } from '../../errors.js';
import { INTERRUPTED_MESSAGE } from '../../output/recap.js';
import { loadInventory } from '../../inventory/index.js';
import { createConnector, type ConnectorIo } from '../../connectors/setup.js';
import { pingHosts, type PingHost, type PingResult } from '../../connectors/ping-hosts.js';
import { inShard, type Shard } from '../../inventory/shard.js';

/** What ping needs from an inventory (src/inventory's Inventory satisfies it). */
export interface PingInventory {
  listHosts(pattern?: string, limit?: string): string[];
  hostVars(host: string): Record<string, unknown>;
  /** Where an inline inventory variable of the host was set (bad values are reported there). */
  varOrigin?(host: string, variable: string): { file?: string; line?: number } | undefined;
}

export async function handlePing(args: GlobalOptions & { shard?: Shard }, ctx: CommandContext): Promise<number> {
  const inventory = await loadInventory(args.inventory, { onWarning: (m) => ctx.stderr.write(`[WARNING]: ${m}\n`) });
  return runPing(inventory, args, ctx);
}

export async function runPing(inventory: PingInventory, args: GlobalOptions & { shard?: Shard }, ctx: CommandContext, io: ConnectorIo = {}): Promise<number> {
  const names = inShard(inventory.listHosts('all', args.limit), args.shard);
  const hosts: PingHost[] = names.map((name) => ({
    name,
    vars: inventory.hostVars(name),
    originOf: (variable) => inventory.varOrigin?.(name, variable),
  }));
  const debug = args.verbose > 1 ? (m: string) => ctx.stderr.write(`debug: ${m}\n`) : undefined;
  const connector = await createConnector(args, { debug, ...io });
  const started = Date.now();
  const interrupt = () => void connector.interrupt();
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  let results: PingResult[];
  try {
    results = await pingHosts(connector, hosts, {
      become: args.become,
      signal: ctx.signal,
      onResult: (r) => ctx.stdout.write(args.json ? JSON.stringify(r) + '\n' : formatLine(r) + '\n'),
    });
  } finally {
    ctx.signal.removeEventListener('abort', interrupt);
    await connector.close();
  }
  const summary = summarize(results, Date.now() - started);
  if (ctx.signal.aborted) summary.interrupted = true;
  ctx.stdout.write(args.json ? JSON.stringify({ summary }) + '\n' : formatRecap(summary) + '\n');
  if (ctx.signal.aborted) return ExitCode.interrupted;
  if (summary.unreachable > 0) return ExitCode.unreachable;
  if (summary.failed > 0) return ExitCode.hostFailures;
  return ExitCode.ok;
}

interface PingSummary {
  total: number;
  ok: number;
  unreachable: number;
  failed: number;
  wallMs: number;
  connectMedianMs?: number;
  connectMaxMs?: number;
  /** Ctrl-C stopped the ping; hosts without an answer are not counted. */
  interrupted?: boolean;
}

function summarize(results: PingResult[], wallMs: number): PingSummary {
  const connects = results.flatMap((r) => (r.connectMs === undefined ? [] : [r.connectMs])).sort((a, b) => a - b);
  return {
    total: results.length,
    ok: results.filter((r) => r.status === 'ok').length,
    unreachable: results.filter((r) => r.status === 'unreachable').length,
    failed: results.filter((r) => r.status === 'failed').length,
    wallMs,
    ...(connects.length ? { connectMedianMs: connects[Math.floor((connects.length - 1) / 2)], connectMaxMs: connects[connects.length - 1] } : {}),
  };
}

function formatLine(r: PingResult): string {
  if (r.status === 'ok') {
    const become = r.becomeUser ? ` (become: ${r.becomeUser})` : '';
    return `${r.host} | ok | connect ${r.connectMs} ms | ${r.user}@${r.nodename}${become}`;
  }
  return `${r.host} | ${r.status === 'unreachable' ? 'UNREACHABLE' : r.status === 'interrupted' ? 'INTERRUPTED' : 'FAILED'} | ${r.error}`;
}

function formatRecap(s: PingSummary): string {
  const connect = s.connectMedianMs === undefined ? '' : `; connect median ${s.connectMedianMs} ms, max ${s.connectMaxMs} ms`;
  const head = s.interrupted ? `${INTERRUPTED_MESSAGE}\n` : '';
  return `${head}PING RECAP: ok=${s.ok} unreachable=${s.unreachable} failed=${s.failed} total=${s.total} in ${(s.wallMs / 1000).toFixed(2)} s${connect}`;
}
