import { quote } from '../../shell/quote.js';

/** Python's shlex.split (POSIX mode, no comments), which Ansible's command module uses. */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let q: "'" | '"' | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q === "'") {
      if (c === "'") q = null;
      else cur += c;
    } else if (q === '"') {
      if (c === '"') q = null;
      else if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) cur += s[++i];
      else cur += c;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') q = c;
      else if (c === '\\') {
        if (i + 1 >= s.length) throw new Error('No escaped character');
        cur += s[++i];
      } else cur += c;
    }
  }
  if (q) throw new Error('No closing quotation');
  if (inWord) out.push(cur);
  return out;
}

/**
 * A shell word for one argv element with Ansible's expanduser + expandvars applied on the
 * host: `~`/`~/` -> "$HOME", `$NAME`/`${NAME}` -> "${NAME}"; everything else stays literal
 * (no command substitution, globbing or splitting).
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
    return m && p.startsWith('$') ? `"\${${m[1]}}"` : quote(p);
  });
  return prefix + words.join('') || "''";
}
