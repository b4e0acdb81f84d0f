/**
 * Nunjucks, compiled with Python/Jinja2 semantics: our parser (jinja-parser) and compiler
 * (jinja-compiler) produce code that calls our runtime (jinja-runtime). Nothing global in
 * nunjucks is patched; templates are bound to our runtime when compiled.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { TemplateRenderError, TemplateSyntaxError, TemplateUndefinedError } from './errors.js';
import { PyCompiler, PyNativeOutput } from './jinja-compiler.js';
import { PyParser } from './jinja-parser.js';
import { pyRuntime, takeRuntimeError } from './jinja-runtime.js';
import { lexer, nodes, NunjucksTemplate, transformer } from './nunjucks-internals.js';

export { acceptLookupTerms, currentScope, LookupTerm, lookupActiveVariable, withScope, type Scope } from './jinja-runtime.js';
export { NunjucksEnvironment } from './nunjucks-internals.js';

export interface CompiledTemplate {
  /** Compiled functions, as a nunjucks loader hands them over for includes/imports. */
  props: Record<string, unknown>;
  /** The nunjucks Template (already compiled with our compiler and bound to our runtime). */
  template: any;
  /** True when the whole template is one `{{ expr }}`: render() returns the native value. */
  native: boolean;
  /** Name of the last filter of the single expression (to_json & co keep their text). */
  lastFilter?: string;
}

interface CompileOptions {
  name: string;
  /** Compile a lone `{{ expr }}` to return the expression's value instead of text. */
  nativeSingleExpression: boolean;
}

function singleExpression(root: any): any | null {
  if (root.children.length !== 1) return null;
  const out = root.children[0];
  if (!(out instanceof nodes.Output) || out.children.length !== 1) return null;
  const expr = out.children[0];
  return expr instanceof nodes.TemplateData ? null : expr;
}

export function syntaxError(err: any, name: string, lineOffset = 0, source = ''): TemplateSyntaxError {
  const raw = String(err?.message ?? err);
  // nunjucks gives no position for "unexpected end of file"; Jinja reports the last line.
  const lineno = typeof err?.lineno === 'number' ? err.lineno : source.split('\n').length;
  const reason = raw.replace(/^\(.*?\)\s*(\[Line \d+, Column \d+\])?\s*/s, '').trim();
  return new TemplateSyntaxError(`template error while templating string: ${reason}`, {
    file: name,
    line: lineno + lineOffset,
    cause: err,
  });
}

/** The template's syntax tree (nunjucks nodes, 0-based `lineno`); TemplateSyntaxError if it cannot be parsed. */
export function parseTemplate(env: any, source: string, name: string): any {
  try {
    const parser = new PyParser(lexer.lex(source, env.opts));
    parser.extensions = env.extensionsList ?? [];
    return transformer.transform(parser.parseAsRoot(), [], name);
  } catch (err) {
    throw syntaxError(err, name, 0, source);
  }
}

/** Our compiler's functions for a parsed template; a tree it cannot compile is a syntax error too. */
export function compileTree(root: any, name: string, source: string): Record<string, (...a: any[]) => unknown> {
  try {
    const compiler = new PyCompiler(name, false);
    compiler.compile(root);
    return new Function(compiler.getCode())() as Record<string, (...a: any[]) => unknown>;
  } catch (err) {
    throw syntaxError(err, name, 0, source);
  }
}

export function compileTemplate(env: any, source: string, opts: CompileOptions): CompiledTemplate {
  const root = parseTemplate(env, source, opts.name);
  const expr = opts.nativeSingleExpression ? singleExpression(root) : null;
  if (expr) root.children[0] = new PyNativeOutput(expr.lineno, expr.colno, expr);
  const props = compileTree(root, opts.name, source);
  for (const [key, fn] of Object.entries(props)) {
    props[key] = (e: unknown, ctx: unknown, frame: unknown, _runtime: unknown, cb: (err: any, res?: unknown) => void) =>
      fn(e, ctx, frame, pyRuntime, (err: any, res?: unknown) => {
        // Remember which template (of an include chain) the error happened in.
        if (err && typeof err === 'object' && err.templateFile === undefined) err.templateFile = opts.name;
        cb(err, res);
      });
  }
  const template = new NunjucksTemplate({ type: 'code', obj: props }, env, opts.name);
  return {
    props,
    template,
    native: expr !== null,
    lastFilter: expr instanceof nodes.Filter ? expr.name.value : undefined,
  };
}

/** Render synchronously; errors come back as our error classes with template line numbers. */
export function renderCompiled(compiled: CompiledTemplate, name: string, lineOffset = 0): unknown {
  takeRuntimeError();
  try {
    return compiled.template.render({});
  } catch (err) {
    throw translateError(takeRuntimeError() ?? err, name, lineOffset);
  }
}

function unwrap(err: any): any {
  let e = err;
  // nunjucks wraps errors thrown during render (TemplateError with .cause); take the original.
  while (e && !(e instanceof TemplateUndefinedError || e instanceof TemplateSyntaxError || e instanceof TemplateRenderError) && e.cause) e = e.cause;
  return e;
}

function translateError(err: any, name: string, lineOffset = 0): Error {
  const inner = unwrap(err);
  const line = (inner?.templateLine ?? err?.templateLine ?? (err?.lineno ? err.lineno : undefined)) as
    | number
    | undefined;
  const file: string = inner?.templateFile ?? name;
  const offset = file === name ? lineOffset : 0;
  const where = { file, line: line === undefined ? undefined : line + offset };
  if (inner instanceof TemplateUndefinedError) {
    // Keep the innermost location: a lazily templated variable reports where it was used.
    if (inner.file && inner.file !== name) return inner;
    return new TemplateUndefinedError(inner.reason, { ...where, variable: inner.variable, cause: inner.cause });
  }
  if (inner instanceof TemplateSyntaxError || inner instanceof TemplateRenderError) {
    if (inner.file) return inner;
    return inner instanceof TemplateSyntaxError
      ? new TemplateSyntaxError(inner.reason, { ...where, cause: inner })
      : new TemplateRenderError(inner.reason, { ...where, cause: inner });
  }
  const message = String(inner?.message ?? inner);
  const missing = /^(filter|test) not found: (\S+)/.exec(message);
  if (missing) {
    return new TemplateSyntaxError(
      `template error while templating string: No ${missing[1]} named '${missing[2]}'.`,
      { ...where, cause: inner },
    );
  }
  return new TemplateRenderError(message, { ...where, cause: inner });
}
