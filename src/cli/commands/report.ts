import { readFile } from 'node:fs/promises';
import { defineCommand } from '../command.js';
import { InputError } from '../../errors.js';
import { runExitCode } from '../../engine/outcome.js';
import { writeRetryFile } from '../../engine/retry-file.js';
import { pickRenderer } from '../../output/pick.js';
import { hostsToRetry, mergeRuns, parseRunOutput } from '../../report/merge.js';
import { retryFilePath } from '../retry-file.js';


/**
 * `falco-deploy report merge FILE...`: the `run --json` outputs of the shards of one run (`--shard
 * i/N`) as one recap, retry file and exit code, the same as one run over all their hosts.
 */
export const reportCommand = defineCommand({
  command: 'report <action> <files..>',
  describe: 'Combine the --json outputs of sharded runs (--shard i/N) into one recap, retry file and exit code',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['merge'] as const, demandOption: true, describe: 'merge: one recap from several run --json outputs' })
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'run --json output files, one per shard' })
      .option('retry-file', {
        type: 'string',
        requiresArg: true,
        describe: 'Write failed/unreachable hosts here (default: where `run` would, when retry files are enabled)',
      })
      .example('$0 report merge shard-1.json shard-2.json', 'one PLAY RECAP; exit code as one run would give'),
  run: async (args, ctx) => {
    const outputs = await Promise.all(
      args.files.map(async (file) => {
        const text = await readFile(file, 'utf8').catch((err: Error) => {
          throw new InputError(`report merge: cannot read ${file}: ${err.message}`, { cause: err });
        });
        return parseRunOutput(file, text);
      }),
    );
    const merged = mergeRuns(outputs);
    const renderer = pickRenderer({ json: args.json, verbose: args.verbose, showDiff: false, out: ctx.stdout });
    try {
      const retryHosts = hostsToRetry(merged.stats);
      const path = args.retryFile ?? (merged.playbook === undefined ? undefined : retryFilePath(merged.playbook));
      let retryFile: string | undefined;
      if (path && retryHosts.length) {
        const problem = await writeRetryFile(path, retryHosts);
        if (problem) renderer.onEvent({ type: 'warning', message: `Could not create retry file '${path}'.\n\t${problem}` });
        else retryFile = path;
      }
      renderer.onEvent({ type: 'recap', stats: merged.stats, retryFile, ...(merged.interrupted ? { interrupted: true } : {}) });
      if (merged.perHost) renderer.onEvent({ type: 'stats', perHost: merged.perHost });
    } finally {
      await renderer.end();
    }
    return runExitCode(merged.stats, merged.interrupted);
  },
});
