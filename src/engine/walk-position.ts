import type { TaskNode } from '../playbook/model.js';

export type Section = 'tasks' | 'rescue' | 'always';

/** One task list a host is walking: a block's section (or a play section, an include's tasks). */
export interface WalkFrame {
  section: Section;
  nodes: readonly TaskNode[];
  /** The node being run. */
  at: number;
  /** The enclosing block's always, which runs when this list ends (empty: none, or this is it). */
  always: readonly TaskNode[];
}

/**
 * The section of the innermost block holding the host's next task, as Ansible's iterator peeks it
 * (get_active_state): the next node of the innermost list that has one, else the first of the
 * always of a block whose list ended; a block or an include there starts tasks of its own.
 * `skipped`: nodes --tags leaves out.
 */
export function nextSection(position: readonly WalkFrame[], skipped: (node: TaskNode) => boolean): Section {
  const kindOf = (node: TaskNode, section: Section): Section => (node.kind === 'task' ? section : 'tasks');
  for (let i = position.length - 1; i >= 0; i--) {
    const f = position[i]!;
    const next = f.nodes.slice(f.at + 1).find((n) => !skipped(n));
    if (next) return kindOf(next, f.section);
    const always = f.always.find((n) => !skipped(n));
    if (always) return kindOf(always, 'always');
  }
  return 'tasks';
}
