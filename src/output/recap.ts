import type { HostStats, RunEvent } from './events.js';

const STAT_ORDER: (keyof HostStats)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

/** Ansible's banner: `TITLE ` then stars up to column 80 (at least 3), as Display.banner. */
export function banner(title: string): string {
  const msg = title.trim();
  return `${msg} ${'*'.repeat(Math.max(3, 79 - msg.length))}`;
}

/** The PLAY RECAP block, laid out as ansible-playbook's default callback prints it. */
export function formatRecap(stats: Record<string, HostStats>): string {
  const lines = [banner('PLAY RECAP')];
  for (const host of Object.keys(stats).sort()) {
    const s = stats[host];
    const cols = STAT_ORDER.map((k) => `${k}=${String(s[k]).padEnd(4)}`);
    lines.push(`${host.padEnd(26)} : ${cols.join(' ')}`.trimEnd());
  }
  return lines.join('\n') + '\n';
}

/** ansible-playbook's words when Ctrl-C stops it. */
export const INTERRUPTED_MESSAGE = '[ERROR]: User interrupted execution';

/**
 * The recap as the text renderers print it: after Ctrl-C the interrupted line comes first; after
 * a second Ctrl-C (the process exits at once) the recap shrinks to one line of totals.
 */
export function recapText(e: Extract<RunEvent, { type: 'recap' }>): string {
  if (e.forced) return `\n${INTERRUPTED_MESSAGE} (second Ctrl-C: exiting now)\n${oneLineRecap(e.stats)}\n`;
  const head = e.interrupted ? `\n${INTERRUPTED_MESSAGE}\n` : '';
  const retry = e.retryFile ? `\nRetry file: ${e.retryFile} (use --limit @${e.retryFile})\n` : '';
  return `${head}\n${formatRecap(e.stats)}${retry}`;
}

function oneLineRecap(stats: Record<string, HostStats>): string {
  const hosts = Object.keys(stats).sort();
  const totals = STAT_ORDER.map((k) => `${k}=${hosts.reduce((n, h) => n + stats[h][k], 0)}`);
  const bad = hosts.filter((h) => stats[h].failed > 0 || stats[h].unreachable > 0);
  return `PLAY RECAP (interrupted) ${hosts.length} hosts: ${totals.join(' ')}${bad.length ? `; failed or unreachable: ${bad.join(',')}` : ''}`;
}
