import type { FileStat } from '../../facts/file-stat.js';
import { sh, raw } from '../../shell/quote.js';
import { normalizeMode } from './mode.js';

/** The common file arguments every file-writing module takes (Ansible's add_file_common_args). */
export type FileAttrArgs = {
  mode?: string | number;
  owner?: string | number;
  group?: string | number;
};

/** Attributes to set; only the ones that differ from the current file are present. */
export interface AttrChange {
  mode?: string;
  owner?: string;
  group?: string;
}

export const FILE_ATTR_SPEC = {
  mode: { type: 'raw' },
  owner: { type: 'str' },
  group: { type: 'str' },
} as const;

function sameUser(want: string, name: string | undefined, id: number | undefined): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

/** Compare desired attributes with the current stat (of an existing path). */
export function attrChanges(args: FileAttrArgs, st: FileStat): AttrChange {
  const out: AttrChange = {};
  const cur = st.mode !== undefined ? parseInt(st.mode, 8) : 0;
  const mode = normalizeMode(args.mode, cur, st.type === 'directory');
  if (mode !== undefined && mode !== st.mode) out.mode = mode;
  if (args.owner !== undefined && args.owner !== null && !sameUser(String(args.owner), st.owner, st.uid)) out.owner = String(args.owner);
  if (args.group !== undefined && args.group !== null && !sameUser(String(args.group), st.group, st.gid)) out.group = String(args.group);
  return out;
}

export function hasChanges(c: AttrChange): boolean {
  return c.mode !== undefined || c.owner !== undefined || c.group !== undefined;
}

interface AttrCommandOptions {
  /** Act on a symlink itself (chown -h); chmod is skipped for links (Linux has no link modes). */
  noDereference?: boolean;
  recurse?: boolean;
}

/** chown/chgrp/chmod for `path` (one shell command), or undefined when nothing differs. */
export function attrCommand(path: string, c: AttrChange, o: AttrCommandOptions = {}): string | undefined {
  const flags = raw(`${o.recurse ? '-R ' : ''}${o.noDereference ? '-h ' : ''}`);
  const parts: string[] = [];
  if (c.owner !== undefined) {
    const who = c.group !== undefined ? `${c.owner}:${c.group}` : c.owner;
    parts.push(sh`chown ${flags}${who} -- ${path}`);
  } else if (c.group !== undefined) {
    parts.push(sh`chgrp ${flags}${c.group} -- ${path}`);
  }
  if (c.mode !== undefined && !o.noDereference) parts.push(sh`chmod ${raw(o.recurse ? '-R ' : '')}${c.mode} -- ${path}`);
  return parts.length ? parts.join(' && ') : undefined;
}

/** Ansible's file attribute diff: {before: {mode: '0600'}, after: {mode: '0644'}}. */
export function attrDiffText(st: FileStat, c: AttrChange): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  if (c.mode !== undefined) { before.push(`mode: '${st.mode}'`); after.push(`mode: '${c.mode}'`); }
  if (c.owner !== undefined) { before.push(`owner: ${st.owner}`); after.push(`owner: ${c.owner}`); }
  if (c.group !== undefined) { before.push(`group: ${st.group}`); after.push(`group: ${c.group}`); }
  return { before: before.join('\n') + (before.length ? '\n' : ''), after: after.join('\n') + (after.length ? '\n' : '') };
}
