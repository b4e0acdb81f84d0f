import { defineCommand } from '../command.js';

/**
 * `falco-deploy report merge FILE...`: the `run --json` outputs of the shards of one run (`--shard
 * i/N`) as one recap, retry file and exit code, the same as one run over all their hosts.
 */
export const reportCommand = defineCommand({
  command: 'report <action> <files..>',
  describe: 'Combine the --json outputs of sharded runs (--shard i/N) into one recap, retry file and exit code (or of sharded `health` into one table)',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['merge'] as const, demandOption: true, describe: 'merge: one recap from several run --json outputs' })
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'run --json (or health --json) output files, one per shard' })
      .option('retry-file', {
        type: 'string',
        requiresArg: true,
        describe: 'Write failed/unreachable hosts here (default: where `run` would, when retry files are enabled)',
      })
      .example('$0 report merge shard-1.json shard-2.json', 'one PLAY RECAP; exit code as one run would give')
      .example('$0 report merge health-1.json health-2.json', 'one health table; exit code as one `health` would give'),
  run: async (args, ctx) => (await import('../handlers/report.js')).handleReport(args, ctx),
});
