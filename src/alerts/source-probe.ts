/**
 * ONE round trip that tells where a host's alerts are: its Falco configuration files (falco.yaml
 * and the files of the config_files entries asked for) and the active Falco unit.
 */
import { factIdentity, type FactRequest } from '../facts/request.js';
import { sh } from '../shell/quote.js';
import type { ConfigFile } from './effective-config.js';

interface SourceProbe {
  files: ConfigFile[];
  /** The running Falco service (falcoctl's follower excluded), if any. */
  unit?: string;
}

const RS = '\x1e';

/** `paths`: files or directories (a directory's regular files are read, not its sub-directories). */
export function sourceProbe(paths: string[]): FactRequest<SourceProbe> {
  const command =
    sh`for p in ${paths}; do if [ -d "$p" ]; then for f in "$p"/*; do [ -f "$f" ] && printf '\\036F %s\\n' "$f" && cat -- "$f"; done; ` +
    sh`elif [ -f "$p" ]; then printf '\\036F %s\\n' "$p"; cat -- "$p"; fi; done; ` +
    sh`printf '\\036U\\n'; systemctl list-units --state=active --plain --no-legend --type=service 'falco*' 2>/dev/null; true`;
  return {
    ...factIdentity('alerts_source', { paths }),
    command,
    become: true,
    maxOutputBytes: 4 << 20,
    parse: (r) => parseSourceProbe(r.stdout),
  };
}

export function parseSourceProbe(stdout: string): SourceProbe {
  const files: ConfigFile[] = [];
  let unit: string | undefined;
  for (const part of stdout.split(RS).slice(1)) {
    const nl = part.indexOf('\n');
    const head = nl < 0 ? part : part.slice(0, nl);
    const body = nl < 0 ? '' : part.slice(nl + 1);
    if (head.startsWith('F ')) files.push({ path: head.slice(2), text: body });
    else if (head === 'U') {
      unit = body
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0] ?? '')
        .find((u) => /^falco[\w@.-]*\.service$/.test(u) && !u.startsWith('falcoctl'));
    }
  }
  return { files, ...(unit ? { unit } : {}) };
}
