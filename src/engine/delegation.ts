/**
 * Where a task's commands run (Ansible's delegation): on its host, or, with `delegate_to`
 * (local_action is delegate_to: localhost) or a task `connection` other than the play's, on
 * another connection. The delegate is an inventory host (its own vars pick the connection), the
 * implicit localhost (connection local), or a name outside the inventory (reached over ssh by
 * that name). Variables stay the task host's; only the connection is the delegate's.
 */
import type { Task } from '../playbook/model.js';
import { isLocalhostName } from '../inventory/patterns.js';
import { plainData } from '../template/index.js';
import { HostState } from './host-state.js';
import { connectedState } from './connect.js';
import type { PlayContext } from './context.js';
import { ROOT_SCOPE, varsFor } from './context.js';
import type { Vars } from './ports.js';


/** Whether the task runs on its host's own connection (no delegation, the play's connection). */
export function runsOnOwnHost(ctx: Pick<PlayContext, 'play'>, task: Pick<Task, 'delegateTo' | 'connection'>): boolean {
  return task.delegateTo === undefined && task.connection === ctx.play.connection;
}

/** The delegate's name: delegate_to templated with the task host's vars. */
function delegateName(ctx: PlayContext, task: Task, vars: Vars): string | undefined {
  if (task.delegateTo === undefined) return undefined;
  return String(plainData(ctx.templater.templateData(task.delegateTo, vars, task.source)));
}

/**
 * How a result line names the delegate, as Ansible's callbacks do: `web1 -> db1`, with the
 * delegate's ansible_host in parentheses when it differs; nothing when delegating to itself.
 */
export function delegateLabel(ctx: PlayContext, task: Task, host: string, vars: Vars): string | undefined {
  const name = delegateName(ctx, task, vars);
  if (name === undefined || name === host) return undefined;
  const address = delegateVars(ctx, name).ansible_host;
  return address === undefined || address === null || String(address) === name ? name : `${name}(${String(address)})`;
}

/**
 * Whose connection and probe cache the task's commands use, connected (UnreachableError when the
 * delegate cannot be reached).
 */
export async function execTarget(ctx: PlayContext, task: Task, host: string, vars: Vars): Promise<HostState> {
  const own = ctx.states.get(host)!;
  if (runsOnOwnHost(ctx, task)) return connectedState(ctx, own, ctx.play.connection);
  const name = delegateName(ctx, task, vars) ?? host;
  const keyword = task.connection === undefined ? undefined : String(plainData(ctx.templater.templateData(task.connection, vars, task.source)));
  const known = ctx.states.get(name);
  if (known && keyword === ctx.play.connection && (!known.connection || known.connectedFor === keyword)) return connectedState(ctx, known, keyword);
  const key = `${name}\0${keyword ?? ''}`;
  let state = ctx.delegates.get(key);
  if (!state) {
    state = new HostState(name);
    ctx.delegates.set(key, state);
  }
  state.connection ??= await ctx.connections.get(name, delegateVars(ctx, name), keyword);
  return state;
}

/**
 * A delegate's own variables for its connection: an inventory host's (the implicit localhost's:
 * connection local) and -e. A name outside the inventory has none: ssh to that name.
 */
export function delegateVars(ctx: PlayContext, name: string): Vars {
  if (ctx.states.has(name)) return varsFor(ctx, name, ROOT_SCOPE);
  const known = ctx.inventory.selectHosts('all').includes(name) || (isLocalhostName(name) && ctx.inventory.selectHosts(name).includes(name));
  return { ...(known ? ctx.inventory.hostVars(name) : {}), ...ctx.options.extraVars };
}

/** The state whose facts a task's returned facts join: the delegate's with delegate_facts. */
export function factsHolder(ctx: PlayContext, task: Task, host: string, vars: Vars): HostState {
  const own = ctx.states.get(host)!;
  if (!task.delegateFacts) return own;
  const name = delegateName(ctx, task, vars);
  if (name === undefined || name === host) return own;
  const known = ctx.states.get(name);
  if (known) return known;
  const key = `${name}\0`;
  let state = ctx.delegates.get(key);
  if (!state) ctx.delegates.set(key, (state = new HostState(name)));
  return state;
}
