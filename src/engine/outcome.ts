import type { FileDiff } from '../modules/contract.js';
import { ExitCode, FalcoDeployError } from '../errors.js';
import type { HostStats, HostStatus } from '../output/events.js';
import type { PlayContext } from './context.js';
import type { HostState } from './host-state.js';

/** What running one task on one host came to. */
export interface TaskOutcome {
  status: HostStatus;
  changed: boolean;
  result: Record<string, unknown>;
  msg?: string;
  diff?: FileDiff[];
  warnings?: string[];
  /** meta tasks steer the walker. */
  meta?: string;
  /** The delegated host the commands ran on. */
  delegatedTo?: string;
  /** The module that ran (short name), for how output shows its result. */
  action?: string;
  /** debug, assert: shown without -v. */
  verboseAlways?: boolean;
  /** A loop: each item's label (loop_control.label or the item), as output names it. */
  itemLabels?: string[];
  /** Commands were applied: later probes of this host are stale. */
  applied?: boolean;
}

/** A module's registered result as the task's outcome: its status from failed/changed, its msg when failed. */
export function moduleOutcome(
  result: Record<string, unknown>,
  failed: boolean,
  changed: boolean,
  extra: Pick<TaskOutcome, 'diff' | 'warnings' | 'applied' | 'delegatedTo'>,
): TaskOutcome {
  result.changed = changed;
  return { status: failed ? 'failed' : changed ? 'changed' : 'ok', changed, result, msg: failed ? String(result.msg) : undefined, ...extra };
}

export function failure(msg: string, extra: Record<string, unknown> = {}): TaskOutcome {
  return { status: 'failed', changed: false, result: { ...extra, changed: false, failed: true, msg }, msg };
}

/** What a task failure says about `err`: the project's own description, else the message. */
export function errorMessage(err: unknown): string {
  return err instanceof FalcoDeployError ? err.describe() : err instanceof Error ? err.message : String(err);
}

/**
 * Fails `hosts` on something the engine itself ran into (an include, a vars file), not a module:
 * recorded and shown like a task failure; `ignored` as ignore_errors has it. Ansible words an
 * include's failure as `reason`, others as `msg`.
 */
export function failHosts(
  ctx: Pick<PlayContext, 'states' | 'stats' | 'emit'>,
  hosts: string[],
  task: string,
  msg: string,
  /** caught, rescuable: where the hosts are in their blocks (IncludeScope) */
  opts: { ignored?: boolean; key?: 'msg' | 'reason'; caught?: boolean; rescuable?: boolean } = {},
): void {
  const ignored = opts.ignored === true;
  const status = ignored ? 'ignored' : 'failed';
  for (const host of hosts) {
    if (ignored) ctx.stats.record(host, 'ignored', false);
    else countFailure(ctx, ctx.states.get(host)!, opts);
    ctx.emit({ type: 'host_result', host, task, status, msg, result: { failed: true, [opts.key ?? 'msg']: msg }, ignored });
  }
}

/**
 * A failure not ignored, where `at` says the host is in its blocks (IncludeScope): the host fails;
 * as Ansible's strategy, it counts as rescued inside a block that has a rescue, and as failed for
 * good (what max_fail_percentage counts) unless a rescue or always will catch it.
 */
export function countFailure(ctx: Pick<PlayContext, 'stats'>, state: HostState, at: { caught?: boolean; rescuable?: boolean }): void {
  state.failed = true;
  if (!at.caught) state.failedInBatch = true;
  ctx.stats.record(state.name, at.rescuable ? 'rescued' : 'failed', false);
}

/** A run's exit code from its recap: interrupted, else any failed host, else any unreachable, else ok. */
export function runExitCode(stats: Record<string, HostStats>, interrupted: boolean): number {
  const all = Object.values(stats);
  if (interrupted) return ExitCode.interrupted;
  if (all.some((s) => s.failed > 0)) return ExitCode.hostFailures;
  if (all.some((s) => s.unreachable > 0)) return ExitCode.unreachable;
  return ExitCode.ok;
}
