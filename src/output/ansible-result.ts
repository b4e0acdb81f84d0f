import { pyJson } from '../template/serialize.js';

/** What Ansible's TaskResult.clean_copy drops before any callback sees a result. */
const DROPPED = new Set(['failed', 'skipped', 'exception']);
/** debug with `var`: what the callback's _clean_results hides so the variable stands alone. */
const HIDDEN_IN_DEBUG = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];
/** debug with `msg`: the only keys the callback keeps. */
const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations']);

/** A result as ansible-playbook's default callback shows it (internal keys, invocation, diff and shown warnings removed). */
function displayedResult(result: Record<string, unknown>, action: string | undefined, verbose: number): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(result).filter(([k]) => !k.startsWith('_ansible_') && !DROPPED.has(k)));
  if (verbose < 3) {
    delete out.invocation;
    delete out.diff;
  }
  for (const shown of ['warnings', 'deprecations']) if (Array.isArray(out[shown]) && (out[shown] as unknown[]).length) delete out[shown];
  if (action === 'debug') {
    if ('msg' in out) for (const k of Object.keys(out)) if (!DEBUG_ALLOWED.has(k)) delete out[k];
    if (!('msg' in out)) for (const k of HIDDEN_IN_DEBUG) delete out[k];
  }
  return out;
}

/** The callback's _dump_results: json.dumps(sort_keys=True, ensure_ascii=False), indented by 4 for debug-like results or -vvv. */
export function dumpResult(result: Record<string, unknown>, opts: { action?: string; verbose: number; verboseAlways?: boolean }): string {
  const indent = opts.verboseAlways || opts.verbose > 2 ? 4 : null;
  return pyJson(displayedResult(result, opts.action, opts.verbose), indent, true, false);
}
