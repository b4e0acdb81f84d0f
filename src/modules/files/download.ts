import { posix } from 'node:path';
import { raw, sh } from '../../shell/quote.js';
import { parseKeyValueLines } from '../../facts/key-value.js';
import { PATH_INFO_LINES, pathInfo, type PathInfo } from './path-info.js';

interface DownloadOptions {
  url: string;
  dest: string;
  /** Send If-Modified-Since from the existing dest's mtime (curl -z); a 304 leaves it alone. */
  ifModifiedSince: boolean;
  timeout: number;
  validateCerts: boolean;
  headers: Record<string, string>;
  /** user:password for basic auth (sent in curl's stdin config, never on the command line). */
  credentials?: string;
  userAgent: string;
  /** `alg:hex` the downloaded file must have; a mismatch removes dest and fails. */
  checksum?: { algorithm: string; digest: string };
  /** Mode/owner/group for dest after it was (re)written. */
  mode?: string;
  owner?: string;
  group?: string;
  backup: boolean;
}

/** curl's config syntax: a double-quoted value with \ and " escaped. */
const curlConfigValue = (v: string) => `"${v.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;

/** Options curl reads from stdin (-K -): headers and credentials stay out of the process list. */
export function curlConfig(o: Pick<DownloadOptions, 'headers' | 'credentials' | 'userAgent'>): string {
  const lines = [`user-agent = ${curlConfigValue(o.userAgent)}`, ...Object.entries(o.headers).map(([k, v]) => `header = ${curlConfigValue(`${k}: ${v}`)}`)];
  if (o.credentials !== undefined) lines.push(`user = ${curlConfigValue(o.credentials)}`);
  return lines.join('\n') + '\n';
}

/**
 * One script ON THE HOST (curl, like Ansible's get_url fetches from the host): download to a temp
 * file next to dest, compare sha1 with dest, move into place only when it differs (keeping an
 * existing dest's mode and owner, as atomic_move), verify the checksum, set attributes.
 * Prints key=value lines for the result; a failure exits non-zero with Ansible's message on stderr.
 */
export function downloadCommand(o: DownloadOptions): string {
  const curlArgs = ['-sS', '-L', '--max-time', String(o.timeout), '-K', '-'];
  if (!o.validateCerts) curlArgs.push('-k');
  const lines = [
    sh`dest=${o.dest}; dir=${posix.dirname(o.dest)}`,
    '[ -d "$dir" ] || { echo "Destination $dir does not exist" >&2; exit 1; }',
    'tmp=$(mktemp "$dir/.falco-deploy.XXXXXXXX"); hdr=$(mktemp)',
    'trap \'rm -f -- "$tmp" "$hdr"\' EXIT',
    'trap "exit 129" HUP INT TERM PIPE',
    `info() { ${PATH_INFO_LINES}; }`,
    `echo "src=$tmp"`,
    sh`code=$(curl ${curlArgs} ${raw(o.ifModifiedSince ? '-z "$dest" ' : '')}-D "$hdr" -o "$tmp" -w '%{http_code}' -- ${o.url}) || { echo "Request failed: curl exit $?" >&2; exit 2; }`,
    'echo "status_code=$code"',
    'echo "content_length=$(tr -d "\\r" < "$hdr" | sed -n "s/^[Cc]ontent-[Ll]ength: *//p" | tail -n 1)"',
    'echo "reason=$(tr -d "\\r" < "$hdr" | sed -n "s/^HTTP\\/[0-9.]* [0-9]* *//p" | tail -n 1)"',
    '[ "$code" = 304 ] && { echo not_modified=1; info; exit 0; }',
    '[ "$code" = 200 ] || { echo "Request failed" >&2; exit 3; }',
    's=$(sha1sum < "$tmp"); echo "checksum_src=${s%% *}"',
    'd=; if [ -e "$dest" ]; then d=$(sha1sum < "$dest"); d=${d%% *}; echo "checksum_dest=$d"; fi',
    'if [ "${s%% *}" != "$d" ]; then',
    '  if [ -e "$dest" ]; then chmod --reference="$dest" "$tmp"; chown --reference="$dest" "$tmp" 2>/dev/null || :; else chmod "$(printf %o $((0666 & ~$(umask))))" "$tmp"; fi',
  ];
  if (o.backup) lines.push('  if [ -e "$dest" ]; then b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$dest" "$b"; echo "backup_file=$b"; fi');
  lines.push('  mv -f -- "$tmp" "$dest"; echo written=1', 'fi');
  if (o.checksum) {
    lines.push(
      sh`c=$(${raw(o.checksum.algorithm)}sum < "$dest"); c=\${c%% *}`,
      sh`[ "$c" = ${o.checksum.digest} ] || { rm -f -- "$dest"; echo "The checksum for $dest did not match "${o.checksum.digest}"; it was $c." >&2; exit 4; }`,
    );
  }
  const who = o.owner !== undefined ? (o.group !== undefined ? `${o.owner}:${o.group}` : o.owner) : undefined;
  if (who !== undefined) lines.push(sh`chown ${who} -- "$dest"`);
  else if (o.group !== undefined) lines.push(sh`chgrp ${o.group} -- "$dest"`);
  if (o.mode !== undefined) lines.push(sh`chmod ${o.mode} -- "$dest"`);
  lines.push(
    'm=$(md5sum < "$dest" 2>/dev/null) && echo "md5sum=${m%% *}"',
    'info',
  );
  return sh`sh -c ${lines.join('\n')}`;
}

interface DownloadOutcome {
  src?: string;
  statusCode?: number;
  contentLength?: string;
  reason?: string;
  notModified: boolean;
  written: boolean;
  checksumSrc?: string;
  checksumDest?: string;
  backupFile?: string;
  md5sum?: string;
  info: PathInfo;
}

export function parseDownload(stdout: string): DownloadOutcome {
  const kv = parseKeyValueLines(stdout);
  return {
    src: kv.src,
    statusCode: kv.status_code !== undefined ? Number(kv.status_code) : undefined,
    contentLength: kv.content_length || undefined,
    reason: kv.reason || undefined,
    notModified: kv.not_modified === '1',
    written: kv.written === '1',
    checksumSrc: kv.checksum_src,
    checksumDest: kv.checksum_dest,
    backupFile: kv.backup_file,
    md5sum: kv.md5sum,
    info: pathInfo(kv, 'file'),
  };
}
