import { InputError } from '../errors.js';
import type { HostStats, RunEvent } from '../output/events.js';

type PerHostStats = Extract<RunEvent, { type: 'stats' }>['perHost'];

/** What one `run --json` output (one shard's) contributes to the merged recap. */
interface ShardOutput {
  file: string;
  playbook?: string;
  stats: Record<string, HostStats>;
  perHost?: PerHostStats;
  interrupted: boolean;
}

/** Reads the JSON lines of `run --json`; a file without a recap is a run that did not finish. */
export function parseRunOutput(file: string, text: string): ShardOutput {
  let playbook: string | undefined;
  let recap: Extract<RunEvent, { type: 'recap' }> | undefined;
  let perHost: PerHostStats | undefined;
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let event: RunEvent;
    try {
      event = JSON.parse(line) as RunEvent;
    } catch (err) {
      throw new InputError(`${file}:${i + 1}: not a JSON line of \`run --json\` (${(err as Error).message})`, { cause: err });
    }
    if (event.type === 'playbook_start') playbook = event.playbook;
    else if (event.type === 'recap') recap = event;
    else if (event.type === 'stats') perHost = event.perHost;
  });
  if (!recap) throw new InputError(`${file}: no recap event: that run did not finish (or this is not \`run --json\` output)`);
  return { file, playbook, stats: recap.stats, perHost, interrupted: !!recap.interrupted || !!recap.forced };
}

interface MergedRun {
  playbook?: string;
  /** By host name, sorted. */
  stats: Record<string, HostStats>;
  /** Only when every output had --stats. */
  perHost?: PerHostStats;
  interrupted: boolean;
}

/**
 * One recap from the shards' outputs, as a single run over their union of hosts would give.
 * The same host in two outputs (overlapping shards, or one output given twice) or two
 * different playbooks is an error, never a silently double-counted host.
 */
export function mergeRuns(outputs: ShardOutput[]): MergedRun {
  if (outputs.length === 0) throw new InputError('report merge needs at least one `run --json` output file');
  const playbooks = [...new Set(outputs.flatMap((o) => (o.playbook === undefined ? [] : [o.playbook])))];
  if (playbooks.length > 1) throw new InputError(`report merge: the outputs ran different playbooks (${playbooks.join(', ')})`);
  const seenIn = new Map<string, string>();
  for (const o of outputs) {
    for (const host of Object.keys(o.stats)) {
      const other = seenIn.get(host);
      if (other !== undefined) throw new InputError(`report merge: host ${host} is in both ${other} and ${o.file} (overlapping shards?)`);
      seenIn.set(host, o.file);
    }
  }
  const hosts = [...seenIn.keys()].sort();
  const statsOf = new Map(outputs.flatMap((o) => Object.entries(o.stats)));
  const withStats = outputs.every((o) => o.perHost);
  return {
    playbook: playbooks[0],
    stats: Object.fromEntries(hosts.map((h) => [h, statsOf.get(h)!])),
    perHost: withStats ? Object.assign({}, ...outputs.map((o) => o.perHost)) : undefined,
    interrupted: outputs.some((o) => o.interrupted),
  };
}

/** The hosts a retry file lists: failed or unreachable. */
export function hostsToRetry(stats: Record<string, HostStats>): string[] {
  return Object.keys(stats).filter((h) => stats[h].failed > 0 || stats[h].unreachable > 0);
}
