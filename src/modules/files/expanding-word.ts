import { quote } from '../../shell/quote.js';

/**
 * A shell word for one argv element with Ansible's expanduser + expandvars applied on the
 * host: `~`/`~/` -> "$HOME", `$NAME`/`${NAME}` -> the variable's value, or the text as written
 * when the variable is unset (as Python's expandvars); everything else stays literal (no command
 * substitution, globbing or splitting).
 */
export function expandingWord(arg: string): string {
  let prefix = '';
  let rest = arg;
  if (rest === '~' || rest.startsWith('~/')) {
    prefix = '"$HOME"';
    rest = rest.slice(1);
  }
  const parts = rest.split(/(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)/);
  const words = parts.filter((p) => p !== '').map((p) => {
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(p);
    return m && p.startsWith('$') ? `"\${${m[1]}-${p.replace(/[$}]/g, '\\$&')}}"` : quote(p);
  });
  return prefix + words.join('') || "''";
}
