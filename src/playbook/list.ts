/**
 * `--list-tasks` / `--list-tags` text in ansible-playbook's shape, and `--start-at-task`
 * matching (name or `role : name`, with shell-style wildcards).
 */
import type { Playbook, Play, TaskNode } from './model.js';
import { selectByTags, type TagSelection } from './tags.js';
import { fnmatch } from '../python/fnmatch.js';

interface ListOptions extends TagSelection {
  /** The playbook path as the user gave it (shown on the "playbook:" line). */
  playbookLabel?: string;
}

function playHeader(play: Play, index: number): string {
  return `\n  play #${index + 1} (${play.hosts}): ${play.displayName}\tTAGS: [${[...play.tags].sort().join(',')}]\n`;
}

/** Listed nodes of a section: tasks and includes (block parts only, as Ansible lists them). */
function listed(nodes: readonly TaskNode[], sel: TagSelection): { label: string; tags: string[] }[] {
  const out: { label: string; tags: string[] }[] = [];
  for (const node of nodes) {
    if (node.kind === 'block') {
      out.push(...listed(node.block, sel));
      continue;
    }
    if (!selectByTags(node, sel)) continue;
    const label = node.name !== undefined ? node.displayName : node.kind === 'task' ? node.moduleAs : node.kind === 'include_role' ? node.action : 'include_tasks';
    out.push({ label, tags: [...node.tags].sort() });
  }
  return out;
}

function playNodes(play: Play): TaskNode[] {
  return [...play.preTasks, ...play.tasks, ...play.postTasks];
}

export function listTasks(playbook: Playbook, opts: ListOptions = {}): string {
  let text = `\nplaybook: ${opts.playbookLabel ?? playbook.file}\n`;
  playbook.plays.forEach((play, i) => {
    text += playHeader(play, i);
    text += '    tasks:\n';
    for (const t of listed(playNodes(play), opts)) text += `      ${t.label}\tTAGS: [${t.tags.join(', ')}]\n`;
  });
  return text;
}

export function listTags(playbook: Playbook, opts: ListOptions = {}): string {
  let text = `\nplaybook: ${opts.playbookLabel ?? playbook.file}\n`;
  playbook.plays.forEach((play, i) => {
    text += playHeader(play, i);
    const all = new Set(play.tags);
    for (const t of listed(playNodes(play), opts)) t.tags.forEach((tag) => all.add(tag));
    text += `      TASK TAGS: [${[...all].sort().join(', ')}]\n`;
  });
  return text;
}

/**
 * `--list-hosts`: `hostsOf(play)` resolves the play's pattern against the inventory (with
 * --limit applied) and returns host names.
 */
export function listHosts(playbook: Playbook, hostsOf: (play: Play) => readonly string[], opts: ListOptions = {}): string {
  let text = `\nplaybook: ${opts.playbookLabel ?? playbook.file}\n`;
  playbook.plays.forEach((play, i) => {
    const hosts = hostsOf(play);
    text += playHeader(play, i).replace(/\n$/, '');
    text += `\n    pattern: [${play.hostPatterns.map((p) => `'${p}'`).join(', ')}]\n    hosts (${hosts.length}):`;
    for (const h of hosts) text += `\n      ${h}`;
    text += '\n';
  });
  return text;
}

/** Ansible's --start-at-task test: the task's name or `role : name` equals or matches. */
export function matchesStartAt(node: { name?: string; displayName?: string }, pattern: string): boolean {
  const names = [node.name, node.displayName].filter((n): n is string => n !== undefined);
  return names.some((n) => n === pattern || fnmatch(n, pattern));
}
