/**
 * The templating API the engine and playbook code use: Ansible (2.14) semantics for variable
 * templating, conditionals, task-arg templating with `omit`, and the template module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { types } from 'node:util';
import { InputError } from '../errors.js';
import { vaultDecryptedFile } from '../yaml/vault.js';
import {
  ConditionalCheckError, TemplateRenderError, TemplateSyntaxError, TemplateUndefinedError, type TemplateOrigin,
} from './errors.js';
import { FILTERS, STRING_TYPE_FILTERS, TESTS, UNDEFINED_OK } from './filters.js';
import {
  acceptLookupTerms, compileTemplate, currentScope, LookupTerm, NunjucksEnvironment, renderCompiled, withScope,
  type CompiledTemplate, type Scope,
} from './jinja.js';
import { deepCopy, isMapping, literalEval, pyStr, pyTruthy, toPlainData } from './pyvalue.js';
import { isTuple, LazyMapping, someInside } from './pytypes.js';
import { createLookup } from './lookups.js';
import { forgetNativeTexts, isNativeText, noteNativeText } from './native-text.js';
import { boolean } from '../python/boolean.js';
import { pyDict, pyNamespace } from './globals.js';
import { mappingOf, setItem } from './sandbox.js';
import { rewriteSource } from './source.js';
import { Undefined, undefinedVariable } from './undefined.js';
import {
  isUnsafe, keepUnsafeMark, noteUnsafe, plainText, reveal, taintedResult, trackTaint, UnsafeText,
} from './unsafe.js';

type Vars = Record<string, unknown>;
type Condition = string | boolean | null | undefined | (string | boolean | null | undefined)[];

/** The value `omit` stands for; templateData drops dict entries equal to it. */
export const OMIT = '__omit_place_holder__falco_deploy_9c1b7e';

interface TemplaterOptions {
  /** Directories searched for relative template paths (role templates/, playbook dir, cwd). */
  searchPaths: string[];
  /** Text of `ansible_managed` in template files. */
  ansibleManaged?: string;
}

interface RenderFileOptions {
  /** Destination path, exposed as `template_destpath`. */
  dest?: string;
  /** Host name exposed as `template_host` (defaults to this machine's). */
  host?: string;
}

export interface Templater {
  /** Ansible's templating of a value string: native value for a lone `{{ expr }}`. */
  renderString(template: string, vars: Vars, origin?: TemplateOrigin): unknown;
  /** Always text (template-module semantics: no escape_backslashes, no type conversion). */
  renderText(template: string, vars: Vars, origin?: TemplateOrigin): string;
  renderFile(file: string, vars: Vars, opts?: RenderFileOptions): Promise<string>;
  /** The native value of a bare Jinja expression. */
  evaluate(expr: string, vars: Vars, origin?: TemplateOrigin): unknown;
  /** A lookup plugin run on already templated terms, as a with_<name> loop runs it (a list). */
  query(name: string, terms: unknown[], vars: Vars): unknown[];
  /** when / changed_when / failed_when / until / assert.that (a list is an AND). */
  evaluateCondition(cond: Condition, vars: Vars, origin?: TemplateOrigin): boolean;
  /** Templates every string in a structure (keys untouched) and drops `omit`ted dict entries. */
  templateData<T>(data: T, vars: Vars, origin?: TemplateOrigin): T;
  isTemplated(value: unknown): boolean;
  /**
   * Ansible's `hostvars`: each host's variables, templated lazily in THAT host's scope when a
   * template reads them (`hostvars[groups['falco'][0]].ansible_host`). Put the result in vars.
   */
  hostVars(varsOf: (host: string) => Vars | undefined, hosts: () => string[]): LazyMapping;
}

// Python's `$` also matches before a final newline.
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}\n?$/;
const GLOBALS: Vars = { True: true, False: false, None: null, omit: OMIT };

export function isTemplated(value: unknown): boolean {
  return mayContainTemplate(value);
}

// Not cached per object: callers may mutate their vars between calls. Proxies (lazy views
// such as an engine's hostvars) are never walked or templated as a whole.
function mayContainTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') || value.includes('{#');
  if (value === null || typeof value !== 'object' || types.isProxy(value) || isUnsafe(value)) return false;
  if (Array.isArray(value)) return value.some(mayContainTemplate);
  return isMapping(value) && Object.values(value).some(mayContainTemplate);
}

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

function containsUndefined(value: unknown): boolean {
  return someInside(value, (v) => v instanceof Undefined);
}

/** Ansible's ansible_eval_concat: text that looks like a list/dict/bool becomes one. */
function convertText(out: string): unknown {
  if (out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False') {
    const parsed = literalEval(out);
    if (parsed.ok) return parsed.value;
  }
  return out;
}

/**
 * vars: Templar.template (escape_backslashes, convert_data); lookup: the template lookup's
 * Templar.template (convert_data, no escape_backslashes); text: the template module; expr: a
 * bare expression.
 */
type Mode = 'vars' | 'lookup' | 'text' | 'expr';

/** The template lookup's Jinja delimiter options, supported at their defaults only. */
const LOOKUP_DELIMITERS: Record<string, string> = {
  variable_start_string: '{{',
  variable_end_string: '}}',
  comment_start_string: '{#',
  comment_end_string: '#}',
};

class VarScope implements Scope {
  private readonly cache = new Map<string, unknown>();
  private readonly resolving = new Set<string>();
  constructor(
    private readonly templater: AnsibleTemplater,
    readonly vars: Vars,
    readonly extra: Vars = {},
  ) {}

  /** The variable as given (untemplated), if set: what Templar's lone-variable shortcut reads. */
  given(name: string): unknown {
    if (Object.prototype.hasOwnProperty.call(this.extra, name)) return this.extra[name];
    return Object.prototype.hasOwnProperty.call(this.vars, name) ? this.vars[name] : undefined;
  }

  lookup(name: string): unknown {
    let raw: unknown;
    if (Object.prototype.hasOwnProperty.call(this.extra, name)) raw = this.extra[name];
    else if (Object.prototype.hasOwnProperty.call(this.vars, name) && this.vars[name] !== undefined) raw = this.vars[name];
    else if (Object.prototype.hasOwnProperty.call(GLOBALS, name)) return GLOBALS[name];
    // Ansible's `vars`: all variables, as given (not templated).
    else if (name === 'vars') return this.vars;
    else return undefinedVariable(name);
    if (!mayContainTemplate(raw)) return reveal(raw);
    if (this.cache.has(name)) return reveal(this.cache.get(name));
    if (this.resolving.has(name)) {
      throw new TemplateRenderError(`recursive loop detected in template string: ${pyStr(raw)}`);
    }
    this.resolving.add(name);
    try {
      // A variable whose template read host data holds host data: cached as unsafe.
      const value = taintedResult(() => this.templater.templateValue(raw, this));
      this.cache.set(name, value);
      return reveal(value);
    } catch (err) {
      // Like AnsibleJ2Vars: an undefined inside a variable's own template only fails when used.
      if (err instanceof TemplateUndefinedError) return new Undefined(err.reason, err.variable);
      throw err;
    } finally {
      this.resolving.delete(name);
    }
  }
}

/**
 * nunjucks loader for `{% include %}`, `{% import %}`, `{% extends %}`: names are looked up next
 * to the including template first, then in the search paths (Ansible's template searchpath),
 * and compiled with our compiler.
 */
class IncludeLoader {
  cache: Record<string, unknown> = {};
  constructor(
    private readonly searchPaths: string[],
    private readonly compile: (text: string, file: string) => Record<string, unknown>,
    /** Full path of a top-level template rendered under the name it was given. */
    private readonly fullPathOf: (name: string) => string,
  ) {}

  isRelative(): boolean {
    return true;
  }

  resolve(parentName: string, name: string): string {
    if (path.isAbsolute(name)) return name;
    const dirs = [path.dirname(this.fullPathOf(parentName)), ...this.searchPaths];
    for (const dir of dirs) {
      const candidate = path.resolve(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    return name;
  }

  getSource(name: string): { src: { type: 'code'; obj: Record<string, unknown> }; path: string; noCache: boolean } | null {
    const full = path.isAbsolute(name) ? name : this.resolve('.', name);
    if (!existsSync(full)) return null;
    const text = readFileSync(full, 'utf8');
    return { src: { type: 'code', obj: this.compile(text, full) }, path: full, noCache: true };
  }
}

class AnsibleTemplater implements Templater {
  private readonly env: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly fullPaths = new Map<string, string>();
  private readonly lookup: ReturnType<typeof createLookup>;
  private renderDepth = 0;

  constructor(private readonly opts: TemplaterOptions) {
    this.env = new NunjucksEnvironment([new IncludeLoader(
        this.opts.searchPaths,
        (text, file) => this.compileFile(text, file),
        (name) => this.fullPaths.get(name) ?? name,
      )], {
      autoescape: false,
      trimBlocks: true,
      lstripBlocks: false,
      throwOnUndefined: false,
    });
    for (const [name, fn] of Object.entries(FILTERS)) {
      const filter = UNDEFINED_OK.has(name) ? fn : guardUndefined(fn);
      this.env.addFilter(name, filter);
      this.env.addFilter(`ansible.builtin.${name}`, filter);
    }
    for (const [name, fn] of Object.entries(TESTS)) {
      this.env.addTest(name, fn);
      this.env.addTest(`ansible.builtin.${name}`, fn);
    }
    const lookup = (this.lookup = createLookup(this.opts.searchPaths, (file, name, kw) => this.renderLookupTemplate(file, name, kw)));
    // As Ansible: what a lookup returns is unsafe (a file's text is never templated).
    const unsafeLookup = (list: boolean) => acceptLookupTerms((...args: unknown[]) => {
      const terms = this.templatedTerms(args);
      noteUnsafe();
      return lookup(list, terms);
    });
    this.env.addGlobal('lookup', unsafeLookup(false));
    this.env.addGlobal('query', unsafeLookup(true));
    this.env.addGlobal('q', unsafeLookup(true));
    this.env.addGlobal('namespace', pyNamespace);
    this.env.addGlobal('dict', pyDict);
  }

  private compile(source: string, mode: Mode, name: string, lineOffset: number): CompiledTemplate {
    const key = `${mode}\0${source}`;
    let c = this.compiled.get(key);
    if (!c) {
      try {
        c = compileTemplate(this.env, rewriteSource(source, mode === 'vars'), {
          name,
          nativeSingleExpression: mode !== 'text',
        });
      } catch (err) {
        if (err instanceof TemplateSyntaxError) {
          throw new TemplateSyntaxError(`${err.reason}. String: ${source}`, {
            file: name,
            line: err.line === undefined ? undefined : err.line + lineOffset,
            cause: err.cause,
          });
        }
        throw err;
      }
      if (this.compiled.size > 5000) this.compiled.clear();
      this.compiled.set(key, c);
    }
    return c;
  }

  /** An included/imported template file: template-module semantics, one trailing newline dropped. */
  private compileFile(text: string, file: string): Record<string, unknown> {
    const source = text.endsWith('\n') ? text.slice(0, -1) : text;
    return this.compile(source, 'text', file, 0).props;
  }

  /** Ansible Templar.template() on one value, resolving names through `scope`. */
  templateValue(value: unknown, scope: VarScope, origin?: TemplateOrigin): unknown {
    if (isUnsafe(value)) return reveal(value);
    if (typeof value === 'string') return this.templateString(value, scope, origin);
    if (Array.isArray(value)) return value.map((v) => this.templateValue(v, scope, origin));
    if (isMapping(value)) {
      return mappingOf(Object.entries(value).map(([k, v]) => [k, this.templateValue(v, scope, origin)]));
    }
    return value;
  }

  private templateString(template: string, scope: VarScope, origin?: TemplateOrigin, mode: Mode = 'vars'): unknown {
    if (!mayContainTemplate(template)) return template;
    const single = SINGLE_VAR.exec(template);
    if (single) {
      const v = scope.given(single[1]!);
      if (typeof v === 'boolean' || typeof v === 'number') return v;
      if (v === null) return null;
    }
    return this.run(template, mode, scope, origin);
  }

  /**
   * _lookup's listify_lookup_plugin_terms: the terms (not the name or keywords) are templated
   * again, so a term written '{{ name }}.j2' is rendered. Not a term whose computation read
   * unsafe data (host data, a lookup's result: Ansible's AnsibleUnsafe), nor one passed by a
   * call the compiler did not see as lookup/query (no LookupTerm: its origin is unknown).
   */
  private templatedTerms(args: unknown[]): unknown[] {
    const scope = currentScope();
    return args.map((arg, i) => {
      if (!(arg instanceof LookupTerm)) return arg;
      if (i === 0 || arg.tainted || !(scope instanceof VarScope)) return arg.value;
      const term = arg.value;
      return typeof term === 'string' ? unwrapText(this.templateString(term, scope)) : this.templateValue(term, scope);
    });
  }

  /** Compile + render with Jinja's trailing-newline handling and Ansible's preservation. */
  private run(raw: string, mode: Mode, scope: VarScope, origin?: TemplateOrigin): unknown {
    const name = origin?.file ?? '<template>';
    // Jinja normalizes line endings to newline_sequence ("\n").
    const template = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
    const lineOffset = (origin?.line ?? 1) - 1;
    const wanted = trailingNewlines(template);
    const source = template.endsWith('\n') ? template.slice(0, -1) : template;
    const compiled = this.compile(source, mode, name, lineOffset);
    this.renderDepth++;
    let result: unknown;
    let nativeText: boolean;
    try {
      result = withScope(scope, () => renderCompiled(compiled, name, lineOffset));
      nativeText = compiled.native && isNativeText(result);
    } finally {
      if (--this.renderDepth === 0) forgetNativeTexts();
    }
    if (mode === 'expr') {
      if (containsUndefined(result)) pyStr(result);
      return result;
    }
    const keepText = nativeText || (compiled.native && compiled.lastFilter !== undefined && STRING_TYPE_FILTERS.has(compiled.lastFilter));
    // Ansible converts first (ansible_eval_concat), then pads trailing newlines onto strings only.
    let value: unknown;
    if (typeof result !== 'string') value = nativeResult(result);
    else value = mode !== 'text' && !keepText ? convertText(result) : result;
    if (typeof value !== 'string') return value;
    const have = trailingNewlines(value);
    const text = wanted > have ? value + '\n'.repeat(wanted - have) : value;
    return keepText ? new NativeText(text) : text;
  }

  renderString(template: string, vars: Vars, origin?: TemplateOrigin): unknown {
    return toPlainData(unwrapText(this.templateString(template, new VarScope(this, vars), origin)));
  }

  renderText(template: string, vars: Vars, origin?: TemplateOrigin, extra?: Vars): string {
    if (!mayContainTemplate(template)) return template;
    const out = this.run(template, 'text', new VarScope(this, vars, extra), origin);
    return pyStr(unwrapText(out));
  }

  async renderFile(file: string, vars: Vars, opts: RenderFileOptions = {}): Promise<string> {
    const full = await this.resolve(file);
    let text: string;
    try {
      text = vaultDecryptedFile(await readFile(full), full).toString('utf8');
    } catch (err) {
      throw new InputError(`could not read template: ${(err as Error).message}`, { file, cause: err });
    }
    this.fullPaths.set(file, full);
    return this.renderText(text, vars, { file, line: 1 }, this.templateFileVars(file, full, opts));
  }

  /** generate_ansible_template_vars: what a template file sees about itself. */
  private templateFileVars(file: string, full: string, opts: RenderFileOptions = {}): Vars {
    return {
      template_path: file,
      template_fullpath: full,
      template_destpath: opts.dest ?? null,
      template_host: opts.host ?? os.hostname(),
      template_uid: os.userInfo().username,
      ansible_managed: this.opts.ansibleManaged ?? 'Ansible managed',
    };
  }

  /**
   * ansible-core 2.14's template lookup, inside the render in progress: the file templated with
   * that render's variables plus the template's own and `template_vars`, as Templar.template
   * (lone-variable shortcut, trailing newlines kept, no escape_backslashes). With convert_data
   * (default) text that looks like a list/dict/bool becomes one; without, it stays text.
   */
  private renderLookupTemplate(file: string, name: string, kw: Vars): unknown {
    for (const [option, standard] of Object.entries(LOOKUP_DELIMITERS)) {
      if (kw[option] !== undefined && kw[option] !== standard) {
        throw new TemplateRenderError(`the template lookup's ${option} is not supported (only '${standard}')`);
      }
    }
    const templateVars = kw.template_vars ?? {};
    if (!isMapping(templateVars)) throw new TemplateRenderError(`the template lookup's template_vars must be a dict, got ${pyStr(templateVars)}`);
    const convertData = boolean(kw.convert_data ?? true);
    const outer = currentScope();
    const base = outer instanceof VarScope ? outer : new VarScope(this, {});
    const text = vaultDecryptedFile(readFileSync(file), file).toString('utf8');
    const scope = new VarScope(this, base.vars, { ...base.extra, ...this.templateFileVars(name, file), ...templateVars });
    const out = unwrapText(this.templateString(text, scope, { file, line: 1 }, convertData ? 'lookup' : 'text'));
    // NativeJinjaText(res): str() even of what the lone-variable shortcut returned
    return convertData ? out : noteNativeText(pyStr(out));
  }

  private async resolve(file: string): Promise<string> {
    if (path.isAbsolute(file)) return file;
    const { access } = await import('node:fs/promises');
    for (const dir of this.opts.searchPaths) {
      const candidate = path.resolve(dir, file);
      try {
        await access(candidate);
        return candidate;
      } catch {
        // try the next search path
      }
    }
    throw new InputError(`template not found in ${this.opts.searchPaths.join(', ') || '(no search paths)'}`, { file });
  }

  evaluate(expr: string, vars: Vars, origin?: TemplateOrigin): unknown {
    return toPlainData(unwrapText(this.run(`{{ ${expr} }}`, 'expr', new VarScope(this, vars), origin)));
  }

  query(name: string, terms: unknown[], vars: Vars): unknown[] {
    return withScope(new VarScope(this, vars), () => this.lookup(true, [name, ...terms])) as unknown[];
  }

  evaluateCondition(cond: Condition, vars: Vars, origin?: TemplateOrigin): boolean {
    const list = Array.isArray(cond) ? cond : [cond];
    const scope = new VarScope(this, vars);
    for (const c of list) {
      if (c === null || c === undefined || c === '') continue;
      if (typeof c === 'boolean') {
        if (!c) return false;
        continue;
      }
      if (!this.conditionHolds(c, scope, origin)) return false;
    }
    return true;
  }

  private conditionHolds(c: string, scope: VarScope, origin?: TemplateOrigin): boolean {
    try {
      const { value: templated, tainted } = trackTaint(() => unwrapText(this.templateString(plainText(c), scope, origin)));
      // Ansible: an unsafe conditional is never evaluated; text made from host data is not code.
      if ((tainted || (c as unknown) instanceof UnsafeText) && typeof templated === 'string' && templated !== '') {
        throw new TemplateRenderError(`Conditional is marked as unsafe, and cannot be evaluated: ${pyStr(c)}`);
      }
      if (typeof templated !== 'string' || templated === '') return pyTruthy(templated);
      return pyTruthy(unwrapText(this.run(`{{ ${templated} }}`, 'expr', scope, origin)));
    } catch (err) {
      if (err instanceof TemplateUndefinedError || (err instanceof TemplateRenderError && !(err instanceof ConditionalCheckError))) {
        throw new ConditionalCheckError(plainText(c), err);
      }
      throw err;
    }
  }

  templateData<T>(data: T, vars: Vars, origin?: TemplateOrigin): T {
    if (!mayContainTemplate(data)) return data;
    const scope = new VarScope(this, vars);
    const templated = this.templateValueDeep(data, scope, origin);
    return toPlainData(removeOmitted(templated)) as T;
  }

  /** Every string templated; one whose render read host data comes back as UnsafeText. */
  private templateValueDeep(value: unknown, scope: VarScope, origin?: TemplateOrigin): unknown {
    if (isUnsafe(value)) {
      noteUnsafe();
      return value;
    }
    if (typeof value === 'string') return taintedResult(() => unwrapText(this.templateString(value, scope, origin)));
    if (Array.isArray(value)) return value.map((v) => this.templateValueDeep(v, scope, origin));
    if (isMapping(value)) {
      return mappingOf(Object.entries(value).map(([k, v]) => [k, this.templateValueDeep(v, scope, origin)]));
    }
    return value;
  }

  isTemplated(value: unknown): boolean {
    return mayContainTemplate(value);
  }

  hostVars(varsOf: (host: string) => Vars | undefined, hosts: () => string[]): LazyMapping {
    return new LazyMapping(hosts, (host) => {
      const vars = varsOf(host);
      if (vars === undefined) return new Undefined(`"hostvars['${host}']" is undefined`);
      // A fresh scope per access (vars change as tasks register results); templating another
      // host's variable sees that host's variables only.
      const hostScope = new VarScope(this, vars);
      return new LazyMapping(() => Object.keys(vars), (name) => hostScope.lookup(name));
    });
  }
}

/** Marker for the text of to_json & co, which Ansible does not literal_eval. */
class NativeText {
  constructor(readonly text: string) {}
}
function unwrapText(v: unknown): unknown {
  return v instanceof NativeText ? v.text : v;
}

/** Ansible's str() + literal_eval round trip for a lone `{{ expr }}`, without the round trip. */
function nativeResult(value: unknown): unknown {
  if (containsUndefined(value)) {
    // Rendering a structure that holds an undefined value fails like printing it would.
    pyStr(value);
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return pyStr(value);
  if (value === null || value === undefined) return '';
  if (isTuple(value)) return pyStr(value); // "(a, b)" is not literal_eval'd back by Ansible
  if (Array.isArray(value) || isMapping(value)) return deepCopy(value);
  return pyStr(value);
}

/** TaskExecutor's remove_omit: dict entries equal to omit go, recursively (lists: their dicts). */
function removeOmitted(value: unknown): unknown {
  if (!isMapping(value)) return value;
  const out: Vars = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === OMIT) continue;
    setItem(out, k, isMapping(v) ? removeOmitted(v) : Array.isArray(v) ? keepUnsafeMark(v, v.map(removeOmitted)) : v);
  }
  return keepUnsafeMark(value, out);
}

/** Filters fail on an undefined input; undefined arguments fail only where they are used. */
function guardUndefined(fn: (...args: any[]) => unknown) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return function (this: unknown, value: unknown, ...args: unknown[]) {
    if (value instanceof Undefined) value.fail();
    return fn.apply(this, [value, ...args]);
  };
}

export function createTemplater(opts: TemplaterOptions): Templater {
  return new AnsibleTemplater(opts);
}

