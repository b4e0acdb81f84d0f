import type { HostStats } from './events.js';

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
