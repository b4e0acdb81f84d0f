import { defineCommand } from '../command.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { ansibleUnsafeJson } from '../../template/unsafe.js';


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
  run: async (args, ctx) => {
    const inventory = await loadInventory(args.inventory, {
      onWarning: (m) => ctx.stderr.write(`[WARNING]: ${m}\n`),
    });
    const write = (text: string) => ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (args.list) {
      write(JSON.stringify(inventory.toListJson(args.limit), ansibleUnsafeJson, 4));
    } else if (args.host !== undefined) {
      const hosts = inventory.selectHostsWithLimit(args.host, args.limit);
      if (hosts.length !== 1) {
        throw new FalcoDeployError(
          `You must pass a single valid host to --host parameter (${JSON.stringify(args.host)} matched ${hosts.length})`,
          { phase: 'usage' },
        );
      }
      write(JSON.stringify(inventory.hostJson(hosts[0]), ansibleUnsafeJson, 4));
    } else if (args.graph) {
      const group = args.pattern ?? 'all';
      if (!inventory.hasGroup(group)) {
        throw new FalcoDeployError(`Pattern must be valid group name when using --graph (no group ${JSON.stringify(group)})`, {
          phase: 'usage',
        });
      }
      write(inventory.graph({ group, vars: args.vars, limit: args.limit }));
    } else {
      const hosts = inventory.listHosts(args.pattern ?? 'all', args.limit);
      if (hosts.length) write(hosts.join('\n'));
    }
    return ExitCode.ok;
  },
});
