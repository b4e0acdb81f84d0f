import type { RunEvent } from '../output/events.js';
import { redactValues } from '../output/redact.js';
import type { RunOptions } from './context.js';
import type { HostState } from './host-state.js';
import { runPlay, type Fleet } from './play-runner.js';
import { writeRetryFile } from './retry-file.js';
import { runExitCode } from './outcome.js';
import type { ConnectionProvider, InventoryView, PlaybookRuntime, TemplaterPort } from './ports.js';
import type { Playbook } from '../playbook/model.js';
import { RunStats } from './stats.js';

interface RunInput {
  playbook: Playbook;
  runtime: PlaybookRuntime;
  inventory: InventoryView;
  templater: TemplaterPort;
  connections: ConnectionProvider;
  options: RunOptions;
  emit(e: RunEvent): void;
  /** When set and a host failed or was unreachable, the retry file to list those hosts in. */
  retryFile?: string;
  /** Emit per-host exec channel / round trip / CPU figures (--stats). */
  withStats?: boolean;
  /**
   * Secret values masked wherever they appear: known up front (extra vars) or met later (the
   * connection provider adds ssh/become passwords as it resolves hosts); the run adds the rest.
   */
  secrets?: Set<string>;
  /** meta: refresh_inventory reads the sources again; without it the inventory stays as it is. */
  reloadInventory?: () => Promise<InventoryView>;
  /** Ctrl-C: stop starting tasks, end the commands in flight, recap marked interrupted. */
  signal?: AbortSignal;
  /** The recap counters, when the caller needs them before the run ends (a second Ctrl-C). */
  stats?: RunStats;
  /** `--workers`: serial batches and their verdicts over all workers' hosts (play-runner.ts). */
  fleet?: Fleet;
}

export interface RunOutcome {
  exitCode: number;
  stats: ReturnType<RunStats['snapshot']>;
  states: Map<string, HostState>;
}

export async function runPlaybook(input: RunInput): Promise<RunOutcome> {
  const cpuStart = process.cpuUsage();
  const stats = input.stats ?? new RunStats();
  const signal = input.signal;
  const interrupt = () => void input.connections.interruptAll();
  signal?.addEventListener('abort', interrupt, { once: true });
  const states = new Map<string, HostState>();
  const delegates = new Map<string, HostState>();
  const secrets = input.secrets ?? new Set<string>();
  // The one place every event passes: secret values are masked in all output (plain, TTY, --json).
  const emit = (e: RunEvent) => input.emit(redactValues(e, secrets));
  const startReached = { value: !input.options.startAtTask };
  let inventory = input.inventory;
  const refreshInventory = async () => {
    if (input.reloadInventory) inventory = await input.reloadInventory();
  };
  emit({ type: 'playbook_start', playbook: input.playbook.file, check: input.options.check });
  try {
    for (const play of input.playbook.plays) {
      const base = {
        runtime: input.runtime,
        inventory,
        templater: input.templater,
        connections: input.connections,
        options: input.options,
        states,
        delegates,
        stats,
        secrets,
        emit,
        startReached,
        refreshInventory,
        signal,
      };
      if ((await runPlay(base, play, input.fleet)) === 'stop' || signal?.aborted) break;
    }
  } finally {
    signal?.removeEventListener('abort', interrupt);
    await input.connections.closeAll();
  }
  const snapshot = stats.snapshot();
  const failedHosts = [...states.values()].filter((s) => s.failed || s.unreachable || s.noted).map((s) => s.name);
  let retryPath: string | undefined;
  if (input.retryFile && failedHosts.length) {
    const problem = await writeRetryFile(input.retryFile, failedHosts);
    if (problem) emit({ type: 'warning', message: `Could not create retry file '${input.retryFile}'.\n\t${problem}` });
    else retryPath = input.retryFile;
  }
  emit({ type: 'recap', stats: snapshot, retryFile: retryPath, ...(signal?.aborted ? { interrupted: true } : {}) });
  if (input.withStats) {
    // Host tasks run concurrently, so CPU is measured for the whole run and shared out per host-task.
    const cpu = process.cpuUsage(cpuStart);
    const hostTasks = [...states.values()].reduce((n, s) => n + s.tasksRun, 0);
    const cpuMsPerTask = hostTasks ? (cpu.user + cpu.system) / 1000 / hostTasks : 0;
    emit({
      type: 'stats',
      perHost: Object.fromEntries(
        [...states.values()].map((s) => [
          s.name,
          {
            channels: s.connection?.stats.channels ?? 0,
            roundTrips: s.connection?.stats.roundTrips ?? 0,
            cpuMsPerTask,
          },
        ]),
      ),
    });
  }
  const exitCode = runExitCode(snapshot, signal?.aborted ?? false);
  return { exitCode, stats: snapshot, states };
}
