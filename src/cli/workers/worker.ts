/**
 * One worker thread of `run --workers N`: loads the same inventory and playbook as the main
 * thread, runs every play for the hosts it owns, and sends its events, batch counts and recap
 * part to the main thread (coordinator.ts), which merges them into one run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { runPlaybook } from '../../engine/run.js';
import { playbookRuntime } from '../../engine/playbook-runtime.js';
import { ownsHost } from '../../engine/partition.js';
import { gatherHealthAfterRun } from '../../health/after-run.js';
import type { RunEvent } from '../../output/events.js';
import { plainData } from '../../template/index.js';
import { sshConnections } from '../connections.js';
import { afterRunBecome, engineOptions, loadRun, runTemplater } from '../run-setup.js';
import type { FromWorker, ToWorker, WorkerInput } from './protocol.js';
import { useVaultSecrets } from '../../yaml/vault.js';

const port = parentPort!;
const input = workerData as WorkerInput;
const send = (m: FromWorker) => port.postMessage(m);

async function work(): Promise<void> {
  const { args } = input;
  const abort = new AbortController();
  let reply: ((m: ToWorker) => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'abort') abort.abort();
    else reply?.(m);
  });
  const ask = <K extends ToWorker['kind']>(m: FromWorker, kind: K) =>
    new Promise<Extract<ToWorker, { kind: K }>>((resolve, reject) => {
      reply = (r) => (r.kind === kind ? resolve(r as Extract<ToWorker, { kind: K }>) : reject(new FalcoDeployError(`worker ${input.index + 1}: got ${r.kind} instead of ${kind}`)));
      send(m);
    });
  // the main thread loaded the same files and showed their warnings
  useVaultSecrets(input.vaultSecrets);
  const loaded = await loadRun(args, () => undefined);
  const templater = runTemplater(loaded);
  const secrets = new Set<string>();
  const prompt = (question: string) =>
    question.startsWith('BECOME') && input.becomePassword !== undefined
      ? Promise.resolve(input.becomePassword)
      : Promise.reject(new FalcoDeployError(`${question.trim()} cannot be asked in a worker thread: run with --workers 1`, { phase: 'connect' }));
  const { inventory } = loaded;
  const connections = await sshConnections(args, (s) => secrets.add(s), (h, variable) => inventory.varOrigin(h, variable), { prompt });
  const owners = new Map(input.owners);
  let perHost: Extract<RunEvent, { type: 'stats' }>['perHost'] | undefined;
  const outcome = await runPlaybook({
    playbook: loaded.playbook,
    runtime: playbookRuntime(templater),
    inventory,
    templater,
    // the after-run health probes reuse the run's connections
    connections: { ...connections, closeAll: async () => undefined },
    emit: (event) => {
      if (event.type === 'stats') perHost = event.perHost;
      else if (event.type !== 'recap' && event.type !== 'playbook_start') send({ kind: 'event', event });
    },
    withStats: args.stats,
    secrets,
    signal: abort.signal,
    options: { ...engineOptions(args, loaded, input.forks), ownsHost: (h) => ownsHost(owners, input.index, h) },
    fleet: {
      lead: input.index === 0,
      plan: (part, serial) => ask({ kind: 'plan', part, serial: plainData(serial) }, 'plan').then((m) => m.batches),
      totals: (size, failed) => ask({ kind: 'batch', size, failed }, 'totals'),
    },
  });
  try {
    const health =
      loaded.falcoPlay && !abort.signal.aborted
        ? await gatherHealthAfterRun({
            connect: (h) => connections.get(h, inventory.hostVars(h)),
            hosts: [...outcome.states.values()].map((st) => ({ name: st.name, unreachable: st.unreachable })),
            become: afterRunBecome(loaded, args),
            tailLines: loaded.tailLines,
          })
        : undefined;
    send({
      kind: 'done',
      stats: outcome.stats,
      failedHosts: [...outcome.states.values()].filter((s) => s.failed || s.unreachable).map((s) => s.name),
      perHost,
      health,
      interrupted: abort.signal.aborted,
    });
  } finally {
    await connections.closeAll();
  }
  port.close();
}

work().catch((err: unknown) => {
  const e = err instanceof FalcoDeployError ? err : new FalcoDeployError(err instanceof Error ? (err.stack ?? err.message) : String(err), { exitCode: ExitCode.internalError });
  send({ kind: 'error', message: e.message, exitCode: e.exitCode, phase: e.phase, host: e.host, task: e.task, file: e.file, line: e.line, column: e.column });
  port.close();
});
