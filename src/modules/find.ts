import type { ModuleDefinition, ModuleContext, Plan } from './contract.js';
import type { ProbedFacts } from '../facts/request.js';
import { CONTENT_MAX_BYTES, findTree, type FoundEntry } from '../facts/find-tree.js';
import { modeFlags } from './files/mode-flags.js';
import { ageMatches, contentMatches, nameMatches, normpath, parseAge, parseSize, sizeMatches, walkOrder } from './files/find-select.js';
import { pyFloat } from '../python/values.js';

type FileType = 'any' | 'directory' | 'file' | 'link';

type FindArgs = {
  paths: string[];
  patterns: string[];
  excludes?: string[];
  contains?: string;
  read_whole_file: boolean;
  file_type: FileType;
  age?: string;
  age_stamp: 'atime' | 'ctime' | 'mtime';
  size?: string;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  get_checksum: boolean;
  use_regex: boolean;
  depth?: number;
};

function probeFor(a: FindArgs, path: string, ctx: ModuleContext) {
  const depth = a.depth ? Math.max(a.depth + 1, 1) : null;
  return findTree({
    path,
    recurse: a.recurse,
    follow: a.follow,
    maxDepth: a.recurse ? depth : 1,
    checksum: a.get_checksum,
    content: a.contains !== undefined && a.file_type === 'file',
    become: ctx.become,
  });
}

/** find.py's statinfo(): the lstat dict of a matched entry. */
function statInfo(e: FoundEntry): Record<string, unknown> {
  const { wusr, rusr, xusr, wgrp, rgrp, xgrp, woth, roth, xoth, isuid, isgid } = modeFlags(e.mode);
  return {
    mode: e.mode,
    isdir: e.type === 'd', ischr: e.type === 'c', isblk: e.type === 'b', isreg: e.type === 'f',
    isfifo: e.type === 'p', islnk: e.type === 'l', issock: e.type === 's',
    uid: e.uid, gid: e.gid, size: e.size, inode: e.inode, dev: e.dev, nlink: e.nlink,
    atime: pyFloat(e.atime), mtime: pyFloat(e.mtime), ctime: pyFloat(e.ctime),
    gr_name: e.group, pw_name: e.owner,
    wusr, rusr, xusr, wgrp, rgrp, xgrp, woth, roth, xoth, isuid, isgid,
  };
}

class TooLarge extends Error {}

/** Does the entry pass the filters of its file_type branch in find.py's main loop? */
function selected(a: FindArgs, e: FoundEntry, name: string, path: string, now: number, age: number | undefined, size: number | undefined): boolean {
  const common = () => nameMatches(name, a.patterns, a.excludes, a.use_regex) && ageMatches(e[a.age_stamp], now, age);
  switch (a.file_type) {
    case 'any': return common() && (e.type !== 'f' || sizeMatches(e.size, size));
    case 'directory': return e.type === 'd' && common();
    case 'link': return e.type === 'l' && common();
    case 'file':
      if (e.type !== 'f' || !common() || !sizeMatches(e.size, size)) return false;
      if (a.contains === undefined) return true;
      if (e.content === null) throw new TooLarge(`find: cannot check contains on ${path}: larger than the ${CONTENT_MAX_BYTES} bytes falco-deploy reads per file`);
      return e.content !== undefined && contentMatches(e.content, a.contains, a.read_whole_file);
  }
}

function planFind(a: FindArgs, facts: ProbedFacts, ctx: ModuleContext): Plan {
  if (a.patterns.length === 0) a = { ...a, patterns: [a.use_regex ? '.*' : '*'] };
  const age = a.age === undefined ? undefined : parseAge(a.age);
  if (a.age !== undefined && age === undefined) return { commands: [], changed: false, failed: 'failed to process age', result: { age: a.age } };
  const size = a.size === undefined ? undefined : parseSize(a.size);
  if (a.size !== undefined && size === undefined) return { commands: [], changed: false, failed: 'failed to process size', result: { size: a.size } };
  const files: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  const warnings: string[] = [];
  let examined = 0;
  for (const path of a.paths) {
    const tree = facts.get(probeFor(a, path, ctx));
    if (!tree.isDir) {
      skipped[tree.base] = `'${tree.base}' is not a directory`;
    } else {
      if (tree.error) skipped[tree.base] = tree.error;
      const entries = walkOrder(tree.entries, a.follow);
      examined += entries.length;
      for (const e of entries) {
        if (a.depth && e.depth > a.depth) continue;
        const name = e.rel.slice(e.rel.lastIndexOf('/') + 1);
        if (name.startsWith('.') && !a.hidden) continue;
        const fsname = normpath(`${tree.base}/${e.rel}`);
        try {
          if (!selected(a, e, name, fsname, tree.now, age, size)) continue;
        } catch (err) {
          if (err instanceof TooLarge) return { commands: [], changed: false, failed: err.message };
          throw err;
        }
        const r: Record<string, unknown> = { path: fsname, ...statInfo(e) };
        if (a.get_checksum && e.type === 'f' && e.checksum !== undefined) r.checksum = e.checksum;
        files.push(r);
      }
    }
    if (skipped[tree.base] !== undefined) warnings.push(`Skipped '${tree.base}' path due to this access issue: ${skipped[tree.base]}\n`);
  }
  const msg = warnings.length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return { commands: [], changed: false, warnings, result: { files, changed: false, msg, matched: files.length, examined, skipped_paths: skipped } };
}

/** Read-only: one find_tree probe per path; selection is pure. */
export const find: ModuleDefinition<FindArgs> = {
  name: 'find',
  spec: {
    args: {
      paths: { type: 'list', elements: 'str', required: true, aliases: ['name', 'path'] },
      patterns: { type: 'list', elements: 'str', default: [], aliases: ['pattern'] },
      excludes: { type: 'list', elements: 'str', aliases: ['exclude'] },
      contains: { type: 'str' },
      read_whole_file: { type: 'bool', default: false },
      file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'] },
      age: { type: 'str' },
      age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'] },
      size: { type: 'str' },
      recurse: { type: 'bool', default: false },
      hidden: { type: 'bool', default: false },
      follow: { type: 'bool', default: false },
      get_checksum: { type: 'bool', default: false },
      use_regex: { type: 'bool', default: false },
      depth: { type: 'int' },
    },
  },
  probes: (a, ctx) => a.paths.map((p) => probeFor(a, p, ctx)),
  plan: planFind,
  finish: (_a, plan) => ({ ...(plan.result ?? {}) }),
};
