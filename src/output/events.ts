import type { FileDiff } from '../modules/contract.js';

/** Outcome of one task (or handler) on one host, Ansible's words. */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'rescued' | 'ignored';

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/**
 * The engine emits these; TTY progress, plain lines, --json lines and the recap are all
 * renderers of the same stream.
 */
export type RunEvent =
  | { type: 'playbook_start'; playbook: string; check: boolean }
  | { type: 'play_start'; play: string; hosts: string[]; batch?: { index: number; of: number } }
  | { type: 'task_start'; task: string; handler?: boolean; hosts: string[] }
  | {
      type: 'host_result';
      host: string;
      task: string;
      status: HostStatus;
      /** Failed and skipped reasons, or debug's msg. */
      msg?: string;
      /** Registered result (already redacted). Shown with -v and in --json. */
      result?: Record<string, unknown>;
      diff?: FileDiff[];
      item?: unknown;
      warnings?: string[];
      /** The delegated host the task ran on (delegate_to, local_action). */
      delegatedTo?: string;
      /** The module that ran (its short name): Ansible's callback cleans debug's result its own way. */
      action?: string;
      /** debug, assert: the result is shown without -v (Ansible's _ansible_verbose_always). */
      verboseAlways?: boolean;
      /** A looped task: one label per entry of result.results (loop_control.label or the item). */
      itemLabels?: string[];
      /** no_log: the result is censored (a loop still gets its item lines, then the task's own line). */
      noLog?: boolean;
      /** ignore_errors turned a failure into "ignored"; with status unreachable: ignore_unreachable. */
      ignored?: boolean;
      durationMs?: number;
    }
  | { type: 'warning'; host?: string; message: string }
  /** include_tasks loaded `file` (its path) for these hosts: Ansible's `included:` line. */
  | { type: 'include'; file: string; hosts: string[]; label?: string }
  /** An `until` attempt failed: another one follows (Ansible's FAILED - RETRYING line). */
  | { type: 'retry'; host: string; task: string; retriesLeft: number; result?: Record<string, unknown> }
  | { type: 'no_hosts'; play: string }
  /**
   * Ansible's NO MORE HOSTS LEFT banner: any_errors_fatal or max_fail_percentage failed every host
   * left in the batch. `stopped`: the hosts max_fail_percentage stopped before they finished.
   */
  | { type: 'no_hosts_remaining'; stopped?: string[] }
  | {
      type: 'recap';
      stats: Record<string, HostStats>;
      retryFile?: string;
      /** Ctrl-C stopped the run: tasks after it never ran. */
      interrupted?: boolean;
      /** A second Ctrl-C: the process exits right after this event (one line, no waiting). */
      forced?: boolean;
    }
  | { type: 'stats'; perHost: Record<string, { channels: number; roundTrips: number; cpuMsPerTask: number }> };

export interface Renderer {
  onEvent(e: RunEvent): void;
  /** Flush and restore the terminal. */
  end(): Promise<void> | void;
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
