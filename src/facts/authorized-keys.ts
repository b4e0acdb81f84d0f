import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';
import { fileTextAfter, printFileAfter } from './text-in-output.js';

interface AuthorizedKeysFile {
  /** The user's passwd entry (pwd.getpwnam through NSS), absent when there is no such user. */
  user?: { uid: number; gid: number; home: string };
  /** `path`, else ~user/.ssh/authorized_keys (undefined: no path and no user). */
  file?: string;
  /** os.path.realpath of file. */
  realpath?: string;
  /** Text of the file when it is a regular file (following links), else ''. */
  content: string;
}

/** The keys file authorized_key edits, and its owner's ids: one probe, as the path may come from the user's home. */
export function authorizedKeysFile(a: { user: string; path?: string | null; become?: boolean }): FactRequest<AuthorizedKeysFile> {
  return {
    ...factIdentity('authorized_keys_file', { user: a.user, path: a.path ?? null, become: !!a.become }),
    command: [
      sh`ent=$(getent passwd ${a.user}) && printf 'user %s\\n' "$ent" || echo nouser`,
      a.path ? sh`f=${a.path}` : 'home=$(printf %s "$ent" | cut -d: -f6); [ -z "$ent" ] && f= || f="$home/.ssh/authorized_keys"',
      '[ -z "$f" ] && exit 0',
      'printf "file %s\\n" "$f"; printf "real %s\\n" "$(realpath -m -- "$f")"',
      `if [ -f "$f" ]; then ${printFileAfter('content', 'f')}; fi`,
    ].join('\n'),
    become: a.become || undefined,
    maxOutputBytes: 4 * 1024 * 1024,
    parse: (r) => {
      const lines = r.stdout.split('\n');
      const out: AuthorizedKeysFile = { content: fileTextAfter(lines, 'content') ?? '' };
      for (const line of lines) {
        const [word] = line.split(' ', 1);
        const rest = line.slice(word.length + 1);
        if (word === 'user') {
          const f = rest.split(':');
          out.user = { uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
        } else if (word === 'file') out.file = rest;
        else if (word === 'real') out.realpath = rest;
      }
      return out;
    },
  };
}
