import type { FactRequest } from '../facts/request.js';
import type { ModuleContext, ModuleDefinition, Plan } from './contract.js';
import { fileStat, type FileStat } from '../facts/file-stat.js';
import { pathExists } from '../facts/path-exists.js';
import { treeAttrsDiffer } from '../facts/tree-attrs.js';
import { raw, sh } from '../shell/quote.js';
import { attrChanges, attrCommand, hasChanges, FILE_ATTR_SPEC, type AttrChange } from './files/attrs.js';
import { finishFileChange } from './files/finish.js';
import { hardSourceStat, linkSourcePath, planHardLink, planLink } from './files/links.js';
import { ArgumentError } from '../argspec/validate.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { isSymbolicMode, normalizeMode } from './files/mode.js';
import { stateDiff } from './files/state-diff.js';
import type { FileArgs, FileState } from './files/file-args.js';

const followsPath = (state: FileState | undefined) => state !== 'link' && state !== 'hard' && state !== 'absent';

function pathStat(a: FileArgs, ctx: ModuleContext): FactRequest<FileStat> {
  return fileStat({ path: a.path, follow: followsPath(a.state) && a.follow !== false, become: ctx.become });
}


function treeProbe(a: FileArgs, ctx: ModuleContext) {
  const mode = normalizeMode(a.mode);
  return treeAttrsDiffer({ path: a.path, mode, owner: a.owner, group: a.group, become: ctx.become });
}

/** What state the task means: the given one, else the current type (Ansible's default). */
function effectiveState(a: FileArgs, st: FileStat): FileState {
  if (a.state) return a.state;
  if (a.recurse) return 'directory';
  if (st.exists && st.type === 'directory') return 'directory';
  return 'file';
}

function attrsPlan(path: string, st: FileStat, a: FileArgs, state: FileState, extra: Plan['commands'] = [], changed = false): Plan {
  const change: AttrChange = attrChanges(a, st);
  const cmd = attrCommand(path, change);
  const commands = [...extra, ...(cmd ? [{ command: cmd }] : [])];
  const diff = hasChanges(change) || changed ? [stateDiff(path, { state: st.exists ? state : 'absent', ...pick(st, change) }, { state, ...change })] : undefined;
  return {
    commands,
    changed: commands.length > 0,
    diff,
    result: { path, state, mode: change.mode ?? st.mode, owner: change.owner ?? st.owner, group: change.group ?? st.group, uid: st.uid, gid: st.gid },
  };
}

function pick(st: FileStat, c: AttrChange): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (c.mode !== undefined) o.mode = st.mode;
  if (c.owner !== undefined) o.owner = st.owner;
  if (c.group !== undefined) o.group = st.group;
  return o;
}

/** Attributes for a path we are about to create (mode relative to a fresh file or dir). */
function newPathAttrs(a: FileArgs, isDir: boolean): AttrChange {
  return {
    mode: normalizeMode(a.mode, isDir ? 0o755 : 0o644, isDir),
    owner: a.owner === undefined ? undefined : String(a.owner),
    group: a.group === undefined ? undefined : String(a.group),
  };
}

/** Every path component, shortest first: /a/b -> [/a, /a/b]; a/b -> [a, a/b]. */
function components(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return parts.map((_, i) => (path.startsWith('/') ? '/' : '') + parts.slice(0, i + 1).join('/'));
}

/** Like Ansible, each directory this task creates (parents included) gets the attributes. */
function mkdirCommand(path: string, attrs: AttrChange): string {
  if (!hasChanges(attrs)) return sh`mkdir -p -- ${path}`;
  return components(path).map((d) => sh`{ [ -d ${d} ] || { mkdir -- ${d} && ${raw(attrCommand(d, attrs)!)}; }; }`).join(' && ');
}

function planCreate(a: FileArgs, state: 'directory' | 'touch'): Plan {
  const attrs = newPathAttrs(a, state === 'directory');
  const touch = sh`touch -- ${a.path}`;
  const cmd = attrCommand(a.path, attrs);
  const command = state === 'directory' ? mkdirCommand(a.path, attrs) : cmd ? `${touch} && ${cmd}` : touch;
  return {
    commands: [{ command }],
    changed: true,
    diff: [stateDiff(a.path, { state: 'absent' }, { state: state === 'touch' ? 'touch' : 'directory' })],
    result: { path: a.path, state: state === 'touch' ? 'file' : 'directory', mode: attrs.mode, owner: attrs.owner, group: attrs.group },
  };
}

function failed(msg: string): Plan {
  return { commands: [], changed: false, failed: msg };
}

export const file: ModuleDefinition<FileArgs> = {
  name: 'file',
  spec: {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'name'] },
      state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
      src: { type: 'path' },
      recurse: { type: 'bool', default: false },
      force: { type: 'bool', default: false },
      follow: { type: 'bool', default: true },
      modification_time: { type: 'str' },
      access_time: { type: 'str' },
      ...FILE_ATTR_SPEC,
    },
  },
  probes(a, ctx) {
    const probes: FactRequest[] = [pathStat(a, ctx)];
    if (a.state === 'link' && a.src !== undefined && !a.force) probes.push(pathExists({ path: linkSourcePath(a.path, a.src), become: ctx.become }));
    if (a.state === 'hard' && a.src !== undefined) probes.push(hardSourceStat(a, ctx));
    if (a.recurse && (a.state === 'directory' || a.state === undefined) && !isSymbolicMode(a.mode)) probes.push(treeProbe(a, ctx));
    return probes;
  },
  plan: (a, facts, ctx) => failOnArgError(() => {
    const st = facts.get(pathStat(a, ctx));
    const state = effectiveState(a, st);
    if (a.recurse && state !== 'directory') return failed("recurse option requires state to be 'directory'");
    if (a.src !== undefined && state !== 'link' && state !== 'hard') return failed("src option requires state to be 'link' or 'hard'");
    switch (state) {
      case 'absent':
        if (!st.exists) return { commands: [], changed: false, result: { path: a.path, state: 'absent' } };
        return {
          commands: [{ command: sh`rm -rf -- ${a.path}` }],
          changed: true,
          diff: [stateDiff(a.path, { state: st.type === 'directory' ? 'directory' : st.type === 'link' ? 'link' : 'file' }, { state: 'absent' })],
          result: { path: a.path, state: 'absent' },
        };
      case 'file':
        if (!st.exists) return failed(`file (${a.path}) is absent, cannot continue`);
        if (st.type !== 'file') return failed(`file (${a.path}) is ${st.type}, cannot continue`);
        return attrsPlan(a.path, st, a, 'file');
      case 'touch': {
        if (!st.exists) return planCreate(a, 'touch');
        const preserve = a.modification_time === 'preserve' && a.access_time === 'preserve';
        const touch = preserve ? [] : [{ command: sh`touch -- ${a.path}` }];
        return attrsPlan(a.path, st, a, st.type === 'directory' ? 'directory' : 'file', touch, !preserve);
      }
      case 'directory': {
        if (!st.exists) return planCreate(a, 'directory');
        if (st.type !== 'directory') return failed(`${a.path} already exists as a ${st.type}`);
        const plan = attrsPlan(a.path, st, a, 'directory');
        if (a.recurse) {
          if (isSymbolicMode(a.mode)) throw new ArgumentError('symbolic modes are not supported with recurse=yes; use an octal mode');
          const differs = facts.get(treeProbe(a, ctx));
          if (differs) {
            const all = newPathAttrs(a, true);
            plan.commands = [{ command: attrCommand(a.path, all, { recurse: true })! }];
            plan.changed = true;
          }
        }
        return plan;
      }
      case 'link':
        return planLink(a, st, facts, ctx);
      case 'hard':
        return planHardLink(a, st, facts, ctx);
    }
  }),
  joinsBatch: true,
  finish: (_a, plan, results) => finishFileChange(plan, results),
};
