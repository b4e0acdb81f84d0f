import { defineCommand } from '../command.js';
import { PRIORITIES } from '../../alerts/priority.js';

export const alertsCommand = defineCommand({
  command: 'alerts',
  describe: "Gather Falco alerts from every host (file_output, else the unit's journal), merged in time order",
  builder: (y) =>
    y
      .option('since', { type: 'string', default: '10m', describe: 'Alerts from this long ago (30s, 10m, 2h, 1d) or this UTC time (2026-12-03T10:00:00Z)' })
      .option('priority', { type: 'string', default: 'debug', describe: `Only alerts at or above this priority (${PRIORITIES.join(', ')})` })
      .option('rule', { type: 'string', describe: 'Only rules whose name matches this regular expression' })
      .option('follow', { type: 'boolean', default: false, describe: 'Keep printing new alerts until Ctrl-C (survives log rotation and reconnects)' })
      .option('summary', { type: 'boolean', default: false, describe: 'Counts per rule x host, top talkers first' })
      .option('max-bytes', { type: 'number', default: 256 << 20, describe: 'Most bytes read back from the end of one host\'s alerts file' })
      .option('interval', { type: 'number', default: 0.5, describe: '--follow: seconds between reads of each host' }),
  run: async (args, ctx) => (await import('../handlers/alerts.js')).handleAlerts(args, ctx),
});
