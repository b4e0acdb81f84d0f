import type { PlayContext } from './context.js';
import { batchFailed } from './batches.js';

/**
 * What ansible-core 2.14's linear strategy decides after each task's results, before the next
 * task: any_errors_fatal (a failure no rescue or always catches, or an unreachable result, an
 * ignored one too, fails every host left) and max_fail_percentage (more than that share of the
 * batch failed for good: every other host of the batch fails at once). When every host left has
 * failed the strategy returns: `batchStopped`, and NO MORE HOSTS LEFT (twice after
 * max_fail_percentage, as Ansible prints it).
 */
export function afterTaskResults(ctx: PlayContext, results: { failed: boolean; unreachable: boolean }[], anyErrorsFatal: boolean): void {
  if (results.length === 0) return;
  const state = (h: string) => ctx.states.get(h)!;
  let breakPlay = false;
  if (anyErrorsFatal && results.some((r) => r.failed || r.unreachable)) {
    for (const h of ctx.batchHosts) if (state(h).active) state(h).failed = true;
    breakPlay = true;
  }
  if (ctx.maxFail !== undefined) {
    const failed = ctx.batchHosts.filter((h) => state(h).failedInBatch).length;
    if (batchFailed(ctx.batchHosts.length, failed, ctx.maxFail)) {
      const stopped = ctx.batchHosts.filter((h) => state(h).active);
      for (const h of stopped) Object.assign(state(h), { failed: true, failedInBatch: true });
      ctx.emit({ type: 'no_hosts_remaining', stopped });
      breakPlay = true;
    }
  }
  if (breakPlay && ctx.batchHosts.every((h) => !state(h).active)) {
    ctx.batchStopped.value = true;
    ctx.emit({ type: 'no_hosts_remaining' });
  }
}
