import { OUTPUT_LIMIT_BYTES } from '../connectors/output-limit.js';
import { factIdentity, type FactRequest } from './request.js';
import { sh, raw } from '../shell/quote.js';
import { parseKeyValueLines } from './key-value.js';

export type ChecksumAlgorithm = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'md5'];

/** Ansible's diff limit (DEFAULT max_file_size_for_diff = 104448 bytes). */
export const DIFF_MAX_BYTES = 104448;

export interface FileStatArgs {
  path: string;
  /** Follow a symlink at `path` (stat its target). Default false (lstat). */
  follow?: boolean;
  /** Checksum of regular files; false/undefined = none. */
  checksum?: ChecksumAlgorithm | false;
  /** Return the content (base64) of regular files up to this many bytes; 0/undefined = never. */
  contentMaxBytes?: number;
  /** Probe as root (task become). */
  become?: boolean;
}

export type FileType = 'file' | 'directory' | 'link' | 'other';

export interface FileStat {
  exists: boolean;
  type?: FileType;
  /** `path` itself is a symlink (also true when followed). */
  islnk?: boolean;
  /** stat's %F: "regular file", "directory", "character special file", "fifo", ... */
  ftype?: string;
  /** Four octal digits, e.g. "0644". */
  mode?: string;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  mtime?: number;
  atime?: number;
  ctime?: number;
  inode?: number;
  dev?: number;
  nlink?: number;
  readable?: boolean;
  writeable?: boolean;
  executable?: boolean;
  /** readlink of `path` when it is a symlink. */
  lnk_target?: string;
  /** realpath of `path` when it is a symlink. */
  lnk_source?: string;
  checksum?: string;
  /** base64 content, when asked and the file is small enough and readable. */
  content?: string;
  /** Content was asked but the file is larger than contentMaxBytes. */
  content_too_large?: boolean;
}

// Every value is on its own key=value line; paths (which may hold spaces or newlines) are only
// ever printed base64-encoded, so the framing cannot be confused.
const STAT_FORMAT = [
  'mode=%a', 'uid=%u', 'gid=%g', 'owner=%U', 'group=%G', 'size=%s', 'mtime=%Y', 'atime=%X',
  'ctime=%Z', 'inode=%i', 'dev=%d', 'nlink=%h', 'ftype=%F',
].join('\n');

export function fileStat(a: FileStatArgs): FactRequest<FileStat> {
  if (a.checksum && !CHECKSUM_ALGORITHMS.includes(a.checksum)) throw new Error(`unknown checksum algorithm ${a.checksum}`);
  const follow = a.follow ? raw('1') : raw('0');
  const statFlag = a.follow ? raw('-L ') : raw('');
  const lines = [
    sh`p=${a.path}`,
    'if [ -L "$p" ]; then l=1; else l=0; fi',
    sh`if [ $l = 1 ] && [ ${follow} = 0 ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else t=absent; fi`,
    'echo "type=$t"; echo "islnk=$l"',
    'if [ $t != absent ]; then',
    // With content asked, the size test below reads stat's own size line instead of running stat again.
    a.contentMaxBytes
      ? sh`  st=$(stat ${statFlag}-c ${STAT_FORMAT} -- "$p" 2>/dev/null); printf '%s\\n' "$st"`
      : sh`  stat ${statFlag}-c ${STAT_FORMAT} -- "$p" 2>/dev/null`,
    '  [ -r "$p" ] && echo readable=1; [ -w "$p" ] && echo writeable=1; [ -x "$p" ] && echo executable=1',
    // Printable-ASCII targets go as they are (no base64 or tr process); anything else base64.
    '  if [ $l = 1 ]; then v=$(readlink -- "$p"); w=$(readlink -f -- "$p")',
    '    case $v$w in',
    '      *[![:print:]]*) printf lnk_target=; printf %s "$v" | base64 | tr -d "\\n"; echo; printf lnk_source=; printf %s "$w" | base64 | tr -d "\\n"; echo ;;',
    "      *) printf 'lnk_target_raw=%s\\nlnk_source_raw=%s\\n' \"$v\" \"$w\" ;;",
    '    esac',
    '  fi',
  ];
  if (a.checksum) {
    // `HASH  -` as sha1sum prints it (no command substitution); the parser keeps HASH. A failed read prints `checksum=` alone.
    lines.push(sh`  if [ $t = file ] && [ -r "$p" ]; then printf checksum=; ${raw(a.checksum)}sum < "$p" || echo; fi`);
  }
  if (a.contentMaxBytes) {
    lines.push(
      '  if [ $t = file ] && [ -r "$p" ]; then',
      '    z=${st#*"\nsize="}; z=${z%%"\n"*}',
      sh`    if [ "$z" -le ${a.contentMaxBytes} ]; then printf content=; base64 < "$p" | tr -d "\\n"; echo; else echo content_too_large=1; fi`,
      '  fi',
    );
  }
  lines.push('fi', ':');
  return {
    ...factIdentity('file_stat', { path: a.path, follow: !!a.follow, checksum: a.checksum || null, contentMaxBytes: a.contentMaxBytes ?? 0, become: !!a.become }),
    command: lines.join('\n'),
    become: a.become || undefined,
    maxOutputBytes: a.contentMaxBytes ? contentProbeOutputBytes(a.contentMaxBytes) : undefined,
    parse: (r) => parseFileStat(r.stdout),
  };
}

/** The content line is base64 of up to maxBytes; the other lines are small. */
function contentProbeOutputBytes(maxBytes: number): number {
  return Math.max(OUTPUT_LIMIT_BYTES, Math.ceil(maxBytes / 3) * 4 + 64 * 1024);
}

const NUMERIC = ['uid', 'gid', 'size', 'mtime', 'atime', 'ctime', 'inode', 'dev', 'nlink'] as const;

function parseFileStat(stdout: string): FileStat {
  const kv = parseKeyValueLines(stdout);
  const type = kv.type;
  if (type === undefined) throw new Error(`file_stat probe printed no type line: ${stdout.slice(0, 200)}`);
  if (type === 'absent') return { exists: false };
  const st: FileStat = { exists: true, type: type as FileType, islnk: kv.islnk === '1' };
  if (kv.mode !== undefined) st.mode = kv.mode.padStart(4, '0');
  for (const k of NUMERIC) if (kv[k] !== undefined) st[k] = Number(kv[k]);
  if (kv.owner !== undefined) st.owner = kv.owner;
  if (kv.ftype !== undefined) st.ftype = kv.ftype;
  if (kv.group !== undefined) st.group = kv.group;
  st.readable = kv.readable === '1';
  st.writeable = kv.writeable === '1';
  st.executable = kv.executable === '1';
  const target = kv.lnk_target_raw ?? (kv.lnk_target === undefined ? undefined : Buffer.from(kv.lnk_target, 'base64').toString('utf8'));
  const source = kv.lnk_source_raw ?? (kv.lnk_source === undefined ? undefined : Buffer.from(kv.lnk_source, 'base64').toString('utf8'));
  if (target !== undefined) st.lnk_target = target;
  if (source !== undefined) st.lnk_source = source;
  const checksum = kv.checksum?.split(' ')[0];
  if (checksum) st.checksum = checksum;
  if (kv.content !== undefined) st.content = kv.content;
  if (kv.content_too_large === '1') st.content_too_large = true;
  return st;
}
