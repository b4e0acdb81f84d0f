import type { ArgSpec, ArgType, ModuleSpec } from '../../engine/module.js';

/** A module argument the user got wrong; plans turn it into `failed` with this message. */
export class ArgError extends Error {}

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f']);

function coerce(name: string, type: ArgType, value: unknown, elements?: ArgType): unknown {
  switch (type) {
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const s = String(value).toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      throw new ArgError(`argument '${name}' is of type ${typeof value} and we were unable to convert to bool: "${String(value)}" is not a valid boolean`);
    }
    case 'int': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return parseInt(value, 10);
      throw new ArgError(`argument '${name}' is of type ${typeof value} and we were unable to convert to int`);
    }
    case 'float': {
      const n = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(n)) throw new ArgError(`argument '${name}' is of type ${typeof value} and we were unable to convert to float`);
      return n;
    }
    case 'list': {
      // Ansible splits a plain string on commas for list arguments.
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [value];
      return elements ? items.map((v) => coerce(name, elements, v)) : items;
    }
    case 'str':
    case 'path':
      if (typeof value === 'object') throw new ArgError(`argument '${name}' is of type ${Array.isArray(value) ? 'list' : 'dict'} and we were unable to convert to str`);
      return String(value);
    default:
      return value;
  }
}

/**
 * Ansible's argument handling for one module: aliases -> canonical names, type conversion,
 * defaults, choices, required, mutually_exclusive, required_one_of, required_if.
 * Idempotent: normalizing normalized args gives the same args.
 */
export function normalizeArgs<T = Record<string, any>>(spec: ModuleSpec, raw: Record<string, unknown>, moduleName: string): T {
  const out: Record<string, unknown> = {};
  const aliasOf = new Map<string, string>();
  for (const [name, s] of Object.entries(spec.args)) for (const a of s.aliases ?? []) aliasOf.set(a, name);
  for (const [key, value] of Object.entries(raw ?? {})) {
    const name = spec.args[key] ? key : aliasOf.get(key);
    if (!name) {
      throw new ArgError(`Unsupported parameters for (${moduleName}) module: ${key}. Supported parameters include: ${Object.keys(spec.args).sort().join(', ')}.`);
    }
    if (value === null || value === undefined) continue;
    if (out[name] !== undefined && key !== name) continue; // the canonical name wins over an alias
    out[name] = value;
  }
  // required_one_of / mutually_exclusive look at what the user gave, not at defaults (Ansible)
  const given = new Set(Object.keys(out));
  for (const [name, s] of Object.entries(spec.args) as [string, ArgSpec][]) {
    if (out[name] === undefined && s.default !== undefined) out[name] = structuredClone(s.default);
    if (out[name] === undefined) continue;
    out[name] = coerce(name, s.type, out[name], s.elements);
    if (s.choices) {
      const vals = s.type === 'list' ? (out[name] as unknown[]) : [out[name]];
      for (const v of vals) {
        if (!s.choices.includes(v as string)) {
          throw new ArgError(`value of ${name} must be one of: ${s.choices.join(', ')}, got: ${String(v)}`);
        }
      }
    }
  }
  const missing = Object.entries(spec.args).filter(([n, s]) => s.required && out[n] === undefined).map(([n]) => n);
  if (missing.length) throw new ArgError(`missing required arguments: ${missing.join(', ')}`);
  for (const group of spec.mutuallyExclusive ?? []) {
    const set = group.filter((n) => given.has(n));
    if (set.length > 1) throw new ArgError(`parameters are mutually exclusive: ${group.join('|')}`);
  }
  for (const group of spec.requiredOneOf ?? []) {
    if (!group.some((n) => given.has(n))) throw new ArgError(`one of the following is required: ${group.join(', ')}`);
  }
  for (const [arg, value, required] of spec.requiredIf ?? []) {
    if (out[arg] === value) {
      const absent = required.filter((n) => out[n] === undefined);
      if (absent.length) throw new ArgError(`${arg} is ${String(value)} but all of the following are missing: ${absent.join(', ')}`);
    }
  }
  return out as T;
}

/** Runs `fn`, turning an ArgError into a failed plan (other errors propagate). */
export function failOnArgError<P extends { commands: unknown[]; changed: boolean; failed?: string }>(fn: () => P): P | { commands: never[]; changed: false; failed: string } {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ArgError) return { commands: [], changed: false, failed: e.message };
    throw e;
  }
}
