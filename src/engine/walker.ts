import pLimit from 'p-limit';
import type { PlayContext, IncludeScope } from './context.js';
import type { RunEvent } from '../output/events.js';
import { keywordFlag, varsFor } from './context.js';
import { connectAll, dropLostConnection } from './connect.js';
import { FalcoDeployError } from '../errors.js';
import type { Block, Handler, IncludeRole, IncludeTasks, Task, TaskNode } from '../playbook/model.js';
import { onlyHandlers } from '../playbook/play.js';
import type { IncludedRole } from '../playbook/loader.js';
import { adoptRoles, includeRoleRequest, renderRoleTarget, runtimeImports } from './runtime-roles.js';
import type { Vars } from './ports.js';
import { runTaskOnHost } from './task-run.js';
import { itemLabel, loopItem, loopItems } from './task-inputs.js';
import { CONDITIONAL_FALSE } from './loop-result.js';
import { countFailure, errorMessage, failHosts, failure, type TaskOutcome } from './outcome.js';
import { plainData } from '../template/index.js';
import { redact, NO_LOG_MESSAGE } from '../output/redact.js';
import { collectTaskSecrets } from './secrets.js';
import { matchesStartAt } from '../playbook/list.js';
import { setFollowing } from './join-plan.js';
import { afterTaskResults } from './task-verdict.js';
import type { Section, WalkFrame } from './walk-position.js';

/** Outside any block a failure fails the host at once. */
const failsAtOnce = (scope: IncludeScope) => scope.failsAtOnce ?? true;

/**
 * Walks a task tree for a set of hosts in lockstep (linear strategy: every host finishes a task
 * before the next starts). The free strategy calls it once per host. Inherited keywords (when,
 * tags, become, ...) were already pushed down to each task by the loader.
 */
export async function runNodes(
  ctx: PlayContext,
  nodes: TaskNode[],
  hosts: string[],
  scope: IncludeScope,
  within: Pick<WalkFrame, 'section' | 'always'> = { section: 'tasks', always: [] },
): Promise<void> {
  const frame: WalkFrame = { ...within, nodes, at: -1 };
  await withPosition(ctx, hosts, frame, async () => {
    for (const [i, node] of nodes.entries()) {
      frame.at = i;
      const active = hosts.filter((h) => ctx.states.get(h)!.active);
      if (active.length === 0 || ctx.signal?.aborted || ctx.batchStopped.value) return;
      if (node.kind === 'block') await runBlock(ctx, node, active, scope);
      else if (node.kind !== 'task' && !scope.handler && !ctx.options.tagFilter(node.tags)) continue;
      // as Ansible: an include is selected by its own tags (apply's reach only the included tasks)
      else if (node.kind === 'include_tasks') await runInclude(ctx, node, active, scope);
      else if (node.kind === 'include_role') await runIncludeRole(ctx, node, active, scope);
      else await runTask(ctx, node, active, scope, nodes.slice(i + 1));
    }
  });
}

/** Runs `walk` with `frame` as the hosts' innermost position (HostState.position). */
async function withPosition(ctx: PlayContext, hosts: string[], frame: WalkFrame, walk: () => Promise<void>): Promise<void> {
  for (const h of hosts) ctx.states.get(h)!.position.push(frame);
  try {
    await walk();
  } finally {
    for (const h of hosts) {
      const position = ctx.states.get(h)!.position;
      position.splice(position.lastIndexOf(frame), 1);
    }
  }
}

async function runBlock(ctx: PlayContext, node: Block, hosts: string[], scope: IncludeScope): Promise<void> {
  const state = (h: string) => ctx.states.get(h)!;
  const failedBefore = new Set(hosts.filter((h) => state(h).failed));
  const { always } = node;
  await runNodes(ctx, node.block, hosts, sectionScope(scope, node, 'tasks'), { section: 'tasks', always });
  if (ctx.signal?.aborted || ctx.batchStopped.value) return;
  const failedHere = hosts.filter((h) => state(h).failed && !failedBefore.has(h) && !state(h).unreachable);
  if (node.rescue.length && failedHere.length) {
    for (const h of failedHere) {
      const s = state(h);
      s.failed = false;
      // As Ansible: rescue tasks see what failed.
      s.runtimeVars.ansible_failed_task = s.lastFailure?.task;
      s.runtimeVars.ansible_failed_result = s.lastFailure?.result;
    }
    // the other hosts wait for the always (or what follows the block) meanwhile
    const rescuing = new Set(failedHere);
    const waiting = hosts.filter((h) => !rescuing.has(h));
    const rescue = () => runNodes(ctx, node.rescue, failedHere, sectionScope(scope, node, 'rescue'), { section: 'rescue', always });
    await withPosition(ctx, waiting, { section: 'always', nodes: always, at: -1, always: [] }, rescue);
  }
  if (node.always.length && !ctx.batchStopped.value) {
    const stillFailed = hosts.filter((h) => state(h).failed && !failedBefore.has(h));
    for (const h of stillFailed) state(h).failed = false;
    await runNodes(ctx, node.always, hosts.filter((h) => state(h).active), sectionScope(scope, node, 'always'), { section: 'always', always: [] });
    for (const h of stillFailed) state(h).failed = true;
  }
}

/**
 * The scope of one section of `block`, entered from `outer`: whether a failure in it is caught
 * later (a rescue or always of this block or an enclosing one), counts as rescued, and fails the
 * host at once (IncludeScope).
 */
function sectionScope(outer: IncludeScope, block: Block, section: Section): IncludeScope {
  const rescue = block.rescue.length > 0;
  const always = block.always.length > 0;
  const catchesHere = section === 'tasks' ? rescue || always : section === 'rescue' ? always : false;
  return {
    ...outer,
    caught: outer.caught || catchesHere,
    rescuable: outer.rescuable || (section === 'tasks' && rescue),
    failsAtOnce: !catchesHere && !outer.rescuable,
  };
}

/** The scope of tasks an include loaded: new blocks of their own, under the include's enclosing ones. */
function includedScope(scope: IncludeScope): IncludeScope {
  return { ...scope, failsAtOnce: !scope.rescuable };
}

type Include = IncludeTasks | IncludeRole;

/** One run of an include for hosts that include the same thing with the same loop params. */
interface IncludeGroup<T> {
  key: string;
  target: T;
  params: Record<string, unknown>;
  label?: string;
  hosts: string[];
}

/**
 * The include's `when` and loop per host, grouped as Ansible's IncludedFile: hosts that include
 * the same target with the same params run it in lockstep; a host including it again (a loop)
 * gets a run of its own. `target` renders what is included for one host and item.
 */
function includeGroups<T>(ctx: PlayContext, node: Include, hosts: string[], scope: IncludeScope, target: (vars: Vars) => T): { groups: IncludeGroup<T>[]; included: string[] } {
  const groups: IncludeGroup<T>[] = [];
  const conditions = [...node.when, ...node.ownWhen];
  const included: string[] = [];
  for (const host of hosts) {
    try {
      const vars = varsFor(ctx, host, scope, node);
      if (conditions.length && !ctx.templater.evaluateCondition(conditions, vars, node.source)) {
        ctx.stats.record(host, 'skipped', false);
        ctx.emit({ type: 'host_result', host, task: node.displayName, status: 'skipped', result: { changed: false, skip_reason: CONDITIONAL_FALSE } });
        continue;
      }
      const loopVar = node.loopControl?.loopVar ?? 'item';
      const items = node.loop ? (loopItems(ctx, node.loop, vars, node) as unknown[]) : [undefined];
      for (let i = 0; i < items.length; i++) {
        const params: Record<string, unknown> = node.loop ? { [loopVar]: loopItem(items, i) } : {};
        if (node.loop && node.loopControl?.indexVar) params[node.loopControl.indexVar] = i;
        const itemVars = { ...vars, ...params };
        const rendered = target(itemVars);
        const key = JSON.stringify([rendered, params]);
        const label = node.loop ? itemLabel(ctx, node, items[i], itemVars) : undefined;
        const g = groups.find((x) => x.key === key && !x.hosts.includes(host));
        if (g) g.hosts.push(host);
        else groups.push({ key, target: rendered, params, label, hosts: [host] });
      }
      included.push(host);
    } catch (err) {
      failInclude(ctx, node, [host], err, scope);
    }
  }
  return { groups, included };
}

function rendered(ctx: PlayContext, node: Include, value: unknown, vars: Vars): unknown {
  return plainData(ctx.templater.templateData(value, vars, node.source));
}

async function runInclude(ctx: PlayContext, node: IncludeTasks, hosts: string[], scope: IncludeScope): Promise<void> {
  if (ctx.signal?.aborted) return;
  ctx.emit({ type: 'task_start', task: node.displayName, hosts });
  const runs = loadIncluded(ctx, node, hosts, scope, includeGroups(ctx, node, hosts, scope, (vars) => includeFile(ctx, node, vars)));
  for (const run of runs) {
    if (ctx.signal?.aborted) return;
    await runNodes(ctx, run.nodes, run.hosts, includedScope(run.scope));
  }
}

function includeFile(ctx: PlayContext, node: IncludeTasks, vars: Vars): string {
  return String(rendered(ctx, node, node.file, vars));
}

/** What an include_tasks loaded for some of its hosts: its tasks, to run with `scope`. */
interface IncludeRun {
  nodes: TaskNode[];
  hosts: string[];
  scope: IncludeScope;
}

/** Loads each group's task file: the `included:` lines, the include's recap counts and verdict. */
function loadIncluded(ctx: PlayContext, node: IncludeTasks, hosts: string[], scope: IncludeScope, { groups, included }: ReturnType<typeof includeGroups<string>>): IncludeRun[] {
  // as ansible-playbook's recap (recorded): ok once per distinct loaded file and loop item per host
  // (the same file and item again counts once), none for a file that failed to load; a host that
  // included nothing (an empty loop) counts once
  const loads = new Map<string, Set<string>>();
  const tried = new Set<string>();
  const runs: IncludeRun[] = [];
  for (const g of groups) {
    try {
      const inner: IncludeScope = { ...scope, includeParams: { ...scope.includeParams, ...g.params } };
      const { path, loaded } = ctx.runtime.loadTaskFile(g.target, node.searchDirs, node.context, node.source, node.apply, runtimeImports(ctx, node));
      // as Ansible: an import_role is static, its role's vars are the play's
      adoptRoles(ctx, loaded, inner, true);
      ctx.emit({ type: 'include', file: path, hosts: g.hosts, label: g.label });
      runs.push({ nodes: loaded.tasks, hosts: g.hosts, scope: inner });
      for (const h of g.hosts) loads.set(h, (loads.get(h) ?? new Set()).add(g.key));
    } catch (err) {
      // Found mid-run, after other tasks may have changed hosts: a failure of these hosts, as in
      // Ansible, not "bad input, nothing changed".
      failInclude(ctx, node, g.hosts, err, scope);
    }
    for (const h of g.hosts) tried.add(h);
  }
  for (const h of included) {
    const n = tried.has(h) ? (loads.get(h)?.size ?? 0) : 1;
    for (let i = 0; i < n; i++) ctx.stats.record(h, 'ok', false);
  }
  verdict(ctx, node, scope, hosts.map((host) => ({ host, unreachable: false })));
  return runs;
}

/**
 * include_role, as ansible-core 2.14's strategy: no `included:` line and no recap count of its
 * own; every group's role is loaded before any runs; `public` puts the role's defaults/vars in
 * the play's view, otherwise only the role's tasks (and its dependencies') see them.
 */
async function runIncludeRole(ctx: PlayContext, node: IncludeRole, hosts: string[], scope: IncludeScope): Promise<void> {
  if (ctx.signal?.aborted) return;
  ctx.emit({ type: 'task_start', task: node.displayName, hosts });
  const { groups } = includeGroups(ctx, node, hosts, scope, (vars) => renderRoleTarget(ctx, node, vars));
  const runs: { loaded: IncludedRole; hosts: string[]; scope: IncludeScope; params: Record<string, unknown>; target: unknown }[] = [];
  for (const g of groups) {
    try {
      const loaded = ctx.runtime.loadRole(includeRoleRequest(node, g.target, runtimeImports(ctx, node)));
      const inner = adoptRoles(ctx, loaded, { ...scope, includeParams: { ...scope.includeParams, ...g.params } }, node.public);
      runs.push({ loaded, hosts: g.hosts, scope: inner, params: g.params, target: g.target });
    } catch (err) {
      failInclude(ctx, node, g.hosts, err, scope);
    }
  }
  verdict(ctx, node, scope, hosts.map((host) => ({ host, unreachable: false })));
  for (const run of runs) {
    if (ctx.signal?.aborted) return;
    // as Ansible's ROLE_CACHE: the same role is the same name, files and vars (the include's and its loop's)
    const role = JSON.stringify([run.target, node.apply, node.vars, run.params]);
    const ran = (h: string) => `${h}\0${role}`;
    const targets = node.allowDuplicates ? run.hosts : run.hosts.filter((h) => !ctx.additions.ran.has(ran(h)));
    await runNodes(ctx, run.loaded.tasks, targets, includedScope(run.scope));
    for (const h of targets) ctx.additions.ran.add(ran(h));
  }
}

/**
 * The strategy's verdict after a task's results, or an include's own (included, skipped or
 * failed): whether each failure fails its host at once is Ansible's iterator.is_failed right after it.
 */
function verdict(ctx: PlayContext, node: Task | Include, scope: IncludeScope, results: { host: string; unreachable: boolean }[]): void {
  const seen = results.map(({ host, unreachable }) => ({ failed: failsAtOnce(scope) && ctx.states.get(host)!.failed, unreachable }));
  afterTaskResults(ctx, seen, Boolean(node.anyErrorsFatal ?? ctx.play.anyErrorsFatal));
}

/** An include that cannot be templated or loaded fails on its hosts (ignore_errors applies). */
function failInclude(ctx: PlayContext, node: Include, hosts: string[], err: unknown, scope: IncludeScope): void {
  failHosts(ctx, hosts, node.displayName, errorMessage(err), { ignored: node.ignoreErrors === true, key: 'reason', caught: scope.caught, rescuable: scope.rescuable });
}

/**
 * One task on every given host, bounded by forks; records stats and notifies handlers. `rest`:
 * the nodes the walker runs next in this list, whose commands may join this task's batch.
 */
async function runTask(ctx: PlayContext, task: Task, hosts: string[], scope: IncludeScope, rest: TaskNode[] = []): Promise<void> {
  if (ctx.signal?.aborted) return;
  // Notified handlers run whatever --tags/--start-at-task say, as in Ansible.
  if (!scope.handler && !ctx.options.tagFilter(task.tags)) return;
  if (!scope.handler && !ctx.startReached.value) {
    if (!matchesStartAt(task, ctx.options.startAtTask!)) return;
    ctx.startReached.value = true;
  }
  const targets = task.runOnce ? hosts.slice(0, 1) : hosts;
  ctx.emit({ type: 'task_start', task: task.displayName, handler: scope.handler, hosts: targets });
  const limit = pLimit(ctx.options.forks);
  for (const h of targets) setFollowing(ctx.states.get(h)!, { nodes: rest, scope, oneHost: hosts.length === 1 });
  const settled = await Promise.all(
    targets.map((h) =>
      limit(async () => {
        if (ctx.signal?.aborted) return undefined;
        const outcome = await runTaskOnHost(ctx, task, h, scope);
        // Ctrl-C came while this host ran the task: its result is an interruption, not a verdict.
        return ctx.signal?.aborted ? undefined : ([h, outcome] as const);
      }),
    ),
  );
  const outcomes = settled.filter((o) => o !== undefined);
  const metaActions = new Set<string>();
  for (const [host, outcome] of outcomes) {
    settle(ctx, task, scope, host, outcome);
    if (outcome.meta) metaActions.add(outcome.meta);
  }
  if (task.runOnce && outcomes.length) shareRunOnce(ctx, task, outcomes[0][0], outcomes[0][1]);
  for (const action of metaActions) await runMeta(ctx, action, hosts);
  verdict(ctx, task, scope, outcomes.map(([host, o]) => ({ host, unreachable: o.status === 'unreachable' })));
}

function settle(ctx: PlayContext, task: Task, scope: IncludeScope, host: string, given: TaskOutcome): void {
  const state = ctx.states.get(host)!;
  let outcome = given;
  // ignore_errors / ignore_unreachable may be templates: rendered for this host when they matter
  const flag = (key: string, value: boolean | string | undefined): boolean => {
    try {
      return keywordFlag(ctx, key, value, varsFor(ctx, host, scope, task), task.source) ?? false;
    } catch (err) {
      outcome = failure(errorMessage(err));
      return false;
    }
  };
  // a no_log that does not render to a boolean fails the task (its result is hidden then too)
  const noLog = typeof task.noLog === 'string' ? flag('no_log', task.noLog) || outcome !== given : task.noLog === true;
  let status = outcome.status;
  // as ansible-playbook: an ignored unreachable result stays unreachable in output and register, counts ok + ignored
  const unreachableIgnored = status === 'unreachable' && flag('ignore_unreachable', task.ignoreUnreachable);
  if (status === 'failed') {
    if (flag('ignore_errors', task.ignoreErrors)) status = 'ignored';
    else {
      countFailure(ctx, state, scope);
      state.lastFailure = { task: { name: task.name ?? task.displayName, action: task.module }, result: outcome.result };
    }
  }
  if (unreachableIgnored) dropLostConnection(state);
  else if (status === 'unreachable') state.unreachable = true;
  if (status === 'unreachable') ctx.stats.unreachable(host, unreachableIgnored);
  else if (status !== 'failed') ctx.stats.record(host, status, outcome.changed);
  if (outcome.changed && status !== 'failed' && task.notify.length) {
    const vars = varsFor(ctx, host, scope, task);
    for (const n of task.notify) notify(ctx, state.notified, String(ctx.templater.templateData(n, vars, task.source)));
  }
  collectTaskSecrets(ctx, host, scope, task, outcome, noLog);
  ctx.emit({
    type: 'host_result',
    host,
    task: task.displayName,
    status,
    msg: noLog || outcome.msg === undefined ? undefined : redact(outcome.msg, ctx.secrets),
    result: noLog ? censored(outcome) : redact(outcome.result, ctx.secrets),
    diff: noLog ? undefined : outcome.diff && redact(outcome.diff, ctx.secrets),
    warnings: outcome.warnings,
    ...(outcome.delegatedTo !== undefined ? { delegatedTo: outcome.delegatedTo } : {}),
    action: outcome.action,
    verboseAlways: noLog ? undefined : outcome.verboseAlways,
    // no_log: items are named None, as Ansible's callback names a censored item
    itemLabels: outcome.itemLabels?.map((l) => (noLog ? 'None' : redact(l, ctx.secrets))),
    noLog,
    ignored: status === 'ignored' || unreachableIgnored,
  });
}

/** What output may show of a no_log result: whether it changed, and for a loop the same of each item. */
function censored(outcome: TaskOutcome): Record<string, unknown> {
  const hidden = (r: Record<string, unknown>) => ({ censored: NO_LOG_MESSAGE, changed: Boolean(r.changed), ...(r.failed ? { failed: true } : {}), ...(r.skipped ? { skipped: true } : {}) });
  const results = outcome.itemLabels && Array.isArray(outcome.result.results) ? (outcome.result.results as Record<string, unknown>[]).map(hidden) : undefined;
  return { ...hidden(outcome.result), changed: outcome.changed, ...(results ? { results } : {}) };
}

/**
 * run_once, as Ansible's strategy: the one result stands for every host of the batch that is
 * still reachable: its registered value and facts (set_fact too) land on all of them, and a
 * failure not ignored fails them all (only the host that ran it counts it in the recap).
 */
function shareRunOnce(ctx: PlayContext, task: Task, ran: string, outcome: TaskOutcome): void {
  const others = ctx.batchHosts.filter((h) => h !== ran && !ctx.states.get(h)!.unreachable);
  const source = ctx.states.get(ran)!;
  const facts = outcome.result.ansible_facts;
  const shareFacts = facts !== null && typeof facts === 'object' && outcome.status !== 'failed' && !task.delegateFacts;
  for (const h of others) {
    const state = ctx.states.get(h)!;
    if (task.register && task.register in source.runtimeVars) state.runtimeVars[task.register] = source.runtimeVars[task.register];
    if (shareFacts && task.module === 'set_fact') Object.assign(state.runtimeVars, facts);
    else if (shareFacts) state.setFacts(facts as Vars, true);
    if (outcome.status === 'failed' && !task.ignoreErrors) state.failed = true;
  }
}

async function runMeta(ctx: PlayContext, action: string, hosts: string[]): Promise<void> {
  const each = (list: string[], f: (s: NonNullable<ReturnType<typeof ctx.states.get>>) => void) => list.forEach((h) => f(ctx.states.get(h)!));
  switch (action) {
    case 'flush_handlers':
      await flushHandlers(ctx, hosts);
      break;
    case 'end_play':
      ctx.playEnded.value = true;
      each(ctx.batchHosts, (s) => (s.ended = true));
      break;
    case 'end_batch':
      each(ctx.batchHosts, (s) => (s.ended = true));
      break;
    case 'reset_connection':
      await resetConnections(ctx, hosts);
      break;
    case 'refresh_inventory':
      await ctx.refreshInventory();
      break;
    case 'noop':
      break;
    case 'end_host':
      each(hosts, (s) => (s.ended = true));
      break;
    case 'clear_host_errors':
      each(ctx.batchHosts, (s) => Object.assign(s, { failed: false, failedInBatch: false }));
      break;
    case 'clear_facts':
      each(hosts, (s) => s.clearFacts());
      break;
    default:
      // The loader accepts only the known actions (META_ACTIONS); one more is a controller bug.
      throw new FalcoDeployError(`meta action "${action}" is not implemented`, { phase: 'plan' });
  }
}

/** meta: reset_connection: the hosts' connections are closed and opened anew (new login session). */
async function resetConnections(ctx: PlayContext, hosts: string[]): Promise<void> {
  for (const h of hosts) {
    const state = ctx.states.get(h)!;
    await state.connection?.close();
    state.connection = undefined;
    state.probeCache.clear();
  }
  await connectAll(ctx, hosts);
}

/**
 * As ansible-core 2.14's strategy: a notify picks the handler loaded last with that name (or
 * `role : name`) when the task reports, plus every handler listening to it; ids are kept, so a
 * role included again later adds handlers without taking over earlier notifications.
 */
function notify(ctx: PlayContext, notified: Set<string>, name: string): void {
  const handlers = ctx.additions.handlers.map((h) => h.task);
  const named = [...handlers].reverse().find((h) => h.name === name || (h.role !== undefined && `${h.role.name} : ${h.name}` === name));
  if (named) notified.add(named.id);
  for (const h of handlers) if (h.listen.includes(name)) notified.add(h.id);
}

/** One place in a host's handler list: the play's handlers, and the tasks a handler include loaded after it. */
interface HandlerEntry {
  node: Handler;
  scope: IncludeScope;
  /** A loaded task runs for the hosts its include ran for (a play handler: for the hosts notified). */
  includedFor?: ReadonlySet<string>;
}

/**
 * Runs notified handlers, once each, on the hosts that notified them, as ansible-core 2.14's
 * linear strategy: every host walks its own copy of the handler list, where a handler include
 * puts the tasks it loaded right after itself (they run as handlers for its hosts); each step runs
 * the lowest position any host is at next, for the hosts at that position, each its own handler.
 */
export async function flushHandlers(ctx: PlayContext, hosts: string[]): Promise<void> {
  // as Ansible's iterator: a host that fails in a handler is done with the play's handlers, forced or not
  const failedHere = new Set<string>();
  await flushSteps(ctx, hosts, failedHere);
  for (const h of failedHere) ctx.states.get(h)!.notified.clear();
}

async function flushSteps(ctx: PlayContext, hosts: string[], failedHere: Set<string>): Promise<void> {
  const start: HandlerEntry[] = ctx.additions.handlers.map(({ task, scope }) => ({ node: task, scope: { ...scope, handler: true } }));
  const lists = new Map(hosts.map((h) => [h, start]));
  const at = new Map(hosts.map((h) => [h, 0]));
  const notifiedAt = (h: string, e: HandlerEntry) => (e.includedFor ? e.includedFor.has(h) : ctx.states.get(h)!.notified.has(e.node.id));
  while (!ctx.signal?.aborted && !ctx.batchStopped.value) {
    const next = new Map<string, number>();
    for (const h of hosts.filter((x) => !failedHere.has(x) && handlerEligible(ctx, x))) {
      const list = lists.get(h)!;
      let i = at.get(h)!;
      while (i < list.length && !notifiedAt(h, list[i])) i++;
      if (i < list.length) next.set(h, i);
    }
    if (next.size === 0) return;
    const lowest = Math.min(...next.values());
    const step = hosts.filter((h) => next.get(h) === lowest);
    for (const h of step) at.set(h, lowest + 1);
    const loaded = await runHandlerStep(ctx, step.map((h) => ({ host: h, entry: lists.get(h)![lowest] })), failedHere);
    // each host's loads in the order they were included (loop items), right after the include
    for (const h of step) {
      const entries = loaded.filter((run) => run.hosts.includes(h)).flatMap((run) => run.entries);
      if (entries.length) lists.set(h, [...lists.get(h)!.slice(0, lowest + 1), ...entries, ...lists.get(h)!.slice(lowest + 1)]);
    }
  }
}

function handlerEligible(ctx: PlayContext, host: string): boolean {
  const s = ctx.states.get(host)!;
  return s.active || (ctx.options.forceHandlers && !s.unreachable && !s.ended);
}

/**
 * One lockstep step of the handlers: each host runs its entry, hosts with the same entry
 * together. Ansible's callback shows one banner per step; a later entry's results come under a
 * banner naming the first entry, `TASK` unless that later handler had a banner before. Handler
 * includes load their files after the step's results, as the strategy processes includes.
 */
async function runHandlerStep(ctx: PlayContext, step: { host: string; entry: HandlerEntry }[], failedHere: Set<string>): Promise<{ hosts: string[]; entries: HandlerEntry[] }[]> {
  const groups: { entry: HandlerEntry; hosts: string[] }[] = [];
  for (const { host, entry } of step) {
    const g = groups.find((x) => x.entry === entry);
    if (g) g.hosts.push(host);
    else groups.push({ entry, hosts: [host] });
  }
  const first = groups[0].entry.node.displayName;
  const stepHosts = step.map((x) => x.host);
  const forced = stepHosts.filter((h) => ctx.states.get(h)!.failed);
  for (const h of forced) ctx.states.get(h)!.failed = false;
  const pending: (() => IncludeRun[])[] = [];
  for (const [i, { entry, hosts }] of groups.entries()) {
    if (ctx.signal?.aborted) break;
    const { node, scope } = entry;
    if (i === 0) ctx.additions.handlerBanners.add(node);
    const at = i === 0 ? ctx : underBanner(ctx, { type: 'task_start', task: first, handler: ctx.additions.handlerBanners.has(node), hosts });
    if (!entry.includedFor) for (const h of hosts) ctx.states.get(h)!.notified.delete(node.id);
    if (node.kind === 'task') await runTask(at, node, hosts, scope);
    else {
      at.emit({ type: 'task_start', task: node.displayName, handler: true, hosts });
      const groupsOf = includeGroups(at, node, hosts, scope, (vars) => includeFile(at, node, vars));
      pending.push(() => loadIncluded(ctx, node, hosts, scope, groupsOf));
    }
  }
  const loaded = pending.flatMap((load) => load()).map(handlerRun);
  for (const h of stepHosts) if (ctx.states.get(h)!.failed) failedHere.add(h);
  for (const h of forced) ctx.states.get(h)!.failed = true;
  return loaded;
}

/** `ctx` whose own task banner is replaced by `banner`, shown before the first host result (Ansible's callback prints it then). */
function underBanner(ctx: PlayContext, banner: RunEvent & { type: 'task_start' }): PlayContext {
  let shown = false;
  const emit = (e: RunEvent) => {
    if (e.type === 'task_start') return;
    if (e.type === 'host_result' && !shown) {
      shown = true;
      ctx.emit(banner);
    }
    ctx.emit(e);
  };
  return { ...ctx, emit };
}

/** The tasks an include handler loaded, as entries of its hosts' handler lists. */
function handlerRun(run: IncludeRun): { hosts: string[]; entries: HandlerEntry[] } {
  const includedFor = new Set(run.hosts);
  return { hosts: run.hosts, entries: run.nodes.map((n) => ({ node: onlyHandlers(n), scope: run.scope, includedFor })) };
}
