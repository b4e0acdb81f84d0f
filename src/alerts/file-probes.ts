/**
 * Reading an alerts file from its end, and following it: POSIX sh snippets (stat, tail -c,
 * head -c) and pure parsers. A 1 GB file is never pulled whole: the tail read doubles a window
 * from the end (tail -c seeks) until the first whole line in it is older than --since, and a
 * follow read returns only the bytes after the last offset.
 */
import { factIdentity, type FactRequest } from '../facts/request.js';
import { sh } from '../shell/quote.js';

/** Where a read stopped: the next follow read starts at `offset` of the file with `inode`. */
export interface FilePosition {
  inode: number;
  offset: number;
}

export interface TailRead extends FilePosition {
  /** Complete lines, oldest first. */
  lines: string[];
  /** The window reached maxBytes before reaching --since: older alerts were not read. */
  cut: boolean;
  missing: boolean;
}

const FIRST_CHUNK = 64 << 10;

/**
 * Shell that prints the tail read (parseTailRead) of the file in `$f`: the last lines written at
 * or after `since` (UTC ISO, compared as text, as Falco's JSON time).
 */
export function tailScript(since: string, maxBytes: number): string {
  return (
    sh`since=${since}; n=${FIRST_CHUNK}; max=${maxBytes}; ` +
    sh`if st=$(stat -Lc '%i %s' -- "$f" 2>/dev/null); then set -- $st; ino=$1; size=$2; ` +
    sh`while [ "$n" -lt "$size" ] && [ "$n" -lt "$max" ]; do ` +
    sh`t=$(tail -c +$((size - n + 1)) -- "$f" | head -n 2 | tail -n 1 | sed -n 's/.*"time" *: *"\\([^"]*\\)".*/\\1/p'); ` +
    sh`if [ -n "$t" ] && [ "$(expr "x$t" \\< "x$since")" = 1 ]; then break; fi; n=$((n * 2)); done; ` +
    sh`[ "$n" -gt "$max" ] && n=$max; [ "$n" -gt "$size" ] && n=$size; ` +
    sh`echo "$ino $size $n"; tail -c +$((size - n + 1)) -- "$f" | head -c "$n"; else echo missing; fi`
  );
}

/** The tail read of `path` alone (the alerts command reads it in its one source-and-read probe). */
export function tailProbe(path: string, since: string, maxBytes: number): FactRequest<TailRead> {
  return {
    ...factIdentity('alerts_tail', { path, since, maxBytes }),
    command: sh`f=${path}; ` + tailScript(since, maxBytes),
    become: true,
    maxOutputBytes: maxBytes + 4096,
    parse: (r) => parseTailRead(r.stdout),
  };
}

export function parseTailRead(stdout: string): TailRead {
  const nl = stdout.indexOf('\n');
  const head = (nl < 0 ? stdout : stdout.slice(0, nl)).trim();
  if (head === 'missing') return { inode: 0, offset: 0, lines: [], cut: false, missing: true };
  const [inode, size, window] = head.split(' ').map(Number) as [number, number, number];
  let body = nl < 0 ? '' : stdout.slice(nl + 1);
  const fromStart = window >= size;
  if (!fromStart) body = body.slice(body.indexOf('\n') + 1); // the first line is cut by the window
  const { lines, rest } = completeLines(body);
  return { inode, offset: size - Buffer.byteLength(rest), lines, cut: !fromStart && window < size, missing: false };
}

/** Complete lines and the unfinished last one (a write in progress). */
export function completeLines(text: string): { lines: string[]; rest: string } {
  const end = text.lastIndexOf('\n');
  const rest = text.slice(end + 1);
  const lines = end < 0 ? [] : text.slice(0, end).split('\n').filter((l) => l.trim() !== '');
  return { lines, rest };
}

type FollowState = 'same' | 'rotated' | 'truncated' | 'missing';

interface FollowRead extends FilePosition {
  state: FollowState;
  /** Bytes after the previous position: the rest of a rotated file first, then the new file's. */
  text: string;
}

/**
 * New bytes since `from`. A different inode at `path` means the file was rotated: the rest of
 * the old file (found by inode beside it, e.g. events.json.1) comes first, then the new file
 * from 0. A file shorter than the offset was truncated (copytruncate): read from 0.
 */
export function followProbe(path: string, from: FilePosition, maxBytes: number): FactRequest<FollowRead> {
  const command =
    sh`f=${path}; ino=${from.inode}; off=${from.offset}; max=${maxBytes}; old=; ` +
    sh`st=$(stat -Lc '%i %s' -- "$f" 2>/dev/null) || st='0 0'; set -- $st; cino=$1; csize=$2; state=same; ooff=$off; ` +
    sh`if [ "$cino" != "$ino" ]; then state=rotated; off=0; [ "$cino" = 0 ] && state=missing; ` +
    sh`[ "$ino" != 0 ] && old=$(find "$(dirname -- "$f")" -maxdepth 1 -type f -inum "$ino" 2>/dev/null | head -n 1); ` +
    sh`elif [ "$csize" -lt "$off" ]; then state=truncated; off=0; fi; ` +
    sh`n=$((csize - off)); [ "$n" -gt "$max" ] && n=$max; echo "$state $cino $((off + n))"; ` +
    sh`if [ -n "$old" ]; then tail -c +$((ooff + 1)) -- "$old"; fi; ` +
    sh`if [ "$n" -gt 0 ]; then tail -c +$((off + 1)) -- "$f" | head -c "$n"; fi`;
  return {
    ...factIdentity('alerts_follow', { path, inode: from.inode, offset: from.offset }),
    command,
    become: true,
    maxOutputBytes: maxBytes * 2 + 4096,
    parse: (r) => parseFollowRead(r.stdout),
  };
}

export function parseFollowRead(stdout: string): FollowRead {
  const nl = stdout.indexOf('\n');
  const [state, inode, offset] = (nl < 0 ? stdout : stdout.slice(0, nl)).trim().split(' ');
  if (state !== 'same' && state !== 'rotated' && state !== 'truncated' && state !== 'missing') {
    throw new Error(`unexpected follow probe output: ${JSON.stringify(stdout.slice(0, 80))}`);
  }
  return { state, inode: Number(inode), offset: Number(offset), text: nl < 0 ? '' : stdout.slice(nl + 1) };
}
