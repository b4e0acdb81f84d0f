import { defineCommand } from '../command.js';
import { withShardOption } from '../shard-option.js';

/**
 * `falco-deploy health -i INV [--limit PAT] [--json] [--watch S] [--html FILE]`: one probe per
 * host, a table (or JSON lines), exit 0 only when every selected host is healthy; 2 when a host
 * is degraded, 3 when hosts are unreachable and none degraded (docs/health.md).
 */
export const healthCommand = defineCommand({
  command: 'health',
  describe: 'Falco health of every host: unit, /healthz, driver, version, rules, recent alerts and drops, config drift with --playbook (one probe per host)',
  builder: (y) =>
    withShardOption(y)
      .option('watch', { type: 'number', describe: 'Probe again every SECONDS over the same connections (Ctrl-C stops)' })
      .option('html', { type: 'string', describe: 'Also write a self-contained HTML status page to FILE' })
      .option('playbook', { type: 'string', describe: 'Also report config drift: /etc/falco files that differ from what this playbook would write' })
      .option('extra-vars', { alias: 'e', type: 'string', array: true, describe: 'With --playbook: extra vars as the run takes them (k=v, JSON/YAML, @file)' })
      .check((a) => {
        if (a.watch !== undefined && !(a.watch > 0)) throw new Error('--watch must be a positive number of seconds');
        if ((a.extraVars as string[] | undefined)?.length && a.playbook === undefined) throw new Error('-e/--extra-vars is for the playbook of --playbook: give --playbook too');
        return true;
      }),
  run: async (args, ctx) => (await import('../handlers/health.js')).handleHealth(args, ctx),
});
