/**
 * Plans the tasks that follow one on a host so their commands can join its batch
 * (joined-batch.ts), and keeps what they returned until their own turn.
 */
import type { ExecResult } from '../connectors/types.js';
import type { Plan, PlannedCommand } from '../modules/contract.js';
import type { Task, TaskNode } from '../playbook/model.js';
import { plainData, templatingAhead } from '../template/index.js';
import type { JoinRequest, JoinResult } from './apply.js';
import { becomeFor, becomeUserFor, keywordFlag, varsFor, type IncludeScope, type PlayContext } from './context.js';
import type { HostState } from './host-state.js';
import { guardRequests, joinBlocker, type GuardedProbe } from './joined-batch.js';
import type { Vars } from './ports.js';
import { cacheKey, probeValues } from './probes.js';
import { environmentFor, moduleContext, stripOmitted } from './task-inputs.js';
import { FalcoDeployError } from '../errors.js';

/** The tasks the walker runs a host through after the current one, when it walks them alone. */
interface Following {
  nodes: TaskNode[];
  scope: IncludeScope;
  oneHost: boolean;
}

/** A task whose commands joined an earlier batch: what its turn must find, and what they returned. */
interface JoinedTask {
  task: Task;
  inputs: string;
  plan: Plan;
  commands: PlannedCommand[];
  outcome?: JoinResult;
}

const following = new WeakMap<HostState, Following>();
const joined = new WeakMap<HostState, JoinedTask[]>();

/**
 * Variables whose value may change between the earlier task's turn and the next task's without
 * a command on this host: other hosts' results (hostvars), the hosts still in the play, Ansible's
 * raw `vars`. A plan that read one of them (or a name an earlier task registers) is not joined.
 */
const MOVING = ['hostvars', 'vars', 'play_hosts', 'ansible_play_hosts', 'ansible_play_batch'];

export function setFollowing(state: HostState, next: Following): void {
  following.set(state, next);
}

/** The inputs that must be the same at the task's turn as when it was planned to join. */
function inputsKey(args: Record<string, unknown>, become: boolean, becomeUser: string | undefined, env: Record<string, string>): string {
  return JSON.stringify([args, become, becomeUser ?? null, env]);
}

/**
 * The tasks after `prev` whose commands can follow its own in one batch, planned now from the
 * probe cache (the host as `prev` found it); each comes with the guard that checks, in the batch,
 * that its probes still read the same. Stops at the first task that cannot join.
 */
export async function planJoins(ctx: PlayContext, host: string, state: HostState, prev: Task, check: boolean): Promise<JoinRequest[]> {
  const walk = following.get(state);
  const requests: JoinRequest[] = [];
  const planned: JoinedTask[] = [];
  joined.set(state, planned);
  if (!walk) return requests;
  const registered = new Set(prev.register ? [prev.register] : []);
  let before = prev;
  for (const next of walk.nodes) {
    const blocker = joinBlocker(before, next, {
      oneHost: walk.oneHost,
      handler: walk.scope.handler === true,
      check,
      play: ctx.play,
      findModule: ctx.options.findModule,
      selected: (t) => ctx.options.tagFilter(t.tags) && ctx.startReached.value,
    });
    if (blocker || next.kind !== 'task') break;
    const one = await planOne(ctx, host, state, next, walk.scope, registered).catch(() => undefined);
    if (!one) break;
    requests.push(one.request);
    planned.push(one.joined);
    if (next.register) registered.add(next.register);
    before = next;
  }
  return requests;
}

async function planOne(
  ctx: PlayContext,
  host: string,
  state: HostState,
  task: Task,
  scope: IncludeScope,
  registered: Set<string>,
): Promise<{ request: JoinRequest; joined: JoinedTask } | undefined> {
  const { vars, read } = watchReads(varsFor(ctx, host, scope, task));
  const mod = ctx.options.findModule(task.module)!;
  const inputs = templatingAhead(() => {
    if (task.when.length && !ctx.templater.evaluateCondition(task.when, vars, task.source)) return undefined;
    const args = ctx.options.coerceArgs(mod.spec, plainData(stripOmitted(ctx.templater.templateData(task.args, vars, task.source))), mod.name);
    const become = becomeFor(ctx, vars, task);
    if (keywordFlag(ctx, 'check_mode', task.checkMode, vars, task.source) ?? ctx.options.check) return undefined;
    const env = environmentFor(ctx, [...ctx.play.environment, ...task.environment], vars, task);
    return { args, become, env, becomeUser: become ? becomeUserFor(ctx, vars, task) : undefined };
  });
  if (!inputs) return undefined;
  const { args, become, env, becomeUser } = inputs;
  const modCtx = { ...moduleContext(ctx, host, task, vars, become, false), environment: env };
  const probes = await mod.probes(args, modCtx);
  const cached = probes.map((p) => state.probeCache.get(cacheKey(p, become)));
  if (cached.some((r) => r === undefined)) return undefined;
  const plan = await mod.plan(args, await probeValues(state, probes, become), modCtx);
  if (plan.failed || plan.skippedReason || plan.commands.length === 0 || plan.commands.some((c) => c.stdoutFile)) return undefined;
  if (read.all || [...read.names].some((n) => registered.has(n) || MOVING.includes(n))) return undefined;
  const guarded: GuardedProbe[] = probes.map((p, i) => ({ command: p.command, become: p.become ?? become, expected: cached[i]! }));
  return {
    request: { guard: guardRequests(guarded), commands: plan.commands, opts: { env, become, becomeUser } },
    joined: { task, inputs: inputsKey(args, become, becomeUser, env), plan, commands: plan.commands },
  };
}

/** Records which variables a template read (any enumeration counts as reading them all). */
function watchReads(vars: Vars): { vars: Vars; read: { names: Set<string>; all: boolean } } {
  const read = { names: new Set<string>(), all: false };
  const note = (name: string | symbol) => typeof name === 'string' && read.names.add(name);
  const proxy = new Proxy(vars, {
    get: (t, name, r) => (note(name), Reflect.get(t, name, r)),
    has: (t, name) => (note(name), Reflect.has(t, name)),
    getOwnPropertyDescriptor: (t, name) => (note(name), Reflect.getOwnPropertyDescriptor(t, name)),
    ownKeys: (t) => ((read.all = true), Reflect.ownKeys(t)),
  });
  return { vars: proxy, read };
}

/** Records what the joined tasks' commands returned (only those whose guard passed ran). */
export function recordJoined(state: HostState, results: JoinResult[]): void {
  const planned = joined.get(state) ?? [];
  joined.set(state, results.map((outcome, i) => ({ ...planned[i], outcome })));
}

/**
 * At a task's turn: its plan and command results if its commands already ran in an earlier
 * batch. Its inputs must be those it was planned with: the join rules guarantee it, and a
 * difference would mean commands ran that this turn would not have planned.
 */
export function takeJoined(
  state: HostState,
  task: Task,
  inputs: { args: Record<string, unknown>; become: boolean; becomeUser?: string; env: Record<string, string> },
): { plan: Plan; commands: PlannedCommand[]; results: ExecResult[]; failedCommand?: number } | undefined {
  const queue = joined.get(state);
  if (!queue?.length) return undefined;
  const head = queue[0];
  if (head.task.id !== task.id || !head.outcome) {
    joined.delete(state);
    if (head.outcome) throw new FalcoDeployError(`internal: the commands of "${head.task.displayName}" ran in an earlier batch, but "${task.displayName}" came next`, { host: state.name, task: task.displayName, phase: 'apply' });
    return undefined;
  }
  queue.shift();
  if (head.inputs !== inputsKey(inputs.args, inputs.become, inputs.becomeUser, inputs.env)) {
    throw new FalcoDeployError('internal: the task ran in an earlier batch with other arguments than its turn renders', { host: state.name, task: task.displayName, phase: 'apply' });
  }
  return { plan: head.plan, commands: head.commands, results: head.outcome.results, failedCommand: head.outcome.failedCommand };
}
