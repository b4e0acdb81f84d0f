import type { ExecRequest, ExecResult, HostConnection } from '../connectors/types.js';
import type { PlannedCommand } from '../modules/contract.js';
import type { HostState } from './host-state.js';
import { probeBatch, type PendingProbe } from './probes.js';

interface ApplyOptions {
  env: Record<string, string>;
  become: boolean;
  becomeUser?: string;
}

/**
 * The one batch of a task's commands: each stops the batch unless its exit code is ok, so
 * nothing after a failing command runs; then, only if a command runs at all, the probes of the
 * later tasks (`later`, one per cache key), which thus read the host as the commands left it.
 */
export function applyBatch(commands: PlannedCommand[], opts: ApplyOptions, later: PendingProbe[]): { requests: ExecRequest[]; probeKeys: string[] } {
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
  if (commands.length === 0) return { requests, probeKeys: [] };
  const probes = probeBatch(later);
  return { requests: [...requests, ...probes.requests], probeKeys: probes.keys };
}

/**
 * What a batch of commands followed by `probeCount` probes returned: the results of the
 * commands that ran, the first that failed (its exit code not in okExitCodes: the connection ran
 * nothing after it), and the probes' results only if every one of them ran.
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
 * Runs a task's commands and the later tasks' probes in ONE round trip (applyBatch). After any
 * command (a change, or a wait while the host changes by itself) the probe cache is dropped and
 * refilled with those probes' results, if they ran.
 */
export async function applyCommands(
  state: HostState,
  conn: HostConnection,
  commands: PlannedCommand[],
  opts: ApplyOptions,
  later: PendingProbe[],
): Promise<{ results: ExecResult[]; failedCommand?: number }> {
  if (commands.length === 0) return { results: [] };
  const { requests, probeKeys } = applyBatch(commands, opts, later);
  const all = await conn.execBatch(requests);
  const { commandResults, failedCommand, probeResults } = splitApplyResults(commands, probeKeys.length, all);
  state.probeCache.clear();
  probeResults?.forEach((r, i) => state.probeCache.set(probeKeys[i], r));
  return { results: commandResults, failedCommand };
}
