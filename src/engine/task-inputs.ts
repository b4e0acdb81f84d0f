/** What a task runs with on one host: its loop items and its module context. */
import { readFile } from 'node:fs/promises';
import type { PlayContext } from './context.js';
import type { ModuleContext } from '../modules/contract.js';
import type { Vars } from './ports.js';
import { isUnsafe, markUnsafe, settleUnsafe } from '../template/index.js';
import type { LoopSpec, Task } from '../playbook/model.js';

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
    readLocalFile: (src) => readFile(resolve(src, 'files')),
    resolveLocalPath: resolve,
    playbookDir: ctx.play.baseDir,
  };
}

/** Items of a loop / with_* as Ansible builds them; the items of host data are host data. */
export function loopItems(ctx: PlayContext, loop: LoopSpec, vars: Vars, task: Pick<Task, 'source'>): unknown {
  let items = ctx.templater.templateData(loop.items, vars, task.source);
  if (typeof items === 'string' && loop.with) items = [items];
  const built = withItems(loop.with, items);
  return built !== items && isUnsafe(items) ? markUnsafe(built) : built;
}

function withItems(kind: LoopSpec['with'], items: unknown): unknown {
  switch (kind) {
    case 'items':
      return Array.isArray(items) ? items.flatMap((x) => (Array.isArray(x) ? x : [x])) : items;
    case 'dict':
      return items && typeof items === 'object' && !Array.isArray(items)
        ? Object.entries(items).map(([key, value]) => ({ key, value }))
        : items;
    case 'indexed_items':
      return Array.isArray(items) ? items.map((x, i) => [i, x]) : items;
    default:
      return items;
  }
}

/** Item `i` as its loop variable: an item of host data is host data. */
export function loopItem(items: unknown[], i: number): unknown {
  return isUnsafe(items) ? markUnsafe(items[i]) : settleUnsafe(items[i]);
}
