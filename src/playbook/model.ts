/**
 * The loaded, validated playbook model the executor runs. Everything is plain data; nothing
 * here has been templated (strings may still hold `{{ ... }}`), and every node knows where it
 * was written (`source`: file, 1-based line and column).
 *
 *   Playbook { file, plays: Play[] }                      import_playbook is already inlined
 *   Play     { hosts, vars, varsFiles, become..., serial, strategy, handlers,
 *              preTasks, tasks, postTasks }              tasks = role tasks (in role order,
 *                                                        meta dependencies first, duplicates
 *                                                        removed) + the play's own tasks
 *   TaskNode = Task | Block | IncludeTasks | IncludeRole
 *     Task         one module call (set_fact/debug/meta... are modules too)
 *     Block        { block, rescue, always } children; run block, on failure rescue, then always
 *     IncludeTasks dynamic include: the executor evaluates when/loop, then calls
 *                  loadTaskFile(resolveTaskFile(renderedFile, node.searchDirs), node.context)
 *                  at run time (per loop item when looped; ids repeat per item)
 *     IncludeRole  dynamic include_role: the executor evaluates when/loop, templates the role name
 *                  and *_from, then loads the role (loadIncludedRole) with `context` + `apply`
 *   import_tasks and import_role are static: their tasks are already inlined where written.
 *
 * Execution order (as Ansible): preTasks, flush handlers, tasks, flush handlers, postTasks,
 * flush handlers. Handlers are Tasks or IncludeTasks with `listen` topics (an include's tasks run
 * as handlers for the hosts that notified it); role handlers come before play handlers; `notify`
 * names were checked against them at load time.
 *
 * Inheritance is resolved at load time, so the executor never walks parents:
 *   - when:        every enclosing block's / import's / role's conditions + the task's own,
 *                  outermost first; all must be true (an IncludeTasks' own `when` gates only the
 *                  include, not the included tasks, as in Ansible).
 *   - tags:        union of play + role + block + import + task tags; select with selectByTags.
 *                  An include's own tags select the include only (its tasks are selected by
 *                  their own tags), as in Ansible.
 *   - become, becomeUser, becomeMethod, ignoreErrors, ignoreUnreachable, checkMode, diff, noLog,
 *     runOnce, anyErrorsFatal, remoteUser, timeout, throttle: the innermost value that is set
 *     (task, block, import, role, play); `undefined` = set nowhere, so CLI defaults apply.
 *   - vars:        block/import vars merged with task vars (task wins). Play vars are on Play;
 *                  role defaults/vars/params are on `role` (one object per role instance, shared
 *                  by its tasks) so the executor can give each its own precedence level.
 *   - environment: list of environment maps (or templated strings), outermost first; the
 *                  executor templates them and merges, later entries winning.
 *
 * Module args: `args` as written (free-form text already split as Ansible's parse_kv does);
 * the executor templates them, then calls coerceArgs(spec, args) for types and defaults.
 * Role-relative files: a task's `role.templatesDir` / `role.filesDir` come first for template /
 * copy `src`, then the play's `baseDir`.
 */

import type { SourcePos } from '../yaml/positions.js';
import type { LOOP_LOOKUPS } from './keywords.js';

export type { SourcePos };

export interface Playbook {
  /** Absolute path of the top playbook file. */
  file: string;
  plays: Play[];
}

/** A vars_files entry: a path, or a list of candidates where the first existing file wins. */
export type VarsFileEntry = string | string[];

export type SerialValue = number | string;

export interface Play {
  id: string;
  /** As written; `undefined` when the play has no name (Ansible then shows the hosts pattern). */
  name?: string;
  /** Display name: the name, or the hosts pattern. */
  displayName: string;
  /** Host pattern; a YAML list is joined with ','. */
  hosts: string;
  /** The patterns as written (one element unless `hosts:` was a list). */
  hostPatterns: string[];
  source: SourcePos;
  /** Directory relative paths (vars_files, templates, files) are resolved against. */
  baseDir: string;
  vars: Record<string, unknown>;
  varsFiles: VarsFileEntry[];
  gatherFacts: boolean;
  gatherSubset?: string[];
  gatherTimeout?: number;
  become?: boolean | string;
  becomeUser?: string;
  becomeMethod?: 'sudo';
  becomeFlags?: string;
  /**
   * Batch sizes; a single value is a one-element list; the last value repeats. A template as the
   * whole value stays a string: its result (a number, a percentage or a list) is read at run time.
   */
  serial?: SerialValue[] | string;
  /** 0-100; a template as the whole value stays a string, read at run time like `serial`. */
  maxFailPercentage?: number | string;
  anyErrorsFatal?: boolean | string;
  strategy: 'linear' | 'free';
  order?: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';
  tags: string[];
  ignoreErrors?: boolean | string;
  ignoreUnreachable?: boolean | string;
  environment: EnvironmentEntry[];
  checkMode?: boolean | string;
  diff?: boolean;
  noLog?: boolean | string;
  runOnce?: boolean;
  remoteUser?: string;
  port?: number | string;
  /** Connection plugin name as written (ssh, local, smart...); a host's ansible_connection wins. */
  connection?: string;
  forceHandlers?: boolean;
  timeout?: number;
  throttle?: number;
  /** Roles in execution order after dependency expansion and deduplication. */
  roles: RoleInstance[];
  preTasks: TaskNode[];
  tasks: TaskNode[];
  postTasks: TaskNode[];
  handlers: Handler[];
}

export type EnvironmentEntry = Record<string, unknown> | string;

/** One role as it runs in a play (after dedup); shared by all of its tasks. */
export interface RoleInstance {
  name: string;
  /** Absolute role directory. */
  dir: string;
  tasksDir: string;
  templatesDir: string;
  filesDir: string;
  /** defaults/main.yml (lowest precedence). */
  defaults: Record<string, unknown>;
  /** vars/main.yml. */
  vars: Record<string, unknown>;
  /** `{ role: x, foo: 1 }` params and the entry's `vars:` (high precedence, like include params). */
  params: Record<string, unknown>;
  /** Names of roles that pulled this one in through meta dependencies (empty for play roles). */
  requiredBy: string[];
  /** Its dir, then the dirs of the roles that depend on it, innermost first (Ansible's dep chain). */
  searchPath: string[];
  source: SourcePos;
  /** Identity for dedup (name, params, files, keywords): a dependency already loaded in the play is not loaded again. */
  key: string;
}

export interface LoopControl {
  loopVar?: string;
  indexVar?: string;
  label?: string;
  pause?: number | string;
  extended?: boolean;
}

/**
 * Loop source. `loop` items are used as is; `with` names the with_<lookup> it came from:
 * items (flattened one level), list (as is), dict (dict2items: {key, value}), indexed_items
 * ([index, item]), first_found, nested, together, subelements, sequence (the lookups of
 * template/loop-lookups.ts), lines (a command's output lines); the other with_<lookup>
 * keywords are rejected at load time.
 */
export interface LoopSpec {
  with?: (typeof LOOP_LOOKUPS)[number];
  /** A list, a dict (with_dict) or a templated string. */
  items: unknown;
}

/** Keywords whose innermost setting wins (task, block, role, play); undefined = set nowhere. */
export interface InheritedKeywords {
  become?: boolean | string;
  /** May be a template, rendered per host when the task runs. */
  becomeUser?: string;
  becomeMethod?: 'sudo';
  becomeFlags?: string;
  /** A string is a template, rendered per host when the task runs (Ansible templates keywords). */
  ignoreErrors?: boolean | string;
  ignoreUnreachable?: boolean | string;
  checkMode?: boolean | string;
  diff?: boolean;
  noLog?: boolean | string;
  runOnce?: boolean;
  anyErrorsFatal?: boolean | string;
  remoteUser?: string;
  timeout?: number;
  throttle?: number;
  /** Connection plugin name as written (ssh, local, ...; maybe a template); the host's ansible_connection wins. */
  connection?: string;
  /** Host the task runs on instead (its connection vars); a template or a name. local_action: localhost. */
  delegateTo?: string;
  /** Facts the delegated task returns belong to the delegated host. */
  delegateFacts?: boolean;
}

interface NodeBase extends InheritedKeywords {
  /** Unique in the playbook, stable across runs: "p1.tasks.3", "p1.tasks.3.b1" ... */
  id: string;
  name?: string;
  source: SourcePos;
  /** Effective conditions (see top comment). Strings are Jinja expressions; booleans as written. */
  when: Conditional[];
  /** Effective tags. */
  tags: string[];
  role?: RoleInstance;
  /** ids of enclosing blocks, outermost first. */
  blockPath: string[];
  vars: Record<string, unknown>;
  environment: EnvironmentEntry[];
}

export type Conditional = string | boolean;

export interface Task extends NodeBase {
  kind: 'task';
  /** `role : name`, or the name, or the module when unnamed (Ansible's --list-tasks text). */
  displayName: string;
  /** Canonical module name (`ansible.builtin.` stripped, aliases resolved when known). */
  module: string;
  /** The module key as written. */
  moduleAs: string;
  /** Parsed args (k=v free form already split; free text in the module's freeForm arg). */
  args: Record<string, unknown>;
  /** Where the module key was written (argument errors point here). */
  argsSource: SourcePos;
  loop?: LoopSpec;
  loopControl?: LoopControl;
  register?: string;
  changedWhen?: Conditional[];
  failedWhen?: Conditional[];
  notify: string[];
  /** Handlers only: topics this handler listens to (besides its name). */
  listen: string[];
  retries?: number | string;
  delay?: number | string;
  until?: Conditional[];
  /** Async/poll are parsed but the executor may reject them. */
  async?: number;
  poll?: number;
}

export interface Block extends NodeBase {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
}

export interface IncludeTasks extends NodeBase {
  kind: 'include_tasks';
  displayName: string;
  /** File as written (may be templated); relative paths are looked up in `searchDirs`. */
  file: string;
  /** The including file's directory, then the role's tasks dir, then the playbook's dir. */
  searchDirs: string[];
  /** The include's own `when` (not inherited by the included tasks). */
  ownWhen: Conditional[];
  /** `apply:` keywords given to the included tasks (appliedContext), checked when the file loads. */
  apply: Record<string, unknown>;
  /** Handlers only: topics this handler listens to (besides its name). */
  listen: string[];
  loop?: LoopSpec;
  loopControl?: LoopControl;
  /** What the included tasks inherit; pass to loadTaskFile. */
  context: TaskFileContext;
}

/** Which files of a role to load (tasks_from, handlers_from, vars_from, defaults_from). */
export interface RoleFrom {
  tasks?: string;
  handlers?: string;
  vars?: string;
  defaults?: string;
}

export interface IncludeRole extends NodeBase {
  kind: 'include_role';
  displayName: string;
  /** The action as written (`include_role`, `ansible.builtin.include_role`...). */
  action: string;
  /** Role name as written (may be templated: rendered per host at run time). */
  roleName: string;
  /** *_from file names as written (may be templated). */
  from: RoleFrom;
  /** public: the role's defaults and vars are visible to the play's later tasks (default: only inside it). */
  public: boolean;
  /** false: a host that already ran this role (same name, files and vars) skips it (Ansible's default: true). */
  allowDuplicates: boolean;
  /** Validate arguments against meta/argument_specs.yml (rolespec_validate, default true). */
  rolespecValidate: boolean;
  /** `apply:` keywords (a block's), given to the role's tasks as import_role's own keywords are. */
  apply: Record<string, unknown>;
  /** The include's own `when` (evaluated once per host, not inherited by the role's tasks). */
  ownWhen: Conditional[];
  loop?: LoopSpec;
  loopControl?: LoopControl;
  /** What the role's tasks inherit (the enclosing blocks', not the include's own keywords). */
  context: TaskFileContext;
}

export type TaskNode = Task | Block | IncludeTasks | IncludeRole;

/** A handler: a task, or an include_tasks whose tasks run as handlers for the hosts that notified it. */
export type Handler = Task | IncludeTasks;

/** What a task file inherits from where it is imported/included. */
export interface TaskFileContext extends InheritedKeywords {
  /** id prefix for the loaded nodes. */
  idPrefix: string;
  role?: RoleInstance;
  when: Conditional[];
  tags: string[];
  vars: Record<string, unknown>;
  environment: EnvironmentEntry[];
  blockPath: string[];
  /** Handler names and listen topics reachable from here (notify is checked against them). */
  handlerNames: string[];
  /** Files being imported, to catch import loops. */
  importChain: string[];
  /** The file is loaded by an include_tasks handler: its tasks are handlers. */
  handlers?: boolean;
  /** Directory of the top playbook of this play (last place relative task files are looked up). */
  playbookDir: string;
  /** Role directories searched after <playbook dir>/roles (include_role loads at run time). */
  rolesPath: readonly string[];
  /**
   * `collections:` in effect (task's, block's, then the play's; a role's come from its meta
   * only): a short module name is also looked up as <collection>.<name>.
   */
  collections?: string[];
}
