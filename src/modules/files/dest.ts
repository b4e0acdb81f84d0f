import { posix } from 'node:path';
import type { ModuleContext } from '../contract.js';
import { fileStat, DIFF_MAX_BYTES, type FileStat, type FileStatArgs } from '../../facts/file-stat.js';

/** The stat probe the content-writing modules use for their destination. */
function destStatArgs(dest: string, ctx: ModuleContext, contentMaxBytes?: number): FileStatArgs {
  return {
    path: dest,
    follow: true,
    checksum: 'sha1',
    contentMaxBytes: contentMaxBytes ?? (ctx.diff ? DIFF_MAX_BYTES : 0),
    become: ctx.become,
  };
}

export function destStat(dest: string, ctx: ModuleContext, contentMaxBytes?: number) {
  return fileStat(destStatArgs(dest, ctx, contentMaxBytes));
}

/** `follow: true` writes to where an existing symlink points instead of replacing the link. */
export function writePath(dest: string, st: FileStat, follow: boolean | undefined): string {
  return follow && st.islnk && st.lnk_source ? st.lnk_source : dest;
}

/** A dest ending in "/" names a directory: the file keeps the source's base name. */
export function destForSource(dest: string, src: string | undefined): string {
  return dest.endsWith('/') && src ? posix.join(dest, posix.basename(src)) : dest;
}
