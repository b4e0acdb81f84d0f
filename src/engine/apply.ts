import type { ExecRequest, ExecResult, HostConnection } from '../connectors/types.js';
import type { PlannedCommand } from '../modules/contract.js';
import type { HostState } from './host-state.js';
import { probeBatch, type PendingProbe } from './probes.js';

interface ApplyOptions {
  env: Record<string, string>;
  become: boolean;
  becomeUser?: string;
}

/** A later task's commands joined to this batch (joined-batch.ts), after the guard of the probes its plan read. */
export interface JoinRequest {
  guard: ExecRequest[];
  commands: PlannedCommand[];
  opts: ApplyOptions;
}

/** What a joined task's commands returned (they ran only if its guard passed). */
export interface JoinResult {
  results: ExecResult[];
  failedCommand?: number;
}

function commandRequests(commands: PlannedCommand[], opts: ApplyOptions): ExecRequest[] {
  return commands.map((c) => ({
    command: c.command,
    stdin: c.stdin,
    stdinFile: c.stdinFile,
    stdoutFile: c.stdoutFile,
    env: { ...opts.env, ...(c.env ?? {}) },
    become: c.become ?? opts.become,
    becomeUser: opts.becomeUser,
    stopBatchUnless: c.okExitCodes ?? [0],
  }));
}

/**
 * The one batch of a task's commands: each stops the batch unless its exit code is ok, so
 * nothing after a failing command runs; then, only if a command runs at all, the probes of the
 * later tasks (`later`, one per cache key), which thus read the host as the commands left it.
 * Joined tasks go between: the later probes once more (they refill the cache should the first
 * guard stop the batch), then each joined task's guard and commands.
 */
export function applyBatch(commands: PlannedCommand[], opts: ApplyOptions, later: PendingProbe[], joins: JoinRequest[] = []): { requests: ExecRequest[]; probeKeys: string[] } {
  const requests = commandRequests(commands, opts);
  if (commands.length === 0) return { requests, probeKeys: [] };
  const probes = probeBatch(later);
  if (joins.length) requests.push(...probes.requests);
  for (const j of joins) requests.push(...j.guard, ...commandRequests(j.commands, j.opts));
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
 * Runs a task's commands (and the joined tasks') and the later tasks' probes in ONE round trip
 * (applyBatch). After any command (a change, or a wait while the host changes by itself) the
 * probe cache is dropped and refilled with the results of the probes that ran after the last
 * command that ran, if they all did.
 */
export async function applyCommands(
  state: HostState,
  conn: HostConnection,
  commands: PlannedCommand[],
  opts: ApplyOptions,
  later: PendingProbe[],
  joins: JoinRequest[] = [],
): Promise<{ results: ExecResult[]; failedCommand?: number; joined: JoinResult[] }> {
  if (commands.length === 0) return { results: [], joined: [] };
  const { requests, probeKeys } = applyBatch(commands, opts, later, joins);
  const all = await conn.execBatch(requests);
  let at = 0;
  const take = (n: number) => all.slice(at, (at += n));
  const head = splitApplyResults(commands, 0, take(commands.length));
  const joined: JoinResult[] = [];
  const complete = (rs: ExecResult[]) => (rs.length === probeKeys.length ? rs : undefined);
  let probeResults = head.failedCommand === undefined && head.probeResults && joins.length ? complete(take(probeKeys.length)) : undefined;
  let ranAll = head.failedCommand === undefined && head.probeResults !== undefined;
  for (const j of ranAll ? joins : []) {
    const guard = take(j.guard.length);
    if (guard.length < j.guard.length || guard.some((r) => r.exitCode !== 0)) {
      if (joined.length) probeResults = undefined; // read before the joined commands that ran
      ranAll = false;
      break;
    }
    const ran = splitApplyResults(j.commands, 0, take(j.commands.length));
    joined.push({ results: ran.commandResults, failedCommand: ran.failedCommand });
    probeResults = undefined;
    if (ran.failedCommand !== undefined || !ran.probeResults) {
      ranAll = false;
      break;
    }
  }
  if (ranAll) probeResults = complete(take(probeKeys.length));
  state.probeCache.clear();
  probeResults?.forEach((r, i) => state.probeCache.set(probeKeys[i], r));
  return { results: head.commandResults, failedCommand: head.failedCommand, joined };
}
