/**
 * Load-time validation (before any host is touched): every task's module exists, its arguments
 * are known, required ones present, choices/types right where values are not templates, and
 * every notify names a handler of the play. Errors are InputErrors at the task's file:line.
 */
import { ExitCode } from '../errors.js';
import type { Handler, Playbook, Task, TaskNode } from './model.js';
import { errorAt } from './fields.js';
import { keyPositionOf } from '../yaml/positions.js';
import { ArgumentError, hasTemplate, validateArgs } from '../argspec/validate.js';
import { registryLookup, type ModuleLookup } from './lookup.js';
import { closeFirst, didYouMean } from '../suggest.js';
import { checkLocalSource } from './template-check.js';

/** What `notify` may name: handler names, `role : name` for role handlers, listen topics. */
export function handlerNamesOf(handlers: readonly Handler[]): string[] {
  return handlers.flatMap((h) => [
    ...(h.name ? [h.name] : []),
    ...(h.name && h.role ? [`${h.role.name} : ${h.name}`] : []),
    ...h.listen,
  ]);
}

export function validatePlaybook(playbook: Playbook, modules: ModuleLookup = registryLookup): void {
  for (const play of playbook.plays) {
    validateNodes([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers], handlerNamesOf(play.handlers), modules, play.baseDir);
  }
}

/** `playDir`: the play's directory, where a template/copy `src` is looked up after the role's. */
export function validateNodes(nodes: readonly TaskNode[], handlerNames: readonly string[], modules: ModuleLookup, playDir: string): void {
  for (const node of nodes) {
    if (node.kind === 'block') validateNodes([...node.block, ...node.rescue, ...node.always], handlerNames, modules, playDir);
    else if (node.kind === 'task') validateTask(node, handlerNames, modules, playDir);
  }
}

function validateTask(task: Task, handlerNames: readonly string[], modules: ModuleLookup, playDir: string): void {
  const def = modules.findModule(task.moduleAs) ?? modules.findModule(task.module);
  if (!def) {
    const names = modules.moduleNames();
    const fqcn = /^(\w+\.\w+)\.(\w+)$/.exec(task.moduleAs);
    if (fqcn && fqcn[1] !== 'ansible.builtin' && fqcn[1] !== 'ansible.legacy') {
      const [, collection, short] = fqcn as unknown as [string, string, string];
      throw errorAt(
        `couldn't resolve module/action '${task.moduleAs}': falco-deploy has no module '${short}' of collection '${collection}'${didYouMean(short, names)}; available modules: ${closeFirst(short, names).join(', ')}`,
        task.argsSource,
      );
    }
    throw errorAt(
      `unknown module '${task.moduleAs}'${didYouMean(task.module, names)}; available modules: ${closeFirst(task.module, names).join(', ')}`,
      task.argsSource,
    );
  }
  try {
    validateArgs(def.spec, task.args, def.name, { loadTime: true });
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    const at = (err.argument !== undefined && keyPositionOf(task.args, err.argument)) || task.argsSource;
    const where = { file: at.file, line: at.line, column: at.column, phase: 'input', exitCode: ExitCode.badInput } as const;
    throw new ArgumentError(`module '${def.name}': ${err.message}${err.hint}`, err.argument, '', where);
  }
  checkLocalSource(def.name, task.args, task.argsSource, task.role, playDir);
  for (const name of task.notify) {
    if (hasTemplate(name) || handlerNames.includes(name)) continue;
    const known = [...new Set(handlerNames)];
    throw errorAt(
      `notify: no handler named or listening to '${name}' in this play${didYouMean(name, known)}; handlers: ${known.join(', ') || '(none)'}`,
      keyPositionOf(task, 'notify') ?? task.source,
    );
  }
}
