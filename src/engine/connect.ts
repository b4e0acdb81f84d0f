import pLimit from 'p-limit';
import { UnreachableError } from '../errors.js';
import type { PlayContext } from './context.js';
import { ROOT_SCOPE, varsFor } from './context.js';
import type { HostState } from './host-state.js';

/**
 * One connection per host, in parallel bounded by forks. A host that cannot be reached stays in
 * the play: the first task that needs its connection fails unreachable (connectedState).
 */
export async function connectAll(ctx: PlayContext, hosts: string[]): Promise<void> {
  const limit = pLimit(ctx.options.forks);
  await Promise.all(
    hosts.map((h) =>
      limit(async () => {
        const state = ctx.states.get(h)!;
        dropLostConnection(state); // gone since the last play: connect again, as connectedState does per task
        if ((state.connection && state.connectedFor === ctx.play.connection) || ctx.signal?.aborted) return;
        try {
          if (state.connection) state.probeCache.clear(); // another play, another connection: another machine
          state.connection = undefined; // a failed connect must not leave the last play's connection
          await openConnection(ctx, state, ctx.play.connection);
        } catch (err) {
          if (!ctx.signal?.aborted) state.connectFailure = asUnreachable(h, err);
        }
      }),
    ),
  );
}

/**
 * `state` with a connection: the play's connect failure is this task's (once), else a host whose
 * connection went away (between tasks, or under ignore_unreachable) connects again, as
 * ansible-playbook does per task. A connection lost during a task failed that task unreachable.
 */
export async function connectedState(ctx: PlayContext, state: HostState, connection: string | undefined): Promise<HostState> {
  dropLostConnection(state);
  if (state.connection) return state;
  const failure = state.connectFailure;
  if (failure) {
    state.connectFailure = undefined;
    throw failure;
  }
  await openConnection(ctx, state, connection);
  return state;
}

async function openConnection(ctx: PlayContext, state: HostState, connection: string | undefined): Promise<void> {
  state.connection = await ctx.connections.get(state.name, varsFor(ctx, state.name, ROOT_SCOPE), connection);
  state.connectedFor = connection;
}

/** A connection that is gone is dropped (and what was read through it): the next task opens another. */
export function dropLostConnection(state: HostState): void {
  if (state.connection?.isAlive !== false) return;
  state.connection = undefined;
  state.probeCache.clear();
}

function asUnreachable(host: string, err: unknown): Error {
  return err instanceof UnreachableError ? err : new UnreachableError(err instanceof Error ? err.message : String(err), { host, cause: err });
}

/** A host unreachable outside any task's result (fact gathering): it leaves the play unless `ignored`. */
export function markUnreachable(ctx: PlayContext, host: string, task: string, err: unknown, ignored = false): void {
  const msg = err instanceof Error ? err.message : String(err);
  if (ignored) dropLostConnection(ctx.states.get(host)!);
  else ctx.states.get(host)!.unreachable = true;
  ctx.stats.unreachable(host, ignored);
  ctx.emit({ type: 'host_result', host, task, status: 'unreachable', msg, result: { unreachable: true, changed: false, msg }, ignored });
}
