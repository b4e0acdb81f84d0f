import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import { loadInventory } from '../../inventory/index.js';
import { ansibleUnsafeJson } from '../../template/unsafe.js';

interface InventoryArgs {
  pattern?: string;
  list?: boolean;
  host?: string;
  graph?: boolean;
  vars?: boolean;
}

export async function handleInventory(args: GlobalOptions & InventoryArgs, ctx: CommandContext): Promise<number> {
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
}
