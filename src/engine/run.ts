import { ExitCode } from '../errors.js';
import type { RunEvent } from '../output/events.js';
import { collectSecrets } from '../output/redact.js';
import type { RunOptions } from './context.js';
import type { HostState } from './host-state.js';
import { runPlay } from './play-runner.js';
import { writeRetryFile } from './retry-file.js';
import type { ConnectionProvider, InventoryView, PlaybookRuntime, Templater } from './ports.js';
import type { Playbook } from '../playbook/model.js';
import { RunStats } from './stats.js';

export interface RunInput {
  playbook: Playbook;
  runtime: PlaybookRuntime;
  inventory: InventoryView;
  templater: Templater;
  connections: ConnectionProvider;
  options: RunOptions;
  emit(e: RunEvent): void;
  /** When set and a host failed or was unreachable, the retry file to list those hosts in. */
  retryFile?: string;
  /** Emit per-host exec channel / round trip / CPU figures (--stats). */
  withStats?: boolean;
  /** Secrets known up front (become password): masked wherever they appear. */
  secrets?: Iterable<string>;
}

export interface RunOutcome {
  exitCode: number;
  stats: ReturnType<RunStats['snapshot']>;
  states: Map<string, HostState>;
}

export async function runPlaybook(input: RunInput): Promise<RunOutcome> {
  const cpuStart = process.cpuUsage();
  const stats = new RunStats();
  const states = new Map<string, HostState>();
  const secrets = new Set(input.secrets ?? []);
  collectSecrets(input.options.extraVars, secrets);
  const startReached = { value: !input.options.startAtTask };
  input.emit({ type: 'playbook_start', playbook: input.playbook.file, check: input.options.check });
  try {
    for (const play of input.playbook.plays) {
      collectSecrets(play.vars, secrets);
      const base = {
        runtime: input.runtime,
        inventory: input.inventory,
        templater: input.templater,
        connections: input.connections,
        options: input.options,
        states,
        stats,
        secrets,
        emit: input.emit,
        startReached,
      };
      for (const h of input.inventory.selectHosts(play.hosts)) collectSecrets(input.inventory.hostVars(h), secrets);
      if ((await runPlay(base, play)) === 'stop') break;
    }
  } finally {
    await input.connections.closeAll();
  }
  const snapshot = stats.snapshot();
  const failedHosts = [...states.values()].filter((s) => s.failed || s.unreachable).map((s) => s.name);
  let retryPath: string | undefined;
  if (input.retryFile && failedHosts.length) {
    const problem = await writeRetryFile(input.retryFile, failedHosts);
    if (problem) input.emit({ type: 'warning', message: `Could not create retry file '${input.retryFile}'.\n\t${problem}` });
    else retryPath = input.retryFile;
  }
  input.emit({ type: 'recap', stats: snapshot, retryFile: retryPath });
  if (input.withStats) {
    // Host tasks run concurrently, so CPU is measured for the whole run and shared out per host-task.
    const cpu = process.cpuUsage(cpuStart);
    const hostTasks = [...states.values()].reduce((n, s) => n + s.tasksRun, 0);
    const cpuMsPerTask = hostTasks ? (cpu.user + cpu.system) / 1000 / hostTasks : 0;
    input.emit({
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
  const anyFailed = Object.values(snapshot).some((s) => s.failed > 0);
  const anyUnreachable = Object.values(snapshot).some((s) => s.unreachable > 0);
  const exitCode = anyFailed ? ExitCode.hostFailures : anyUnreachable ? ExitCode.unreachable : ExitCode.ok;
  return { exitCode, stats: snapshot, states };
}
