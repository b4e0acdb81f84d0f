/** The health table: one row per host, problems highlighted (colour only when asked), a summary line. */
import type { HealthStatus, HostHealth } from './report.js';
import { severity } from './verdict.js';

const SGR: Record<'red' | 'yellow' | 'green' | 'bold', [string, string]> = {
  red: ['\x1b[31m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  green: ['\x1b[32m', '\x1b[39m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};
const STATUS_COLOUR: Record<HealthStatus, keyof typeof SGR> = { healthy: 'green', degraded: 'yellow', unreachable: 'red' };

/** Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function useColour(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return (out as Partial<NodeJS.WriteStream>).isTTY === true && !env.NO_COLOR;
}

const COLUMNS = ['HOST', 'STATUS', 'FALCO', 'DRIVER', 'UNIT', 'UP', 'RESTARTS', 'HEALTHZ', 'FOLLOW', 'ALERTS', 'PROBLEMS'] as const;

export function renderTable(hosts: HostHealth[], opts: { colour: boolean; windowMinutes: number }): string {
  const paint = (c: keyof typeof SGR, s: string) => (opts.colour && s ? SGR[c][0] + s + SGR[c][1] : s);
  const withDrift = hosts.some((h) => h.drift);
  const rows = hosts.map((h) => withDriftCell(cells(h), h, withDrift).map(printable));
  const header = withDriftCell(COLUMNS.map((c) => (c === 'ALERTS' ? `ALERTS/${opts.windowMinutes}m` : c)), 'DRIFT', withDrift);
  const widths = header.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[], style: (i: number, s: string) => string) =>
    r
      .map((cell, i) => style(i, i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header, (_, s) => paint('bold', s))];
  hosts.forEach((h, n) => {
    out.push(
      line(rows[n], (i, s) => {
        if (i === 1) return paint(STATUS_COLOUR[h.status], s);
        if (withDrift && i === rows[n].length - 2 && h.drift?.status === 'drifted') return paint('yellow', s);
        if (i === rows[n].length - 1 && h.status !== 'healthy') return paint(h.status === 'unreachable' ? 'red' : 'yellow', s);
        return s;
      }),
    );
  });
  out.push(summaryLine(hosts));
  return out.join('\n') + '\n';
}

/**
 * Text from a host (os-release, curl errors, rule names, alert output) shown on a terminal: control
 * characters are written as `\xHH` so a host cannot move the cursor or recolour the screen.
 */
export function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `48 healthy, 1 degraded, 1 unreachable` (statuses with no host left out; `0 hosts` when empty). */
export function summaryLine(hosts: HostHealth[]): string {
  const counts = (['healthy', 'degraded', 'unreachable'] as const).map((s) => [s, hosts.filter((h) => h.status === s).length] as const);
  const parts = counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return parts.length ? parts.join(', ') : '0 hosts';
}

function cells(h: HostHealth): string[] {
  const dash = '-';
  if (h.status === 'unreachable') return [h.host, h.status, dash, dash, dash, dash, dash, dash, dash, dash, h.problems.join('; ')];
  const unit = h.unit?.name ? `${h.unit.name.replace(/\.service$/, '')} ${h.unit.activeState}` : dash;
  return [
    h.host,
    h.status,
    h.falco?.version ?? (h.falco?.installed === false ? 'absent' : '?'),
    h.driver?.kind ?? dash,
    unit,
    h.unit?.uptimeSeconds == null ? dash : duration(h.unit.uptimeSeconds),
    h.unit?.restarts == null ? dash : String(h.unit.restarts),
    h.healthz?.status ?? dash,
    h.falcoctlFollow ? (h.falcoctlFollow.on ? 'on' : 'off') : dash,
    alertCell(h),
    h.problems.join('; '),
  ];
}

/** `--playbook`: a DRIFT column before PROBLEMS (in-sync, N files, unknown). */
function withDriftCell(row: string[], h: HostHealth | string, on: boolean): string[] {
  if (!on) return row;
  const cell = typeof h === 'string' ? h : driftCell(h);
  return [...row.slice(0, -1), cell, row[row.length - 1]];
}

function driftCell(h: HostHealth): string {
  if (!h.drift) return '-';
  if (h.drift.status === 'drifted') return `${h.drift.files.length} file${h.drift.files.length === 1 ? '' : 's'}`;
  return h.drift.status;
}

function alertCell(h: HostHealth): string {
  if (!h.alerts) return h.falco?.installed ? 'n/a' : '-';
  const top = Object.entries(h.alerts.byPriority)
    .sort(([a], [b]) => severity(a) - severity(b))
    .slice(0, 2)
    .map(([p, n]) => `${n} ${p.toLowerCase()}`);
  return top.length ? `${h.alerts.total} (${top.join(', ')}${Object.keys(h.alerts.byPriority).length > 2 ? ', ...' : ''})` : '0';
}

/** 3725 -> `1h02m`; 59 -> `59s`; 3 days -> `3d04h`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(seconds % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}
