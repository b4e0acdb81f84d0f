import type { ModuleSpec } from './spec.js';
import { pyStr } from '../template/pyvalue.js';
import { isMapping } from '../python/values.js';

/**
 * The values of no_log options (Ansible's _list_no_log_values / _return_datastructure_name):
 * every non-empty string and number inside them, to be masked wherever they appear in output.
 */
export function noLogValues(spec: ModuleSpec, args: Record<string, unknown>): string[] {
  const out = new Set<string>();
  collectArgs(spec.args, args, out);
  return [...out];
}

/** Suboptions too: each dict of an option with options (Ansible's _list_no_log_values). */
function collectArgs(specArgs: ModuleSpec['args'], args: Record<string, unknown>, out: Set<string>): void {
  for (const [name, arg] of Object.entries(specArgs)) {
    const value = args[name];
    if (arg.noLog && value) collect(value, out);
    if (!arg.options || value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isMapping(item)) collectArgs(arg.options, item, out);
    }
  }
}

function collect(value: unknown, out: Set<string>): void {
  if (typeof value === 'string' || value instanceof String) {
    if (value.valueOf()) out.add(value.valueOf());
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out);
  } else if (value !== null && value !== undefined && typeof value !== 'boolean') {
    out.add(pyStr(value));
  }
}
