import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';
import { parseKeyValueLines } from './key-value.js';
import { fileTextAfter, printFileAfter } from './text-in-output.js';

interface CrontabStateArgs {
  /** Whose crontab (`crontab -u USER -l` unless that is who runs it); undefined = the running user's. */
  user?: string;
  /** Absolute path of a cron file: read instead of a user crontab. */
  cronFile?: string;
}

export interface CrontabState {
  /** Where `crontab` is; undefined when it is nowhere on `paths`. */
  crontab?: string;
  /** PATH plus the sbin dirs, as ansible's get_bin_path searches (for its error message). */
  paths?: string;
  /** The user the probe (and so the later write) runs as. */
  me: string;
  /** Exit code of `crontab -l` (user crontab only). */
  rc?: number;
  /** The cron file is a regular file (os.path.isfile). */
  isFile?: boolean;
  /** Existing cron file's mode and owner, kept when it is rewritten. */
  mode?: string;
  uid?: number;
  gid?: number;
  /** The crontab's text; undefined when there is nothing to read. */
  text?: string;
}

const MARKER = 'crontab-content';

/** The commands that read a crontab: get_bin_path's search, then `crontab -l` or the cron file. */
function probeScript(a: CrontabStateArgs): string {
  const find = [
    'for d in /sbin /usr/sbin /usr/local/sbin; do case ":$PATH:" in *":$d:"*) ;; *) PATH="$PATH:$d" ;; esac; done',
    'if c=$(command -v crontab); then echo "crontab=$c"; else c=; echo "paths=$PATH"; fi',
    'echo "me=$(id -un)"',
  ];
  if (a.cronFile !== undefined) {
    return [
      ...find,
      sh`f=${a.cronFile}`,
      'if [ -f "$f" ]; then echo isfile=1; fi',
      `if [ -e "$f" ] && [ ! -d "$f" ] && [ -r "$f" ]; then stat -L -c 'mode=%a uid=%u gid=%g' -- "$f" 2>/dev/null | tr ' ' '\\n'; ${printFileAfter(MARKER, 'f')}; fi`,
    ].join('\n');
  }
  const user = a.user === undefined ? '' : sh`[ "$(id -un)" != ${a.user} ] && set -- -u ${a.user}; `;
  return [
    ...find,
    `if [ -n "$c" ]; then t=$(mktemp) || exit 1; set --; ${user}"$c" "$@" -l >"$t" 2>/dev/null; echo "rc=$?"; ${printFileAfter(MARKER, 't')}; rm -f "$t"; fi`,
  ].join('\n');
}

/** What the cron module reads first: where crontab is, who runs it, and the crontab (or cron file) text. */
export function crontabState(a: CrontabStateArgs): FactRequest<CrontabState> {
  return {
    ...factIdentity('crontab_state', { user: a.user ?? null, cronFile: a.cronFile ?? null }),
    command: sh`sh -c ${probeScript(a)}`,
    parse: (r) => {
      const lines = r.stdout.split('\n');
      const at = lines.indexOf(MARKER);
      const kv = parseKeyValueLines((at < 0 ? lines : lines.slice(0, at)).join('\n'));
      const num = (k: string) => (kv[k] !== undefined ? Number(kv[k]) : undefined);
      return {
        ...(kv.crontab !== undefined ? { crontab: kv.crontab } : { paths: kv.paths ?? '' }),
        me: kv.me ?? '',
        ...(kv.rc !== undefined ? { rc: num('rc') } : {}),
        ...(a.cronFile !== undefined ? { isFile: kv.isfile === '1' } : {}),
        ...(kv.mode !== undefined ? { mode: kv.mode.padStart(4, '0'), uid: num('uid'), gid: num('gid') } : {}),
        ...(at >= 0 ? { text: fileTextAfter(lines, MARKER, at) } : {}),
      };
    },
  };
}
