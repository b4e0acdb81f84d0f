import type { ExecResult } from '../connectors/types.js';
import type { HostConnection } from '../connectors/types.js';
import type { Vars } from './ports.js';

/** Everything the run knows about one host. */
export class HostState {
  facts: Vars = {};
  factsGathered = false;
  /** set_fact and registered results (one precedence layer). */
  runtimeVars: Vars = {};
  failed = false;
  unreachable = false;
  /** meta: end_host / end_play for this host. */
  ended = false;
  /** Handler names (or listen topics) notified and not yet run. */
  notified = new Set<string>();
  connection?: HostConnection;
  /** Probe results by FactRequest.key; dropped whenever this host is changed. */
  probeCache = new Map<string, ExecResult>();
  tasksRun = 0;
  /** The last failure not ignored: ansible_failed_task/_result in a rescue. */
  lastFailure?: { task: Record<string, unknown>; result: Record<string, unknown> };

  constructor(readonly name: string) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }
}
