import { factIdentity, type FactRequest } from './request.js';
import { quote } from '../shell/quote.js';

interface PathExistsArgs {
  /** A path or a glob pattern (`*`, `?`, `[...]`), `~` at the start means $HOME (like Ansible's creates/removes). */
  path: string;
  become?: boolean;
}

/**
 * Shell word for a glob pattern: literal runs are quoted, glob characters stay unquoted so the shell
 * expands them. A leading `~` or `~/` becomes "$HOME".
 */
export function globWord(pattern: string): string {
  let rest = pattern;
  let prefix = '';
  if (rest === '~' || rest.startsWith('~/')) {
    prefix = '"$HOME"';
    rest = rest.slice(1);
  }
  const parts = rest.split(/([*?]|\[[^\]/]+\])/).filter((p) => p !== '');
  const words = parts.map((p) => (/^([*?]|\[[^\]/]+\])$/.test(p) ? p.replace(/^\[!?\^?/, (m) => m.replace('^', '!')) : quote(p)));
  return prefix + words.join('') || "''";
}

/** Does anything match `path` (a dangling symlink counts, like glob.glob)? Parses to a boolean. */
export function pathExists(a: PathExistsArgs): FactRequest<boolean> {
  const command = `for f in ${globWord(a.path)}; do if [ -e "$f" ] || [ -L "$f" ]; then echo yes; break; fi; done; :`;
  return {
    ...factIdentity('path_exists', { path: a.path, become: !!a.become }),
    command,
    become: a.become || undefined,
    parse: (r) => r.stdout.split('\n').includes('yes'),
  };
}
