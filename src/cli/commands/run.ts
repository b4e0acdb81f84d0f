import { dirname } from 'node:path';
import { defineCommand } from '../command.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { checkPlaybook, validateArgs, listHosts, listTasks, parseExtraVars, selectByTags } from '../../playbook/index.js';
import { findModule } from '../../modules/registry.js';
import { runPlaybook } from '../../engine/run.js';
import { RunStats } from '../../engine/stats.js';
import { playbookRuntime } from '../../engine/playbook-runtime.js';
import { createTemplater } from '../../template/index.js';
import { sshConnections } from '../connections.js';
import { retryFilePath } from '../retry-file.js';
import { configuredRolesPath } from '../roles-path.js';
import { pickRenderer } from '../../output/pick.js';
import { alertTailLines, reportHealthAfterRun } from '../../health/after-run.js';
import { useColour } from '../../health/table.js';
import { inShard } from '../../inventory/shard.js';
import { withShardOption } from '../shard-option.js';
import { remainingHosts, rolloutOf, rolloutText } from '../../output/rollout.js';
import { writeFileSync } from 'node:fs';


export const runCommand = defineCommand({
  command: 'run <playbook>',
  describe: 'Run an Ansible-style playbook (install/upgrade/configure Falco)',
  builder: (y) =>
    withShardOption(y)
      .positional('playbook', { type: 'string', demandOption: true, describe: 'Playbook file' })
      .option('check', { alias: 'C', type: 'boolean', default: false, describe: 'Predict changes, change nothing' })
      .option('diff', { alias: 'D', type: 'boolean', default: false, describe: 'Show unified diffs of changed files' })
      .option('tags', { alias: 't', type: 'string', array: true, describe: 'Only tasks with these tags' })
      .option('skip-tags', { type: 'string', array: true, describe: 'Skip tasks with these tags' })
      .option('extra-vars', { alias: 'e', type: 'string', array: true, describe: 'k=v, JSON/YAML, or @file (highest precedence)' })
      .option('list-hosts', { type: 'boolean', default: false, describe: 'List the hosts each play would run on' })
      .option('list-tasks', { type: 'boolean', default: false, describe: 'List the tasks that would run' })
      .option('syntax-check', { type: 'boolean', default: false, describe: 'Load and validate, touch no host' })
      .option('start-at-task', { type: 'string', describe: 'Start at the first task with this name' })
      .option('force-handlers', { type: 'boolean', default: false, describe: 'Run notified handlers even on failed hosts' })
      .option('stats', { type: 'boolean', default: false, describe: 'Print exec channels, round trips and controller CPU per host' }),
  run: async (args, ctx) => {
    const warn = (m: string) => ctx.stderr.write(`[WARNING]: ${m}\n`);
    const inventory = await loadInventory(args.inventory, { onWarning: warn });
    // as ansible-playbook, whatever the plays target (the implicit localhost is still there for `hosts: localhost`)
    if (inventory.hosts().length === 0) warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
    const playbook = checkPlaybook(args.playbook, { rolesPath: configuredRolesPath() });
    const selection = { tags: args.tags, skipTags: args.skipTags };
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
    const extraVars = parseExtraVars(args.extraVars ?? [], process.cwd());
    // A play with the falco role: its hosts' health and last alerts are shown after the recap.
    const falcoPlay = playbook.plays.find((p) => p.roles.some((r) => r.name === 'falco'));
    const tailLines = falcoPlay ? alertTailLines(extraVars) : 0;
    // Relative lookup('file'|'fileglob', ...) terms resolve from the playbook's directory (files/ first).
    const templater = createTemplater({ searchPaths: [dirname(playbook.file)] });
    const secrets = new Set<string>();
    const connections = await sshConnections(args, (s) => secrets.add(s), (h, variable) => inventory.varOrigin(h, variable));
    // The gather-back reuses the run's connections, so the run must leave them open.
    const runConnections = falcoPlay ? { ...connections, closeAll: async () => undefined } : connections;
    const renderer = pickRenderer({ json: args.json, verbose: args.verbose, showDiff: args.diff, out: ctx.stdout });
    const stats = new RunStats();
    const rolling = new Set<string>(); // plays split into more than one serial batch
    // Read before the run: the engine rewrites a --limit @retry file at its end.
    const selected = new Map(playbook.plays.map((p) => [p.displayName, hostsOrNone(() => inventory.selectHostsWithLimit(p.hosts, args.limit))]));
    ctx.onForcedExit?.(() => renderer.onEvent({ type: 'recap', stats: stats.snapshot(), interrupted: true, forced: true }));
    try {
      const outcome = await runPlaybook({
        playbook,
        runtime: playbookRuntime(templater),
        inventory,
        reloadInventory: () => loadInventory(args.inventory, { onWarning: warn }),
        templater,
        connections: runConnections,
        emit: (e) => {
          if (e.type === 'play_start' && (e.batch?.of ?? 1) > 1) rolling.add(e.play);
          renderer.onEvent(e);
        },
        retryFile: retryFilePath(args.playbook),
        withStats: args.stats,
        secrets,
        signal: ctx.signal,
        stats,
        options: {
          check: args.check,
          diff: args.diff,
          extraVars,
          verbose: args.verbose,
          forks: args.forks,
          forceHandlers: args.forceHandlers,
          limit: args.limit,
          shard: args.shard,
          startAtTask: args.startAtTask,
          become: args.become || undefined,
          tagFilter: (tags) => selectByTags({ tags }, selection),
          findModule,
          coerceArgs: (spec, a, module) => validateArgs(spec, a, module),
        },
      });
      await renderer.end();
      if (rolling.size > 0) {
        const rollout = rolloutOf([...rolling].flatMap((play) => selected.get(play) ?? []), stats.snapshot());
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
      if (falcoPlay && !ctx.signal.aborted) {
        await reportHealthAfterRun({
          connect: (h) => connections.get(h, inventory.hostVars(h)),
          hosts: [...outcome.states.values()].map((st) => ({ name: st.name, unreachable: st.unreachable })),
          // a templated play become is per host; the after-run probes fall back to -b
          become: typeof falcoPlay.become === 'boolean' ? falcoPlay.become : args.become,
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
  },
});

/** A play's hosts, or none when its pattern is a template only the run can resolve. */
function hostsOrNone(select: () => string[]): string[] {
  try {
    return select();
  } catch (err) {
    if (err instanceof FalcoDeployError) return [];
    throw err;
  }
}
