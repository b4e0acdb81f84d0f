import type { PendingProbe } from './probes.js';
import type { PlayContext } from './context.js';
import { becomeFor, keywordFlag, ROOT_SCOPE, varsFor } from './context.js';
import type { Task, TaskNode } from '../playbook/model.js';
import type { Vars } from './ports.js';
import { loopItem, loopItems, moduleContext } from './task-inputs.js';
import { plainData, templatingAhead } from '../template/index.js';
import { runsOnOwnHost } from './delegation.js';

/**
 * Collects, for one host, the probes of every task whose arguments can already be templated
 * (no dependency on results registered later). The engine sends them together with the facts
 * probe, so a converged play costs about one batched probe. Anything that cannot be known yet
 * is simply left for its task to probe.
 */
export async function speculativeProbes(ctx: PlayContext, host: string, nodes: TaskNode[]): Promise<PendingProbe[]> {
  const out: PendingProbe[] = [];
  for (const node of nodes) {
    if (node.kind === 'block') {
      out.push(...(await speculativeProbes(ctx, host, [...node.block, ...node.rescue, ...node.always])));
      continue;
    }
    if (node.kind !== 'task' || ctx.states.get(host)!.finishedTasks.has(node.id)) continue;
    const mod = ctx.options.findModule(node.module);
    if (!mod || mod.local || !runsOnOwnHost(ctx, node)) continue;
    try {
      const vars = varsFor(ctx, host, ROOT_SCOPE, node);
      const become = becomeFor(ctx, vars, node);
      const runs = node.when.length ? whenNow(ctx, node, vars) : 'yes';
      // a probe that reaches past the host (a uri GET) is sent ahead only for a task that will run
      if (runs === 'no' || (runs === 'maybe' && mod.probesLeaveHost)) continue;
      const loopVar = node.loopControl?.loopVar ?? 'item';
      const items = node.loop ? templatingAhead(() => loopItems(ctx, node.loop!, vars, node)) : [undefined];
      for (let i = 0; Array.isArray(items) && i < items.length; i++) {
        const itemVars = node.loop ? { ...vars, [loopVar]: loopItem(items, i) } : vars;
        const args = ctx.options.coerceArgs(mod.spec, plainData(templatingAhead(() => ctx.templater.templateData(node.args, itemVars, node.source))), mod.name);
        const check = templatingAhead(() => keywordFlag(ctx, 'check_mode', node.checkMode, itemVars, node.source));
        const modCtx = moduleContext(ctx, host, node, itemVars, become, check ?? ctx.options.check);
        for (const req of await mod.probes(args, modCtx)) out.push({ become, req });
      }
    } catch {
      // Depends on something not known yet (a registered result, a fact): probed by its task.
    }
  }
  return out;
}

/**
 * "no" only when the task's `when` is false now for a reason that stays. A `when` that cannot be
 * evaluated yet, or that is false while it reads a variable not defined yet (the facts before
 * they are gathered, what a later set_fact or register defines), is "maybe": it may be true at the
 * task's turn, and probes are read-only, so such a task's probes are fetched anyway.
 */
function whenNow(ctx: PlayContext, node: Task, vars: Vars): 'yes' | 'maybe' | 'no' {
  let readUndefined = false;
  const watched = new Proxy(vars, {
    getOwnPropertyDescriptor(target, name) {
      const d = Reflect.getOwnPropertyDescriptor(target, name);
      if (d === undefined || d.value === undefined) readUndefined = true;
      return d;
    },
  });
  try {
    if (templatingAhead(() => ctx.templater.evaluateCondition(node.when, watched, node.source))) return 'yes';
    return readUndefined ? 'maybe' : 'no';
  } catch {
    return 'maybe';
  }
}

/** Every task of the play, pre_tasks to post_tasks, for speculative probing. */
export function playNodes(ctx: PlayContext): TaskNode[] {
  return [...ctx.play.preTasks, ...ctx.play.tasks, ...ctx.play.postTasks];
}
