/**
 * Joined batches: the commands of the next task(s) in the batch of the task before, when running
 * them there cannot differ from running them at their own turn. The next task is planned from
 * probes read before the earlier task's commands ran; a guard in the batch, right before its
 * commands, reads those probes again and stops the batch unless every output is byte for byte
 * the same (so the plan is the one its turn would make). What the controller decides around the
 * commands is ruled out statically here (joinBlocker) or by the variables the plan read
 * (join-plan.ts); results are reported at the task's own turn (task-run.ts).
 */
import { createHash } from 'node:crypto';
import type { ExecRequest, ExecResult } from '../connectors/types.js';
import type { ModuleDefinition } from '../modules/contract.js';
import type { Task, TaskNode } from '../playbook/model.js';
import { sh } from '../shell/quote.js';

/** Where the two tasks run: the walk, the play's keywords, and how the walker selects a task. */
export interface JoinWalk {
  /** Only one host walks these tasks (linear with one active host, or the free strategy). */
  oneHost: boolean;
  handler: boolean;
  check: boolean;
  play: { anyErrorsFatal?: boolean | string; connection?: string };
  findModule: (name: string) => ModuleDefinition | undefined;
  /** Whether the walker would run the task (tags, --start-at-task). */
  selected: (task: Task) => boolean;
}

const SAME_CONNECTION: (keyof Task)[] = ['remoteUser', 'timeout', 'becomeMethod', 'becomeFlags'];

/** Why `next`'s commands may not go in `prev`'s batch (undefined: they may, if join-plan.ts agrees). */
export function joinBlocker(prev: Task, next: TaskNode, walk: JoinWalk): string | undefined {
  // linear: every host finishes a task before any host starts the next, which playbooks rely on
  if (!walk.oneHost) return 'more than one host walks these tasks in lockstep';
  if (walk.handler) return 'handlers';
  if (walk.check) return 'check mode';
  if (next.kind !== 'task') return `the next node is ${next.kind === 'block' ? 'a block' : 'an include'}`;
  if (walk.play.anyErrorsFatal !== undefined && walk.play.anyErrorsFatal !== false) return 'any_errors_fatal';
  for (const [role, t] of [['earlier', prev], ['next', next]] as const) {
    const mod = walk.findModule(t.module);
    if (!mod?.joinsBatch) return `the ${role} task's module (${t.module}) does not join batches`;
    if (t.loop) return `the ${role} task loops`;
    if (t.until?.length) return `the ${role} task retries (until)`;
    if (t.anyErrorsFatal !== undefined && t.anyErrorsFatal !== false) return 'any_errors_fatal';
    if (t.runOnce) return `the ${role} task is run_once`;
    if (t.delegateTo !== undefined || t.connection !== walk.play.connection) return `the ${role} task is delegated`;
    if (t.throttle !== undefined) return `the ${role} task is throttled`;
    if (t.async !== undefined) return `the ${role} task is async`;
  }
  // decided after the earlier task's commands ran: its failure must come from a command alone
  if (prev.failedWhen?.length) return 'the earlier task has failed_when';
  if (prev.changedWhen?.some((c) => typeof c !== 'boolean')) return 'the earlier task has a templated changed_when';
  for (const k of ['ignoreErrors', 'ignoreUnreachable', 'noLog'] as const) {
    if (typeof prev[k] === 'string') return `the earlier task's ${k} is a template`;
  }
  if (SAME_CONNECTION.some((k) => prev[k] !== next[k])) return 'the tasks use different connection settings';
  if (!walk.selected(next)) return 'the walker does not run the next task (tags, --start-at-task)';
  return undefined;
}

/** A probe whose cached output the next task's plan was made from. */
export interface GuardedProbe {
  command: string;
  become: boolean;
  expected: ExecResult;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * One guard request per remote shell (become): runs each probe again and exits 1 unless its exit
 * code, stdout and stderr are what was cached. It stops the batch unless it exits 0.
 */
export function guardRequests(probes: GuardedProbe[]): ExecRequest[] {
  const byBecome = new Map<boolean, GuardedProbe[]>();
  for (const p of probes) byBecome.set(p.become, [...(byBecome.get(p.become) ?? []), p]);
  return [...byBecome].map(([become, list]) => ({
    command: [
      '__fd_g=$(mktemp -d) || exit 1',
      ...list.map(
        (p) =>
          sh`( eval ${p.command} ) >"$__fd_g/o" 2>"$__fd_g/e" </dev/null; __fd_gr=$?; ` +
          sh`[ "$__fd_gr" = ${String(p.expected.exitCode)} ] && [ "$(sha256sum <"$__fd_g/o")" = ${`${sha256(p.expected.stdout)}  -`} ] && ` +
          sh`[ "$(sha256sum <"$__fd_g/e")" = ${`${sha256(p.expected.stderr)}  -`} ] || { rm -rf "$__fd_g"; exit 1; }`,
      ),
      'rm -rf "$__fd_g"',
    ].join('\n'),
    become,
    stopBatchUnless: [0],
  }));
}
