import type { PlayContext } from './context.js';
import { batchFailed } from './batches.js';
import type { HostState } from './host-state.js';
import { nextSection } from './walk-position.js';
import type { TaskNode } from '../playbook/model.js';

/**
 * What ansible-core 2.14's linear strategy decides after each task's results, before the next
 * task. any_errors_fatal: a failure no rescue or always catches, or an unreachable result (an
 * ignored one too), notes as failed every host whose next task is not in a rescue or always
 * (they all go on).
 * max_fail_percentage: more than that share of the batch failed for good, so every other host of
 * the batch fails at once. When every host left (not unreachable) has failed or is noted, the
 * strategy returns: `batchStopped`, and NO MORE HOSTS LEFT (twice after max_fail_percentage, as
 * Ansible prints it). Either one ends the playbook after this batch (`breakPlay`).
 */
export function afterTaskResults(ctx: PlayContext, results: { failed: boolean; unreachable: boolean }[], anyErrorsFatal: boolean): void {
  if (results.length === 0) return;
  const state = (h: string) => ctx.states.get(h)!;
  let breakPlay = false;
  if (anyErrorsFatal && results.some((r) => r.failed || r.unreachable)) {
    const skipped = (n: TaskNode) => n.kind === 'task' && !ctx.options.tagFilter(n.tags);
    // left alone: a host whose next task is in a rescue or always, or going there (a caught failure)
    const goesOn = (s: HostState) => (s.failed && !s.failedInBatch) || (s.active && nextSection(s.position, skipped) !== 'tasks');
    for (const h of ctx.batchHosts) if (!state(h).unreachable && !goesOn(state(h))) state(h).noted = true;
    breakPlay = true;
  }
  if (ctx.maxFail !== undefined) {
    const failed = ctx.batchHosts.filter((h) => state(h).failedInBatch || state(h).noted).length;
    if (batchFailed(ctx.batchHosts.length, failed, ctx.maxFail)) {
      const stopped = ctx.batchHosts.filter((h) => state(h).active);
      for (const h of stopped) Object.assign(state(h), { failed: true, failedInBatch: true });
      ctx.emit({ type: 'no_hosts_remaining', stopped });
      breakPlay = true;
    }
  }
  if (!breakPlay) return;
  ctx.breakPlay.value = true;
  const left = ctx.batchHosts.filter((h) => !state(h).unreachable);
  if (left.every((h) => state(h).failedInBatch || state(h).noted || !state(h).active)) {
    for (const h of left) if (state(h).active) state(h).failed = true;
    ctx.batchStopped.value = true;
    ctx.emit({ type: 'no_hosts_remaining' });
  }
}
