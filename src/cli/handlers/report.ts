import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import { runExitCode } from '../../engine/outcome.js';
import { writeRetryFile } from '../../engine/retry-file.js';
import { pickRenderer } from '../../output/pick.js';
import { hostsToRetry, mergeRuns, parseRunOutput } from '../../report/merge.js';
import { isHealthOutput, mergeHealth, parseHealthOutput } from '../../report/merge-health.js';
import { renderTable, useColour } from '../../health/table.js';
import { HEALTH_WINDOW_MINUTES, healthExitCode, healthSummary } from '../../health/summary.js';
import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { retryFilePath } from '../retry-file.js';

export async function handleReport(args: GlobalOptions & { files: string[]; retryFile?: string }, ctx: CommandContext): Promise<number> {
  const texts = await Promise.all(
    args.files.map((file) =>
      readFile(file, 'utf8').catch((err: Error) => {
        throw new InputError(`report merge: cannot read ${file}: ${err.message}`, { cause: err });
      }),
    ),
  );
  const health = texts.map(isHealthOutput);
  const kind = (h: boolean) => (h ? '`health --json`' : '`run --json`');
  const other = health.findIndex((h) => h !== health[0]);
  if (other >= 0) throw new InputError(`report merge: ${args.files[0]} is ${kind(health[0])} output but ${args.files[other]} is ${kind(health[other])} output`);
  if (health[0]) return mergeHealthOutputs(args.files.map((file, i) => parseHealthOutput(file, texts[i])), args.json, ctx);
  const outputs = args.files.map((file, i) => parseRunOutput(file, texts[i]));
  const merged = mergeRuns(outputs);
  const renderer = await pickRenderer({ json: args.json, verbose: args.verbose, showDiff: false, out: ctx.stdout });
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
}

/** `health --shard i/N --json` outputs: one table (or JSON lines and summary) and exit code, as one `health` over all the hosts. */
function mergeHealthOutputs(outputs: Parameters<typeof mergeHealth>[0], json: boolean, ctx: CommandContext): number {
  const results = mergeHealth(outputs);
  if (json) {
    for (const r of results) ctx.stdout.write(JSON.stringify(r) + '\n');
    ctx.stdout.write(JSON.stringify({ summary: healthSummary(results) }) + '\n');
  } else {
    ctx.stdout.write(renderTable(results, { colour: useColour(ctx.stdout), windowMinutes: HEALTH_WINDOW_MINUTES }));
  }
  return healthExitCode(results);
}
