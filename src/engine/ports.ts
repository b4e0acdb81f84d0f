/**
 * What the executor needs besides the loaded playbook model (src/playbook/model.ts): the
 * templating layer, the inventory, connections. Narrow interfaces so tests can supply fakes.
 */
import type { HostConnection } from '../connectors/types.js';
import type { Templater as TemplateLayer } from '../template/index.js';
import type { RoleInstance, TaskFileContext } from '../playbook/model.js';
import type { IncludedRole, RuntimeImports } from '../playbook/loader.js';
import type { IncludedRoleRequest } from '../playbook/roles.js';

export type Vars = Record<string, unknown>;

export interface Origin {
  file: string;
  line?: number;
  column?: number;
}

/** The part of the template layer's Templater the engine uses (tests supply fakes of it). */
export type TemplaterPort = Pick<TemplateLayer, 'templateData' | 'evaluateCondition' | 'renderFile' | 'hostVars' | 'query'>;

/** Run-time services of the playbook loader. */
export interface PlaybookRuntime {
  /**
   * include_tasks: the task file found (its path) and what it loaded (validated): its tasks, with
   * `apply` keywords given to them, and the roles its import_role tasks brought in.
   */
  loadTaskFile(file: string, searchDirs: readonly string[], ctx: TaskFileContext, from: Origin, apply: Record<string, unknown>, imports: RuntimeImports): { path: string; loaded: IncludedRole };
  /** include_role: the role read and validated now (a missing role or file throws). */
  loadRole(req: IncludedRoleRequest): IncludedRole;
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
