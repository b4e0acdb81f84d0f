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
import type { HostHealth } from '../../health/report.js';
import type { Renderer, RunEvent } from '../../output/events.js';
import { StreamMerger } from '../../output/merge-streams.js';
import { mergeRuns } from '../../report/merge.js';
import type { RunArgs } from '../run-setup.js';
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
  /** After-run health of the falco play's hosts, in host order (undefined without a falco play). */
  health?: HostHealth[];
}

/** Where the worker thread's code is: beside this file, .ts under tsx (tests), .js when built. */
const WORKER_URL = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export async function runWithWorkers(input: WorkersInput): Promise<WorkersOutcome> {
  const { count, renderer } = input;
  const rank = new Map(input.order.map((h, i) => [h, i]));
  const byOrder = (hosts: string[]) => [...hosts].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
  const merger = new StreamMerger(count, (e) => renderer.onEvent(e), byOrder);
  const done: (Extract<FromWorker, { kind: 'done' }> | undefined)[] = Array(count).fill(undefined);
  const ended = new Set<number>();
  let waiting = new Map<number, { size: number; failed: number }>();
  const forks = (i: number) => Math.max(1, Math.floor(input.args.forks / count) + (i < input.args.forks % count ? 1 : 0));
  const workers = Array.from({ length: count }, (_, index) => {
    const data: WorkerInput = { args: input.args, index, owners: [...input.owners], forks: forks(index), becomePassword: input.becomePassword };
    return new Worker(WORKER_URL, { workerData: data });
  });
  const post = (w: Worker, m: ToWorker) => w.postMessage(m);
  const releaseBatch = () => {
    if (waiting.size === 0 || waiting.size + [...ended].filter((i) => !waiting.has(i)).length < count) return;
    const size = [...waiting.values()].reduce((n, t) => n + t.size, 0);
    const failed = [...waiting.values()].reduce((n, t) => n + t.failed, 0);
    const released = waiting;
    waiting = new Map();
    for (const i of released.keys()) post(workers[i], { kind: 'totals', size, failed });
  };
  const abort = () => workers.forEach((w) => post(w, { kind: 'abort' }));
  input.signal.addEventListener('abort', abort, { once: true });
  input.onForcedExit?.(() => renderer.onEvent({ type: 'recap', stats: Object.assign({}, ...done.map((d) => d?.stats ?? {})), interrupted: true, forced: true }));
  renderer.onEvent({ type: 'playbook_start', playbook: input.args.playbook, check: input.args.check });
  try {
    await Promise.all(
      workers.map(
        (w, i) =>
          new Promise<void>((resolve, reject) => {
            w.on('message', (m: FromWorker) => {
              if (m.kind === 'event') merger.push(i, m.event);
              else if (m.kind === 'batch') {
                merger.endPlay(i);
                waiting.set(i, m);
                releaseBatch();
              } else if (m.kind === 'done') done[i] = m;
              else reject(new FalcoDeployError(m.message, m));
            });
            w.on('error', reject);
            w.on('exit', () => {
              ended.add(i);
              merger.finish(i);
              releaseBatch();
              if (done[i]) resolve();
              else reject(new FalcoDeployError(`worker ${i + 1} of ${count} ended without a result`, { phase: 'apply' }));
            });
          }),
      ),
    );
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
  return { exitCode: runExitCode(merged.stats, merged.interrupted), health };
}

function byOrderHealth(results: HostHealth[], byOrder: (hosts: string[]) => string[]): HostHealth[] {
  const of = new Map(results.map((r) => [r.host, r]));
  return byOrder([...of.keys()]).map((h) => of.get(h)!);
}
