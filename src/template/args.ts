/** Python-style argument binding for filters/tests: positional args plus nunjucks keyword args. */
import { PyError } from './errors.js';

type Kwargs = Record<string, unknown>;

export function splitArgs(args: unknown[]): { pos: unknown[]; kw: Kwargs } {
  const last = args[args.length - 1] as (Kwargs & { __keywords?: boolean }) | undefined;
  if (last && typeof last === 'object' && !Array.isArray(last) && last.__keywords) {
    // fromEntries: a keyword named __proto__ stays an ordinary key.
    const kw: Kwargs = Object.fromEntries(Object.entries(last).filter(([k]) => k !== '__keywords'));
    return { pos: args.slice(0, -1), kw };
  }
  return { pos: args, kw: {} };
}

/**
 * Bind args to parameter names like Python: `bind(args, 'fname', ['a', 'b'], { b: 1 })`.
 * Unknown keyword arguments are an error, as in Python.
 */
export function bind(
  args: unknown[],
  fname: string,
  names: string[],
  defaults: Kwargs = {},
): Kwargs {
  const { pos, kw } = splitArgs(args);
  if (pos.length > names.length) {
    throw new PyError(`${fname}() takes at most ${names.length} arguments (${pos.length} given)`);
  }
  const out: Kwargs = { ...defaults };
  names.forEach((n, i) => {
    if (i < pos.length) out[n] = pos[i];
  });
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) throw new PyError(`${fname}() got an unexpected keyword argument '${k}'`);
    out[k] = v;
  }
  return out;
}
