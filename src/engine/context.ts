import { dirname } from 'node:path';
import type { RunEvent } from '../output/events.js';
import type { Handler, Play, RoleInstance, SourcePos } from '../playbook/model.js';
import { boolean } from '../python/boolean.js';
import { FalcoDeployError } from '../errors.js';
import { pyStr } from '../python/repr.js';
import type { HostState } from './host-state.js';
import type { ModuleDefinition } from '../modules/contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import type { ConnectionProvider, InventoryView, PlaybookRuntime, TagFilter, TemplaterPort, Vars } from './ports.js';
import type { RunStats } from './stats.js';
import { layerVars } from './vars.js';
import type { Shard } from '../inventory/shard.js';

export interface RunOptions {
  check: boolean;
  diff: boolean;
  extraVars: Vars;
  verbose: number;
  forks: number;
  forceHandlers: boolean;
  limit?: string;
  /** --shard i/N: only the selected hosts in this part (src/inventory/shard.ts). */
  shard?: Shard;
  startAtTask?: string;
  /** `--workers`: the hosts this worker runs (every selected host without workers). */
  ownsHost?: (host: string) => boolean;
  /** -b/--become: become for every play that does not say otherwise (ansible-playbook's -b). */
  become?: boolean;
  tagFilter: TagFilter;
  /** Resolves a module name (registry by default; tests inject). */
  findModule: (name: string) => ModuleDefinition | undefined;
  /** Ansible type conversion of templated args, naming the bad argument. */
  coerceArgs: (spec: ModuleSpec, args: Record<string, unknown>, module: string) => Record<string, unknown>;
}

/** What a stretch of tasks gets from where it runs (an include's params, a handler flush). */
export interface IncludeScope {
  includeParams: Vars;
  handler?: boolean;
  /**
   * Inside a block that has a rescue or an always to run next: a failure here is not final
   * (Ansible's iterator is not COMPLETE), so max_fail_percentage does not count it yet.
   */
  caught?: boolean;
  /**
   * Inside the tasks of a block that has a rescue (at any depth): a failure here counts as
   * rescued, not failed (Ansible's is_any_block_rescuing when the task failed).
   */
  rescuable?: boolean;
  /**
   * Whether a failure here fails the host at once as Ansible's iterator.is_failed sees it (what
   * any_errors_fatal reacts to): not when the innermost block's section is followed by its rescue
   * or always, nor below an enclosing block's tasks that have a rescue. Set per section.
   */
  failsAtOnce?: boolean;
  /** Defaults/vars of the roles an include_role (not public) loaded: visible only inside it. */
  roleDefaults?: Vars;
  roleVars?: Vars;
}

/** What include_role adds to a play while it runs (shared by its serial batches, as Ansible's play object). */
export interface PlayAdditions {
  /** The play's handlers, then the included roles' in load order (a notify picks the last of a name). */
  handlers: { task: Handler; scope: IncludeScope }[];
  /** Handlers (tasks an include loaded too) that got a RUNNING HANDLER banner: Ansible's callback remembers their type. */
  handlerBanners: WeakSet<Handler>;
  /** Roles include_role loaded (their keys keep meta dependencies from loading twice). */
  roles: RoleInstance[];
  /** `host\0role key` of included roles a host ran (for allow_duplicates: false). */
  ran: Set<string>;
  /** Loads so far (ids of loaded tasks stay unique). */
  loads: number;
}

export const ROOT_SCOPE: IncludeScope = { includeParams: {} };

/** Whether `node` (or, without one, the play's fact gathering) runs with become: task, play, -b; a template is rendered with `vars`. */
export function becomeFor(ctx: Pick<PlayContext, 'play' | 'options' | 'templater'>, vars: Vars, node?: { become?: boolean | string; source?: SourcePos }): boolean {
  const value = node?.become ?? ctx.play.become ?? ctx.options.become ?? false;
  return keywordFlag(ctx, 'become', value, vars, node?.source ?? ctx.play.source) ?? false;
}

/** The user `node` becomes (task, then play keyword); a template is rendered with `vars` as Ansible templates become_user. */
export function becomeUserFor(ctx: Pick<PlayContext, 'play' | 'templater'>, vars: Vars, node: { becomeUser?: string; source?: SourcePos }): string | undefined {
  const value = node.becomeUser ?? ctx.play.becomeUser;
  if (value === undefined) return undefined;
  return pyStr(ctx.templater.templateData(value, vars, node.source ?? ctx.play.source));
}

/**
 * A boolean keyword (ignore_errors, ignore_unreachable, check_mode, become, any_errors_fatal) as the task runs: a template
 * is rendered with the host's variables and read as Ansible reads a bool field.
 */
export function keywordFlag(ctx: Pick<PlayContext, 'templater'>, key: string, value: boolean | string | undefined, vars: Vars, source?: SourcePos): boolean | undefined {
  if (typeof value !== 'string') return value;
  const rendered = ctx.templater.templateData(value, vars, source);
  try {
    return boolean(rendered);
  } catch (err) {
    throw new FalcoDeployError(`the field '${key}' has an invalid value (${pyStr(value)}), and could not be converted to an bool.The error was: ${(err as Error).message}`, {
      phase: 'plan',
      cause: err,
    });
  }
}

/** Per-play values computed once: vars_files and the roles' defaults/vars seen play-wide. */
export interface PlayVars {
  varsFiles: Vars;
  roleDefaults: Vars;
  roleVars: Vars;
}

export interface PlayContext {
  runtime: PlaybookRuntime;
  play: Play;
  playVars: PlayVars;
  additions: PlayAdditions;
  inventory: InventoryView;
  templater: TemplaterPort;
  connections: ConnectionProvider;
  options: RunOptions;
  states: Map<string, HostState>;
  /** Connections (and probe caches) of delegated tasks' targets, run-wide (delegation.ts). */
  delegates: Map<string, HostState>;
  playHosts: string[];
  batchHosts: string[];
  stats: RunStats;
  secrets: Set<string>;
  emit(e: RunEvent): void;
  /** --start-at-task: true once the named task was reached. */
  startReached: { value: boolean };
  /** meta: end_play was run: no later serial batch of this play starts. */
  playEnded: { value: boolean };
  /** The play's max_fail_percentage (undefined: not set), checked after every task on the batch. */
  maxFail?: number;
  /**
   * max_fail_percentage or any_errors_fatal failed every host left in the batch: as Ansible's
   * strategy returns then, no rescue, always or handler runs after it.
   */
  batchStopped: { value: boolean };
  /** any_errors_fatal or max_fail_percentage fired in this batch: no later batch or play starts. */
  breakPlay: { value: boolean };
  /** meta: refresh_inventory: reads the inventory sources again (for the plays after this one). */
  refreshInventory(): Promise<void>;
  /** Aborted on Ctrl-C: no new task, batch or play starts; results that arrive later are dropped. */
  signal?: AbortSignal;
}

/** What a node contributes to the variables of the host running it. */
interface NodeVarsSource {
  vars?: Vars;
  role?: RoleInstance;
  source?: { file: string };
}

/**
 * The full variable view of one host for one node, in Ansible's precedence. Roles' defaults and
 * vars are visible play-wide (Ansible's default, private_role_vars off); the node's own role wins.
 */
export function varsFor(ctx: PlayContext, host: string, scope: IncludeScope, node?: NodeVarsSource): Vars {
  const state = ctx.states.get(host)!;
  const role = node?.role;
  return layerVars({
    roleDefaults: { ...ctx.playVars.roleDefaults, ...scope.roleDefaults, ...role?.defaults },
    inventory: ctx.inventory.hostVars(host),
    facts: state.factVariables(),
    playVars: ctx.play.vars,
    varsFiles: ctx.playVars.varsFiles,
    roleVars: { ...ctx.playVars.roleVars, ...scope.roleVars, ...role?.vars },
    taskVars: node?.vars,
    includedVars: state.includedVars,
    hostRuntime: state.runtimeVars,
    roleParams: role?.params,
    includeParams: scope.includeParams,
    extraVars: ctx.options.extraVars,
    magic: { ...magicVars(ctx, host, role), ansible_search_path: searchPathOf(ctx, node) },
  });
}


/** Where the node's controller files are looked up (Ansible's task.get_search_path() + playbook dir). */
function searchPathOf(ctx: PlayContext, node: NodeVarsSource | undefined): string[] {
  const dirs = [...(node?.role?.searchPath ?? []), ...(node?.source ? [dirname(node.source.file)] : []), ctx.play.baseDir];
  return [...new Set(dirs)];
}

function magicVars(ctx: PlayContext, host: string, role: RoleInstance | undefined): Vars {
  const active = ctx.batchHosts.filter((h) => ctx.states.get(h)?.active);
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: ctx.inventory.groupNames(host),
    groups: ctx.inventory.groupsMap(),
    hostvars: hostvarsOf(ctx),
    play_hosts: active,
    ansible_play_hosts: active,
    ansible_play_batch: active,
    ansible_play_hosts_all: ctx.playHosts,
    ansible_play_name: ctx.play.displayName,
    ansible_check_mode: ctx.options.check,
    ansible_diff_mode: ctx.options.diff,
    playbook_dir: ctx.play.baseDir,
    role_name: role?.name,
    role_path: role?.dir,
  };
}

/** hostvars[h]: another host's inventory vars, facts and set_facts, templated lazily as that host. */
function hostvarsOf(ctx: PlayContext): unknown {
  return ctx.templater.hostVars(
    (h) => {
      // A delegate outside the play holds what delegate_facts gave it.
      const state = ctx.states.get(h) ?? ctx.delegates.get(`${h}\0`);
      if (!state && !ctx.inventory.selectHosts(h).includes(h)) return undefined;
      return layerVars({
        roleDefaults: ctx.playVars.roleDefaults,
        inventory: ctx.inventory.hostVars(h),
        facts: state?.factVariables(),
        playVars: ctx.play.vars,
        varsFiles: ctx.playVars.varsFiles,
        roleVars: ctx.playVars.roleVars,
        includedVars: state?.includedVars,
        hostRuntime: state?.runtimeVars,
        extraVars: ctx.options.extraVars,
        magic: { inventory_hostname: h, group_names: ctx.inventory.groupNames(h) },
      });
    },
    () => ctx.inventory.selectHosts('all'),
  );
}
