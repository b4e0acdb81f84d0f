/**
 * What the executor needs besides the loaded playbook model (src/playbook/model.ts): the
 * templating layer, the inventory, connections. Narrow interfaces so tests can supply fakes.
 */
import type { HostConnection } from '../connectors/types.js';
import type { Conditional, RoleInstance, TaskFileContext, TaskNode } from '../playbook/model.js';

export type Vars = Record<string, unknown>;
export type Condition = Conditional | Conditional[];

export interface Origin {
  file: string;
  line?: number;
  column?: number;
}

export interface Templater {
  /** Recursive templating of task args/values; `omit` removes keys. Throws on undefined vars. */
  templateData<T>(data: T, vars: Vars, origin?: Origin): T;
  evaluateCondition(cond: Condition, vars: Vars, origin?: Origin): boolean;
  /** A template file rendered as text (template module). */
  renderFile(path: string, vars: Vars): Promise<string>;
  /** Ansible's `hostvars`: each host's variables, templated lazily in that host's own scope. */
  hostVars(varsOf: (host: string) => Vars | undefined, hosts: () => string[]): unknown;
}

/** Run-time services of the playbook loader. */
export interface PlaybookRuntime {
  /** include_tasks: the nodes of a task file (already validated). */
  loadTaskFile(file: string, searchDirs: readonly string[], ctx: TaskFileContext, from: Origin): TaskNode[];
  /** Resolve a template/copy src: role dir first, then the playbook dir. */
  resolveLocal(src: string, kind: 'files' | 'templates', role: RoleInstance | undefined, playDir: string): string;
  /** vars_files of a play, read once per play (paths templated with play + extra vars). */
  readVarsFiles(entries: (string | string[])[], baseDir: string, vars: Vars): Vars;
}

export interface InventoryView {
  /** Hosts matching a pattern, in inventory order. */
  selectHosts(pattern: string, base?: string[]): string[];
  hostVars(host: string): Vars;
  groupNames(host: string): string[];
  groupsMap(): Record<string, string[]>;
}

export interface ConnectionProvider {
  /**
   * The host's one connection (opened on first use). Rejects with UnreachableError. `connection`
   * is the task's or play's `connection` keyword (the host's ansible_connection wins over it).
   */
  get(host: string, vars: Vars, connection?: string): Promise<HostConnection>;
  /** Ctrl-C: commands in flight fail with InterruptedError and their processes end on the hosts. */
  interruptAll(): Promise<void>;
  /** Closes every connection; waits for an interruptAll() in progress. */
  closeAll(): Promise<void>;
}

/** Tag selection decided by the loader's rules. */
export type TagFilter = (tags: string[]) => boolean;
