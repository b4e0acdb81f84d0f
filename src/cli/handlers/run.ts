import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { listHosts, listTasks } from '../../playbook/index.js';
import { loadInventory } from '../../inventory/index.js';
import { runPlaybook } from '../../engine/run.js';
import { RunStats } from '../../engine/stats.js';
import { playbookRuntime } from '../../engine/playbook-runtime.js';
import { crossHostReason } from '../../engine/cross-host.js';
import { partitionHosts, workerCount, type WorkersSpec } from '../../engine/partition.js';
import { terminalSecretPrompt } from '../../connectors/secret-prompt.js';
import { sshConnections } from '../connections.js';
import { retryFilePath } from '../retry-file.js';
import { pickRenderer } from '../../output/pick.js';
import { inShard } from '../../inventory/shard.js';
import { remainingHosts, rolloutOf, rolloutText } from '../../output/rollout.js';
import { afterRunBecome, engineOptions, loadRun, runTemplater, type LoadedRun, type RunArgs } from '../run-setup.js';
import type { CommandContext } from '../command.js';
import type { HostStats, Renderer, RunEvent } from '../../output/events.js';

/** What `run` gets from its command line beyond what the workers need too. */
interface RunCommandArgs extends RunArgs {
  syntaxCheck: boolean;
  listTasks: boolean;
  listHosts: boolean;
  workers?: WorkersSpec;
}

export async function handleRun(args: RunCommandArgs, ctx: CommandContext): Promise<number> {
  const warn = (m: string) => ctx.stderr.write(`[WARNING]: ${m}\n`);
  const loaded = await loadRun(args, warn);
  const { inventory, playbook, selection } = loaded;
  // as ansible-playbook, whatever the plays target (the implicit localhost is still there for `hosts: localhost`)
  if (inventory.hosts().length === 0) warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
  if (args.syntaxCheck) {
    ctx.stdout.write(`\nplaybook: ${args.playbook}\n`);
    return ExitCode.ok;
  }
  if (args.listTasks) {
    ctx.stdout.write(listTasks(playbook, selection));
    return ExitCode.ok;
  }
  if (args.listHosts) {
    // ansible-playbook prints a set here (no stable order); sorted names keep the output stable.
    const hostsOf = (play: { hosts: string }) => [...inShard(inventory.selectHostsWithLimit(play.hosts, args.limit), args.shard)].sort();
    ctx.stdout.write(listHosts(playbook, hostsOf, { ...selection, playbookLabel: args.playbook }));
    return ExitCode.ok;
  }
  const runHosts = hostsOfRun(loaded, args);
  const workers = args.workers === undefined ? 1 : workerCount(args.workers, runHosts.length, availableParallelism());
  const reason = workers > 1 ? crossHostReason(playbook, playbookRuntime(runTemplater(loaded)), args) : undefined;
  if (reason && (args.workers !== 'auto' || args.verbose > 0)) warn(`--workers ${args.workers}: ${reason}: the run stays in one thread (docs/scale-out.md)`);
  if (workers > 1 && !reason) return runInWorkers(args, loaded, runHosts, workers, ctx, warn);
  return runInOneThread(args, loaded, ctx, warn);
}

async function runInOneThread(args: RunArgs, loaded: LoadedRun, ctx: CommandContext, warn: (m: string) => void): Promise<number> {
  const { inventory, playbook, falcoPlay, tailLines } = loaded;
  const templater = runTemplater(loaded);
  const secrets = new Set<string>();
  const connections = await sshConnections(args, (s) => secrets.add(s), (h, variable) => inventory.varOrigin(h, variable));
  // The gather-back reuses the run's connections, so the run must leave them open.
  const runConnections = falcoPlay ? { ...connections, closeAll: async () => undefined } : connections;
  const renderer = await pickRenderer({ json: args.json, verbose: args.verbose, showDiff: args.diff, out: ctx.stdout });
  const stats = new RunStats();
  const rolling = new RolloutNotes();
  const selected = selectedHosts(loaded, args);
  ctx.onForcedExit?.(() => renderer.onEvent({ type: 'recap', stats: stats.snapshot(), interrupted: true, forced: true }));
  try {
    const outcome = await runPlaybook({
      playbook,
      runtime: playbookRuntime(templater),
      inventory,
      reloadInventory: () => loadInventory(args.inventory, { onWarning: warn, implicitLocalhost: true }),
      templater,
      connections: runConnections,
      emit: (e) => {
        rolling.note(e);
        renderer.onEvent(e);
      },
      retryFile: retryFilePath(args.playbook),
      withStats: args.stats,
      secrets,
      signal: ctx.signal,
      stats,
      options: engineOptions(args, loaded),
    });
    await renderer.end();
    reportRollout(args, rolling, selected, stats.snapshot(), ctx, warn);
    if (falcoPlay && !ctx.signal.aborted) {
      const { reportHealthAfterRun } = await import('../../health/after-run.js');
      const { useColour } = await import('../../health/table.js');
      await reportHealthAfterRun({
        connect: (h) => connections.get(h, inventory.hostVars(h)),
        hosts: [...outcome.states.values()].map((st) => ({ name: st.name, unreachable: st.unreachable })),
        become: afterRunBecome(loaded, args),
        tailLines,
        json: args.json,
        colour: useColour(ctx.stdout),
        out: ctx.stdout,
      });
    }
    return outcome.exitCode;
  } catch (err) {
    await renderer.end();
    throw err;
  } finally {
    if (falcoPlay) await connections.closeAll();
  }
}

async function runInWorkers(args: RunArgs, loaded: LoadedRun, runHosts: string[], count: number, ctx: CommandContext, warn: (m: string) => void): Promise<number> {
  const output = await pickRenderer({ json: args.json, verbose: args.verbose, showDiff: args.diff, out: ctx.stdout });
  const rolling = new RolloutNotes();
  const renderer: Renderer = {
    onEvent: (e) => {
      rolling.note(e);
      output.onEvent(e);
    },
    end: () => output.end(),
  };
  const selected = selectedHosts(loaded, args);
  try {
    const becomePassword = args.askBecomePass ? await terminalSecretPrompt()('BECOME password: ') : undefined;
    const { runWithWorkers } = await import('../workers/coordinator.js');
    const outcome = await runWithWorkers({
      args,
      owners: partitionHosts(runHosts, count),
      count,
      order: runHosts,
      renderer,
      signal: ctx.signal,
      retryFile: retryFilePath(args.playbook),
      becomePassword,
      onForcedExit: ctx.onForcedExit,
    });
    await renderer.end();
    reportRollout(args, rolling, selected, outcome.stats, ctx, warn);
    if (outcome.health && !ctx.signal.aborted) {
      const { printHealthAfterRun } = await import('../../health/after-run.js');
      const { useColour } = await import('../../health/table.js');
      printHealthAfterRun(outcome.health, { tailLines: loaded.tailLines, json: args.json, colour: useColour(ctx.stdout), out: ctx.stdout });
    }
    return outcome.exitCode;
  } catch (err) {
    await renderer.end();
    throw err;
  }
}

/** What the rollout summary needs from the events: the plays split into more than one serial batch, the hosts stopped mid-batch. */
class RolloutNotes {
  readonly plays = new Set<string>();
  readonly stopped = new Set<string>();
  note(e: RunEvent): void {
    if (e.type === 'play_start' && (e.batch?.of ?? 1) > 1) this.plays.add(e.play);
    if (e.type === 'no_hosts_remaining') for (const h of e.stopped ?? []) this.stopped.add(h);
  }
}

/** Each play's selected hosts, read before the run: the engine rewrites a --limit @retry file at its end. */
function selectedHosts(loaded: LoadedRun, args: RunArgs): Map<string, string[]> {
  return new Map(loaded.playbook.plays.map((p) => [p.displayName, hostsOrNone(() => loaded.inventory.selectHostsWithLimit(p.hosts, args.limit)) ?? []]));
}

/** After a rolling (serial) play: what changed, what is left, and a retry file that continues the rollout. */
function reportRollout(args: RunArgs, rolling: RolloutNotes, selected: Map<string, string[]>, stats: Record<string, HostStats>, ctx: CommandContext, warn: (m: string) => void): void {
  if (rolling.plays.size === 0) return;
  const rollout = rolloutOf([...rolling.plays].flatMap((play) => selected.get(play) ?? []), stats, rolling.stopped);
  // A stopped rollout's retry file lists every host still to change (Ansible's would list
  // only the failed ones), so `--limit @FILE` continues the rollout.
  const rest = remainingHosts(rollout);
  let retry = rest.length ? retryFilePath(args.playbook) : undefined;
  try {
    if (retry) writeFileSync(retry, rest.join('\n') + '\n');
  } catch (err) {
    warn(`Could not create retry file '${retry}'. ${(err as Error).message}`);
    retry = undefined;
  }
  ctx.stdout.write(args.json ? JSON.stringify({ type: 'rollout', ...rollout, ...(retry ? { retryFile: retry } : {}) }) + '\n' : rolloutText(rollout, retry));
}

/**
 * Every host the run may work on, in the order plays list them (what the workers share out):
 * the plays' hosts after --limit and --shard; all inventory hosts when a play's pattern is a
 * template only the run can resolve.
 */
function hostsOfRun(loaded: LoadedRun, args: RunArgs): string[] {
  const perPlay = loaded.playbook.plays.map((p) => hostsOrNone(() => loaded.inventory.selectHostsWithLimit(p.hosts, args.limit)));
  const all = perPlay.some((h) => h === undefined) ? loaded.inventory.hosts() : perPlay.flatMap((h) => h!);
  return [...new Set(inShard(all, args.shard))];
}

/** A play's hosts, or undefined when its pattern is a template only the run can resolve. */
function hostsOrNone(select: () => string[]): string[] | undefined {
  try {
    return select();
  } catch (err) {
    if (err instanceof FalcoDeployError) return undefined;
    throw err;
  }
}
