/**
 * After a rolling run (a play split into several serial batches): which hosts were updated,
 * left unchanged, rolled back (a rescue ran, then the host failed: the role's rollback), failed
 * (or unreachable) without a rollback, stopped before they finished their batch (other hosts
 * failed past max_fail_percentage), and which the rollout never reached.
 */
import type { HostStats } from './events.js';

interface Rollout {
  updated: string[];
  unchanged: string[];
  rolledBack: string[];
  failed: string[];
  stopped: string[];
  untouched: string[];
}

/** `stopped`: hosts max_fail_percentage stopped mid-batch (no_hosts_remaining events). */
export function rolloutOf(selected: string[], stats: Record<string, HostStats>, stopped: ReadonlySet<string> = new Set()): Rollout {
  const r: Rollout = { updated: [], unchanged: [], rolledBack: [], failed: [], stopped: [], untouched: [] };
  for (const host of [...new Set(selected)].sort()) {
    const s = stats[host];
    if (!s) r.untouched.push(host);
    else if (s.failed > 0 && s.rescued > 0 && s.unreachable === 0) r.rolledBack.push(host);
    else if (s.failed > 0 || s.unreachable > 0) r.failed.push(host);
    else if (stopped.has(host)) r.stopped.push(host);
    else if (s.changed > 0) r.updated.push(host);
    else r.unchanged.push(host);
  }
  return r;
}

const LABELS: [keyof Rollout, string][] = [
  ['updated', 'updated'],
  ['unchanged', 'unchanged'],
  ['rolledBack', 'rolled back'],
  ['failed', 'failed'],
  ['stopped', 'stopped'],
  ['untouched', 'untouched'],
];

/** Hosts a rerun must still change: rolled back, failed, stopped and untouched. */
export function remainingHosts(r: Rollout): string[] {
  return [...r.rolledBack, ...r.failed, ...r.stopped, ...r.untouched].sort();
}

/** `retryFile`: where the remaining hosts were written (rerun with --limit @FILE). */
export function rolloutText(r: Rollout, retryFile?: string): string {
  const lines = LABELS.map(([k, label]) => `${label.padEnd(12)}(${r[k].length}): ${r[k].join(', ')}`.trimEnd());
  const rest = remainingHosts(r);
  if (rest.length) lines.push(`to continue the rollout: --limit ${retryFile ? `@${retryFile}` : rest.join(',')}`);
  return `\nROLLOUT ${'*'.repeat(71)}\n${lines.join('\n')}\n`;
}
