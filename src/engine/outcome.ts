import type { FileDiff } from '../modules/contract.js';
import type { HostStatus } from '../output/events.js';

/** What running one task on one host came to. */
export interface TaskOutcome {
  status: HostStatus;
  changed: boolean;
  result: Record<string, unknown>;
  msg?: string;
  diff?: FileDiff[];
  warnings?: string[];
  /** meta tasks steer the walker. */
  meta?: string;
  /** Commands were applied: later probes of this host are stale. */
  applied?: boolean;
}

export function failure(msg: string, extra: Record<string, unknown> = {}): TaskOutcome {
  return { status: 'failed', changed: false, result: { ...extra, changed: false, failed: true, msg }, msg };
}
