import { FalcoDeployError, InputError, type ErrorContext } from '../errors.js';

export interface TemplateOrigin {
  /** Template file or playbook/vars file the template string came from. */
  file: string;
  /** 1-based line of the template string (or of the template file's first line: 1). */
  line?: number;
}

type TemplateErrorContext = Omit<ErrorContext, 'phase' | 'exitCode'>;

/**
 * An undefined variable or attribute met while rendering. In Ansible this fails the task for
 * that host ("The task includes an option with an undefined variable"), so the engine should
 * treat it as a HOST FAILURE (phase 'plan', exit 2), not as bad input.
 */
export class TemplateUndefinedError extends FalcoDeployError {
  /** The Jinja-style message without location, e.g. "'x' is undefined". */
  readonly reason: string;
  /** Variable or attribute path when known ("x", "x.y"). */
  readonly variable?: string;
  constructor(reason: string, ctx: TemplateErrorContext & { variable?: string } = {}) {
    super(reason, { ...ctx, phase: 'plan' });
    this.name = 'TemplateUndefinedError';
    this.reason = reason;
    this.variable = ctx.variable;
  }
}

/** The template text cannot be parsed (unclosed block, unknown filter/test, bad literal): bad input, exit 4. */
export class TemplateSyntaxError extends InputError {
  readonly reason: string;
  constructor(reason: string, ctx: TemplateErrorContext = {}) {
    super(reason, ctx);
    this.name = 'TemplateSyntaxError';
    this.reason = reason;
  }
}

/**
 * Any other failure while rendering (type errors, a filter given bad data, recursive variable
 * definitions): a host failure like the undefined case, since it depends on the host's vars.
 */
export class TemplateRenderError extends FalcoDeployError {
  readonly reason: string;
  constructor(reason: string, ctx: TemplateErrorContext = {}) {
    super(reason, { ...ctx, phase: 'plan' });
    this.name = 'TemplateRenderError';
    this.reason = reason;
  }
}

/**
 * A conditional (when, changed_when, failed_when, until, assert's that) that could not be
 * evaluated, worded as ansible-core's Conditional: "The conditional check 'x > 1' failed. The
 * error was: error while evaluating conditional (x > 1): 'x' is undefined".
 */
export class ConditionalCheckError extends TemplateRenderError {
  constructor(conditional: string, cause: TemplateUndefinedError | TemplateRenderError) {
    const detail = cause instanceof TemplateUndefinedError ? `error while evaluating conditional (${conditional}): ${cause.reason}` : cause.reason;
    super(`The conditional check '${conditional}' failed. The error was: ${detail}`, { file: cause.file, line: cause.line, cause });
    this.name = 'ConditionalCheckError';
  }
}

type TemplateError = TemplateUndefinedError | TemplateSyntaxError | TemplateRenderError;

export function isTemplateError(err: unknown): err is TemplateError {
  return (
    err instanceof TemplateUndefinedError ||
    err instanceof TemplateSyntaxError ||
    err instanceof TemplateRenderError
  );
}

/** A Python-style TypeError/ValueError raised inside filters and operators. */
export class PyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PyError';
  }
}

/**
 * Ansible's wording for a task whose arguments could not be templated, e.g.
 * "The task includes an option with an undefined variable. The error was: 'x' is undefined".
 */
export function taskArgErrorMessage(err: TemplateError): string {
  if (err instanceof ConditionalCheckError) return err.reason;
  if (err instanceof TemplateUndefinedError) {
    return `The task includes an option with an undefined variable. The error was: ${err.reason}`;
  }
  return `The task's arguments could not be templated: ${err.reason}`;
}
