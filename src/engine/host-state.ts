import type { ExecResult } from '../connectors/types.js';
import type { HostConnection } from '../connectors/types.js';
import type { Vars } from './ports.js';
import { factVars } from './vars.js';
import { markUnsafe } from '../template/index.js';
import type { WalkFrame } from './walk-position.js';

/** Everything the run knows about one host. */
export class HostState {
  private gathered: Vars = {};
  private injected?: Vars;
  factsGathered = false;
  /** include_vars results: above task vars, below set_fact (Ansible's vars cache). */
  includedVars: Vars = {};
  /** set_fact and registered results (one precedence layer). */
  runtimeVars: Vars = {};
  failed = false;
  /**
   * Failed with no rescue or always left to run it (Ansible's _tqm._failed_hosts): what
   * max_fail_percentage counts after each task. Reset when a serial batch starts.
   */
  failedInBatch = false;
  /**
   * Noted as failed by any_errors_fatal while other hosts were in a rescue or always, as 2.14
   * notes it (in _tqm._failed_hosts, not its iterator): the host goes on, but counts as failed
   * for the batch's verdict and the retry file.
   */
  noted = false;
  /** The task lists this host is walking, innermost last: where its next task is (walk-position.ts). */
  readonly position: WalkFrame[] = [];
  unreachable = false;
  /** meta: end_host / end_play for this host. */
  ended = false;
  /** Ids of the handlers notified and not yet run. */
  notified = new Set<string>();
  connection?: HostConnection;
  /** The play `connection` keyword the connection was opened for (a later play may name another). */
  connectedFor?: string;
  /**
   * Why the play's connect failed, until the first task that needs the connection reports it as
   * its own unreachable result (ansible-playbook connects per task, so that is where it fails).
   */
  connectFailure?: Error;
  /** Probe results by FactRequest.key; dropped whenever this host is changed. */
  probeCache = new Map<string, ExecResult>();
  tasksRun = 0;
  /** This play's vars whose secret value is a template: resolved again after each task, to mask it. */
  secretTemplates: string[] = [];
  /** Ids of tasks this host has finished: their probes are not worth fetching again. */
  readonly finishedTasks = new Set<string>();
  /** The last failure not ignored: ansible_failed_task/_result in a rescue. */
  lastFailure?: { task: Record<string, unknown>; result: Record<string, unknown> };

  constructor(readonly name: string) {}

  get facts(): Vars {
    return this.gathered;
  }

  /** setup's facts replace, module-returned facts (package_facts) add. */
  setFacts(facts: Vars, merge = false): void {
    // Facts are what the host says: data, never templates.
    this.gathered = markUnsafe(merge ? { ...this.gathered, ...facts } : facts);
    this.factsGathered = true;
    this.injected = undefined;
  }

  clearFacts(): void {
    this.gathered = {};
    this.factsGathered = false;
    this.injected = undefined;
  }

  /** The facts as variables (ansible_facts + ansible_*), built once per change: read on every task. */
  factVariables(): Vars | undefined {
    if (!this.factsGathered) return undefined;
    return (this.injected ??= factVars(this.gathered));
  }

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }
}
