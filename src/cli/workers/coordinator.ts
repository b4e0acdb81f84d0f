/**
 * `run --workers N`, main thread: starts N worker threads (worker.ts) on disjoint host sets,
 * passes their events on as one stream (StreamMerger), answers each batch with the fleet-wide
 * counts (so "every host failed: stop" is decided as one thread would), and ends with one recap,
 * retry file, exit code and after-run health table. docs/scale-out.md "Workers".
 */
import { Worker } from 'node:worker_threads';
import { FalcoDeployError } from '../../errors.js';
import { runExitCode } from '../../engine/outcome.js';
import { writeRetryFile } from '../../engine/retry-file.js';
import { serialBatches } from '../../engine/batches.js';
import type { HostHealth } from '../../health/report.js';
import type { HostStats, Renderer, RunEvent } from '../../output/events.js';
import { StreamMerger } from '../../output/merge-streams.js';
import { mergeRuns } from '../../report/merge.js';
import type { RunArgs } from '../run-setup.js';
import { vaultSecrets } from '../../yaml/vault.js';
import type { FromWorker, ToWorker, WorkerInput } from './protocol.js';

interface WorkersInput {
  args: RunArgs;
  /** host -> worker index (partition.ts). */
  owners: Map<string, number>;
  count: number;
  /** The run's hosts in the order one thread lists them. */
  order: string[];
  renderer: Renderer;
  signal: AbortSignal;
  retryFile?: string;
  becomePassword?: string;
  /** Called with the recap counters known so far when a second Ctrl-C ends the process. */
  onForcedExit?: (lastWords: () => void) => void;
}

interface WorkersOutcome {
  exitCode: number;
  stats: Record<string, HostStats>;
  /** After-run health of the falco play's hosts, in host order (undefined without a falco play). */
  health?: HostHealth[];
}

/** The worker thread's code is beside this file: .js when built; .ts under tsx (tests), loaded through tsx's loader in the thread. */
function startWorker(workerData: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const source = new URL('./worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
}

export async function runWithWorkers(input: WorkersInput): Promise<WorkersOutcome> {
  const { count, renderer } = input;
  const rank = new Map(input.order.map((h, i) => [h, i]));
  const byOrder = (hosts: string[]) => [...hosts].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
  const merger = new StreamMerger(count, (e) => renderer.onEvent(e), byOrder);
  const done: (Extract<FromWorker, { kind: 'done' }> | undefined)[] = Array(count).fill(undefined);
  const forks = (i: number) => Math.max(1, Math.floor(input.args.forks / count) + (i < input.args.forks % count ? 1 : 0));
  const workers = Array.from({ length: count }, (_, index) => {
    const data: WorkerInput = { args: input.args, index, owners: [...input.owners], forks: forks(index), becomePassword: input.becomePassword, vaultSecrets: [...vaultSecrets()] };
    return startWorker(data);
  });
  const rounds = new Rounds(count, (i, m) => workers[i].postMessage(m));
  const abort = () => workers.forEach((w) => w.postMessage({ kind: 'abort' } satisfies ToWorker));
  input.signal.addEventListener('abort', abort, { once: true });
  input.onForcedExit?.(() => renderer.onEvent({ type: 'recap', stats: Object.assign({}, ...done.map((d) => d?.stats ?? {})), interrupted: true, forced: true }));
  renderer.onEvent({ type: 'playbook_start', playbook: input.args.playbook, check: input.args.check });
  try {
    await new Promise<void>((resolve, reject) => {
      let exited = 0;
      workers.forEach((w, i) => {
        w.on('message', (m: FromWorker) => {
          try {
            if (m.kind === 'event') merger.push(i, m.event);
            else if (m.kind === 'done') done[i] = m;
            else if (m.kind === 'error') reject(new FalcoDeployError(m.message, m));
            else {
              if (m.kind === 'batch') merger.endPlay(i);
              rounds.arrive(i, m);
            }
          } catch (err) {
            reject(err);
          }
        });
        w.on('error', reject);
        w.on('exit', () => {
          merger.finish(i);
          if (!done[i]) return reject(new FalcoDeployError(`worker ${i + 1} of ${count} ended without a result`, { phase: 'apply' }));
          try {
            rounds.leave(i);
          } catch (err) {
            return reject(err);
          }
          if (++exited === count) resolve();
        });
      });
    });
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  } finally {
    input.signal.removeEventListener('abort', abort);
  }
  const results = done.map((d) => d!);
  // The recap of one run: a host in two workers' results would be a bug, refused rather than counted twice.
  const merged = mergeRuns(results.map((d, i) => ({ file: `worker ${i + 1}`, stats: d.stats, perHost: d.perHost, interrupted: d.interrupted })));
  const failedHosts = results.flatMap((d) => d.failedHosts);
  let retryPath: string | undefined;
  if (input.retryFile && failedHosts.length) {
    const problem = await writeRetryFile(input.retryFile, failedHosts);
    if (problem) renderer.onEvent({ type: 'warning', message: `Could not create retry file '${input.retryFile}'.\n\t${problem}` });
    else retryPath = input.retryFile;
  }
  const recap: RunEvent = { type: 'recap', stats: merged.stats, retryFile: retryPath, ...(merged.interrupted ? { interrupted: true } : {}) };
  renderer.onEvent(recap);
  if (input.args.stats && merged.perHost) renderer.onEvent({ type: 'stats', perHost: merged.perHost });
  const health = results.some((d) => d.health) ? byOrderHealth(results.flatMap((d) => d.health ?? []), byOrder) : undefined;
  return { exitCode: runExitCode(merged.stats, merged.interrupted), stats: merged.stats, health };
}

function byOrderHealth(results: HostHealth[], byOrder: (hosts: string[]) => string[]): HostHealth[] {
  const of = new Map(results.map((r) => [r.host, r]));
  return byOrder([...of.keys()]).map((h) => of.get(h)!);
}

type RoundMessage = Extract<FromWorker, { kind: 'plan' | 'batch' }>;

/**
 * The points where every worker still running waits for the others: a play's start (its serial
 * batches are cut from all the workers' hosts) and each batch's end (the stop verdict is taken on
 * the sums over all workers). A worker that has ended takes part in no later round.
 */
class Rounds {
  private waiting = new Map<number, RoundMessage>();
  private readonly left = new Set<number>();

  constructor(
    private readonly count: number,
    private readonly reply: (worker: number, m: ToWorker) => void,
  ) {}

  arrive(worker: number, m: RoundMessage): void {
    this.waiting.set(worker, m);
    this.settle();
  }

  leave(worker: number): void {
    this.left.add(worker);
    this.settle();
  }

  private settle(): void {
    const absent = [...this.left].filter((i) => !this.waiting.has(i)).length;
    if (this.waiting.size === 0 || this.waiting.size + absent < this.count) return;
    const round = [...this.waiting];
    this.waiting = new Map();
    const plans = round.flatMap(([i, m]) => (m.kind === 'plan' ? [[i, m] as const] : []));
    const batches = round.flatMap(([i, m]) => (m.kind === 'batch' ? [[i, m] as const] : []));
    if (plans.length && batches.length) throw new FalcoDeployError('workers out of step: some start a play while others end a batch', { phase: 'apply' });
    if (batches.length) {
      const size = batches.reduce((n, [, m]) => n + m.size, 0);
      const failed = batches.reduce((n, [, m]) => n + m.failed, 0);
      for (const [i] of batches) this.reply(i, { kind: 'totals', size, failed });
      return;
    }
    for (const [i, plan] of planBatches(plans)) this.reply(i, plan);
  }
}

/** Each worker's part of the play's serial batches, cut as one thread cuts them from all the play's hosts. */
function planBatches(plans: (readonly [number, Extract<FromWorker, { kind: 'plan' }>])[]): [number, ToWorker][] {
  const hosts = plans.flatMap(([w, m]) => m.part.map((p) => ({ ...p, w }))).sort((a, b) => a.at - b.at);
  if (hosts.length === 0) return plans.map(([w]) => [w, { kind: 'plan', batches: [] }]);
  // serial as rendered for the play's first host, as one thread renders it
  const lead = plans.find(([w]) => w === hosts[0].w)![1];
  const owner = new Map(hosts.map((h) => [h.host, h.w]));
  const batches = serialBatches(hosts.map((h) => h.host), lead.serial);
  return plans.map(([w]) => [w, { kind: 'plan', batches: batches.map((b) => b.filter((h) => owner.get(h) === w)) }]);
}
