import { factIdentity, type FactRequest } from './request.js';
import { KEY_LINES_PRELUDE, KeyLines, searchedPath, type CapturedRun } from './key-lines.js';

export interface HostnameState {
  /** The PATH get_bin_path searched (named when hostnamectl is missing). */
  path: string;
  /** ServiceMgrFactCollector.is_systemd_managed: systemctl and one of sd_booted's canaries. */
  systemdManaged: boolean;
  /** /etc/os-release ID. */
  osId: string;
  /** /etc/hostname; undefined when it is not a regular file. */
  hostnameFile?: string;
  /** `hostnamectl --transient status` and `--static status`: run only where the systemd strategy applies; null: no hostnamectl. */
  hostnamectl?: { transient: CapturedRun; static: CapturedRun } | null;
  /** Python's socket.getfqdn() on the host. */
  fqdn: string;
}

/** Prints kernel= and byaddr= lines for socket.getfqdn(): gethostbyaddr(the first getaddrinfo address of gethostname()). */
export const FQDN_SCRIPT = [
  'n=$(uname -n); echo "kernel=$n"',
  'a=$(getent ahosts "$n" 2>/dev/null | awk \'NR==1 {print $1}\')',
  'if [ -n "$a" ]; then echo "byaddr=$(getent hosts "$a" 2>/dev/null | head -n 1)"; fi',
  'exit 0',
].join('\n');

/** Whether the systemd strategy can apply: `use` names it (debian maps to it too) or, unset, systemd runs the host. */
const SYSTEMD_USES = ['systemd', 'debian'];

/**
 * What ansible.builtin.hostname reads before deciding: the strategy inputs (systemd as PID 1, the
 * distribution), the names each strategy reads, and socket.getfqdn() for the facts it returns.
 */
export function hostnameState(a: { use?: string | null; become?: boolean }): FactRequest<HostnameState> {
  const use = a.use ?? '';
  const systemdWanted = use === '' ? '[ "$sd" = 1 ]' : SYSTEMD_USES.includes(use) ? 'true' : 'false';
  return {
    ...factIdentity('hostname_state', { use: a.use ?? null, become: !!a.become }),
    command: [
      KEY_LINES_PRELUDE,
      'sd=0',
      'if command -v systemctl >/dev/null 2>&1; then for c in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$c" ] && sd=1; done; fi',
      'echo "systemd=$sd"',
      'echo "id=$( [ -r /etc/os-release ] && . /etc/os-release; printf %s "$ID")"',
      'file_b64 hostname /etc/hostname',
      `if ${systemdWanted}; then`,
      '  if command -v hostnamectl >/dev/null 2>&1; then capture transient hostnamectl --transient status; capture static hostnamectl --static status; else echo hostnamectl=missing; fi',
      'fi',
      FQDN_SCRIPT,
    ].join('\n'),
    become: a.become || undefined,
    parse: (r) => {
      const k = new KeyLines(r.stdout);
      const fqdn = parseFqdn(k);
      const transient = k.run('transient');
      const stat = k.run('static');
      const state: HostnameState = {
        path: searchedPath(k.text('path') ?? ''),
        systemdManaged: k.text('systemd') === '1',
        osId: k.text('id') ?? '',
        fqdn,
      };
      const file = k.decoded('hostname');
      if (file !== undefined) state.hostnameFile = file;
      if (transient && stat) state.hostnamectl = { transient, static: stat };
      else if (k.text('hostnamectl') === 'missing') state.hostnamectl = null;
      return state;
    },
  };
}

/** socket.getfqdn from FQDN_SCRIPT's lines: the first of gethostbyaddr's name and aliases with a dot, else its name; the host name when lookups fail. */
export function parseFqdn(k: KeyLines): string {
  const kernel = k.text('kernel');
  if (kernel === undefined) throw new Error('no kernel= line in the fqdn lookup output');
  const names = (k.text('byaddr') ?? '').split(/\s+/).filter(Boolean).slice(1);
  if (names.length === 0) return kernel;
  return names.find((n) => n.includes('.')) ?? names[0]!;
}
