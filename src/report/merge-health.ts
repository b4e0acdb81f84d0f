import { InputError } from '../errors.js';
import type { HostHealth } from '../health/report.js';

/** Whether a `--json` output is `health`'s (host lines and a summary) rather than `run`'s (typed events). */
export function isHealthOutput(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim());
  if (first === undefined) return false;
  try {
    const value = JSON.parse(first) as Record<string, unknown>;
    return value.type === undefined && ('summary' in value || ('host' in value && 'status' in value));
  } catch (err) {
    // not JSON at all: parseRunOutput names the file and line
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

/** The host lines of one `health --json` output (one shard's); without its summary line the probe did not finish. */
export function parseHealthOutput(file: string, text: string): { file: string; results: HostHealth[] } {
  const results: HostHealth[] = [];
  let summary = false;
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new InputError(`${file}:${i + 1}: not a JSON line of \`health --json\` (${(err as Error).message})`, { cause: err });
    }
    if ('summary' in value) summary = true;
    else if (typeof value.host === 'string' && typeof value.status === 'string') results.push(value as unknown as HostHealth);
    else throw new InputError(`${file}:${i + 1}: not a host line of \`health --json\``);
  });
  if (!summary) throw new InputError(`${file}: no summary line: that health probe did not finish (or this is not \`health --json\` output)`);
  return { file, results };
}

/** One health table from the shards' outputs, by host name; a host in two outputs is an error, never shown twice. */
export function mergeHealth(outputs: { file: string; results: HostHealth[] }[]): HostHealth[] {
  const seenIn = new Map<string, string>();
  for (const o of outputs) {
    for (const r of o.results) {
      const other = seenIn.get(r.host);
      if (other !== undefined) throw new InputError(`report merge: host ${r.host} is in both ${other} and ${o.file} (overlapping shards?)`);
      seenIn.set(r.host, o.file);
    }
  }
  return outputs.flatMap((o) => o.results).sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}
