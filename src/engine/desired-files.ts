/**
 * What a playbook would write on one host, worked out on the controller without touching the
 * host (`health --playbook`'s config drift). It reuses the run's own pieces: the loaded plays,
 * the variable layers (varsFor), conditions, loops, include_tasks, set_fact/include_vars/assert
 * (runLocalTask) and the modules' own rendering (ModuleDefinition.writes).
 *
 * Evaluated: set_fact, include_vars, assert, fail, include_tasks, include_role, blocks and their `always`, and
 * whole-file writers (copy, template) whose dest is under `root`. Not evaluated: every other
 * module (nothing runs on the host), handlers, rescue sections (the run is assumed to succeed).
 * A task that needs what an unevaluated task registered, or that cannot be templated, makes the
 * host's desired state unknown, with the reason, rather than a guess.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import type { ModuleDefinition } from '../modules/contract.js';
import type { Handler, IncludeRole, IncludeTasks, Play, Playbook, Task, TaskNode } from '../playbook/model.js';
import { plainData } from '../template/index.js';
import { ROOT_SCOPE, varsFor, type IncludeScope, type PlayContext, type RunOptions } from './context.js';
import { HostState } from './host-state.js';
import { runLocalTask } from './local-tasks.js';
import { errorMessage } from './outcome.js';
import { computePlayVars } from './play-runner.js';
import type { ConnectionProvider, InventoryView, PlaybookRuntime, TemplaterPort, Vars } from './ports.js';
import { adoptRoles, includeRoleRequest, renderRoleTarget, runtimeImports } from './runtime-roles.js';
import { RunStats } from './stats.js';
import { loopItem, loopItems, moduleContext } from './task-inputs.js';

export interface DesiredFile {
  path: string;
  sha256: string;
  /** The task that writes it and where (file:line). */
  task: string;
  source: string;
}

export type DesiredState = { known: true; files: DesiredFile[] } | { known: false; reason: string };

interface DesiredFilesInput {
  playbook: Playbook;
  runtime: PlaybookRuntime;
  inventory: InventoryView;
  templater: TemplaterPort;
  options: Pick<RunOptions, 'extraVars' | 'findModule' | 'coerceArgs' | 'tagFilter' | 'limit'>;
  /** Only files written under this directory are reported. */
  root: string;
}

/** Controller-side tasks whose effect on variables (or on whether the run goes on) is evaluated. */
const EVALUATED_LOCAL = new Set(['set_fact', 'include_vars', 'assert', 'fail']);

class Unknown extends Error {}

/** The files the playbook would write under `root` on `host`, given the facts its gathering would find. */
export async function desiredFiles(input: DesiredFilesInput, host: string, facts: Vars | undefined): Promise<DesiredState> {
  const files = new Map<string, DesiredFile>();
  const state = new HostState(host);
  let targeted = false;
  try {
    for (const play of input.playbook.plays) {
      if (!playTargets(input, play, host)) continue;
      targeted = true;
      if (play.gatherFacts && facts && !state.factsGathered) state.setFacts(facts);
      await new HostWalk(playContext(input, play, state), input.root, files).play();
    }
  } catch (err) {
    if (err instanceof Unknown) return { known: false, reason: err.message };
    throw err;
  }
  if (!targeted) return { known: false, reason: `no play of ${input.playbook.file} targets this host` };
  return { known: true, files: [...files.values()] };
}

function playTargets(input: DesiredFilesInput, play: Play, host: string): boolean {
  try {
    const limited = input.options.limit ? input.inventory.selectHosts(input.options.limit) : undefined;
    return input.inventory.selectHosts(play.hosts, limited).includes(host);
  } catch (err) {
    if (err instanceof FalcoDeployError) throw new Unknown(`the hosts of play "${play.displayName}" are not known before the run: ${err.message}`);
    throw err;
  }
}

const NO_CONNECTIONS: ConnectionProvider = {
  get: () => Promise.reject(new FalcoDeployError('the drift evaluation never connects', { phase: 'plan' })),
  interruptAll: async () => undefined,
  closeAll: async () => undefined,
};

function playContext(input: DesiredFilesInput, play: Play, state: HostState): PlayContext {
  const options: RunOptions = { check: false, diff: false, verbose: 0, forks: 1, forceHandlers: false, ...input.options };
  const base = {
    runtime: input.runtime,
    inventory: input.inventory,
    templater: input.templater,
    connections: NO_CONNECTIONS,
    options,
    states: new Map([[state.name, state]]),
    delegates: new Map<string, HostState>(),
    stats: new RunStats(),
    secrets: new Set<string>(),
    emit: () => undefined,
    startReached: { value: true },
    refreshInventory: async () => undefined,
  };
  let playVars;
  try {
    playVars = computePlayVars(base, play);
  } catch (err) {
    throw new Unknown(`vars_files of play "${play.displayName}": ${errorMessage(err)}`);
  }
  const additions = { handlers: [], roles: [], ran: new Set<string>(), loads: 0, handlerBanners: new WeakSet<Handler>() };
  return { ...base, play, playVars, additions, playHosts: [state.name], batchHosts: [state.name], playEnded: { value: false }, batchStopped: { value: false }, breakPlay: { value: false } };
}

/** Why a variable has no value here: the task that would have set it was not (or could not be) evaluated. */
interface MissingVar {
  task: Task;
  why: string;
}

class HostWalk {
  private readonly host: string;
  private readonly missing = new Map<string, MissingVar>();

  constructor(
    private readonly ctx: PlayContext,
    private readonly root: string,
    private readonly files: Map<string, DesiredFile>,
  ) {
    this.host = ctx.batchHosts[0];
  }

  private get state(): HostState {
    return this.ctx.states.get(this.host)!;
  }

  async play(): Promise<void> {
    for (const section of [this.ctx.play.preTasks, this.ctx.play.tasks, this.ctx.play.postTasks]) await this.nodes(section, ROOT_SCOPE);
  }

  private async nodes(nodes: TaskNode[], scope: IncludeScope): Promise<void> {
    for (const node of nodes) {
      if (node.kind === 'block') {
        await this.nodes(node.block, scope);
        await this.nodes(node.always, scope);
      } else if (node.kind === 'include_tasks') await this.include(node, scope);
      else if (node.kind === 'include_role') await this.includeRole(node, scope);
      else if (this.ctx.options.tagFilter(node.tags)) await this.task(node, scope);
    }
  }

  private async include(node: IncludeTasks, scope: IncludeScope): Promise<void> {
    const vars = varsFor(this.ctx, this.host, scope, node);
    for (const params of this.guard(node, () => this.itemParams(node, vars, [...node.when, ...node.ownWhen]))) {
      const inner: IncludeScope = { ...scope, includeParams: { ...scope.includeParams, ...params } };
      const { tasks, roleScope } = this.guard(node, () => {
        const file = String(plainData(this.ctx.templater.templateData(node.file, { ...vars, ...params }, node.source)));
        const { loaded } = this.ctx.runtime.loadTaskFile(file, node.searchDirs, node.context, node.source, node.apply, runtimeImports(this.ctx, node));
        return { tasks: loaded.tasks, roleScope: adoptRoles(this.ctx, loaded, inner, true) };
      });
      await this.nodes(tasks, roleScope);
    }
  }

  /** As the run's walker: the role is loaded per host and item, its tasks see its defaults and vars. */
  private async includeRole(node: IncludeRole, scope: IncludeScope): Promise<void> {
    const vars = varsFor(this.ctx, this.host, scope, node);
    for (const params of this.guard(node, () => this.itemParams(node, vars, [...node.when, ...node.ownWhen]))) {
      const itemVars = { ...vars, ...params };
      const { tasks, roleScope } = this.guard(node, () => {
        const loaded = this.ctx.runtime.loadRole(includeRoleRequest(node, renderRoleTarget(this.ctx, node, itemVars), runtimeImports(this.ctx, node)));
        const inner: IncludeScope = { ...scope, includeParams: { ...scope.includeParams, ...params } };
        return { tasks: loaded.tasks, roleScope: adoptRoles(this.ctx, loaded, inner, node.public) };
      });
      await this.nodes(tasks, roleScope);
    }
  }

  private async task(task: Task, scope: IncludeScope): Promise<void> {
    const mod = this.ctx.options.findModule(task.module);
    if (!mod) return; // the loader validated every module name
    if (mod.local) return this.local(task, mod, scope);
    if (mod.writes && task.delegateTo === undefined) return this.write(task, mod, scope);
    if (task.register) this.unset([task.register], task, `registered by task "${task.displayName}" (${task.module}), which health does not run`);
  }

  private async local(task: Task, mod: ModuleDefinition, scope: IncludeScope): Promise<void> {
    if (!EVALUATED_LOCAL.has(mod.name)) return;
    const vars = varsFor(this.ctx, this.host, scope, task);
    let items: Vars[];
    try {
      items = this.itemParams(task, vars, task.when);
    } catch (err) {
      return this.cannotEvaluate(task, mod, err);
    }
    for (const params of items) {
      const itemVars = { ...vars, ...params };
      let outcome;
      try {
        const args = this.ctx.options.coerceArgs(mod.spec, this.ctx.templater.templateData(task.args, itemVars, task.source), mod.name);
        outcome = await runLocalTask(this.ctx, mod.name, args, this.host, itemVars, task);
      } catch (err) {
        return this.cannotEvaluate(task, mod, err);
      }
      if (outcome.status === 'failed') throw new Unknown(`the run would fail at task "${task.displayName}" (${where(task)}): ${outcome.msg}`);
      if (task.register) this.state.runtimeVars[task.register] = outcome.result;
    }
  }

  /** set_fact/include_vars that cannot be evaluated leave their variables unknown; a check that cannot is passed over. */
  private cannotEvaluate(task: Task, mod: ModuleDefinition, err: unknown): void {
    if (mod.name !== 'set_fact' && mod.name !== 'include_vars') return;
    const names = mod.name === 'set_fact' ? Object.keys(task.args).filter((k) => k !== 'cacheable') : [];
    if (mod.name === 'include_vars') throw new Unknown(this.reason(task, err));
    this.unset(names, task, `set by task "${task.displayName}" (${where(task)}), which cannot be evaluated on the controller: ${errorMessage(err)}`);
  }

  private async write(task: Task, mod: ModuleDefinition, scope: IncludeScope): Promise<void> {
    const vars = varsFor(this.ctx, this.host, scope, task);
    for (const params of this.guard(task, () => this.itemParams(task, vars, task.when))) {
      const itemVars = { ...vars, ...params };
      const written = await this.guardAsync(task, async () => {
        const args = this.ctx.options.coerceArgs(mod.spec, plainData(this.ctx.templater.templateData(task.args, itemVars, task.source)), mod.name);
        return mod.writes!(args, moduleContext(this.ctx, this.host, task, itemVars, false, false));
      });
      if (typeof written === 'string') throw new Unknown(`task "${task.displayName}" (${where(task)}): ${written}`);
      const path = posix.normalize(written.dest);
      if (!isUnder(path, this.root)) continue;
      this.files.set(path, { path, sha256: createHash('sha256').update(written.content).digest('hex'), task: task.displayName, source: where(task) });
    }
    // Whether the write changed anything is only known on the host.
    if (task.register) this.unset([task.register], task, `registered by task "${task.displayName}", whose result is only known on the host`);
  }

  /** Loop items as variables ([{}] without a loop), those whose `when` holds. */
  private itemParams(node: Task | IncludeTasks | IncludeRole, vars: Vars, when: Task['when']): Vars[] {
    const loopVar = node.loopControl?.loopVar ?? 'item';
    let all: Vars[] = [{}];
    if (node.loop) {
      const items = loopItems(this.ctx, node.loop, vars, node);
      if (!Array.isArray(items)) throw new Error(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(items)}`);
      all = items.map((_, i) => ({ [loopVar]: loopItem(items, i), ...(node.loopControl?.indexVar ? { [node.loopControl.indexVar]: i } : {}) }));
    }
    return all.filter((params) => !when.length || this.ctx.templater.evaluateCondition(when, { ...vars, ...params }, node.source));
  }

  private unset(names: string[], task: Task, why: string): void {
    for (const name of names) {
      this.state.runtimeVars[name] = undefined;
      this.missing.set(name, { task, why });
    }
  }

  private guard<T>(node: Task | IncludeTasks | IncludeRole, f: () => T): T {
    try {
      return f();
    } catch (err) {
      throw new Unknown(this.reason(node, err));
    }
  }

  private async guardAsync<T>(node: Task | IncludeTasks, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw new Unknown(this.reason(node, err));
    }
  }

  /** Names the unevaluated task behind a failure when the node uses what it would have set. */
  private reason(node: Task | IncludeTasks | IncludeRole, err: unknown): string {
    const text = JSON.stringify([node.when, 'args' in node ? node.args : 'file' in node ? node.file : node.roleName, node.loop?.items]);
    const used = [...this.missing].find(([name]) => new RegExp(`(^|[^\\w])${escapeRegExp(name)}($|[^\\w])`).test(text));
    const what = `task "${node.displayName}" (${where(node)})`;
    return used ? `${what} needs ${used[0]}, ${used[1].why}` : `${what} cannot be evaluated on the controller: ${errorMessage(err)}`;
  }
}

function where(node: { source: { file: string; line: number } }): string {
  return `${node.source.file}:${node.source.line}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isUnder(path: string, root: string): boolean {
  const r = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(r);
}
