import { createHash } from 'node:crypto';
import type { FileDiff, ModuleContext, Plan, PlannedCommand } from '../contract.js';
import type { FileStat } from '../../facts/file-stat.js';
import { attrChanges, attrCommand, attrDiffText, hasChanges, type FileAttrArgs } from './attrs.js';
import { atomicWriteCommand, sha1 } from './atomic-write.js';
import type { StreamedFile } from './local-file.js';
import { normalizeMode } from './mode.js';

/** Arguments copy and template share: where to write and how (their common Ansible argument spec). */
export type ContentWriteArgs = FileAttrArgs & {
  dest: string;
  backup?: boolean;
  force?: boolean;
  validate?: string;
  follow?: boolean;
};

interface ManagedContentInput {
  dest: string;
  /** The bytes, or a big controller file that is streamed (never read whole). */
  content: Buffer | StreamedFile;
  attrs: FileAttrArgs;
  stat: FileStat;
  ctx: ModuleContext;
  backup?: boolean;
  /** copy's force=false: never replace an existing file. */
  force?: boolean;
  validate?: string;
  /** Overrides the diff's "before" text (lineinfile has the whole file anyway). */
  beforeText?: string;
}

const TOO_LARGE_TO_DIFF = '(file too large to diff)\n';

/** Text for a diff side: Ansible shows binary content as a marker. */
function diffText(b: Buffer): string {
  return b.includes(0) ? '(binary file)\n' : b.toString('utf8');
}

function beforeText(st: FileStat): string {
  if (!st.exists) return '';
  if (st.content_too_large) return TOO_LARGE_TO_DIFF;
  if (st.content === undefined) return st.readable === false ? '(file not readable)\n' : '';
  return diffText(Buffer.from(st.content, 'base64'));
}

/**
 * Plan for "this path must hold exactly these bytes with these attributes": nothing when
 * converged, chmod/chown when only attributes differ, else one atomic write.
 */
export function planManagedContent(i: ManagedContentInput): Plan {
  const { dest, content, stat: st, ctx } = i;
  const bytes = Buffer.isBuffer(content) ? content : undefined;
  const checksum = bytes ? sha1(bytes) : (content as StreamedFile).sha1;
  const size = bytes ? bytes.length : (content as StreamedFile).size;
  const result: Record<string, unknown> = {
    dest,
    checksum,
    md5sum: bytes ? createHash('md5').update(bytes).digest('hex') : (content as StreamedFile).md5,
    size,
    state: 'file',
  };
  if (st.exists && st.type === 'directory') return { commands: [], changed: false, failed: `Destination ${dest} is a directory`, result };
  if (st.exists && i.force === false) {
    return { commands: [], changed: false, result: { ...result, msg: 'file already exists' } };
  }

  const contentChanged = !st.exists || st.type !== 'file' || st.checksum !== checksum;
  const commands: PlannedCommand[] = [];
  const diff: FileDiff[] = [];
  if (contentChanged) {
    const mode = normalizeMode(i.attrs.mode, st.exists && st.mode ? parseInt(st.mode, 8) : 0o644, false)
      ?? (st.exists && st.type === 'file' ? st.mode : undefined);
    const owner = i.attrs.owner === undefined || i.attrs.owner === null ? undefined : String(i.attrs.owner);
    const group = i.attrs.group === undefined || i.attrs.group === null ? undefined : String(i.attrs.group);
    const keepIds = st.exists && st.uid !== undefined && st.gid !== undefined ? { uid: st.uid, gid: st.gid } : undefined;
    commands.push({
      command: atomicWriteCommand({ dest, checksum, mode, owner, group, keepIds, validate: i.validate, backup: i.backup }),
      ...(bytes ? { stdin: bytes } : { stdinFile: (content as StreamedFile).path }),
      describe: `write ${size} bytes to ${dest} (temp file + rename)`,
    });
    if (ctx.diff) {
      diff.push({
        path: dest,
        before: i.beforeText ?? beforeText(st),
        after: bytes ? diffText(bytes) : TOO_LARGE_TO_DIFF,
        beforeHeader: st.exists ? dest : `${dest} (absent)`,
        afterHeader: dest,
      });
    }
    Object.assign(result, { mode: mode ?? st.mode, owner: owner ?? st.owner, group: group ?? st.group });
  } else {
    const change = attrChanges(i.attrs, st);
    if (hasChanges(change)) {
      commands.push({ command: attrCommand(dest, change)! });
      if (ctx.diff) diff.push({ path: dest, ...attrDiffText(st, change), beforeHeader: `${dest} (file attributes)`, afterHeader: `${dest} (file attributes)` });
    }
    // Same content: Ansible's copy action hands over to the file module, whose result has `path`.
    Object.assign(result, {
      path: dest,
      mode: change.mode ?? st.mode,
      owner: change.owner ?? st.owner,
      group: change.group ?? st.group,
      uid: change.owner === undefined ? st.uid : undefined,
      gid: change.group === undefined ? st.gid : undefined,
    });
    for (const k of ['uid', 'gid']) if (result[k] === undefined) delete result[k];
  }
  return { commands, changed: commands.length > 0, diff: diff.length ? diff : undefined, result };
}
