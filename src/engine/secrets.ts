import type { Task } from '../playbook/model.js';
import { addSecretValues, collectSecrets } from '../output/redact.js';
import { isTemplated } from '../template/index.js';
import { ROOT_SCOPE, varsFor, type PlayContext, type IncludeScope } from './context.js';
import type { TaskOutcome } from './outcome.js';
import type { Vars } from './ports.js';

/** A registered no_log result's bookkeeping, not data the task read or produced. */
const RESULT_BOOKKEEPING = new Set(['changed', 'failed', 'skipped', 'rc', 'msg', 'start', 'end', 'delta', 'attempts', 'ansible_loop_var']);

interface SourceSecrets {
  /** Secret values written literally. */
  values: string[];
  /** Top-level keys whose secret value is a template: resolved per host, as the task would see it. */
  templatedKeys: string[];
}

const analyzed = new WeakMap<object, SourceSecrets>();

/**
 * Once per play, before its first output: every host's secrets from inventory, play vars,
 * vars_files, roles and extra vars (literal values now, templated ones as the host resolves them).
 */
export function collectPlaySecrets(ctx: PlayContext): void {
  for (const host of ctx.playHosts) {
    const { playVars, play, options } = ctx;
    const sources = [ctx.inventory.hostVars(host), play.vars, playVars.varsFiles, playVars.roleDefaults, playVars.roleVars, options.extraVars];
    ctx.states.get(host)!.secretTemplates = learn(ctx, sources);
    resolve(ctx, host, ROOT_SCOPE, undefined, ctx.states.get(host)!.secretTemplates);
  }
}

/**
 * After a task, before its result is shown: secrets of its own vars and params (templated as the
 * task saw them), facts it set (set_fact of a secret-named var), and everything a no_log task
 * registered; play-level templated secrets are resolved again (they may use a registered var).
 */
export function collectTaskSecrets(ctx: PlayContext, host: string, scope: IncludeScope, task: Task, outcome: TaskOutcome, noLog: boolean): void {
  // an include_role's role is loaded at run time: its defaults and vars are learned with its tasks
  const own = learn(ctx, [task.role?.defaults, task.role?.vars, task.role?.params, task.vars, scope.includeParams]);
  resolve(ctx, host, scope, task, [...ctx.states.get(host)!.secretTemplates, ...own]);
  collectSecrets(outcome.result.ansible_facts, ctx.secrets);
  if (noLog && task.register) {
    for (const [k, v] of Object.entries(outcome.result)) if (!RESULT_BOOKKEEPING.has(k)) addSecretValues(v, ctx.secrets);
  }
}

/** Adds the sources' literal secret values; returns the keys whose secret value is a template. */
function learn(ctx: PlayContext, sources: (Vars | undefined)[]): string[] {
  const templated: string[] = [];
  for (const source of sources) {
    if (!source) continue;
    const found = analyze(source);
    for (const v of found.values) ctx.secrets.add(v);
    templated.push(...found.templatedKeys);
  }
  return templated;
}

function resolve(ctx: PlayContext, host: string, scope: IncludeScope, task: Task | undefined, keys: string[]): void {
  if (keys.length === 0) return;
  const view = varsFor(ctx, host, scope, task);
  for (const k of new Set(keys)) {
    try {
      collectSecrets({ [k]: ctx.templater.templateData(view[k], view) }, ctx.secrets);
    } catch {
      // Not resolvable yet (it reads a var registered later): tried again after the next task.
    }
  }
}

function analyze(source: Vars): SourceSecrets {
  let found = analyzed.get(source);
  if (!found) {
    found = { values: [], templatedKeys: [] };
    for (const [k, v] of Object.entries(source)) {
      const values = [...collectSecrets({ [k]: v })];
      if (values.some(isTemplated)) found.templatedKeys.push(k);
      found.values.push(...values.filter((x) => !isTemplated(x)));
    }
    analyzed.set(source, found);
  }
  return found;
}
