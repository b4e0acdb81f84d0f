/**
 * The one module-argument validator, as Ansible's ArgumentSpecValidator + AnsibleModule
 * (module_utils/common/arg_spec.py, parameters.py, validation.py): aliases, unsupported names,
 * mutually_exclusive, defaults, required, types and elements, choices, required_together,
 * required_one_of, required_if, required_by; the first error is reported, worded as Ansible does.
 * Used at load time (templated values unchecked), by the engine after templating, and by modules.
 */
import { FalcoDeployError, type ErrorContext } from '../errors.js';
import type { ArgSpec, ModuleSpec } from './spec.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from '../python/boolean.js';
import { pyEquals, pyStr } from '../template/pyvalue.js';
import { didYouMean } from '../suggest.js';
import { pyClass, TYPE_CHECKERS } from './types.js';

/** A module argument that is unknown, missing, of the wrong type or not an allowed value. */
export class ArgumentError extends FalcoDeployError {
  constructor(
    message: string,
    /** The key at fault, as the user wrote it, when there is one (for file:line). */
    readonly argument?: string,
    /** " (did you mean 'x'?)": not part of Ansible's message; load-time errors add it. */
    readonly hint = '',
    ctx: ErrorContext = {},
  ) {
    super(message, { phase: 'plan', ...ctx });
    this.name = 'ArgumentError';
  }
}

interface ValidateOptions {
  /** Load time: values still holding {{ }} / {% %} are not type- or choice-checked, and may turn out omitted. */
  loadTime?: boolean;
}

type Params = Record<string, unknown>;

export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate);
  return false;
}

/** Validates and converts `params` for module `module`; throws the first ArgumentError. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module reads its own validated argument shape
export function validateArgs<T = Record<string, any>>(spec: ModuleSpec, params: Params, module: string, opts: ValidateOptions = {}): T {
  const run = new Validation(spec, { ...(params ?? {}) }, module, opts.loadTime === true);
  return run.validate(params ?? {}) as T;
}

/**
 * Every error, ordered and worded as ArgumentSpecValidator.validate (not AnsibleModule's
 * validator) reports them: an unknown name is "<names>. Supported parameters include: ...".
 * validate_argument_spec's `argument_errors`.
 */
export function argumentSpecErrors(spec: ModuleSpec, params: Params): string[] {
  const run = new Validation(spec, { ...params }, '', false, true);
  run.collect(params);
  return run.errors.map((e) => e.message);
}

class Validation {
  readonly errors: ArgumentError[] = [];
  private readonly aliasOf = new Map<string, string>();

  constructor(
    private readonly spec: ModuleSpec,
    private readonly p: Params,
    private readonly module: string,
    private readonly loadTime: boolean,
    private readonly specValidator = false,
  ) {}

  validate(given: Params): Params {
    this.collect(given);
    if (this.errors.length) throw this.errors[0];
    return this.result();
  }

  collect(given: Params): void {
    this.handleAliases(given);
    const unsupported = this.spec.anyArgs ? [] : Object.keys(given).filter((k) => !(k in this.spec.args) && !this.aliasOf.has(k));
    this.check(() => this.mutuallyExclusive());
    this.setDefaults(false);
    this.check(() => this.requiredArguments());
    this.convertTypes(given);
    this.checkChoices(given);
    this.check(() => this.requiredTogether());
    this.check(() => this.requiredOneOf());
    this.check(() => this.requiredIf());
    this.check(() => this.requiredBy());
    this.setDefaults(true);
    // Ansible reports unknown names last; before running, a misspelt name explains the rest best
    if (unsupported.length) this.errors.splice(this.loadTime ? 0 : this.errors.length, 0, this.unsupportedError(unsupported));
  }

  /** Ansible: an alias's value is copied onto its option (the alias wins over the option). */
  private handleAliases(given: Params): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      for (const alias of arg.aliases ?? []) {
        this.aliasOf.set(alias, name);
        if (alias in given) this.p[name] = given[alias];
      }
    }
  }

  private check(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof ArgumentError)) throw err;
      this.errors.push(err);
    }
  }

  private given(name: string): boolean {
    return name in this.p;
  }

  /** Given, and not a template that may still be omitted or hold anything (load time). */
  private certain(name: string): boolean {
    return this.given(name) && !(this.loadTime && hasTemplate(this.p[name]));
  }

  /** The key the user wrote for `name`: itself or one of its aliases. */
  private written(name: string, given: Params): string {
    return [...(this.spec.args[name]?.aliases ?? [])].reverse().find((a) => a in given) ?? name;
  }

  private mutuallyExclusive(): void {
    const hits = (this.spec.mutuallyExclusive ?? []).filter((group) => new Set(group.filter((n) => this.certain(n))).size > 1);
    if (hits.length) throw new ArgumentError(`parameters are mutually exclusive: ${hits.map((g) => g.join('|')).join(', ')}`);
  }

  private setDefaults(all: boolean): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      if (this.given(name) || (!all && (arg.default === undefined || arg.default === null))) continue;
      if (arg.default !== undefined) this.p[name] = typeof arg.default === 'object' && arg.default !== null ? structuredClone(arg.default) : arg.default;
    }
  }

  private requiredArguments(): void {
    const missing = Object.entries(this.spec.args).filter(([n, a]) => a.required && !this.given(n)).map(([n]) => n).sort();
    if (missing.length) throw new ArgumentError(`missing required arguments: ${missing.join(', ')}`);
  }

  private convertTypes(given: Params): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      const value = this.p[name];
      if (value === undefined || value === null || (this.loadTime && typeof value === 'string' && hasTemplate(value))) continue;
      const where = this.written(name, given);
      try {
        this.p[name] = TYPE_CHECKERS[arg.type](value);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        this.errors.push(new ArgumentError(`argument '${name}' is of type ${pyClass(value)} and we were unable to convert to ${arg.type}: ${err.message}`, where));
        continue;
      }
      if (arg.elements) this.convertElements(name, arg, where);
    }
  }

  private convertElements(name: string, arg: ArgSpec, where: string): void {
    const items = this.p[name];
    if (arg.type !== 'list' || !Array.isArray(items)) {
      this.errors.push(new ArgumentError(`Invalid type ${arg.type} for option '${pyStr(items)}', elements value check is supported only with 'list' type`, where));
      return;
    }
    this.p[name] = items.map((item) => {
      if (this.loadTime && hasTemplate(item)) return item;
      try {
        return TYPE_CHECKERS[arg.elements!](item);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        this.errors.push(new ArgumentError(`Elements value for option '${name}' is of type ${pyClass(item)} and we were unable to convert to ${arg.elements}: ${err.message}`, where));
        return item;
      }
    });
  }

  private checkChoices(given: Params): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      if (!arg.choices || !this.given(name) || (this.loadTime && hasTemplate(this.p[name]))) continue;
      const value = this.p[name];
      const allowed = (v: unknown) => arg.choices!.some((c) => pyEquals(v, c));
      if (Array.isArray(value)) {
        const bad = value.filter((v) => !allowed(v));
        if (bad.length) this.errors.push(new ArgumentError(`value of ${name} must be one or more of: ${choicesText(arg)}. Got no match for: ${bad.map(pyStr).join(', ')}`, this.written(name, given), didYouMean(pyStr(bad[0]), arg.choices.map(pyStr))));
        continue;
      }
      if (allowed(value)) continue;
      // a YAML boolean given for a choice such as yes/no: the one boolean word among the choices
      const words = value === 'False' ? BOOLEANS_FALSE : value === 'True' ? BOOLEANS_TRUE : [];
      const overlap = arg.choices.filter((c) => words.some((w) => pyEquals(w, c)));
      if (overlap.length === 1) {
        this.p[name] = overlap[0];
        continue;
      }
      this.errors.push(new ArgumentError(`value of ${name} must be one of: ${choicesText(arg)}, got: ${pyStr(value)}`, this.written(name, given), didYouMean(pyStr(value), arg.choices.map(pyStr))));
    }
  }

  private requiredTogether(): void {
    for (const group of this.spec.requiredTogether ?? []) {
      if (group.some((n) => this.certain(n)) && group.some((n) => !this.given(n))) {
        throw new ArgumentError(`parameters are required together: ${group.join(', ')}`);
      }
    }
  }

  private requiredOneOf(): void {
    for (const group of this.spec.requiredOneOf ?? []) {
      if (!group.some((n) => this.given(n))) throw new ArgumentError(`one of the following is required: ${group.join(', ')}`);
    }
  }

  private requiredIf(): void {
    for (const [key, value, requirements, anyOf] of this.spec.requiredIf ?? []) {
      if (!this.certain(key) || !pyEquals(this.p[key], value)) continue;
      const missing = requirements.filter((n) => !this.given(n));
      if (missing.length && missing.length >= (anyOf ? requirements.length : 0)) {
        throw new ArgumentError(`${key} is ${pyStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`);
      }
    }
  }

  private requiredBy(): void {
    for (const [key, required] of Object.entries(this.spec.requiredBy ?? {})) {
      if (!this.certain(key) || this.p[key] === null) continue;
      const missing = required.filter((n) => !this.given(n) || this.p[n] === null);
      if (missing.length) throw new ArgumentError(`missing parameter(s) required by '${key}': ${missing.join(', ')}`);
    }
  }

  private unsupportedError(unsupported: string[]): ArgumentError {
    const supported = Object.keys(this.spec.args).sort().join(', ');
    const aliases = [...this.aliasOf.keys()].sort().join(', ');
    const names = [...this.aliasOf.keys(), ...Object.keys(this.spec.args)];
    unsupported.sort();
    const prefix = this.specValidator ? '' : `Unsupported parameters for (${this.module}) module: `;
    return new ArgumentError(
      `${prefix}${unsupported.join(', ')}. Supported parameters include: ${supported}${aliases ? ` (${aliases})` : ''}.`,
      unsupported[0],
      didYouMean(unsupported[0]!, names),
    );
  }

  /** Options by their own names (aliases dropped); options left None are left out (a required one given as null stays, as Ansible lets it through). */
  private result(): Params {
    const out: Params = {};
    for (const [key, value] of Object.entries(this.p)) {
      if (this.aliasOf.has(key) && !(key in this.spec.args)) continue;
      if (key in this.spec.args && (value === undefined || (value === null && !this.spec.args[key]!.required))) continue;
      out[key] = value;
    }
    return out;
  }
}

function choicesText(arg: ArgSpec): string {
  return (arg.choices ?? []).map(pyStr).join(', ');
}
