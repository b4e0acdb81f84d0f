/**
 * The one way remote shell commands are built. Every interpolated value is single-quoted
 * for POSIX sh; nothing reaches a remote shell through string glue.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for POSIX sh. */
export function quote(arg: string | number | boolean): string {
  const s = String(arg);
  if (s === '') return "''";
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quote and join an argv. */
export function quoteArgv(argv: ReadonlyArray<string | number | boolean>): string {
  return argv.map(quote).join(' ');
}

/** A fragment of shell text that is already safe and is inserted verbatim by `sh`. */
class ShellFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Mark trusted shell syntax (operators, redirections written by us) as verbatim. */
export function raw(text: string): ShellFragment {
  return new ShellFragment(text);
}

type ShValue = string | number | boolean | ShellFragment | ReadonlyArray<string | number | boolean | ShellFragment>;

/**
 * Tagged template: literal parts are shell syntax written by us; every `${value}` is quoted
 * (arrays become space-separated quoted words, ShellFragments pass through).
 *   sh`test -e ${path} && cat ${path}`
 */
export function sh(strings: TemplateStringsArray, ...values: ShValue[]): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += renderValue(v) + strings[i + 1];
  });
  return out;
}

function renderValue(v: ShValue): string {
  if (v instanceof ShellFragment) return v.text;
  if (Array.isArray(v)) return v.map((x) => renderValue(x as ShValue)).join(' ');
  return quote(v as string | number | boolean);
}
