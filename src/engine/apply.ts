import type { ExecRequest, ExecResult, HostConnection } from '../connectors/types.js';
import type { PlannedCommand } from '../modules/contract.js';
import type { HostState } from './host-state.js';
import { probeBatch, type PendingProbe } from './probes.js';

interface ApplyOptions {
  env: Record<string, string>;
  become: boolean;
  becomeUser?: string;
}

/** Whether a plan's commands change the host, so the probe cache must be read again after them. */
export function changesHost(commands: PlannedCommand[]): boolean {
  return commands.some((c) => !c.readOnly);
}

/**
 * What a batch of `commandCount` commands followed by `probeCount` probes returned: the results
 * of the commands that ran, the first that failed (its exit code not in okExitCodes: the
 * connection ran nothing after it), and the probes' results only if every one of them ran.
 */
export function splitApplyResults(
  commands: Pick<PlannedCommand, 'okExitCodes'>[],
  probeCount: number,
  results: ExecResult[],
): { commandResults: ExecResult[]; failedCommand?: number; probeResults?: ExecResult[] } {
  const commandResults = results.slice(0, commands.length);
  const failed = commandResults.findIndex((r, i) => !(commands[i].okExitCodes ?? [0]).includes(r.exitCode));
  if (failed >= 0) return { commandResults: commandResults.slice(0, failed + 1), failedCommand: failed };
  const probeResults = results.length === commands.length + probeCount ? results.slice(commands.length) : undefined;
  return { commandResults, probeResults };
}

/**
 * A task's commands and the probes of the tasks after it (`later`) in ONE round trip: the
 * commands run in order and the first that fails stops the batch (stopBatchUnless), so nothing
 * after it runs; the probes run after the commands, so they read the host as the change left
 * it and refill the probe cache the change drops.
 */
export async function applyCommands(
  state: HostState,
  conn: HostConnection,
  commands: PlannedCommand[],
  opts: ApplyOptions,
  later: PendingProbe[],
): Promise<{ results: ExecResult[]; failedCommand?: number }> {
  const requests: ExecRequest[] = commands.map((c) => ({
    command: c.command,
    stdin: c.stdin,
    stdinFile: c.stdinFile,
    stdoutFile: c.stdoutFile,
    env: { ...opts.env, ...(c.env ?? {}) },
    become: c.become ?? opts.become,
    becomeUser: opts.becomeUser,
    stopBatchUnless: c.okExitCodes ?? [0],
  }));
  const probes = probeBatch(later);
  if (requests.length === 0) return { results: [] };
  const all = await conn.execBatch([...requests, ...probes.requests]);
  const { commandResults, failedCommand, probeResults } = splitApplyResults(commands, probes.requests.length, all);
  if (changesHost(commands)) state.probeCache.clear();
  probeResults?.forEach((r, i) => state.probeCache.set(probes.keys[i], r));
  return { results: commandResults, failedCommand };
}
