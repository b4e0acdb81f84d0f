import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';
import { fileTextAfter, printFileAfter } from './text-in-output.js';

interface LinuxMount {
  src: string;
  fs: string;
}

interface MountState {
  /** os.path.exists(path). */
  exists: boolean;
  /** The module's ismount(): not a symlink, and path/.. on another device or the same inode. */
  ismount: boolean;
  /** get_linux_mounts(): by mount point; a bind mount's src is the directory it shows. */
  mounts: Record<string, LinuxMount>;
  /** fstab text, null when the file does not exist. */
  fstab: string | null;
  /** Its octal mode and owner ids (kept when it is rewritten). */
  fstabMode?: string;
  fstabIds?: { uid: number; gid: number };
}

/** get_linux_mounts of the module, from /proc/self/mountinfo. */
function linuxMounts(mountinfo: string): Record<string, LinuxMount> {
  const byId = new Map<number, { parent: number; root: string; dst: string; fs: string; src: string }>();
  for (const line of mountinfo.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    byId.set(Number(f[0]), { parent: Number(f[1]), root: f[3], dst: f[4], fs: f[f.length - 3], src: f[f.length - 2] });
  }
  const out: Record<string, LinuxMount> = {};
  for (const m of byId.values()) {
    let src = m.src;
    const parent = m.parent !== 1 ? byId.get(m.parent) : undefined;
    if (parent) {
      let root = m.root;
      if (parent.root.length > 1 && root.startsWith(`${parent.root}/`)) root = root.slice(parent.root.length);
      if (parent.dst !== '/') root = `${parent.dst}${root}`;
      src = root;
    }
    out[m.dst] = { src, fs: m.fs };
  }
  return out;
}

/** What ansible.posix.mount reads before it acts: the mount point, the kernel's mounts and the fstab. */
export function mountState(a: { path: string; fstab: string; become?: boolean }): FactRequest<MountState> {
  return {
    ...factIdentity('mount_state', { path: a.path, fstab: a.fstab, become: !!a.become }),
    command: [
      sh`p=${a.path}; t=${a.fstab}`,
      '[ -e "$p" ] && echo exists',
      'if [ -e "$p" ] && ! [ -L "$p" ]; then',
      '  s1=$(stat -c "%d %i" -- "$p"); s2=$(stat -c "%d %i" -- "$(realpath -- "$p/..")")',
      '  [ "${s1% *}" != "${s2% *}" ] || [ "${s1#* }" = "${s2#* }" ] && echo ismount',
      'fi',
      'echo mountinfo; cat /proc/self/mountinfo; echo endmountinfo',
      `if [ -f "$t" ]; then stat -L -c "fstabstat %a %u %g" -- "$t"; ${printFileAfter('fstab', 't')}; fi`,
    ].join('\n'),
    become: a.become || undefined,
    maxOutputBytes: 4 * 1024 * 1024,
    parse: (r) => {
      const lines = r.stdout.split('\n');
      const start = lines.indexOf('mountinfo');
      const end = lines.indexOf('endmountinfo');
      if (start < 0 || end < start) throw new Error(`unexpected mount probe output: ${JSON.stringify(r.stdout.slice(0, 80))}`);
      const head = lines.slice(0, start);
      const stat = lines.find((l) => l.startsWith('fstabstat '))?.split(' ');
      return {
        ...(stat ? { fstabMode: stat[1].padStart(4, '0'), fstabIds: { uid: Number(stat[2]), gid: Number(stat[3]) } } : {}),
        exists: head.includes('exists'),
        ismount: head.includes('ismount'),
        mounts: linuxMounts(lines.slice(start + 1, end).join('\n')),
        fstab: fileTextAfter(lines, 'fstab', end) ?? null,
      };
    },
  };
}
