/**
 * After a run of a playbook with the falco role: the health of the run's hosts and the last
 * alerts of each (`-e falco_alert_tail=N`, default 5, 0 = no tail), over the run's own
 * connections, printed after the recap (plain, TTY or --json). It never changes the run's exit code.
 */
import { FalcoDeployError } from '../errors.js';
import { probeHosts, type ConnectHost } from './gather.js';
import type { HostHealth } from './report.js';
import { printable, renderTable, summaryLine } from './table.js';

const DEFAULT_ALERT_TAIL = 5;
const WINDOW_MINUTES = 15;
const OUTPUT_CHARS = 160;

/** `falco_alert_tail` from the extra vars: a whole number >= 0 (bad input otherwise). */
export function alertTailLines(extraVars: Record<string, unknown>): number {
  const v = extraVars.falco_alert_tail;
  if (v === undefined) return DEFAULT_ALERT_TAIL;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new FalcoDeployError(`falco_alert_tail must be a whole number >= 0 (0 turns the alert tail off), got ${JSON.stringify(v)}`, { phase: 'usage' });
  return n;
}

interface GatherInput {
  connect: ConnectHost;
  /** Hosts of the run; the unreachable ones are listed without a probe. */
  hosts: { name: string; unreachable: boolean }[];
  become: boolean;
  tailLines: number;
}

interface PrintOptions {
  tailLines: number;
  json: boolean;
  colour: boolean;
  out: NodeJS.WritableStream;
}

export async function reportHealthAfterRun(input: GatherInput & PrintOptions): Promise<void> {
  printHealthAfterRun(await gatherHealthAfterRun(input), input);
}

/** The run's hosts' health, in their order (`run --workers`: each worker gathers its own hosts). */
export async function gatherHealthAfterRun(input: GatherInput): Promise<HostHealth[]> {
  const reachable = input.hosts.filter((h) => !h.unreachable).map((h) => h.name);
  const probed = new Map(
    (await probeHosts(input.connect, reachable, { become: input.become, windowMinutes: WINDOW_MINUTES, probeTimeoutMs: 30_000, tailLines: input.tailLines })).map((r) => [r.host, r]),
  );
  return input.hosts.map(
    (h) =>
      probed.get(h.name) ?? {
        host: h.name,
        status: 'unreachable',
        problems: ['unreachable during the run'],
        error: 'unreachable during the run',
        probe: { connectMs: null, probeMs: null, roundTrips: null },
      },
  );
}

export function printHealthAfterRun(results: HostHealth[], input: PrintOptions): void {
  if (input.json) {
    for (const r of results) input.out.write(JSON.stringify({ type: 'falco_health', ...r }) + '\n');
    input.out.write(JSON.stringify({ type: 'falco_health_summary', text: summaryLine(results) }) + '\n');
    return;
  }
  const lines = ['', 'FALCO HEALTH ' + '*'.repeat(60), renderTable(results, { colour: input.colour, windowMinutes: WINDOW_MINUTES }).trimEnd()];
  if (input.tailLines > 0) {
    lines.push('', `LAST ALERTS (up to ${input.tailLines} per host) ` + '*'.repeat(44));
    for (const r of results) {
      if (!r.alertTail) continue;
      lines.push(`${r.host}:${r.alertTail.length ? '' : ' none'}`);
      for (const a of r.alertTail) lines.push(printable(`  ${a.time}  ${a.priority}  ${a.rule}  ${oneLine(a.output)}`));
    }
  }
  input.out.write(lines.join('\n') + '\n');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > OUTPUT_CHARS ? `${flat.slice(0, OUTPUT_CHARS - 3)}...` : flat;
}
