import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';
import { KEY_LINES_PRELUDE, KeyLines, searchedPath, type CapturedRun } from './key-lines.js';

/** A config file as the module opens it: its text, missing, or there but not readable. */
export type ConfigFile = { text: string } | 'missing' | 'unreadable';

export interface TimezoneState {
  /** The PATH get_bin_path searched. */
  path: string;
  /** Where get_bin_path finds each tool the module may run; absent: not found. */
  bins: Record<string, string>;
  /** `timedatectl status` when a bare `timedatectl` worked (the module then uses timedatectl). */
  timedatectl?: CapturedRun;
  /** /usr/share/zoneinfo/<name> is a file (the module refuses other names). */
  zoneExists: boolean;
  timezoneFile: ConfigFile;
  rcsFile: ConfigFile;
  adjtimeFile: ConfigFile;
  /** /etc/localtime: the target of the link, or (not a link) whether it equals the planned zone file. */
  localtime: { link: string; exists: boolean } | { sameAsZone: boolean };
}

const TOOLS = ['timedatectl', 'cp', 'hwclock', 'dpkg-reconfigure', 'ln'];

function configFile(k: KeyLines, key: string): ConfigFile {
  const text = k.decoded(key);
  if (text !== undefined) return { text };
  return k.has(`${key}.unreadable`) ? 'unreadable' : 'missing';
}

/** What community.general.timezone reads on Linux: whether timedatectl works, the zone files and the config files of the non-systemd way. */
export function timezoneState(a: { name?: string | null; become?: boolean }): FactRequest<TimezoneState> {
  const zone = a.name ? `/usr/share/zoneinfo/${a.name}` : '';
  return {
    ...factIdentity('timezone_state', { name: a.name ?? null, become: !!a.become }),
    command: [
      KEY_LINES_PRELUDE,
      sh`for b in ${TOOLS}; do p=$(command -v "$b" 2>/dev/null) && echo "bin.$b=$p"; done`,
      'if command -v timedatectl >/dev/null 2>&1 && timedatectl >/dev/null 2>&1; then capture status timedatectl status; fi',
      sh`z=${zone}`,
      'if [ -n "$z" ] && [ -f "$z" ]; then echo zone=1; fi',
      'file_b64 timezone /etc/timezone',
      'file_b64 rcs /etc/default/rcS',
      'file_b64 adjtime /etc/adjtime',
      'if [ -L /etc/localtime ]; then echo "link=$(readlink /etc/localtime)"; [ -e /etc/localtime ] && echo link_exists=1',
      'elif [ -n "$z" ] && cmp -s /etc/localtime "$z" 2>/dev/null; then echo same=1; fi',
      'echo end=1',
    ].join('\n'),
    become: a.become || undefined,
    parse: (r) => {
      const k = new KeyLines(r.stdout);
      if (!k.has('end')) throw new Error(`unexpected timezone probe output: ${JSON.stringify(r.stdout.slice(0, 80))}`);
      const bins: Record<string, string> = {};
      for (const t of TOOLS) {
        const p = k.text(`bin.${t}`);
        if (p !== undefined) bins[t] = p;
      }
      const link = k.text('link');
      const state: TimezoneState = {
        path: searchedPath(k.text('path') ?? ''),
        bins,
        zoneExists: k.has('zone'),
        timezoneFile: configFile(k, 'timezone'),
        rcsFile: configFile(k, 'rcs'),
        adjtimeFile: configFile(k, 'adjtime'),
        localtime: link !== undefined ? { link, exists: k.has('link_exists') } : { sameAsZone: k.has('same') },
      };
      const status = k.run('status');
      if (status) state.timedatectl = status;
      return state;
    },
  };
}
