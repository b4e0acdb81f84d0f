import { defineCommand } from '../command.js';

/**
 * `falco-deploy inventory`: the inventory as Ansible sees it (same output as ansible-inventory,
 * variables as they are: secrets are not masked here, it is a data export).
 */
export const inventoryCommand = defineCommand({
  command: 'inventory [pattern]',
  describe: 'Show the inventory as Ansible sees it (--list, --host H, --graph [GROUP], --list-hosts)',
  builder: (y) =>
    y
      .positional('pattern', { type: 'string', describe: 'With --graph: the group to start at; with --list-hosts: a host pattern (default all)' })
      .option('list', { type: 'boolean', describe: 'All groups and host variables as JSON (ansible-inventory --list; secrets unmasked)' })
      .option('host', { type: 'string', describe: 'Variables of one host as JSON (ansible-inventory --host; secrets unmasked)' })
      .option('graph', { type: 'boolean', describe: 'Group tree as text (ansible-inventory --graph)' })
      .option('vars', { type: 'boolean', describe: 'With --graph: show variables' })
      .option('list-hosts', { type: 'boolean', describe: 'Hosts matching --limit (default all), one per line' })
      .check((a) => {
        const actions = [a.list, a.host !== undefined, a.graph, a['list-hosts']].filter(Boolean).length;
        if (actions !== 1) throw new Error('Choose exactly one of --list, --host HOST, --graph [GROUP], --list-hosts');
        if (a.pattern !== undefined && !a.graph && !a['list-hosts']) {
          throw new Error('A positional argument is only used with --graph (GROUP) or --list-hosts (PATTERN)');
        }
        return true;
      }),
  run: async (args, ctx) => (await import('../handlers/inventory.js')).handleInventory(args, ctx),
});
