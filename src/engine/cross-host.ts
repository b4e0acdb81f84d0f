import type { IncludeRole, Play, Playbook, TaskNode } from '../playbook/model.js';
import { errorMessage } from './outcome.js';
import { includeRoleRequest } from './runtime-roles.js';
import type { PlaybookRuntime } from './ports.js';

/**
 * Why a playbook must run in ONE thread under `--workers N` (undefined: its plays can be split
 * over workers that own disjoint host sets). A worker sees only its own hosts, so anything whose
 * result depends on other hosts of the play (docs/scale-out.md "Workers") keeps the single thread:
 * Ansible's semantics are kept by not splitting, never approximated.
 *
 * Serial batches and the batch verdict ("the playbook stops when every host of the batch failed")
 * are coordinated instead: the batches are cut from all the workers' hosts and each batch ends
 * with every worker continuing or stopping on the fleet-wide sums (runPlay's Fleet).
 * max_fail_percentage is not: Ansible checks it after every task, on the whole batch.
 */
export function crossHostReason(playbook: Playbook, runtime: PlaybookRuntime, opts: { startAtTask?: string }): string | undefined {
  if (opts.startAtTask) return '--start-at-task (the start is reached once, run-wide)';
  for (const play of playbook.plays) {
    const reason = playReason(play) ?? nodesReason([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers], runtime, new Set());
    if (reason) return `play "${play.displayName}": ${reason}`;
  }
  return undefined;
}

function playReason(play: Play): string | undefined {
  if (isSet(play.anyErrorsFatal)) return 'any_errors_fatal';
  if (play.maxFailPercentage !== undefined) return 'max_fail_percentage (checked on the whole batch after every task)';
  if (play.runOnce) return 'run_once';
  if (play.strategy !== 'linear') return `strategy ${play.strategy}`;
  if (play.order === 'shuffle') return 'order: shuffle';
  if (isSet(play.throttle)) return 'throttle';
  return textReason({ vars: play.vars, varsFiles: play.varsFiles, hosts: play.hosts, roles: play.roles.map((r) => [r.defaults, r.vars, r.params]) });
}

function nodesReason(nodes: TaskNode[], runtime: PlaybookRuntime, seen: Set<string>): string | undefined {
  for (const node of nodes) {
    const reason = nodeReason(node, runtime, seen);
    if (reason) return `${reason} (${node.source.file}:${node.source.line})`;
  }
  return undefined;
}

function nodeReason(node: TaskNode, runtime: PlaybookRuntime, seen: Set<string>): string | undefined {
  if (node.runOnce) return 'run_once';
  if (isSet(node.anyErrorsFatal)) return 'any_errors_fatal';
  if (node.delegateFacts) return 'delegate_facts';
  if (isSet(node.throttle)) return 'throttle';
  if (node.kind === 'block') return nodesReason([...node.block, ...node.rescue, ...node.always], runtime, seen);
  if (node.kind === 'include_tasks') {
    // a host's handler list holds what its includes loaded: Ansible's lockstep runs the hosts at
    // one position together, whatever handler each has there, so the split would change the steps
    if (node.context.handlers) return 'include_tasks as a handler (hosts whose handler lists differ by what they included run in one lockstep)';
    if (node.file.includes('{{') || node.loop) return 'include_tasks of a templated or looped file (its tasks are known only at run time)';
    const { path, loaded } = runtime.loadTaskFile(node.file, node.searchDirs, node.context, node.source, node.apply, { loadedKeys: [], idPrefix: `${node.id}.cross-host` });
    const own = textReason({ when: node.when, vars: node.vars, apply: node.apply });
    if (seen.has(path)) return own;
    seen.add(path);
    return own ?? nodesReason([...loaded.tasks, ...loaded.handlers], runtime, seen);
  }
  if (node.kind === 'include_role') return includeRoleReason(node, runtime, seen);
  if (node.module === 'meta') {
    const action = String(node.args._raw_params);
    if (CROSS_HOST_META.has(action)) return `meta: ${action}`;
  }
  const { role: _role, source: _source, argsSource: _argsSource, ...own } = node;
  return textReason(own);
}

function includeRoleReason(node: IncludeRole, runtime: PlaybookRuntime, seen: Set<string>): string | undefined {
  if (JSON.stringify([node.roleName, node.from]).includes('{{') || node.loop) return 'include_role of a templated or looped role (its tasks are known only at run time)';
  const own = textReason({ when: node.when, vars: node.vars, apply: node.apply });
  if (own) return own;
  let loaded;
  try {
    // argument specs are checked when the role runs; here only its tasks are looked at
    const request = includeRoleRequest(node, { name: node.roleName, from: node.from }, { loadedKeys: [], idPrefix: `${node.id}.cross-host` });
    loaded = runtime.loadRole({ ...request, skipArgumentSpec: true });
  } catch (err) {
    return `include_role of a role that does not load before the run (${errorMessage(err)})`;
  }
  const roleTexts = textReason(loaded.instances.map((r) => [r.defaults, r.vars, r.params]));
  return roleTexts ?? nodesReason([...loaded.tasks, ...loaded.handlers], runtime, seen);
}

/** meta actions that act on every host of the batch or on the inventory of all. */
const CROSS_HOST_META = new Set(['end_play', 'end_batch', 'clear_host_errors', 'refresh_inventory']);

/** Variables that show other hosts' data, or the play's host list, to a template. */
const CROSS_HOST_VARIABLES = /\b(hostvars|play_hosts|ansible_play_hosts|ansible_play_hosts_all|ansible_play_batch)\b/;

function textReason(value: unknown): string | undefined {
  const found = findString(value, (s) => CROSS_HOST_VARIABLES.test(s));
  return found === undefined ? undefined : `uses ${CROSS_HOST_VARIABLES.exec(found)![1]}`;
}

function findString(value: unknown, test: (s: string) => boolean): string | undefined {
  if (typeof value === 'string') return test(value) ? value : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, v] of Object.entries(value)) {
    const hit = test(key) ? key : findString(v, test);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function isSet(v: boolean | string | number | undefined): boolean {
  return v !== undefined && v !== false;
}
