import { factIdentity, type FactRequest } from './request.js';
import { raw, sh } from '../shell/quote.js';

/** Where Ansible's get_bin_path also looks for sysctl (it is in /sbin, often not on a user's PATH). */
export const SBIN_PATH = 'PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"';
/** ansible.posix.sysctl runs sysctl with this environment (it reads sysctl's messages). */
export const SYSCTL_ENV = 'LANG=C LC_ALL=C LC_MESSAGES=C';

type SysctlValue =
  | { sysctl: false; path: string }
  /** value: what `sysctl -e -n NAME` printed; null when it exited non-zero (as the module's proc_value). */
  | { sysctl: true; value: string | null };

/** The kernel's current value of one sysctl key, read as ansible.posix.sysctl does (`sysctl -e -n`). */
export function sysctlValue(a: { name: string; become?: boolean }): FactRequest<SysctlValue> {
  return {
    ...factIdentity('sysctl_value', { name: a.name, become: !!a.become }),
    command: [
      SBIN_PATH,
      'if command -v sysctl >/dev/null 2>&1; then',
      sh`  v=$(${raw(SYSCTL_ENV)} sysctl -e -n ${a.name} 2>/dev/null); echo "rc=$?"; printf '%s\\n' "$v"`,
      'else echo "missing $PATH"; fi',
    ].join('\n'),
    become: a.become || undefined,
    parse: (r) => {
      const nl = r.stdout.indexOf('\n');
      const head = nl < 0 ? r.stdout : r.stdout.slice(0, nl);
      if (head.startsWith('missing ')) return { sysctl: false, path: head.slice('missing '.length) };
      const rc = /^rc=(\d+)$/.exec(head);
      if (!rc) throw new Error(`unexpected sysctl probe output: ${JSON.stringify(r.stdout.slice(0, 80))}`);
      return { sysctl: true, value: rc[1] === '0' ? r.stdout.slice(nl + 1).replace(/\n$/, '') : null };
    },
  };
}
