/**
 * One host's health as `falco-deploy health` reports it (table, --json, --html): the probe's
 * findings judged. The JSON schema is documented in docs/health.md; change both together.
 */
import type { AlertLine, RulesFile } from './model.js';
import type { DriftReport } from './drift.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unreachable';

/** Falco's priorities, most severe first, as its JSON output spells them. */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

export const HOT_RESTART_FAILURE_RULE = 'Falco internal: hot restart failure';
export const EVENT_DROP_RULE = 'Falco internal: syscall event drop';

export interface AlertSummary {
  file: string;
  windowMinutes: number;
  total: number;
  byPriority: Record<string, number>;
  byRule: Record<string, number>;
  byMinute: { minute: string; priority: string; rule: string; count: number }[];
  malformed: number;
  hotRestartFailures: number;
  dropAlerts: number;
  nDrops: number;
}

export interface HostHealth {
  host: string;
  status: HealthStatus;
  /** Why the host is not healthy, most important first (empty when healthy). */
  problems: string[];
  /** Unreachable: the connect error. */
  error?: string;
  os?: string;
  kernel?: string;
  falco?: {
    installed: boolean;
    version: string | null;
    versionSource: 'versions' | 'cli' | null;
  };
  driver?: { kind: string; kmodModule: string | null; btf: boolean; ringbuf: boolean | null };
  unit?: {
    name: string | null;
    enabled: string[];
    activeState: string | null;
    subState: string | null;
    restarts: number | null;
    uptimeSeconds: number | null;
  };
  healthz?: { status: 'ok' | 'failed' | 'disabled'; detail: string };
  rules?: RulesFile[];
  falcoctlFollow?: { on: boolean; unitFileState: string; activeState: string };
  /** null: no JSON file_output in the effective config (or the file is not there yet). */
  alerts?: AlertSummary | null;
  /** Only after `run` (`-e falco_alert_tail=N`): the last N alert lines of the file, oldest first. */
  alertTail?: AlertLine[];
  /** `--playbook` only: the config drift against what the playbook would write (src/health/drift.ts). */
  drift?: DriftReport;
  probe: { connectMs: number | null; probeMs: number | null; roundTrips: number | null };
}
