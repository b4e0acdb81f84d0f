/** Process exit codes; documented in docs/exit-codes.md. */
export const ExitCode = {
  ok: 0,
  hostFailures: 2,
  unreachable: 3,
  badInput: 4,
  badUsage: 5,
  interrupted: 130,
  /** A bug in falco-deploy itself (ansible-playbook's "Unexpected Exception" code). */
  internalError: 250,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type Phase =
  | 'usage'
  | 'input'
  | 'connect'
  | 'probe'
  | 'plan'
  | 'apply'
  | 'verify'
  | 'sandbox';

export interface ErrorContext {
  host?: string;
  task?: string;
  phase?: Phase;
  /** Input file and 1-based line (and column) for bad-input errors. */
  file?: string;
  line?: number;
  column?: number;
  /** Extra lines shown with -v (stderr excerpts, commands). */
  details?: string;
  exitCode?: ExitCodeValue;
  cause?: unknown;
}

/**
 * The one error root. Everything that reaches the user is one of these, carrying where it
 * happened (host, task, phase, file:line) so the message can be acted on.
 */
export class FalcoDeployError extends Error {
  readonly host?: string;
  readonly task?: string;
  readonly phase?: Phase;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly details?: string;
  readonly exitCode: ExitCodeValue;

  constructor(message: string, ctx: ErrorContext = {}) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = 'FalcoDeployError';
    this.host = ctx.host;
    this.task = ctx.task;
    this.phase = ctx.phase;
    this.file = ctx.file;
    this.line = ctx.line;
    this.column = ctx.column;
    this.details = ctx.details;
    this.exitCode = ctx.exitCode ?? defaultExitCode(ctx.phase);
  }

  /** `file:line:col: message` or `host: [task] (phase) message`. */
  describe(verbose = false): string {
    const where: string[] = [];
    if (this.file) {
      where.push([this.file, this.line, this.column].filter((p) => p !== undefined).join(':'));
    }
    if (this.host) where.push(this.host);
    if (this.task) where.push(`task "${this.task}"`);
    if (this.phase && !this.file) where.push(this.phase);
    const head = where.length ? `${where.join(': ')}: ${this.message}` : this.message;
    if (!verbose) return head;
    const extra: string[] = [];
    if (this.details) extra.push(this.details);
    if (this.cause instanceof Error) extra.push(`caused by: ${this.cause.message}`);
    return [head, ...extra].join('\n');
  }
}

/** Input errors (inventory, playbook, template, vars files): exit 4, nothing touched. */
export class InputError extends FalcoDeployError {
  constructor(message: string, ctx: Omit<ErrorContext, 'phase' | 'exitCode'> = {}) {
    super(message, { ...ctx, phase: 'input', exitCode: ExitCode.badInput });
    this.name = 'InputError';
  }
}

/** A host that could not be reached (connect refused, timeout, auth, host key): never "failed". */
export class UnreachableError extends FalcoDeployError {
  constructor(message: string, ctx: Omit<ErrorContext, 'phase' | 'exitCode'> = {}) {
    super(message, { ...ctx, phase: 'connect', exitCode: ExitCode.unreachable });
    this.name = 'UnreachableError';
  }
}

/** The user pressed Ctrl-C: the command was stopped on purpose, not failed (exit 130). */
export class InterruptedError extends FalcoDeployError {
  constructor(message = 'interrupted', ctx: Omit<ErrorContext, 'exitCode'> = {}) {
    super(message, { ...ctx, exitCode: ExitCode.interrupted });
    this.name = 'InterruptedError';
  }
}

function defaultExitCode(phase: Phase | undefined): ExitCodeValue {
  switch (phase) {
    case 'usage':
      return ExitCode.badUsage;
    case 'input':
      return ExitCode.badInput;
    case 'connect':
      return ExitCode.unreachable;
    default:
      return ExitCode.hostFailures;
  }
}
