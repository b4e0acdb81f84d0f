import { defineCommand } from '../command.js';
import { withShardOption } from '../shard-option.js';
import { withWorkersOption } from '../workers-option.js';

export const runCommand = defineCommand({
  command: 'run <playbook>',
  describe: 'Run an Ansible-style playbook (install/upgrade/configure Falco)',
  builder: (y) =>
    withWorkersOption(withShardOption(y))
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
  run: async (args, ctx) => (await import('../handlers/run.js')).handleRun(args, ctx),
});
