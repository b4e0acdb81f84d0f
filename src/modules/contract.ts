import type { ExecResult } from '../connectors/types.js';
import type { FactRequest, ProbedFacts } from '../facts/request.js';
import type { ModuleSpec } from '../argspec/spec.js';

/**
 * Module contract (pyinfra model): read-only fact probes, then a pure plan from desired state +
 * facts, then the engine applies the planned commands in one batch. A plan with no commands
 * is "no change". Nothing here touches a host directly.
 */

export interface PlannedCommand {
  command: string;
  stdin?: string | Buffer;
  /** Controller file streamed to stdin on a channel of its own (large files; bounded memory). */
  stdinFile?: string;
  /** Controller file stdout is streamed into on a channel of its own (fetch). */
  stdoutFile?: string;
  env?: Record<string, string>;
  /** Defaults to the task's become. */
  become?: boolean;
  /** Exit codes that count as success (default [0]). */
  okExitCodes?: number[];
  /** Shown in -v and in errors instead of the command (e.g. when stdin carries a secret). */
  describe?: string;
  /** Changes nothing on the host (wait loops, reads): also run in check mode. */
  readOnly?: boolean;
}

export interface FileDiff {
  path: string;
  before: string;
  after: string;
  /** Header labels, e.g. "before: /etc/falco/falco.yaml"; '' for none (the callback's bare "before"/"after"). */
  beforeHeader?: string;
  afterHeader?: string;
}

export interface Plan {
  /** Commands that bring the host to the desired state; empty when converged. */
  commands: PlannedCommand[];
  /** Whether applying changes anything (usually commands.length > 0; command/shell: always). */
  changed: boolean;
  diff?: FileDiff[];
  /** Module result fields known before apply (registered, and shown with -v). */
  result?: Record<string, unknown>;
  /** A plan can decide the task fails (e.g. "no headers package for kernel X"). */
  failed?: string;
  /** Warnings shown to the user (e.g. Secure Boot may reject the module). */
  warnings?: string[];
  /** Plan for a command module skipped by creates/removes, etc. */
  skippedReason?: string;
}

/**
 * What a module that drives the host itself (reboot) gets instead of a plan: commands run with
 * the task's become, and the connection can be dropped and opened again while the host goes away.
 */
export interface HostSession {
  /** The host's connection plugin: `local` runs on this machine. */
  readonly transport: 'ssh' | 'local';
  /**
   * Rejects (UnreachableError) when the connection is lost or there is none (a peer gone silent:
   * within -T, by the keepalives); a non-zero exit resolves.
   */
  exec(command: string): Promise<ExecResult>;
  /** Closes the host's connection and its persistent shells, then opens a new one (`connectTimeoutSec` instead of -T). */
  reconnect(connectTimeoutSec?: number): Promise<void>;
  /** Waits; rejects with InterruptedError on Ctrl-C. */
  sleep(ms: number): Promise<void>;
  /** Controller clock (ms). */
  now(): number;
  /** Math.random's contract: [0, 1). */
  random(): number;
}

/** The host's gathered facts (setup), as Ansible names them without the ansible_ prefix. */
export type HostFacts = Record<string, unknown>;

/** What a whole-file writer would put on the host. */
export interface WrittenFile {
  dest: string;
  content: Buffer;
}

export interface ModuleContext {
  host: string;
  facts: HostFacts;
  check: boolean;
  diff: boolean;
  become: boolean;
  /** The task's templated `environment:` (also merged into every planned command's env). */
  environment?: Record<string, string>;
  /** Renders a template file (role templates/ dir first, then playbook dir) with the task's vars. */
  renderTemplate(src: string): Promise<string>;
  /** Reads a controller-side file (role files/ dir first, then playbook dir), vault-decrypted unless `decrypt` is false. */
  readLocalFile(src: string, decrypt?: boolean): Promise<Buffer>;
  /** Resolves a controller-side path the same way (for fetch dest, offline packages). */
  resolveLocalPath(src: string, kind: 'files' | 'templates'): string;
  /** The module name as the task wrote it (`ansible.builtin.reboot`): some of Ansible's messages quote it. */
  action?: string;
  /** The playbook's directory: relative controller paths that need not exist yet (fetch dest) start there. */
  playbookDir?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds modules of every argument shape
export interface ModuleDefinition<A extends Record<string, unknown> = Record<string, any>> {
  name: string;
  /** Other names it answers to, e.g. ansible.builtin.copy, service for systemd. */
  aliases?: readonly string[];
  spec: ModuleSpec;
  /** Facts this task needs; all probes of a play are batched into one round trip. */
  probes(args: A, ctx: ModuleContext): FactRequest[] | Promise<FactRequest[]>;
  /** Pure: desired state + facts -> commands. `facts.get(request)` is the parsed value of each requested probe. */
  plan(args: A, facts: ProbedFacts, ctx: ModuleContext): Plan | Promise<Plan>;
  /** Turns apply results into the registered result (default: rc/stdout/stderr of the last command). */
  finish?(args: A, plan: Plan, results: ExecResult[], ctx: ModuleContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Instead of plan and apply: the module runs its commands itself through `host` (after its
   * probes), for what a plan cannot say in advance (reboot: the connection drops and comes back).
   * Returns the registered result.
   */
  drive?(args: A, facts: ProbedFacts, host: HostSession, ctx: ModuleContext): Promise<Record<string, unknown>>;
  /** Runs on the controller only (debug, set_fact, assert, fail, meta): no probes, no commands. */
  local?: boolean;
  /**
   * Whole-file writers (copy, template): the file this task would write and its bytes, from the
   * controller alone (health's config drift compares them with the host's). A string: why not.
   */
  writes?(args: A, ctx: ModuleContext): Promise<WrittenFile | string>;
  /**
   * A failed run still reports its own `changed` (command, shell, raw: the command ran). Every
   * other module's failure changed nothing, so it reports `changed: false`, as Ansible's fail_json.
   */
  changedOnFailure?: boolean;
  /**
   * Its result fails only when a command's exit code is not ok (the remote shell then runs nothing
   * after it), it returns no facts, writes no controller file, and its finish reads only its
   * arguments, plan and results (no clock): so the engine may run its commands in the batch of
   * the task before it, and the next task's after its own (src/engine/joined-batch.ts).
   */
  joinsBatch?: boolean;
  /**
   * Its probes reach past the host (uri's GET goes to a server): the engine reads them ahead only
   * for a task whose `when` is already true, never for one that may yet be skipped.
   */
  probesLeaveHost?: boolean;
}
