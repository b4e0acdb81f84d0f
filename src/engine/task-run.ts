import { setTimeout as delay } from 'node:timers/promises';
import { FalcoDeployError, UnreachableError } from '../errors.js';
import type { ExecResult } from '../connectors/types.js';
import type { FileDiff, ModuleDefinition, Plan, PlannedCommand } from '../modules/contract.js';
import type { HostStatus } from '../output/events.js';
import type { PlayContext, IncludeScope } from './context.js';
import { becomeFor, becomeUserFor, keywordFlag, varsFor } from './context.js';
import { isTemplateError, isUnsafe, markUnsafe, plainData, settleUnsafe } from '../template/index.js';
import { taskArgErrorMessage } from '../template/errors.js';
import { aggregateLoop, CONDITIONAL_FALSE, type ItemResult } from './loop-result.js';
import { cacheKey, fetchGrouped, probeValues } from './probes.js';
import { playNodes, speculativeProbes } from './prefetch.js';
import { runLocalTask } from './local-tasks.js';
import { applyCommands } from './apply.js';
import { planJoins, recordJoined, takeJoined } from './join-plan.js';
import { runDriven } from './driven.js';
import { delegateLabel, execTarget, factsHolder } from './delegation.js';
import { errorMessage, failure, moduleOutcome, type TaskOutcome } from './outcome.js';
import { environmentFor, itemLabel, loopItem, loopItems, moduleContext, stripOmitted } from './task-inputs.js';
import { noLogValues } from '../argspec/no-log.js';
import { redact } from '../output/redact.js';
import type { Vars } from './ports.js';
import type { Task } from '../playbook/model.js';

/** Runs one task on one host: loop, when, retries/until, changed_when/failed_when, register. */
export async function runTaskOnHost(ctx: PlayContext, task: Task, host: string, scope: IncludeScope): Promise<TaskOutcome> {
  const state = ctx.states.get(host)!;
  state.tasksRun++;
  try {
    const baseVars = varsFor(ctx, host, scope, task);
    let outcome: TaskOutcome;
    if (task.loop !== undefined) {
      outcome = await runLoop(ctx, task, host, scope, baseVars);
    } else {
      outcome = await runWithRetries(ctx, task, host, scope, baseVars);
    }
    outcome.action = ctx.options.findModule(task.module)?.name ?? task.module;
    // Host data (and results built from it) is never templated again, wherever it goes.
    outcome.result = settleUnsafe(outcome.result);
    if (task.register) state.runtimeVars[task.register] = outcome.result;
    // As Ansible: facts returned by any module (setup, package_facts) join the host's facts.
    const returned = outcome.result.ansible_facts;
    if (task.module !== 'set_fact' && task.module !== 'include_vars' && returned && typeof returned === 'object' && outcome.status !== 'failed') {
      factsHolder(ctx, task, host, baseVars).setFacts(returned as Record<string, unknown>, true);
    }
    return outcome;
  } catch (err) {
    const outcome = errorOutcome(err);
    // as ansible-playbook registers it: `{failed: true, msg}` for a task that could not run
    // (`r is failed` after ignore_errors), `unreachable: true` under ignore_unreachable
    if (task.register) state.runtimeVars[task.register] = outcome.result;
    return outcome;
  } finally {
    state.finishedTasks.add(task.id);
  }
}

async function runLoop(ctx: PlayContext, task: Task, host: string, scope: IncludeScope, baseVars: Vars): Promise<TaskOutcome> {
  const items = loopItems(ctx, task.loop!, baseVars, task);
  if (!Array.isArray(items)) {
    return failure(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(items)}`);
  }
  const loopVar = task.loopControl?.loopVar ?? 'item';
  const results: ItemResult[] = [];
  const itemLabels: string[] = [];
  const diffs: FileDiff[] = [];
  const warnings: string[] = [];
  let unreachable: TaskOutcome | undefined;
  let last: TaskOutcome | undefined;
  for (let i = 0; i < items.length; i++) {
    const vars: Vars = { ...baseVars, [loopVar]: loopItem(items, i), ansible_loop_var: loopVar };
    if (task.loopControl?.indexVar) vars[task.loopControl.indexVar] = i;
    const one = await runWithRetries(ctx, task, host, scope, vars);
    last = one;
    if (one.status === 'unreachable') {
      unreachable = one;
      break;
    }
    results.push({ ...one.result, [loopVar]: items[i], ansible_loop_var: loopVar });
    itemLabels.push(itemLabel(ctx, task, items[i], vars));
    diffs.push(...(one.diff ?? []));
    warnings.push(...(one.warnings ?? []));
  }
  if (unreachable) return unreachable;
  const result = aggregateLoop(results);
  const status: HostStatus = result.failed ? 'failed' : result.skipped ? 'skipped' : result.changed ? 'changed' : 'ok';
  const verboseAlways = last?.verboseAlways;
  return { status, changed: Boolean(result.changed), result, diff: diffs, warnings, msg: result.msg as string | undefined, itemLabels, verboseAlways };
}

async function runWithRetries(ctx: PlayContext, task: Task, host: string, scope: IncludeScope, vars: Vars): Promise<TaskOutcome> {
  if (task.when.length && !ctx.templater.evaluateCondition(task.when, vars, task.source)) {
    return {
      status: 'skipped',
      changed: false,
      result: { changed: false, skip_reason: CONDITIONAL_FALSE, skipped: true },
      msg: CONDITIONAL_FALSE,
    };
  }
  if (!task.until?.length) return runOnce(ctx, task, host, scope, vars);
  // ansible-core 2.14: `retries` counts every attempt (3 without it, 1 for 0), and a RETRYING line follows each failed one (none for 0)
  const retries = Number(ctx.templater.templateData(task.retries ?? 3, vars, task.source));
  const attempts = Math.max(1, retries);
  const delay = Number(ctx.templater.templateData(task.delay ?? 5, vars, task.source));
  let out!: TaskOutcome;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // A retry waits for the host to change: read it again rather than from the probe cache.
    if (attempt > 1) ctx.states.get(host)!.probeCache.clear();
    out = await runOnce(ctx, task, host, scope, vars);
    if (out.status === 'unreachable') return out;
    out.result.attempts = attempt;
    const bound = task.register ? { ...vars, [task.register]: out.result } : vars;
    if (ctx.templater.evaluateCondition(task.until, bound, task.source)) return out;
    if (retries > 0) ctx.emit({ type: 'retry', host, task: task.displayName, retriesLeft: attempts - attempt + 1, result: redact(out.result, ctx.secrets) });
    if (attempt < attempts) await sleep(delay * 1000, ctx.signal);
  }
  return { ...out, status: 'failed', result: { ...out.result, failed: true, msg: out.result.msg ?? 'Retries exhausted' } };
}

async function runOnce(ctx: PlayContext, task: Task, host: string, scope: IncludeScope, vars: Vars): Promise<TaskOutcome> {
  const out = await runModule(ctx, task, host, scope, vars);
  // As Ansible's TaskExecutor: an executed result always says whether it failed.
  if (out.status !== 'skipped' && out.status !== 'unreachable' && !('failed' in out.result)) {
    out.result.failed = 'rc' in out.result && out.result.rc !== 0 && out.result.rc !== '0';
  }
  return out;
}

async function runModule(ctx: PlayContext, task: Task, host: string, scope: IncludeScope, vars: Vars): Promise<TaskOutcome> {
  const mod = ctx.options.findModule(task.module);
  if (!mod) throw new FalcoDeployError(`unknown module "${task.module}"`, { host, task: task.displayName, phase: 'plan' });
  const templated = stripOmitted(ctx.templater.templateData(task.args, vars, task.source));
  // Controller-side modules keep what is unsafe (set_fact binds it); hosts get plain values.
  const args = ctx.options.coerceArgs(mod.spec, mod.local ? templated : plainData(templated), mod.name);
  // as AnsibleModule: values of no_log options are masked wherever they show up in output
  for (const secret of noLogValues(mod.spec, args)) ctx.secrets.add(secret);
  const become = becomeFor(ctx, vars, task);
  // Ansible's strategy reads any_errors_fatal untemplated (walker.ts); the task only checks it is a boolean
  keywordFlag(ctx, 'any_errors_fatal', task.anyErrorsFatal ?? ctx.play.anyErrorsFatal, vars, task.source);
  let outcome: TaskOutcome;
  if (mod.local) {
    outcome = await runLocalTask(ctx, mod.name, args, host, vars, task);
    outcome.delegatedTo = delegateLabel(ctx, task, host, vars);
  } else {
    outcome = await runRemote(ctx, mod, args, host, scope, task, vars, become);
    outcome.result = markUnsafe(outcome.result);
  }
  return applyResultConditions(ctx, task, vars, outcome);
}

async function runRemote(
  ctx: PlayContext,
  mod: ModuleDefinition,
  args: Record<string, unknown>,
  host: string,
  scope: IncludeScope,
  task: Task,
  vars: Vars,
  become: boolean,
): Promise<TaskOutcome> {
  const state = await execTarget(ctx, task, host, vars);
  const conn = state.connection;
  if (!conn) throw new UnreachableError('no connection', { host });
  const check = keywordFlag(ctx, 'check_mode', task.checkMode, vars, task.source) ?? ctx.options.check;
  const env = environmentFor(ctx, [...ctx.play.environment, ...task.environment], vars, task);
  const modCtx = { ...moduleContext(ctx, host, task, vars, become, check), environment: env };
  const becomeUser = become ? becomeUserFor(ctx, vars, task) : undefined;
  const own = state === ctx.states.get(host);
  const delegatedTo = delegateLabel(ctx, task, host, vars);
  // Its commands may have run already, in an earlier task's batch (join-plan.ts): reported now.
  const ran = own ? takeJoined(state, task, { args, become, becomeUser, env }) : undefined;
  let plan: Plan;
  let commands: PlannedCommand[];
  let results: ExecResult[];
  let failedCommand: number | undefined;
  if (ran) ({ plan, commands, results, failedCommand } = ran);
  else {
    const probes = await mod.probes(args, modCtx);
    if (probes.some((p) => !state.probeCache.has(cacheKey(p, become)))) {
      // One round trip for this task and every later one that can be templated by now (on this host).
      const later = own ? await speculativeProbes(ctx, host, playNodes(ctx)) : [];
      await fetchGrouped(state, [...probes.map((req) => ({ become, req })), ...later]);
    }
    const facts = await probeValues(state, probes, become);
    if (mod.drive) {
      return runDriven(ctx, state, { mod, args, action: task.module, become, becomeUser, delegatedTo }, facts, modCtx);
    }
    plan = await mod.plan(args, facts, modCtx);
    const warnings = plan.warnings;
    if (plan.failed) return { ...failure(plan.failed, plan.result), warnings, diff: (task.diff ?? ctx.options.diff) ? plan.diff : undefined, delegatedTo };
    if (plan.skippedReason) {
      // recorded from ansible-core: a module's own skip result (command, raw) also says failed: false; fetch's bare skip does not
      const result = plan.result ? { ...plan.result, changed: false, skipped: true, failed: false } : { changed: false, skipped: true, msg: plan.skippedReason };
      return { status: 'skipped', changed: false, result, msg: plan.skippedReason, warnings };
    }
    commands = check ? plan.commands.filter((c) => c.readOnly) : plan.commands;
    // The later tasks' probes ride in the commands' round trip, after them (see apply.ts), and so
    // do the next tasks' commands when they can join it (joined-batch.ts).
    const later = commands.length && own ? await speculativeProbes(ctx, host, playNodes(ctx)) : [];
    const joins = commands.length && own ? await planJoins(ctx, host, state, task, check) : undefined;
    const applied = await applyCommands(state, conn, commands, { env, become, becomeUser }, later, joins);
    if (joins) recordJoined(state, applied.joined);
    ({ results, failedCommand } = applied);
  }
  const warnings = plan.warnings;
  const diff = (task.diff ?? ctx.options.diff) ? plan.diff : undefined;
  const applied = commands.some((c) => !c.readOnly);
  const result = mod.finish ? await mod.finish(args, plan, results, modCtx) : defaultFinish(plan, results);
  if (check) result.changed = plan.changed;
  const failed = result.failed === true || failedCommand !== undefined;
  if (failed) {
    if (result.msg === undefined) result.msg = commandFailureMessage(commands[failedCommand ?? 0]?.describe, results.at(-1));
    result.failed = true;
  }
  const changed = failed && !mod.changedOnFailure ? false : Boolean(result.changed ?? plan.changed);
  return moduleOutcome(result, failed, changed, { diff, warnings, applied, delegatedTo });
}

function defaultFinish(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
  const last = results.at(-1);
  if (last) {
    out.rc = last.exitCode;
    out.stdout = last.stdout.replace(/\n$/, '');
    out.stderr = last.stderr.replace(/\n$/, '');
    out.stdout_lines = out.stdout ? String(out.stdout).split('\n') : [];
    out.stderr_lines = out.stderr ? String(out.stderr).split('\n') : [];
  }
  return out;
}

function commandFailureMessage(describe: string | undefined, r: ExecResult | undefined): string {
  if (!r) return 'command failed';
  const err = r.stderr.trim().split('\n').slice(-5).join('\n');
  const what = describe ? `${describe}: ` : '';
  return `${what}${err || `non-zero return code ${r.exitCode}`}`;
}

/** changed_when / failed_when, evaluated with the registered name bound to this result. */
function applyResultConditions(ctx: PlayContext, task: Task, vars: Vars, out: TaskOutcome): TaskOutcome {
  if (out.status === 'skipped' || out.status === 'unreachable' || out.meta) return out;
  if (!task.changedWhen?.length && !task.failedWhen?.length) return out;
  const bound = { ...vars, ...resultAsVars(out.result), ...(task.register ? { [task.register]: out.result } : {}) };
  if (task.changedWhen?.length) {
    out.changed = ctx.templater.evaluateCondition(task.changedWhen, bound, task.source);
    out.result.changed = out.changed;
  }
  if (task.failedWhen?.length) {
    const failed = ctx.templater.evaluateCondition(task.failedWhen, bound, task.source);
    out.result.failed = failed;
    out.result.failed_when_result = failed;
    if (failed && out.msg === undefined) out.msg = String(out.result.msg ?? 'failed_when condition was true');
    if (!failed) out.msg = undefined;
  }
  out.status = out.result.failed ? 'failed' : out.changed ? 'changed' : 'ok';
  return out;
}

/** A result's keys as variables (changed_when: rc != 0): host data, so unsafe each. */
function resultAsVars(result: Record<string, unknown>): Vars {
  const fromHost = isUnsafe(result);
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, fromHost ? markUnsafe(v) : settleUnsafe(v)]));
}

function errorOutcome(err: unknown): TaskOutcome {
  if (err instanceof UnreachableError) {
    return { status: 'unreachable', changed: false, result: { changed: false, msg: err.message, unreachable: true }, msg: err.message };
  }
  const msg = isTemplateError(err) ? `${taskArgErrorMessage(err)}${err.file ? ` (${err.file}${err.line ? `:${err.line}` : ''})` : ''}` : errorMessage(err);
  // ansible-core's result for a task that could not run has no `changed`
  return { status: 'failed', changed: false, result: { failed: true, msg }, msg };
}

/** Cut short by Ctrl-C: the walker drops the interrupted result. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
