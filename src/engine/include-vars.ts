/**
 * include_vars as ansible-core 2.14's action plugin: a file found in the task's search path
 * (vars/ first), or every file of a directory (sorted walk, `depth`, `files_matching`,
 * `ignore_files`, `extensions`), optionally under one `name`. The variables are the host's from
 * then on (precedence above task vars, below set_fact), returned as ansible_facts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Task } from '../playbook/model.js';
import { isMap } from '../playbook/fields.js';
import { loadAnsibleYaml } from '../yaml/load.js';
import { findInSearchPath, searchCandidates } from '../template/index.js';
import { errorMessage, failure, type TaskOutcome } from './outcome.js';
import type { Vars } from './ports.js';

const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'];
const FILE_ARGS = ['file', '_raw_params'];

interface IncludeVarsArgs {
  file?: string;
  _raw_params?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string[];
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
  hash_behaviour?: 'replace' | 'merge';
}

class IncludeVarsFailure extends Error {}

/** `vars` is the task's variable view (ansible_search_path, and old values for hash_behaviour: merge). */
export function includeVars(raw: Record<string, unknown>, task: Pick<Task, 'role' | 'source' | 'args'>, vars: Vars, baseDir: string): TaskOutcome {
  const args = raw as IncludeVarsArgs;
  // as written: the defaults filled in by the spec do not count
  const given = Object.keys(task.args);
  const included: string[] = [];
  let loaded: Vars = {};
  if (given.some((k) => DIR_ARGS.includes(k)) && given.some((k) => FILE_ARGS.includes(k))) {
    return failure('You are mixing file only and dir only arguments, these are incompatible');
  }
  let message: string | undefined;
  try {
    if (args.dir !== undefined) loaded = fromDir(args, rootDir(args.dir, task), included);
    else loaded = loadFile(findVarsFile(args.file ?? args._raw_params?.replace(/\n$/, '') ?? '', vars, baseDir), included, false, args);
  } catch (err) {
    if (!(err instanceof IncludeVarsFailure)) throw err;
    message = err.message;
  }
  if (args.name) loaded = { [args.name]: loaded };
  if (message === undefined && args.hash_behaviour === 'merge') {
    loaded = Object.fromEntries(Object.entries(loaded).map(([k, v]) => [k, mergeHashes(vars[k], v)]));
  }
  const result = { ansible_facts: message === undefined ? loaded : {}, ansible_included_var_files: included, changed: false };
  if (message !== undefined) return { status: 'failed', changed: false, result: { ...result, failed: true, message }, msg: message };
  return { status: 'ok', changed: false, result };
}

function findVarsFile(name: string, vars: Vars, baseDir: string): string {
  const searchPath = (vars['ansible_search_path'] as string[] | undefined) ?? [];
  const found = findInSearchPath(searchPath, 'vars', name, baseDir);
  if (found) return found;
  const searched = searchCandidates(searchPath, 'vars', name, baseDir);
  throw new IncludeVarsFailure(
    `Could not find or access '${name}'\nSearched in:${searched.length > 1 ? '\n\t' : ''}${searched.join('\n\t')} on the Ansible Controller.\n` +
      'If you are using a module and expect the file to exist on the remote, see the remote_src option',
  );
}

/** A role's `dir` is under its vars/ (unless it starts with vars/ and exists); else beside the task's file. */
function rootDir(dir: string, task: Pick<Task, 'role' | 'source'>): string {
  if (task.role) {
    if (dir.split('/')[0] === 'vars') {
      const inRole = join(task.role.dir, dir);
      return existsSync(inRole) ? inRole : resolve(dir);
    }
    return resolve(task.role.dir, 'vars', dir);
  }
  return resolve(dirname(task.source.file), dir);
}

function fromDir(args: IncludeVarsArgs, root: string, included: string[]): Vars {
  if (!existsSync(root)) throw new IncludeVarsFailure(`${root} directory does not exist`);
  if (!statSync(root).isDirectory()) throw new IncludeVarsFailure(`${root} is not a directory`);
  const matcher = args.files_matching ? new RegExp(args.files_matching) : undefined;
  const ignore = (args.ignore_files ?? []).map((p) => new RegExp(`${p}$`));
  const extensions = args.extensions ?? ['yaml', 'yml', 'json'];
  const out: Vars = {};
  // Ansible's depth counts the directories of the walk sorted by path, not their nesting level.
  const dirs = walkDirs(root).sort();
  for (const dir of args.depth ? dirs.slice(0, args.depth) : dirs) {
    const files = readdirSync(dir).filter((f) => !statSync(join(dir, f)).isDirectory()).sort();
    for (const file of files) {
      if (matcher && !matcher.test(file)) continue;
      if (ignore.some((re) => re.test(file))) continue;
      if (args.ignore_unknown_extensions && !extensions.includes(extname(file).slice(1))) continue;
      Object.assign(out, loadFile(join(dir, file), included, true, args));
    }
  }
  return out;
}

function walkDirs(dir: string): string[] {
  const subs = readdirSync(dir).map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory());
  return [dir, ...subs.flatMap(walkDirs)];
}

function loadFile(file: string, included: string[], checkExtension: boolean, args: IncludeVarsArgs): Vars {
  const extensions = args.extensions ?? ['yaml', 'yml', 'json'];
  if (checkExtension && !extensions.includes(extname(file).slice(1))) {
    throw new IncludeVarsFailure(`${file} does not have a valid extension: ${extensions.join(', ')}`);
  }
  let data: unknown;
  try {
    data = loadAnsibleYaml(file);
  } catch (err) {
    throw new IncludeVarsFailure(errorMessage(err));
  }
  if (!data) data = {};
  if (!isMap(data)) throw new IncludeVarsFailure(`${file} must be stored as a dictionary/hash`);
  included.push(file);
  return { ...data };
}

/** hash_behaviour=merge: mappings merged recursively, the included value wins elsewhere. */
function mergeHashes(old: unknown, value: unknown): unknown {
  if (!isMap(old) || !isMap(value)) return value;
  const out: Record<string, unknown> = { ...old };
  for (const [k, v] of Object.entries(value)) out[k] = mergeHashes(out[k], v);
  return out;
}
