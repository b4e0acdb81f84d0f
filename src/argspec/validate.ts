/**
 * The one module-argument validator, as Ansible's ArgumentSpecValidator + AnsibleModule
 * (module_utils/common/arg_spec.py, parameters.py, validation.py): aliases, unsupported names,
 * mutually_exclusive, defaults, required, types and elements, choices, required_together,
 * required_one_of, required_if, required_by, and the same for suboptions (options of a dict or of a
 * list of dicts, errors ending "found in a -> b"); the first error is reported, worded as Ansible does.
 * Used at load time (templated values unchecked), by the engine after templating, and by modules.
 */
import { FalcoDeployError, type ErrorContext } from '../errors.js';
import type { ArgSpec, ModuleSpec, SpecChecks } from './spec.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE } from '../python/boolean.js';
import { pyEquals, pyStr, pyTypeName } from '../template/pyvalue.js';
import { isMapping } from '../python/values.js';
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

/** An unknown key, dotted from the top ("opt.sub"), with what its own spec supports. */
interface Unsupported {
  name: string;
  written: string;
  supported: string;
  names: string[];
}

export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate);
  return false;
}

/** Validates and converts `params` for module `module`; throws the first ArgumentError. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module reads its own validated argument shape
export function validateArgs<T = Record<string, any>>(spec: ModuleSpec, params: Params, module: string, opts: ValidateOptions = {}): T {
  const run = new Validation(spec, { ...(params ?? {}) }, module, opts.loadTime === true, [], []);
  return run.validate(params ?? {}) as T;
}

/**
 * Every error, ordered and worded as ArgumentSpecValidator.validate (not AnsibleModule's
 * validator) reports them: an unknown name is "<names>. Supported parameters include: ...".
 * validate_argument_spec's `argument_errors`.
 */
export function argumentSpecErrors(spec: ModuleSpec, params: Params): string[] {
  const run = new Validation(spec, { ...params }, undefined, false, [], []);
  run.collect(params);
  return run.errors.map((e) => e.message);
}

class Validation {
  readonly errors: ArgumentError[] = [];
  private readonly aliasOf = new Map<string, string>();

  constructor(
    private readonly spec: ModuleSpec,
    private readonly p: Params,
    /** For "Unsupported parameters for (module) module: "; none for validate_argument_spec. */
    private readonly module: string | undefined,
    private readonly loadTime: boolean,
    /** The parent options of a suboption spec (Ansible's options_context), outermost first. */
    private readonly context: readonly string[],
    /** Unknown keys of this spec and of every suboption spec under it, in the order found. */
    private readonly unsupported: Unsupported[],
  ) {}

  validate(given: Params): Params {
    this.collect(given);
    if (this.errors.length) throw this.errors[0];
    return this.result();
  }

  /** Every check, in Ansible's order; the errors are left in `errors`. */
  collect(given: Params): void {
    this.handleAliases(given);
    if (!this.context.length) this.check(() => suboptionDictsParse(this.spec.args, this.p, this.loadTime));
    if (!this.spec.anyArgs) this.unsupported.push(...Object.keys(given).filter((k) => !(k in this.spec.args) && !this.aliasOf.has(k)).map((k) => this.unknown(k)));
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
    this.validateSuboptions(given);
    // Ansible reports unknown names last (once, for every level); before running, a misspelt name explains the rest best
    if (!this.context.length && this.unsupported.length) this.errors.splice(this.loadTime ? 0 : this.errors.length, 0, this.unsupportedError());
  }

  /** Ansible's _validate_sub_spec: each dict (or each dict of a list) checked against the option's own options. */
  private validateSuboptions(given: Params): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      if (!arg.options || !(arg.type === 'dict' || (arg.type === 'list' && arg.elements === 'dict'))) continue;
      if (arg.applyDefaults && (this.p[name] === undefined || this.p[name] === null)) this.p[name] = {};
      const value = this.p[name];
      if (value === undefined || value === null || (this.loadTime && typeof value === 'string' && hasTemplate(value))) continue;
      const where = this.written(name, given);
      const spec: ModuleSpec = { args: arg.options, ...checksOf(arg) };
      const validateOne = (item: unknown): unknown => {
        if (this.loadTime && hasTemplate(item) && typeof item === 'string') return item;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          this.errors.push(new ArgumentError(`value of '${name}' must be of type dict or list of dicts`, where));
          return item;
        }
        const sub = new Validation(spec, { ...(item as Params) }, this.module, this.loadTime, [...this.context, name], this.unsupported);
        sub.collect(item as Params);
        this.errors.push(...sub.errors.map((e) => new ArgumentError(e.message, where, e.hint)));
        return sub.result();
      };
      this.p[name] = Array.isArray(value) ? value.map(validateOne) : validateOne(value);
    }
  }

  /** Ansible's " found in a -> b" after a check's message, for a suboption spec. */
  private foundIn(message: string): string {
    return this.context.length ? `${message} found in ${this.context.join(' -> ')}` : message;
  }

  private unknown(key: string): Unsupported {
    const aliases = [...this.aliasOf.keys()].sort().join(', ');
    return {
      name: [...this.context, key].join('.'),
      written: key,
      supported: `${Object.keys(this.spec.args).sort().join(', ')}${aliases ? ` (${aliases})` : ''}`,
      names: [...this.aliasOf.keys(), ...Object.keys(this.spec.args)],
    };
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
    if (hits.length) throw new ArgumentError(this.foundIn(`parameters are mutually exclusive: ${hits.map((g) => g.join('|')).join(', ')}`));
  }

  private setDefaults(all: boolean): void {
    for (const [name, arg] of Object.entries(this.spec.args)) {
      if (this.given(name) || (!all && (arg.default === undefined || arg.default === null))) continue;
      if (arg.default !== undefined) this.p[name] = typeof arg.default === 'object' && arg.default !== null ? structuredClone(arg.default) : arg.default;
    }
  }

  private requiredArguments(): void {
    const missing = Object.entries(this.spec.args).filter(([n, a]) => a.required && !this.given(n)).map(([n]) => n).sort();
    if (missing.length) throw new ArgumentError(this.foundIn(`missing required arguments: ${missing.join(', ')}`));
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
        const found = this.context.length ? ` found in '${this.context.join(' -> ')}'.` : '';
        this.errors.push(new ArgumentError(`argument '${name}' is of type ${pyClass(value)}${found} and we were unable to convert to ${arg.type}: ${err.message}`, where));
        continue;
      }
      if (arg.elements) this.convertElements(name, arg, where);
    }
  }

  private convertElements(name: string, arg: ArgSpec, where: string): void {
    const items = this.p[name];
    if (arg.type !== 'list' || !Array.isArray(items)) {
      const found = this.context.length ? ` found in '${this.context.join(' -> ')}'.` : '';
      this.errors.push(new ArgumentError(`Invalid type ${arg.type} for option '${pyStr(items)}'${found}, elements value check is supported only with 'list' type`, where));
      return;
    }
    this.p[name] = items.map((item) => {
      if (this.loadTime && hasTemplate(item)) return item;
      try {
        return TYPE_CHECKERS[arg.elements!](item);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        const found = this.context.length ? ` found in '${this.context.join(' -> ')}'` : '';
        this.errors.push(new ArgumentError(`Elements value for option '${name}'${found} is of type ${pyClass(item)} and we were unable to convert to ${arg.elements}: ${err.message}`, where));
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
        if (bad.length) this.errors.push(new ArgumentError(this.foundIn(`value of ${name} must be one or more of: ${choicesText(arg)}. Got no match for: ${bad.map(pyStr).join(', ')}`), this.written(name, given), didYouMean(pyStr(bad[0]), arg.choices.map(pyStr))));
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
      this.errors.push(new ArgumentError(this.foundIn(`value of ${name} must be one of: ${choicesText(arg)}, got: ${pyStr(value)}`), this.written(name, given), didYouMean(pyStr(value), arg.choices.map(pyStr))));
    }
  }

  private requiredTogether(): void {
    for (const group of this.spec.requiredTogether ?? []) {
      if (group.some((n) => this.certain(n)) && group.some((n) => !this.given(n))) {
        throw new ArgumentError(this.foundIn(`parameters are required together: ${group.join(', ')}`));
      }
    }
  }

  private requiredOneOf(): void {
    for (const group of this.spec.requiredOneOf ?? []) {
      if (!group.some((n) => this.given(n))) throw new ArgumentError(this.foundIn(`one of the following is required: ${group.join(', ')}`));
    }
  }

  private requiredIf(): void {
    for (const [key, value, requirements, anyOf] of this.spec.requiredIf ?? []) {
      if (!this.certain(key) || !pyEquals(this.p[key], value)) continue;
      const missing = requirements.filter((n) => !this.given(n));
      if (missing.length && missing.length >= (anyOf ? requirements.length : 0)) {
        throw new ArgumentError(this.foundIn(`${key} is ${pyStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`));
      }
    }
  }

  private requiredBy(): void {
    for (const [key, required] of Object.entries(this.spec.requiredBy ?? {})) {
      if (!this.certain(key) || this.p[key] === null) continue;
      const missing = required.filter((n) => !this.given(n) || this.p[n] === null);
      if (missing.length) throw new ArgumentError(this.foundIn(`missing parameter(s) required by '${key}': ${missing.join(', ')}`));
    }
  }

  /**
   * One message for every unknown key, sorted. Ansible lists the supported names of the spec the
   * last unknown key it met belongs to (set order); here, of the first unknown key found.
   */
  private unsupportedError(): ArgumentError {
    const first = this.unsupported[0]!;
    return new ArgumentError(
      `${this.module === undefined ? '' : `Unsupported parameters for (${this.module}) module: `}${this.unsupported.map((u) => u.name).sort().join(', ')}. Supported parameters include: ${first.supported}.`,
      first.written,
      didYouMean(first.written, first.names),
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

/**
 * Ansible lists no_log values before anything else is checked, parsing each string item of an
 * option with suboptions as a dict on the way: an item that is neither a dict nor key=value / JSON
 * text is the first error (_list_no_log_values), worded as its own.
 */
function suboptionDictsParse(args: ModuleSpec['args'], params: Params, loadTime: boolean): void {
  for (const [name, arg] of Object.entries(args)) {
    const value = params[name];
    if (!arg.options || value === undefined || value === null || !(arg.type === 'dict' || (arg.type === 'list' && arg.elements === 'dict'))) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (loadTime && hasTemplate(item)) continue;
      let dict: unknown = item;
      if (typeof item === 'string') {
        try {
          dict = TYPE_CHECKERS.dict(item);
        } catch (err) {
          if (err instanceof TypeError) throw new ArgumentError(err.message, name);
          throw err;
        }
      }
      if (!isMapping(dict)) throw new ArgumentError(`Value '${pyStr(dict)}' in the sub parameter field '${name}' must by a ${arg.type}, not '${pyTypeName(dict)}'`, name);
      suboptionDictsParse(arg.options, dict, loadTime);
    }
  }
}

function checksOf(arg: ArgSpec): SpecChecks {
  const { mutuallyExclusive, requiredOneOf, requiredIf, requiredTogether, requiredBy } = arg;
  return { mutuallyExclusive, requiredOneOf, requiredIf, requiredTogether, requiredBy };
}

function choicesText(arg: ArgSpec): string {
  return (arg.choices ?? []).map(pyStr).join(', ');
}
