import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { sh } from '../../shell/quote.js';
import { ArgumentError } from '../../argspec/validate.js';

interface AtomicWriteOptions {
  dest: string;
  /** sha1 of the exact bytes that go on stdin; checked before the rename. */
  checksum: string;
  /** Octal mode for the new file; undefined = 0666 minus the remote umask (a new file, like Ansible). */
  mode?: string;
  /** Owner/group (name or id) for the new file; undefined = leave as created. */
  owner?: string;
  group?: string;
  /** When owner/group are not given: try to keep these ids (an existing target's), ignoring failure. */
  keepIds?: { uid: number; gid: number };
  /** Ansible validate: a command with %s for the file to check. */
  validate?: string;
  backup?: boolean;
}

export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** `validate` with %s -> "$tmp" (and %% -> %), as Python's `validate % path`. */
function validateCommand(validate: string): string {
  if (!validate.includes('%s')) throw new ArgumentError(`validate must contain %s: ${validate}`);
  return validate.replace(/%([s%])/g, (_, c: string) => (c === 's' ? '"$tmp"' : '%'));
}

/**
 * Script lines that take stdin whole into "$tmp" (made by the `mktemp` command given) or exit 1: its
 * sha1 is checked (a cut connection truncates stdin), and the EXIT trap removes the temp file.
 */
export function receiveStdinLines(mktemp: string, checksum: string): string[] {
  return [
    `tmp=$(${mktemp})`,
    'cleanup() { rm -f -- "$tmp"; }',
    'trap cleanup EXIT',
    'trap "exit 129" HUP INT TERM PIPE',
    'cat > "$tmp"',
    sh`s=$(sha1sum < "$tmp"); [ "\${s%% *}" = ${checksum} ] || { echo "content transfer incomplete, target left untouched" >&2; exit 1; }`,
  ];
}

/**
 * One self-contained `sh -c` script: write stdin to a temp file in the target directory, verify its
 * sha1 (a cut connection truncates stdin — never install that), set mode/owner, validate, back up,
 * then rename over the target. The EXIT trap removes the temp file on every failure path, so the
 * target is either the old file or the complete new one.
 * Prints `backup_file=<path>` when it made a backup.
 */
function atomicWriteScript(o: AtomicWriteOptions): string {
  const dir = posix.dirname(o.dest);
  const lines = [
    'set -e',
    sh`dest=${o.dest}; dir=${dir}`,
    '[ -d "$dir" ] || { echo "Destination directory $dir does not exist" >&2; exit 1; }',
    ...receiveStdinLines('mktemp "$dir/.falco-deploy.XXXXXXXX"', o.checksum),
    o.mode !== undefined ? sh`chmod ${o.mode} "$tmp"` : 'chmod "$(printf %o $((0666 & ~$(umask))))" "$tmp"',
  ];
  if (o.owner !== undefined) lines.push(sh`chown ${o.group !== undefined ? `${o.owner}:${o.group}` : o.owner} "$tmp"`);
  else if (o.group !== undefined) lines.push(sh`chgrp ${o.group} "$tmp"`);
  if (o.owner === undefined && o.group === undefined && o.keepIds) {
    lines.push(sh`chown ${`${o.keepIds.uid}:${o.keepIds.gid}`} "$tmp" 2>/dev/null || :`);
  }
  if (o.validate !== undefined) {
    lines.push(`${validateCommand(o.validate)} || { rc=$?; echo "failed to validate" >&2; exit $rc; }`);
  }
  if (o.backup) {
    lines.push('if [ -e "$dest" ]; then b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$dest" "$b"; echo "backup_file=$b"; fi');
  }
  lines.push('mv -f -- "$tmp" "$dest"');
  return lines.join('\n');
}

export function atomicWriteCommand(o: AtomicWriteOptions): string {
  return sh`sh -c ${atomicWriteScript(o)}`;
}

/** The backup path printed by the write script, if any. */
export function backupFileFrom(stdout: string): string | undefined {
  const m = /^backup_file=(.*)$/m.exec(stdout);
  return m?.[1];
}
