import { factIdentity, type FactRequest } from './request.js';
import { parseKeyValueLines } from './key-value.js';
import { quote, raw, sh } from '../shell/quote.js';

interface FindTreeArgs {
  /** Directory to walk; a leading `~` or `~/` is the login user's $HOME (os.path.expanduser). */
  path: string;
  /** Descend into subdirectories (false: direct children only). */
  recurse: boolean;
  /** Walk into symlinked directories (find -L). */
  follow: boolean;
  /** Deepest entry to list (1 = direct children); null = no limit. */
  maxDepth: number | null;
  /** sha1 of regular files. */
  checksum: boolean;
  /** base64 content of regular files (find's `contains`), up to CONTENT_MAX_BYTES each. */
  content: boolean;
  become?: boolean;
}

/** One walked entry, with its lstat fields as Python's os.lstat gives them. */
export interface FoundEntry {
  /** Path relative to the walked directory (find's %P). */
  rel: string;
  depth: number;
  /** lstat type letter: f d l b c p s. */
  type: string;
  /** Type following a symlink (os.walk lists a link to a directory among the directories). */
  targetType: string;
  mode: string;
  uid: number;
  gid: number;
  /** '' when the id has no name (as Ansible's pwd/grp lookups). */
  owner: string;
  group: string;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
  checksum?: string;
  /** base64; null when the file is larger than CONTENT_MAX_BYTES or unreadable. */
  content?: string | null;
}

interface FoundTree {
  /** The walked path after `~` expansion. */
  base: string;
  isDir: boolean;
  /** The host's clock (time.time()) when the probe ran. */
  now: number;
  entries: FoundEntry[];
  /** What find wrote to stderr (an entry it could not read), '' if nothing. */
  error: string;
}

/** Files larger than this are not read for `contains`; the task fails instead of guessing. */
export const CONTENT_MAX_BYTES = 4 * 1024 * 1024;

const FIELDS = ['%Y', '%m', '%U', '%G', '%u', '%g', '%s', '%i', '%D', '%n', '%A@', '%T@', '%C@', '%d', '%P'];

function pathWord(path: string): ReturnType<typeof raw> {
  if (path === '~') return raw('"$HOME"');
  if (path.startsWith('~/')) return raw(`"$HOME"${quote(path.slice(1))}`);
  return raw(quote(path));
}

/**
 * Lists a directory tree with find -printf (NUL-separated fields, base64 so no byte can break the
 * framing). With follow, find -L reports a symlink's target; -xtype l still marks it as a link.
 */
export function findTree(a: FindTreeArgs): FactRequest<FoundTree> {
  const walk = raw(`find ${a.follow ? '-L ' : ''}"$p" -mindepth 1${a.maxDepth !== null ? ` -maxdepth ${a.maxDepth}` : ''}`);
  const typeField = a.follow ? "\\( -xtype l -printf 'l\\0' -o -printf '%y\\0' \\)" : "-printf '%y\\0'";
  const format = FIELDS.map((f) => `${f}\\0`).join('');
  const lines = [
    sh`p=${pathWord(a.path)}`,
    'printf base=; printf %s "$p" | base64 -w0; echo',
    'if [ -d "$p" ]; then',
    '  echo isdir=1; echo "now=$(date +%s.%N)"',
    `  printf entries=; err=$( { ${walk} ${typeField} -printf '${format}' | base64 -w0; } 2>&1 >&3 ) 3>&1; echo`,
    '  printf err=; printf %s "$err" | base64 -w0; echo',
  ];
  if (a.checksum || a.content) {
    const sum = a.checksum ? 'sha1sum < "$f" | cut -c1-40 | tr -d "\\n"' : 'printf .';
    const content = a.content ? sh`if [ "$(stat -c %s -- "$f")" -le ${CONTENT_MAX_BYTES} ]; then base64 -w0 < "$f"; else printf -; fi` : 'printf .';
    const each = `for f do [ -r "$f" ] || continue; r=\${f#"$0"}; r=\${r#/}; printf "c "; printf %s "$r" | base64 -w0; printf " "; ${sum}; printf " "; ${content}; echo; done`;
    lines.push(`  ${walk} -type f -exec sh -c ${sh`${each}`} "$p" {} + 2>/dev/null`);
  }
  lines.push('else echo isdir=0; fi', ':');
  return {
    ...factIdentity('find_tree', { path: a.path, recurse: a.recurse, follow: a.follow, maxDepth: a.maxDepth, checksum: a.checksum, content: a.content, become: !!a.become }),
    command: lines.join('\n'),
    become: a.become || undefined,
    maxOutputBytes: a.content ? 64 * 1024 * 1024 : undefined,
    parse: (r) => parseFindTree(r.stdout),
  };
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** CPython's st_mtime: seconds + nanoseconds * 1e-9 in double precision. */
function pyTime(findTime: string): number {
  const [sec, frac = ''] = findTime.split('.');
  return Number(sec) + Number(frac.padEnd(9, '0').slice(0, 9)) * 1e-9;
}

function parseFindTree(stdout: string): FoundTree {
  const kv = parseKeyValueLines(stdout);
  if (kv.isdir === undefined) throw new Error(`find_tree probe printed no isdir line: ${stdout.slice(0, 200)}`);
  const tree: FoundTree = { base: b64(kv.base ?? ''), isDir: kv.isdir === '1', now: Number(kv.now ?? 0), entries: [], error: b64(kv.err ?? '').trim() };
  const fields = b64(kv.entries ?? '').split('\0');
  const width = FIELDS.length + 1;
  for (let i = 0; i + width <= fields.length; i += width) {
    const [type, targetType, mode, uid, gid, owner, group, size, inode, dev, nlink, atime, mtime, ctime, depth, rel] = fields.slice(i, i + width);
    tree.entries.push({
      rel, depth: Number(depth), type, targetType,
      mode: type === 'l' ? '0777' : mode.padStart(4, '0'),
      uid: Number(uid), gid: Number(gid),
      owner: owner === uid ? '' : owner, group: group === gid ? '' : group,
      size: Number(size), inode: Number(inode), dev: Number(dev), nlink: Number(nlink),
      atime: pyTime(atime), mtime: pyTime(mtime), ctime: pyTime(ctime),
    });
  }
  const byRel = new Map(tree.entries.map((e) => [e.rel, e]));
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('c ')) continue;
    const [, rel, sum, content] = line.split(' ');
    const e = byRel.get(b64(rel));
    if (!e || e.type !== 'f') continue;
    if (sum !== '.') e.checksum = sum;
    if (content !== '.') e.content = content === '-' ? null : content;
  }
  return tree;
}
