import type { ProbedFacts } from '../../facts/request.js';
import type { ModuleContext, Plan } from '../contract.js';
import { fileStat, type FileStat } from '../../facts/file-stat.js';
import { pathExists } from '../../facts/path-exists.js';
import { sh } from '../../shell/quote.js';
import { posix } from 'node:path';
import type { FileArgs } from './file-args.js';
import { attrChanges, attrCommand } from './attrs.js';
import { stateDiff } from './state-diff.js';

/** Absolute location of a symlink's src (relative srcs are relative to the link's directory). */
export function linkSourcePath(path: string, src: string): string {
  return posix.isAbsolute(src) ? src : posix.join(posix.dirname(path), src);
}

function failed(msg: string): Plan {
  return { commands: [], changed: false, failed: msg };
}

function prevState(st: FileStat): string {
  if (!st.exists) return 'absent';
  if (st.type === 'file' && (st.nlink ?? 1) > 1) return 'hard';
  return st.type ?? 'file';
}

/** Owner/group of the link itself (chown -h); Linux symlinks have no mode of their own. */
function linkOwnership(a: FileArgs, st: FileStat | undefined): string | undefined {
  const change = st?.exists ? attrChanges({ owner: a.owner, group: a.group }, st) : { owner: a.owner, group: a.group };
  return attrCommand(a.path, change, { noDereference: true });
}

export function planLink(a: FileArgs, st: FileStat, facts: ProbedFacts, ctx: ModuleContext): Plan {
  const prev = prevState(st);
  const src = a.src ?? (st.type === 'link' ? st.lnk_target : undefined);
  if (src === undefined) return failed('src is required for creating new symlinks');
  if (!a.force && a.src !== undefined) {
    const absrc = linkSourcePath(a.path, a.src);
    if (!facts.get(pathExists({ path: absrc, become: ctx.become }))) {
      return failed(`src file does not exist, use "force=yes" if you really want to create the link: ${absrc}`);
    }
  }
  if (prev === 'directory' && !a.force) return failed(`refusing to convert from directory to symlink for ${a.path}`);
  if ((prev === 'file' || prev === 'hard') && !a.force) return failed(`refusing to convert from ${prev} to symlink for ${a.path}`);
  if (prev === 'other') return failed(`refusing to replace ${a.path}: it is not a file, directory or link`);

  const result = { dest: a.path, src, state: 'link' };
  const linkNeeded = prev !== 'link' || st.lnk_target !== src;
  if (!linkNeeded) {
    const own = linkOwnership(a, st);
    return { commands: own ? [{ command: own }] : [], changed: !!own, result };
  }
  // rmdir refuses a non-empty directory, which is Ansible's "directory is not empty" refusal.
  const make = prev === 'directory' ? sh`rmdir -- ${a.path} && ln -s -- ${src} ${a.path}` : sh`ln -sfn -- ${src} ${a.path}`;
  const own = linkOwnership(a, undefined);
  return {
    commands: [{ command: own ? `${make} && ${own}` : make }],
    changed: true,
    diff: [stateDiff(a.path, prev === 'link' ? { state: 'link', src: st.lnk_target } : { state: prev }, { state: 'link', src })],
    result,
  };
}

export function hardSourceStat(a: FileArgs, ctx: ModuleContext) {
  return fileStat({ path: a.src!, follow: true, become: ctx.become });
}

export function planHardLink(a: FileArgs, st: FileStat, facts: ProbedFacts, ctx: ModuleContext): Plan {
  if (a.src === undefined) return failed('src is required for creating new hardlinks');
  const srcSt = facts.get(hardSourceStat(a, ctx));
  if (!srcSt.exists) return failed(`src does not exist: ${a.src}`);
  const prev = prevState(st);
  const result = { dest: a.path, src: a.src, state: 'hard' };
  const same = st.exists && st.type !== 'link' && st.inode === srcSt.inode && st.dev === srcSt.dev;
  if (same) {
    const change = attrChanges(a, st);
    const cmd = attrCommand(a.path, change);
    return { commands: cmd ? [{ command: cmd }] : [], changed: !!cmd, result };
  }
  if (prev === 'directory') return failed(`Cannot link: ${a.path} is a directory`);
  if ((prev === 'file' || prev === 'hard') && !a.force) {
    return failed(prev === 'hard' ? 'Cannot link, different hard link exists at destination' : 'Cannot link, file exists at destination');
  }
  const make = sh`ln -f -- ${a.src} ${a.path}`;
  // After linking, path is src's inode: its attributes are src's.
  const cmd = attrCommand(a.path, attrChanges(a, srcSt));
  return {
    commands: [{ command: cmd ? `${make} && ${cmd}` : make }],
    changed: true,
    diff: [stateDiff(a.path, { state: prev }, { state: 'hard', src: a.src })],
    result,
  };
}
