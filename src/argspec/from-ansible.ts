/**
 * An argument_spec as Ansible writes it (a role's meta/argument_specs.yml options, a
 * validate_argument_spec task, a module's Python dict) as our ArgSpec, suboptions included.
 */
import { isMapping as isMap, type Mapping as Raw } from '../python/values.js';
import type { ArgSpec, ArgType, SpecChecks } from './spec.js';

const TYPES: readonly ArgType[] = ['str', 'bool', 'int', 'float', 'list', 'dict', 'path', 'raw', 'jsonarg', 'bytes'];

function typeOf(value: unknown): ArgType {
  return TYPES.includes(value as ArgType) ? (value as ArgType) : value === undefined || value === null ? 'str' : 'raw';
}

/** mutually_exclusive, required_together, required_one_of, required_if, required_by of a spec or of a dict option. */
export function checksFromAnsible(o: Raw): SpecChecks {
  const lists = (key: string) => (Array.isArray(o[key]) ? (o[key] as string[][]) : undefined);
  const requiredIf = lists('required_if') as unknown as SpecChecks['requiredIf'];
  const requiredBy = isMap(o['required_by'])
    ? Object.fromEntries(Object.entries(o['required_by']).map(([k, v]) => [k, Array.isArray(v) ? (v as string[]) : [String(v)]]))
    : undefined;
  const checks: SpecChecks = {
    mutuallyExclusive: lists('mutually_exclusive'),
    requiredTogether: lists('required_together'),
    requiredOneOf: lists('required_one_of'),
    requiredIf,
    requiredBy,
  };
  return Object.fromEntries(Object.entries(checks).filter(([, v]) => v !== undefined)) as SpecChecks;
}

export function argsFromAnsible(options: Raw): Record<string, ArgSpec> {
  return Object.fromEntries(Object.entries(options).map(([name, raw]) => [name, argFromAnsible(isMap(raw) ? raw : {})]));
}

function argFromAnsible(o: Raw): ArgSpec {
  return {
    type: typeOf(o['type']),
    ...(o['required'] === true ? { required: true } : {}),
    ...(o['default'] !== undefined ? { default: o['default'] } : {}),
    ...(Array.isArray(o['choices']) ? { choices: o['choices'] as (string | number | boolean)[] } : {}),
    ...(Array.isArray(o['aliases']) ? { aliases: o['aliases'] as string[] } : {}),
    ...(o['elements'] !== undefined && o['elements'] !== null ? { elements: typeOf(o['elements']) } : {}),
    ...(o['no_log'] === true ? { noLog: true } : {}),
    ...(isMap(o['options']) ? { options: argsFromAnsible(o['options']) } : {}),
    ...(o['apply_defaults'] === true ? { applyDefaults: true } : {}),
    ...checksFromAnsible(o),
  };
}
