/** Judging a host's probe findings: the report fields and the list of problems (pure). */
import type { AlertScan, HealthProbe, UnitState } from './model.js';
import { FALCO_UNITS, FOLLOW_UNIT } from './probe-script.js';
import { EVENT_DROP_RULE, HOT_RESTART_FAILURE_RULE, PRIORITIES, type AlertSummary, type HostHealth } from './report.js';

type Judged = Omit<HostHealth, 'host' | 'probe'>;

export function judgeHealth(p: HealthProbe, windowMinutes: number): Judged {
  const problems: string[] = [];
  const base = { os: p.os.prettyName ?? [p.os.id, p.os.versionId].filter(Boolean).join(' '), kernel: p.kernel };
  const falcoUnits = FALCO_UNITS.map((u) => p.units[u]).filter((u): u is UnitState => u !== undefined && u.loadState !== 'not-found');
  if (!p.falcoBinary && falcoUnits.length === 0) {
    return { status: 'degraded', problems: ['Falco is not installed'], ...base, falco: { installed: false, version: null, versionSource: null } };
  }

  const enabled = falcoUnits.filter((u) => u.unitFileState === 'enabled').map((u) => u.id);
  const running = falcoUnits.find((u) => u.activeState !== 'inactive');
  const main = p.units[enabled[0]] ?? running;
  if (enabled.length === 0) problems.push('no Falco unit is enabled');
  if (enabled.length > 1) problems.push(`several Falco units are enabled: ${enabled.join(', ')}`);
  if (main && main.activeState !== 'active') problems.push(`${main.id} is ${main.activeState} (${main.subState})`);
  if (!main && enabled.length === 0) problems.push('Falco is not running');

  const healthz = judgeHealthz(p);
  if (healthz.status === 'failed') problems.push(`/healthz: ${healthz.detail}`);

  const driver = {
    kind: p.config['engine.kind'] || 'kmod',
    kmodModule: p.kmodModules[0] ?? null,
    btf: p.btf,
    ringbuf: p.ringbuf ?? kernelAtLeast(p.kernel, 5, 8),
  };
  problems.push(...driverProblems(driver));

  for (const r of p.rules) if (r.sha256 === null) problems.push(`rules file missing or unreadable: ${r.path}`);

  const alerts = summarizeAlerts(p.alerts, windowMinutes);
  if (alerts && alerts.hotRestartFailures > 0) problems.push(`${alerts.hotRestartFailures} "${HOT_RESTART_FAILURE_RULE}" alert(s) in the last ${windowMinutes} min`);
  if (alerts && alerts.dropAlerts > 0) problems.push(`event drops: ${alerts.dropAlerts} drop alert(s), ${alerts.nDrops} events dropped in the last ${windowMinutes} min`);

  const follow = p.units[FOLLOW_UNIT];
  const version = versionOf(p);
  return {
    status: problems.length ? 'degraded' : 'healthy',
    problems,
    ...base,
    falco: { installed: true, ...version },
    driver,
    unit: {
      name: main?.id ?? null,
      enabled,
      activeState: main?.activeState ?? null,
      subState: main?.subState ?? null,
      restarts: main?.restarts ?? null,
      uptimeSeconds: main?.uptimeSeconds ?? null,
    },
    healthz,
    rules: p.rules,
    falcoctlFollow: {
      on: follow !== undefined && (follow.activeState === 'active' || follow.unitFileState === 'enabled'),
      unitFileState: follow?.unitFileState ?? '',
      activeState: follow?.activeState ?? 'inactive',
    },
    alerts,
    ...(p.alerts.tail ? { alertTail: p.alerts.tail } : {}),
  };
}

function judgeHealthz(p: HealthProbe): NonNullable<HostHealth['healthz']> {
  const { code, body } = p.healthz;
  if (code === 'disabled') return { status: 'disabled', detail: 'webserver disabled in the config' };
  if (code === 'noclient') return { status: 'failed', detail: 'neither curl nor wget on the host' };
  if (code === 'error') return { status: 'failed', detail: `no answer${body ? ` (${firstLine(body)})` : ''}` };
  if (code !== 200) return { status: 'failed', detail: `HTTP ${code}` };
  return statusOk(body) ? { status: 'ok', detail: 'HTTP 200' } : { status: 'failed', detail: `HTTP 200 but ${firstLine(body) || 'an empty body'}` };
}

function statusOk(body: string): boolean {
  try {
    return (JSON.parse(body) as { status?: unknown }).status === 'ok';
  } catch (err) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

function driverProblems(d: NonNullable<HostHealth['driver']>): string[] {
  if (d.kind === 'kmod' && !d.kmodModule) return ['kmod driver: no scap/falco kernel module loaded'];
  if (d.kind === 'modern_ebpf') {
    const out: string[] = [];
    if (!d.btf) out.push('modern_ebpf driver: no kernel BTF (/sys/kernel/btf/vmlinux)');
    if (d.ringbuf === false) out.push('modern_ebpf driver: the kernel has no BPF ring buffer');
    return out;
  }
  return [];
}

function versionOf(p: HealthProbe): { version: string | null; versionSource: 'versions' | 'cli' | null } {
  if (p.versions.code === 200) {
    try {
      const v = (JSON.parse(p.versions.body) as { falco_version?: unknown }).falco_version;
      if (typeof v === 'string') return { version: v, versionSource: 'versions' };
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      // not JSON: fall through to the CLI's answer
    }
  }
  const m = p.falcoVersionCli ? /Falco version:\s*(\S+)/.exec(p.falcoVersionCli) : null;
  return m ? { version: m[1], versionSource: 'cli' } : { version: null, versionSource: null };
}

function summarizeAlerts(scan: AlertScan, windowMinutes: number): AlertSummary | null {
  if (!scan.fileOutputEnabled || !scan.jsonOutput || !scan.read) return null;
  const byPriority: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  let total = 0;
  for (const c of scan.counts) {
    total += c.count;
    byPriority[c.priority] = (byPriority[c.priority] ?? 0) + c.count;
    byRule[c.rule] = (byRule[c.rule] ?? 0) + c.count;
  }
  return {
    file: scan.file,
    windowMinutes,
    total,
    byPriority: Object.fromEntries(Object.entries(byPriority).sort(([a], [b]) => severity(a) - severity(b))),
    byRule: Object.fromEntries(Object.entries(byRule).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    byMinute: scan.counts,
    malformed: scan.malformed,
    hotRestartFailures: byRule[HOT_RESTART_FAILURE_RULE] ?? 0,
    dropAlerts: byRule[EVENT_DROP_RULE] ?? 0,
    nDrops: scan.nDrops,
  };
}

/** Index in PRIORITIES (unknown words last). */
export function severity(priority: string): number {
  const i = PRIORITIES.findIndex((p) => p.toLowerCase() === priority.toLowerCase());
  return i < 0 ? PRIORITIES.length : i;
}

function kernelAtLeast(release: string, major: number, minor: number): boolean | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return null;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim().slice(0, 120);
}
