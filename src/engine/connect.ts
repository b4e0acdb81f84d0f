import pLimit from 'p-limit';
import type { PlayContext } from './context.js';
import { ROOT_SCOPE, varsFor } from './context.js';

/** One connection per host, in parallel bounded by forks; unreachable hosts leave the play. */
export async function connectAll(ctx: PlayContext, hosts: string[]): Promise<void> {
  const limit = pLimit(ctx.options.forks);
  await Promise.all(
    hosts.map((h) =>
      limit(async () => {
        const state = ctx.states.get(h)!;
        if ((state.connection && state.connectedFor === ctx.play.connection) || ctx.signal?.aborted) return;
        try {
          if (state.connection) state.probeCache.clear(); // another play, another connection: another machine
          state.connection = await ctx.connections.get(h, varsFor(ctx, h, ROOT_SCOPE), ctx.play.connection);
          state.connectedFor = ctx.play.connection;
        } catch (err) {
          if (!ctx.signal?.aborted) markUnreachable(ctx, h, 'Connect', err);
        }
      }),
    ),
  );
}

export function markUnreachable(ctx: PlayContext, host: string, task: string, err: unknown): void {
  ctx.states.get(host)!.unreachable = true;
  const msg = err instanceof Error ? err.message : String(err);
  ctx.stats.record(host, 'unreachable', false);
  ctx.emit({ type: 'host_result', host, task, status: 'unreachable', msg });
}
