import pLimit from 'p-limit';
import { ExitCode, FalcoDeployError, UnreachableError } from '../errors.js';
import type { Handler, Play } from '../playbook/model.js';
import { batchFailed, serialBatches, templatedMaxFail } from './batches.js';
import { connectAll, connectedState, markUnreachable } from './connect.js';
import { errorMessage, failHosts } from './outcome.js';
import { collectPlaySecrets } from './secrets.js';
import type { PlayContext, PlayVars } from './context.js';
import { becomeFor, keywordFlag, ROOT_SCOPE, varsFor } from './context.js';
import { HostState } from './host-state.js';
import type { FactRequest } from '../facts/request.js';
import { playNodes, speculativeProbes } from './prefetch.js';
import { fetchGrouped, probeValues } from './probes.js';
import { moduleContext } from './task-inputs.js';
import { inShard } from '../inventory/shard.js';
import { flushHandlers, runNodes } from './walker.js';

type PlayContextBase = Omit<PlayContext, 'playHosts' | 'batchHosts' | 'play' | 'playVars' | 'playEnded' | 'batchStopped' | 'breakPlay' | 'maxFail' | 'additions'>;

/**
 * Where the play's other hosts are. One thread: nowhere, the counts are the whole play's. `run
 * --workers`: in other workers (each runs its own hosts), so the serial batches are cut from all
 * the workers' hosts and each batch's stop verdict is taken on the sums over all of them.
 */
export interface Fleet {
  /**
   * This worker's part of each serial batch. `part` is its hosts of the play with their place in
   * the play's host list; `serial` is rendered for its first host (the fleet uses the value of the
   * worker holding the play's first host, as one thread renders it for it). A play that sets
   * max_fail_percentage is never split (cross-host.ts), so its value is this thread's own.
   */
  plan(part: { host: string; at: number }[], serial: unknown): Promise<string[][]>;
  /** A batch's size and failed hosts summed over all workers (each calls it once per batch). */
  totals(size: number, failed: number): Promise<{ size: number; failed: number }>;
  /** The one worker that shows play-wide warnings. */
  lead: boolean;
}

const oneThread: Fleet = {
  plan: (part, serial) => Promise.resolve(part.length ? serialBatches(part.map((p) => p.host), serial) : []),
  totals: (size, failed) => Promise.resolve({ size, failed }),
  lead: true,
};

const GATHER_TASK_NAME = 'Gathering Facts';

/** Runs one play: serial batches, connect, facts + batched probes, sections, handlers. */
export async function runPlay(base: PlayContextBase, play: Play, fleet: Fleet = oneThread): Promise<'continue' | 'stop'> {
  const limited = base.options.limit ? base.inventory.selectHosts(base.options.limit) : undefined;
  const owned = base.options.ownsHost ?? (() => true);
  const selected = inShard(base.inventory.selectHosts(play.hosts, limited), base.options.shard);
  const playHosts = selected.filter((h) => {
    const s = base.states.get(h);
    return owned(h) && (!s || (!s.failed && !s.unreachable));
  });
  let first: PlayContext | undefined;
  let serial: unknown;
  let maxFail: number | undefined;
  if (playHosts.length > 0) {
    const touched = [...base.states.values()].some((s) => s.tasksRun > 0);
    for (const h of playHosts) if (!base.states.has(h)) base.states.set(h, new HostState(h));
    let playVars: PlayVars;
    try {
      playVars = computePlayVars(base, play);
    } catch (err) {
      // Bad input is "exit 4, nothing changed" only before any host was worked on; after that it
      // fails this play's hosts, with a recap.
      if (!touched || !(err instanceof FalcoDeployError) || err.exitCode !== ExitCode.badInput) throw err;
      base.emit({ type: 'play_start', play: play.displayName, hosts: playHosts });
      failHosts(base, playHosts, 'vars_files', errorMessage(err));
      return 'stop';
    }
    const additions = { handlers: play.handlers.map((task) => ({ task, scope: ROOT_SCOPE })), roles: [], ran: new Set<string>(), loads: 0, handlerBanners: new WeakSet<Handler>() };
    first = { ...base, play, playVars, additions, playHosts, batchHosts: playHosts, playEnded: { value: false }, batchStopped: { value: false }, breakPlay: { value: false } };
    collectPlaySecrets(first);
    const vars = varsFor(first, playHosts[0], ROOT_SCOPE);
    serial = base.templater.templateData(play.serial, vars);
    maxFail = templatedMaxFail(play.maxFailPercentage, (t) => base.templater.templateData(t, vars));
  }
  const at = new Map(selected.map((h, i) => [h, i]));
  const batches = await fleet.plan(playHosts.map((h) => ({ host: h, at: at.get(h)! })), serial);
  if (batches.length === 0) {
    base.emit({ type: 'play_start', play: play.displayName, hosts: [] });
    base.emit({ type: 'no_hosts', play: play.displayName });
    return 'continue';
  }
  for (const [i, batch] of batches.entries()) {
    if (base.signal?.aborted) return 'stop';
    const start = { type: 'play_start', play: play.displayName, hosts: batch, batch: { index: i + 1, of: batches.length } } as const;
    let ctx: PlayContext | undefined;
    if (first && batch.length > 0) {
      ctx = { ...first, batchHosts: batch, maxFail, batchStopped: { value: false }, breakPlay: { value: false } };
      for (const h of batch) Object.assign(ctx.states.get(h)!, { ended: false, failedInBatch: false, noted: false });
      ctx.emit(start);
      await connectAll(ctx, batch);
      await gatherAndPrefetch(ctx, batch);
      if (play.strategy === 'free') {
        const limit = pLimit(ctx.options.forks);
        await Promise.all(batch.map((h) => limit(() => runSections(ctx!, [h]))));
      } else {
        await runSections(ctx, batch);
      }
      if (ctx.signal?.aborted) return 'stop';
    } else {
      base.emit(start); // another worker's hosts make up this batch
    }
    const all = await fleet.totals(batch.length, batch.filter((h) => base.states.get(h)!.failed || base.states.get(h)!.unreachable).length);
    const failed = all.failed;
    if (batchFailed(all.size, failed, maxFail) || ctx?.breakPlay.value) {
      if (i < batches.length - 1 && fleet.lead) {
        base.emit({ type: 'warning', message: `batch ${i + 1}/${batches.length} failed on ${failed} of ${all.size} hosts: later batches were not started` });
      }
      return 'stop';
    }
    if (ctx?.playEnded.value) break;
  }
  return 'continue';
}

export function computePlayVars(base: PlayContextBase, play: Play): PlayVars {
  const roleDefaults = Object.assign({}, ...play.roles.map((r) => r.defaults));
  const roleVars = Object.assign({}, ...play.roles.map((r) => r.vars));
  const varsFiles = base.runtime.readVarsFiles(play.varsFiles, play.baseDir, { ...play.vars, ...base.options.extraVars });
  return { roleDefaults, roleVars, varsFiles };
}

async function runSections(ctx: PlayContext, hosts: string[]): Promise<void> {
  for (const section of [ctx.play.preTasks, ctx.play.tasks, ctx.play.postTasks]) {
    await runNodes(ctx, section, hosts, ROOT_SCOPE);
    if (ctx.batchStopped.value) return;
    await flushHandlers(ctx, hosts);
  }
}

/**
 * ONE round trip: the facts probe plus the probes of every task that can be templated without
 * the facts (a `when` that reads them counts as maybe true: prefetch.ts). The probes of tasks
 * whose arguments need the facts are left to the first task that misses the cache (it fetches
 * every later task's too) or to the first commands' batch, which is never more round trips than
 * fetching them here and fewer when commands come first.
 */
async function gatherAndPrefetch(ctx: PlayContext, hosts: string[]): Promise<void> {
  const gather = ctx.play.gatherFacts && ctx.options.tagFilter(['always']);
  const pending = hosts.filter((h) => ctx.states.get(h)!.active);
  if (ctx.signal?.aborted) return;
  if (gather) ctx.emit({ type: 'task_start', task: GATHER_TASK_NAME, hosts: pending });
  const limit = pLimit(ctx.options.forks);
  await Promise.all(pending.map((h) => limit(() => prefetchHost(ctx, h, gather))));
}

async function prefetchHost(ctx: PlayContext, host: string, gather: boolean): Promise<void> {
  if (ctx.signal?.aborted) return;
  const state = ctx.states.get(host)!;
  const nodes = playNodes(ctx);
  const setup = gather && !state.factsGathered ? ctx.options.findModule('setup') : undefined;
  try {
    if (!state.connection) {
      if (!setup) return; // not connected: the first task that needs the host reports it
      await connectedState(ctx, state, ctx.play.connection);
    }
    const become = becomeFor(ctx, varsFor(ctx, host, ROOT_SCOPE));
    const setupCtx = moduleContext(ctx, host, {}, {}, become, false);
    const setupProbes: FactRequest[] = setup ? await setup.probes({}, setupCtx) : [];
    const early = await speculativeProbes(ctx, host, nodes);
    await fetchGrouped(state, [...early, ...setupProbes.map((req) => ({ become, req }))]);
    if (!setup) return;
    const plan = await setup.plan({}, await probeValues(state, setupProbes, become), setupCtx);
    state.setFacts((plan.result?.ansible_facts ?? {}) as Record<string, unknown>);
    ctx.stats.record(host, 'ok', false);
    ctx.emit({ type: 'host_result', host, task: GATHER_TASK_NAME, status: 'ok' });
  } catch (err) {
    if (ctx.signal?.aborted) return; // interrupted: no verdict on this host
    if (err instanceof UnreachableError) return markUnreachable(ctx, host, GATHER_TASK_NAME, err, gatherIgnoresUnreachable(ctx, host));
    if (!setup || state.factsGathered) return; // a failed speculative probe is retried by its task
    state.failed = true;
    const msg = err instanceof Error ? err.message : String(err);
    ctx.stats.record(host, 'failed', false);
    ctx.emit({ type: 'host_result', host, task: GATHER_TASK_NAME, status: 'failed', msg, result: { failed: true, msg } });
  }
}

/** Fact gathering honours the play's ignore_unreachable (a template that does not render is not ignoring). */
function gatherIgnoresUnreachable(ctx: PlayContext, host: string): boolean {
  try {
    return keywordFlag(ctx, 'ignore_unreachable', ctx.play.ignoreUnreachable, varsFor(ctx, host, ROOT_SCOPE), ctx.play.source) ?? false;
  } catch {
    return false;
  }
}
