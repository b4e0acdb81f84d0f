import { factIdentity, type FactRequest } from './request.js';

/** Raw outputs service_facts reads (ansible-core 2.14: ServiceScanService sysv + SystemctlScanService). */
export interface ServiceListing {
  /** `service --status-all` stdout, when `service` exists and neither chkconfig nor rc-status does. */
  sysv?: string;
  /** PID 1 is systemd and systemctl exists. */
  systemd: boolean;
  units?: string;
  unitFiles?: string;
  /** ActiveState of unit files that list-units does not show (`systemctl show NAME -p ActiveState`). */
  activeStates: Record<string, string>;
}

const MARK = '--falco-deploy-services--';

/**
 * One probe for every service: the outputs the module parses, section by section. The per-unit
 * `systemctl show` runs only for unit files list-units left out, as ansible-core does.
 */
export function serviceListing(): FactRequest<ServiceListing> {
  const lines = [
    'export LANG=C.UTF-8 LC_ALL=C.UTF-8',
    'if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then',
    `  echo '${MARK} sysv'; service --status-all 2>/dev/null`,
    'fi',
    'if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null 2>&1; then',
    '  u=$(systemctl list-units --no-pager --type service --all); f=$(systemctl list-unit-files --no-pager --type service --all)',
    `  echo '${MARK} units'; printf '%s\\n' "$u"; echo '${MARK} files'; printf '%s\\n' "$f"; echo '${MARK} show'`,
    '  n=$(printf \'%s\\n\' "$u" | awk \'/\\.service/ { for (i = 1; i <= NF; i++) if ($i ~ /\\.service$/) { print $i; break } }\')',
    '  printf \'%s\\n\' "$f" | awk \'/\\.service/ { print $1 }\' | while IFS= read -r s; do',
    '    printf \'%s\\n\' "$n" | grep -qxF -- "$s" || { a=$(systemctl show "$s" --property=ActiveState 2>/dev/null) && printf \'%s %s\\n\' "$s" "${a#ActiveState=}"; }',
    '  done',
    'fi',
    ':',
  ];
  return {
    ...factIdentity('service_listing', {}),
    command: lines.join('\n'),
    parse: (r) => parseServiceListing(r.stdout),
  };
}

function parseServiceListing(stdout: string): ServiceListing {
  const sections: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${MARK} `)) sections[line.slice(MARK.length + 1)] = current = [];
    else current?.push(line);
  }
  const activeStates: Record<string, string> = {};
  for (const line of sections.show ?? []) {
    const i = line.indexOf(' ');
    if (i > 0 && line.slice(i + 1).trim() !== '') activeStates[line.slice(0, i)] = line.slice(i + 1).trimEnd();
  }
  return {
    sysv: sections.sysv?.join('\n'),
    systemd: sections.units !== undefined,
    units: sections.units?.join('\n'),
    unitFiles: sections.files?.join('\n'),
    activeStates,
  };
}
