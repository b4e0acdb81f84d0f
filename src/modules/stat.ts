import type { ModuleDefinition } from './contract.js';
import { modeFlags } from './files/mode-flags.js';
import { CHECKSUM_ALGORITHMS, fileStat, type ChecksumAlgorithm, type FileStat } from '../facts/file-stat.js';

type StatArgs = {
  path: string;
  follow?: boolean;
  get_checksum?: boolean;
  checksum_algorithm?: ChecksumAlgorithm;
}

function probe(a: StatArgs, become: boolean) {
  return fileStat({
    path: a.path,
    follow: a.follow ?? false,
    checksum: a.get_checksum === false ? false : (a.checksum_algorithm ?? 'sha1'),
    become,
  });
}

/** Ansible's `stat` result dict from the probe. */
function ansibleStat(path: string, st: FileStat): Record<string, unknown> {
  if (!st.exists) return { exists: false };
  const out: Record<string, unknown> = {
    exists: true,
    path,
    mode: st.mode,
    isdir: st.type === 'directory',
    isreg: st.type === 'file',
    islnk: st.type === 'link',
    isblk: st.ftype === 'block special file',
    ischr: st.ftype === 'character special file',
    isfifo: st.ftype === 'fifo',
    issock: st.ftype === 'socket',
    uid: st.uid,
    gid: st.gid,
    pw_name: st.owner,
    gr_name: st.group,
    size: st.size,
    mtime: st.mtime,
    atime: st.atime,
    ctime: st.ctime,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    readable: st.readable,
    writeable: st.writeable,
    executable: st.executable,
    ...modeFlags(st.mode),
  };
  if (st.type === 'link') {
    out.lnk_source = st.lnk_source;
    out.lnk_target = st.lnk_target;
  }
  if (st.checksum !== undefined) out.checksum = st.checksum;
  return out;
}

/** Read-only: one probe, no commands. */
export const stat: ModuleDefinition<StatArgs> = {
  name: 'stat',
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'name'] },
      follow: { type: 'bool', default: false },
      get_checksum: { type: 'bool', default: true },
      checksum_algorithm: { type: 'str', default: 'sha1', choices: CHECKSUM_ALGORITHMS, aliases: ['checksum', 'checksum_algo'] },
      get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
      get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
    },
  },
  probes: (a, ctx) => [probe(a, ctx.become)],
  plan(a, facts, ctx) {
    const st = facts.get(probe(a, ctx.become));
    return { commands: [], changed: false, result: { changed: false, stat: ansibleStat(a.path, st) } };
  },
  finish: (_a, plan) => ({ ...(plan.result ?? {}) }),
};
