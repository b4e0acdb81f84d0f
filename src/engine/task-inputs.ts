/** What a task runs with on one host: its loop items and its module context. */
import { readFile } from 'node:fs/promises';
import type { PlayContext } from './context.js';
import type { ModuleContext } from '../modules/contract.js';
import type { Vars } from './ports.js';
import { findInSearchPath, firstFound, isUnsafe, loopLookup, lookupTerms, markUnsafe, settleUnsafe, TemplateUndefinedError } from '../template/index.js';
import type { EnvironmentEntry, LoopSpec, Task } from '../playbook/model.js';
import { FalcoDeployError } from '../errors.js';
import { OMIT as OMIT_PLACEHOLDER, plainData } from '../template/index.js';
import { vaultDecryptedFile } from '../yaml/vault.js';
import { pyStr } from '../python/repr.js';

/** environment: entries (maps or templated strings), outermost first, later ones winning. */
export function environmentFor(ctx: PlayContext, entries: EnvironmentEntry[], vars: Vars, task: Task): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const value = ctx.templater.templateData(entry, vars, task.source);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new FalcoDeployError(`environment must be a mapping, got ${JSON.stringify(value)}`, { task: task.displayName, phase: 'plan' });
    }
    for (const [k, v] of Object.entries(value)) {
      if (v === OMIT_PLACEHOLDER) continue;
      env[k] = pyStr(v); // the shell plugin's env_prefix writes str(value)
    }
  }
  return env;
}

/** A task's templated arguments without the ones that rendered to `omit`. */
export function stripOmitted(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== OMIT_PLACEHOLDER));
}

export function moduleContext(
  ctx: PlayContext,
  host: string,
  task: Pick<Task, 'role' | 'diff'>,
  vars: Vars,
  become: boolean,
  check: boolean,
): ModuleContext {
  const resolve = (src: string, kind: 'files' | 'templates') => ctx.runtime.resolveLocal(src, kind, task.role, ctx.play.baseDir);
  return {
    host,
    facts: ctx.states.get(host)!.facts,
    check,
    diff: task.diff ?? ctx.options.diff,
    become,
    renderTemplate: (src) => ctx.templater.renderFile(resolve(src, 'templates'), vars),
    readLocalFile: async (src, decrypt = true) => {
      const path = resolve(src, 'files');
      const bytes = await readFile(path);
      return decrypt ? vaultDecryptedFile(bytes, path) : bytes;
    },
    resolveLocalPath: resolve,
    playbookDir: ctx.play.baseDir,
  };
}

/** Items of a loop / with_* as Ansible builds them; the items of host data are host data. */
export function loopItems(ctx: PlayContext, loop: LoopSpec, vars: Vars, task: Pick<Task, 'source'> & { moduleAs?: string }): unknown {
  if (loop.with === 'first_found') return firstFoundItems(ctx, loop.items, vars, task);
  const items = ctx.templater.templateData(loop.items, vars, task.source);
  if (!loop.with) return items;
  // lookups that read the controller's files or run its commands: their items are not playbook text
  if (loop.with === 'fileglob' || loop.with === 'lines') return markUnsafe(ctx.templater.query(loop.with, lookupTerms(items), vars));
  const built = loopLookup(loop.with, items);
  return isUnsafe(items) ? markUnsafe(built) : built;
}

/**
 * with_first_found as Ansible's task executor: a term that cannot be templated (undefined
 * variable) is dropped, and the lookup searches the subdirectory the action implies
 * (templates/ for template, vars/ for include_vars, files/ otherwise).
 */
function firstFoundItems(ctx: PlayContext, items: unknown, vars: Vars, task: Pick<Task, 'source'> & { moduleAs?: string }): string[] {
  const terms = (Array.isArray(items) ? items : [items]).flatMap((term) => {
    try {
      return [ctx.templater.templateData(term, vars, task.source)];
    } catch (err) {
      if (err instanceof TemplateUndefinedError) return [];
      throw err;
    }
  });
  const action = task.moduleAs ?? '';
  const subdir = action.includes('template') ? 'templates' : action.includes('var') ? 'vars' : 'files';
  const searchPath = (vars['ansible_search_path'] as string[] | undefined) ?? [];
  return firstFound(terms, {}, (name) => findInSearchPath(searchPath, subdir, name, ctx.play.baseDir));
}

/** Item `i` as its loop variable: an item of host data is host data. */
export function loopItem(items: unknown[], i: number): unknown {
  return isUnsafe(items) ? markUnsafe(items[i]) : settleUnsafe(items[i]);
}

/** How output names a loop item: loop_control.label rendered for it, else the item, as Python's str(). */
export function itemLabel(ctx: PlayContext, task: Pick<Task, 'loopControl' | 'source'>, item: unknown, vars: Vars): string {
  const label = task.loopControl?.label === undefined ? item : ctx.templater.templateData(task.loopControl.label, vars, task.source);
  return pyStr(plainData(label));
}
