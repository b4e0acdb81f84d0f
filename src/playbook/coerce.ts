/**
 * Module argument checking and Ansible-style type conversion (module_utils/common/validation):
 * aliases resolved, defaults filled, 'yes'/'no' -> bool, '8' -> 8, 'a,b' -> ['a','b'] ...
 * The engine calls coerceArgs after templating; validation calls checkArgs at load time, which
 * skips value checks for arguments that are still templates.
 */
import { FalcoDeployError } from '../errors.js';
import type { ArgSpec, ArgType, ModuleSpec } from '../engine/module.js';
import { splitArgs, unquote } from './kv.js';
import { didYouMean } from './suggest.js';

/** A module argument that is missing, unknown, of the wrong type or not an allowed choice. */
export class ArgumentError extends FalcoDeployError {
  constructor(
    message: string,
    /** The argument at fault, as given, when there is one. */
    readonly argument?: string,
  ) {
    super(message, { phase: 'plan' });
    this.name = 'ArgumentError';
  }
}

interface CheckOptions {
  /** Skip type/choice checks of values that still contain {{ }} / {% %}. */
  skipTemplated: boolean;
  /** Fill defaults into the result. */
  fillDefaults: boolean;
}

/** Converts templated args to the types the module declares; throws ArgumentError. */
export function coerceArgs(spec: ModuleSpec, args: Record<string, unknown>): Record<string, unknown> {
  return checkArgs(spec, args, { skipTemplated: false, fillDefaults: true });
}

export function checkArgs(spec: ModuleSpec, args: Record<string, unknown>, opts: CheckOptions): Record<string, unknown> {
  const canonical = aliasTable(spec);
  const out: Record<string, unknown> = {};
  const anyArgs = spec.anyArgs === true;
  for (const [given, value] of Object.entries(args)) {
    const name = canonical.get(given);
    if (name === undefined) {
      if (anyArgs) {
        out[given] = value;
        continue;
      }
      throw new ArgumentError(`unsupported argument '${given}'${didYouMean(given, [...canonical.keys()])}; valid arguments: ${validArgNames(spec)}`, given);
    }
    if (name in out && given !== name) throw new ArgumentError(`'${given}' is an alias of '${name}'; give only one of them`, given);
    out[name] = value;
  }
  for (const [name, arg] of Object.entries(spec.args)) {
    const value = out[name];
    if (value === undefined || value === null) {
      if (arg.required) throw new ArgumentError(`missing required argument '${name}'; valid arguments: ${validArgNames(spec)}`);
      if (opts.fillDefaults && arg.default !== undefined) out[name] = arg.default;
      else if (value === null) out[name] = null;
      continue;
    }
    if (opts.skipTemplated && hasTemplate(value)) continue;
    try {
      out[name] = convert(arg.type, value, name, arg.elements);
      checkChoice(name, arg, out[name]);
    } catch (err) {
      if (err instanceof ArgumentError && err.argument === undefined) throw new ArgumentError(err.message, givenName(args, name, arg));
      throw err;
    }
  }
  checkCombinations(spec, out, args);
  return out;
}

/** The key the user wrote for `name` (itself or one of its aliases). */
function givenName(args: Record<string, unknown>, name: string, arg: ArgSpec): string {
  return [name, ...(arg.aliases ?? [])].find((n) => n in args) ?? name;
}

function aliasTable(spec: ModuleSpec): Map<string, string> {
  const table = new Map<string, string>();
  for (const [name, arg] of Object.entries(spec.args)) {
    table.set(name, name);
    for (const alias of arg.aliases ?? []) table.set(alias, name);
  }
  return table;
}

export function validArgNames(spec: ModuleSpec): string {
  const names = Object.entries(spec.args)
    .filter(([name]) => !name.startsWith('_'))
    .map(([name, arg]) => (arg.aliases?.length ? `${name} (${arg.aliases.join(', ')})` : name))
    .sort();
  if (spec.freeForm) names.push('free-form text');
  return names.join(', ') || '(none)';
}

export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate);
  return false;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function checkCombinations(spec: ModuleSpec, out: Record<string, unknown>, given: Record<string, unknown>): void {
  // defaults do not count as "given" for these checks
  const isGiven = (name: string) => present(out[name]) && (name in given || (spec.args[name]?.aliases ?? []).some((a) => a in given));
  for (const group of spec.mutuallyExclusive ?? []) {
    const set = group.filter(isGiven);
    if (set.length > 1) throw new ArgumentError(`arguments are mutually exclusive: ${set.join(', ')}`);
  }
  for (const group of spec.requiredOneOf ?? []) {
    if (!group.some(isGiven)) throw new ArgumentError(`one of these arguments is required: ${group.join(', ')}`);
  }
  for (const [name, value, required] of spec.requiredIf ?? []) {
    if (hasTemplate(out[name]) || !looseEqual(out[name], value)) continue;
    const missing = required.filter((r) => !present(out[r]));
    if (missing.length) throw new ArgumentError(`${name} is ${String(value)} but these arguments are missing: ${missing.join(', ')}`);
  }
}

function looseEqual(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && a !== null && String(a) === String(b));
}

function checkChoice(name: string, arg: ArgSpec, value: unknown): void {
  if (!arg.choices) return;
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (hasTemplate(v)) continue;
    if (!arg.choices.some((c) => looseEqual(v, c))) {
      throw new ArgumentError(`value of '${name}' must be one of: ${arg.choices.join(', ')}; got '${String(v)}'${didYouMean(String(v), arg.choices.map(String))}`);
    }
  }
}

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f'];

function typeError(name: string, type: string, value: unknown): ArgumentError {
  return new ArgumentError(`argument '${name}' must be ${type}, got ${JSON.stringify(value)}`);
}

export function convert(type: ArgType, value: unknown, name: string, elements?: ArgType): unknown {
  switch (type) {
    case 'raw':
      return value;
    case 'str':
    case 'path':
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean') return value ? 'True' : 'False';
      if (typeof value === 'number') return String(value);
      throw typeError(name, 'a string', value);
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const word = String(value).trim().toLowerCase();
      if ((typeof value === 'string' || typeof value === 'number') && TRUE_WORDS.includes(word)) return true;
      if ((typeof value === 'string' || typeof value === 'number') && FALSE_WORDS.includes(word)) return false;
      throw typeError(name, 'a boolean (yes/no/true/false)', value);
    }
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
      throw typeError(name, 'an integer', value);
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw typeError(name, 'a number', value);
    case 'list': {
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (typeof value === 'string') items = value === '' ? [] : value.split(',');
      else if (typeof value === 'number' || typeof value === 'boolean') items = [String(value)];
      else throw typeError(name, 'a list', value);
      return elements ? items.map((item, i) => (hasTemplate(item) ? item : convert(elements, item, `${name}[${i}]`))) : items;
    }
    case 'dict':
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
      if (typeof value === 'string') return dictFromString(value, name);
      throw typeError(name, 'a mapping', value);
  }
}

/** check_type_dict: JSON text, or "k1=v1, k2=v2" / "k1=v1 k2=v2". */
function dictFromString(value: string, name: string): Record<string, unknown> {
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw typeError(name, 'a mapping (invalid JSON)', value);
    }
  }
  if (!text.includes('=')) throw typeError(name, 'a mapping', value);
  const out: Record<string, unknown> = {};
  for (const field of splitArgs(text.replace(/,\s*/g, ' '))) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw typeError(name, 'a mapping of key=value pairs', value);
    out[field.slice(0, eq).trim()] = unquote(field.slice(eq + 1).trim());
  }
  return out;
}
