import { ExitCode } from '../errors.js';
import type { HostHealth } from './report.js';
import { summaryLine } from './table.js';

/** Alerts, drops and hot-restart failures are counted over this many minutes before the probe. */
export const HEALTH_WINDOW_MINUTES = 15;

/** 0 all healthy; 2 some host degraded; 3 unreachable hosts and none degraded (as `run`: failures win). */
export function healthExitCode(results: HostHealth[]): number {
  if (results.some((r) => r.status === 'degraded')) return ExitCode.hostFailures;
  if (results.some((r) => r.status === 'unreachable')) return ExitCode.unreachable;
  return ExitCode.ok;
}

/** The last line of `health --json`. */
export function healthSummary(results: HostHealth[]) {
  const count = (s: HostHealth['status']) => results.filter((r) => r.status === s).length;
  return { total: results.length, healthy: count('healthy'), degraded: count('degraded'), unreachable: count('unreachable'), text: summaryLine(results) };
}
