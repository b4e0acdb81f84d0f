import { defineCommand } from '../command.js';
import { withShardOption } from '../shard-option.js';

/**
 * `falco-deploy ping -i INV [--limit PAT] [--shard i/N]`: connect to every host, run whoami + uname -n,
 * print one line (or JSON object) per host and a recap. Exit 0 all ok, 3 any unreachable,
 * 2 if a host answered but its command failed (e.g. sudo with --become).
 */
export const pingCommand = defineCommand({
  command: 'ping',
  describe: 'Check SSH reachability of the inventory hosts (connect latency, remote user and node name)',
  builder: (y) => withShardOption(y),
  run: async (args, ctx) => (await import('../handlers/ping.js')).handlePing(args, ctx),
});
