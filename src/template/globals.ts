/** Jinja's `dict()` and `namespace()` globals: keys stay data, even one named `__proto__`. */
import { isMapping, pyStr } from './pyvalue.js';
import { Namespace } from './pytypes.js';
import { mappingOf } from './sandbox.js';

/** Python's dict(mapping_or_pairs..., **kwargs) as entries. */
function dictEntries(args: unknown[]): [string, unknown][] {
  const entries: [string, unknown][] = [];
  const last = args[args.length - 1] as { __keywords?: boolean } | undefined;
  for (const a of args) {
    if (a === last && last?.__keywords) {
      for (const [k, v] of Object.entries(last)) if (k !== '__keywords') entries.push([k, v]);
    } else if (isMapping(a)) entries.push(...Object.entries(a));
    else if (Array.isArray(a)) for (const p of a) entries.push([pyStr((p as unknown[])[0]), (p as unknown[])[1]]);
  }
  return entries;
}

export function pyDict(...args: unknown[]): Record<string, unknown> {
  return mappingOf(dictEntries(args));
}

export function pyNamespace(...args: unknown[]): Namespace {
  return new Namespace(dictEntries(args));
}
