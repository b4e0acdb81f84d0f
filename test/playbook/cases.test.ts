/**
 * ONE runner for every playbook case: test/cases/playbook/<case>/expected.yaml, next to the
 * case's playbook (default playbook.yml) and any roles/ or task files it uses.
 *
 *   description: what the case shows
 *   playbook: site.yml              # optional, default playbook.yml
 *   options: { rolesPath: [...] }   # optional LoadOptions (paths relative to the case dir)
 *   validate: false                 # optional: load only (default: load + validatePlaybook)
 *   error: { contains: "...", line: N, column: N, file: "roles/x/tasks/main.yml" }
 *   plays: [ ... ]                  # subset of the normalized model (lists must match in length;
 *                                   # `role` is the role name, positions are "file:line:col",
 *                                   # paths are relative to the case dir, '<absent>' = not set)
 *   list_tasks: |                   # exact listTasks() text
 *   list_tags: |                    # exact listTags() text
 *   ansible_lists: true             # compare with ansible-list-{tasks,tags,hosts}.txt,
 *                                   # recorded from ansible-playbook 2.14 by
 *                                   # test/playbook/record-ansible-lists.sh (inventory:
 *                                   # just localhost, so only 'all'/'localhost' match a host)
 *   selections:                     # tag selection over all tasks (blocks flattened, rescue and
 *     - { tags: [a], skip_tags: [b], run: [displayName, ...] }   # always included, handlers not)
 *   include: { task: <id>, file: x.yml, expect: [ ...subset of loaded nodes... ] }   # <id> of a task or handler
 *   include_role: { task: <id>, name: web, from: {...}, expect: { roles, tasks, handlers } | error }
 *   vars_files: [ { entry: <rendered entry>, file: <resolved, relative>, vars: {...} | error: "..." } ]
 *   start_at: [ { pattern: "falco : inst*", first: <id of the first matching task, or null> } ]
 *   kv: [ { args: "text", check_raw: true, expect: {...} | error: "..." } ]
 *   coerce: [ { module: copy, args: {...}, expect: {...} | error: "..." } ]
 *   extra_vars: [ { args: ["k=v", ...], expect: {...} | error: "..." } ]
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FalcoDeployError } from '../../src/errors.js';
import {
  appliedContext,
  checkPlaybook,
  validateArgs,
  listHosts,
  listTags,
  listTasks,
  loadPlaybook,
  loadIncludedRole,
  loadTaskFile,
  loadVarsFile,
  matchesStartAt,
  parseExtraVars,
  parseKv,
  resolveTaskFile,
  resolveVarsFileEntry,
  selectByTags,
  type IncludeRole,
  type IncludeTasks,
  type Play,
  type Playbook,
  type TaskNode,
} from '../../src/playbook/index.js';
import { fakeModules } from './fake-modules.js';

interface ErrorExpectation {
  contains: string | string[];
  line?: number;
  column?: number;
  file?: string;
}

interface PlaybookCase {
  description?: string;
  playbook?: string;
  options?: { rolesPath?: string[] };
  validate?: boolean;
  error?: ErrorExpectation;
  plays?: unknown[];
  list_tasks?: string;
  list_tags?: string;
  ansible_lists?: boolean;
  selections?: { tags?: string[]; skip_tags?: string[]; run: string[] }[];
  include?: { task: string; file: string; expect?: unknown[]; error?: ErrorExpectation };
  include_role?: { task: string; name: string; from?: IncludeRole['from']; expect?: unknown; error?: ErrorExpectation };
  start_at?: { pattern: string; first: string | null }[];
  vars_files?: { entry: string | string[]; file?: string; vars?: Record<string, unknown>; error?: string }[];
  kv?: { args: string; check_raw?: boolean; expect?: Record<string, string>; error?: string }[];
  coerce?: { module: string; args: Record<string, unknown>; expect?: Record<string, unknown>; error?: string }[];
  extra_vars?: { args: string[]; expect?: Record<string, unknown>; error?: string }[];
}

const root = fileURLToPath(new URL('../cases/playbook', import.meta.url));

/** Plain, comparable view of the model: positions and paths relative to the case dir. */
function normalize(value: unknown, dir: string, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, dir));
  if (typeof value === 'string') return value.startsWith(dir + '/') || value === dir ? relative(dir, value) || '.' : value;
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if ('file' in obj && 'line' in obj && 'column' in obj && Object.keys(obj).length === 3) {
    return `${relative(dir, obj['file'] as string)}:${obj['line']}:${obj['column']}`;
  }
  if (key === 'role' && 'dir' in obj && 'name' in obj) return obj['name'];
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, normalize(v, dir, k)]));
}

function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (expected === '<absent>') {
    expect(actual, `${path} should not be set`).to.equal(undefined);
    return;
  }
  if (Array.isArray(expected)) {
    expect(actual, `${path} should be a list`).to.be.an('array');
    const list = actual as unknown[];
    expect(list.length, `${path} length (actual: ${JSON.stringify(list)})`).to.equal(expected.length);
    expected.forEach((e, i) => assertSubset(list[i], e, `${path}[${i}]`));
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    expect(actual, `${path} should be a mapping`).to.be.an('object');
    for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).to.deep.equal(expected);
}

function assertError(err: unknown, exp: ErrorExpectation, dir: string): void {
  expect(err, 'expected an error').to.be.instanceOf(FalcoDeployError);
  const e = err as FalcoDeployError;
  for (const part of [exp.contains].flat()) expect(e.message).to.include(part);
  if (exp.line !== undefined) expect(e.line, `line of: ${e.describe()}`).to.equal(exp.line);
  if (exp.column !== undefined) expect(e.column, `column of: ${e.describe()}`).to.equal(exp.column);
  if (exp.file !== undefined) expect(relative(dir, e.file ?? ''), `file of: ${e.describe()}`).to.equal(exp.file);
}

function allTasks(nodes: readonly TaskNode[]): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === 'block' ? allTasks([...n.block, ...n.rescue, ...n.always]) : [n]));
}

function findNode(playbook: Playbook, id: string): TaskNode | undefined {
  for (const play of playbook.plays) {
    const found = allTasks([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]).find((n) => n.id === id);
    if (found) return found;
  }
  return undefined;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, got none');
}

function runPlaybookCase(c: PlaybookCase, dir: string): void {
  const file = join(dir, c.playbook ?? 'playbook.yml');
  const opts = { modules: fakeModules, rolesPath: c.options?.rolesPath?.map((p) => resolve(dir, p)) };
  const load = () => (c.validate === false ? loadPlaybook(file, opts) : checkPlaybook(file, opts));
  if (c.error) {
    assertError(caught(load), c.error, dir);
    return;
  }
  const playbook = load();
  if (c.plays) assertSubset(normalize(playbook.plays, dir), c.plays, 'plays');
  if (c.list_tasks !== undefined) expect(listTasks(playbook, { playbookLabel: c.playbook ?? 'playbook.yml' })).to.equal(c.list_tasks);
  if (c.list_tags !== undefined) expect(listTags(playbook, { playbookLabel: c.playbook ?? 'playbook.yml' })).to.equal(c.list_tags);
  if (c.ansible_lists) {
    const label = c.playbook ?? 'playbook.yml';
    expect(listTasks(playbook, { playbookLabel: label })).to.equal(readFileSync(join(dir, 'ansible-list-tasks.txt'), 'utf8'));
    expect(listTags(playbook, { playbookLabel: label })).to.equal(readFileSync(join(dir, 'ansible-list-tags.txt'), 'utf8'));
    const localhostOnly = (play: Play) => (play.hostPatterns.some((p) => p === 'all' || p === 'localhost') ? ['localhost'] : []);
    expect(listHosts(playbook, localhostOnly, { playbookLabel: label })).to.equal(readFileSync(join(dir, 'ansible-list-hosts.txt'), 'utf8'));
  }
  for (const s of c.selections ?? []) {
    const nodes = playbook.plays.flatMap((p) => allTasks([...p.preTasks, ...p.tasks, ...p.postTasks]));
    const run = nodes.filter((n) => selectByTags(n, { tags: s.tags, skipTags: s.skip_tags })).map((n) => ('displayName' in n ? n.displayName : n.id));
    expect(run, `--tags ${s.tags ?? []} --skip-tags ${s.skip_tags ?? []}`).to.deep.equal(s.run);
  }
  for (const v of c.vars_files ?? []) {
    const play = playbook.plays[0]!;
    const load = () => {
      const path = resolveVarsFileEntry(v.entry, play);
      return { file: relative(dir, path), vars: loadVarsFile(path) };
    };
    if (v.error) expect(load, JSON.stringify(v.entry)).to.throw(v.error);
    else expect(load(), JSON.stringify(v.entry)).to.deep.equal({ file: v.file, vars: v.vars });
  }
  for (const s of c.start_at ?? []) {
    const nodes = playbook.plays.flatMap((p) => allTasks([...p.preTasks, ...p.tasks, ...p.postTasks]));
    const first = nodes.find((n) => n.kind !== 'block' && matchesStartAt(n, s.pattern));
    expect(first?.id ?? null, `--start-at-task ${s.pattern}`).to.equal(s.first);
  }
  if (c.include) {
    const node = findNode(playbook, c.include.task);
    expect(node?.kind, `node ${c.include.task}`).to.equal('include_tasks');
    const inc = node as IncludeTasks;
    const load = () => loadTaskFile(resolveTaskFile(c.include!.file, inc.searchDirs, inc.source), appliedContext(inc.context, inc.apply, inc.source.file), fakeModules).tasks;
    if (c.include.error) assertError(caught(load), c.include.error, dir);
    else assertSubset(normalize(load(), dir), c.include.expect, 'included');
  }
  if (c.include_role) includeRole(playbook, c.include_role, dir);
}

function includeRole(playbook: Playbook, c: NonNullable<PlaybookCase['include_role']>, dir: string): void {
  const node = findNode(playbook, c.task);
  expect(node?.kind, `node ${c.task}`).to.equal('include_role');
  const inc = node as IncludeRole;
  const load = () => {
    const loaded = loadIncludedRole(
      { name: c.name, from: c.from ?? {}, apply: inc.apply, file: inc.source.file, source: inc.source, context: inc.context, idPrefix: `${inc.id}.role0`, loadedKeys: [], skipArgumentSpec: false },
      fakeModules,
    );
    return { roles: loaded.instances, tasks: loaded.tasks, handlers: loaded.handlers };
  };
  if (c.error) assertError(caught(load), c.error, dir);
  else assertSubset(normalize(load(), dir), c.expect, 'included role');
}

function runUnitTables(c: PlaybookCase, dir: string): void {
  for (const k of c.kv ?? []) {
    if (k.error) expect(() => parseKv(k.args, k.check_raw ?? false), k.args).to.throw(k.error);
    else expect(parseKv(k.args, k.check_raw ?? false), k.args).to.deep.equal(k.expect);
  }
  for (const k of c.coerce ?? []) {
    const spec = fakeModules.findModule(k.module)!.spec;
    if (k.error) expect(() => validateArgs(spec, k.args, k.module), JSON.stringify(k.args)).to.throw(k.error);
    else expect(validateArgs(spec, k.args, k.module), JSON.stringify(k.args)).to.deep.equal(k.expect);
  }
  for (const k of c.extra_vars ?? []) {
    if (k.error) expect(() => parseExtraVars(k.args, dir), k.args.join(' ')).to.throw(k.error);
    else expect(parseExtraVars(k.args, dir), k.args.join(' ')).to.deep.equal(k.expect);
  }
}

describe('playbook loader cases', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const expectedFile = join(dir, 'expected.yaml');
    if (!existsSync(expectedFile)) continue;
    let c: PlaybookCase;
    try {
      c = parse(readFileSync(expectedFile, 'utf8')) as PlaybookCase;
    } catch (err) {
      it(`${name}: expected.yaml is readable`, () => {
        throw err;
      });
      continue;
    }
    it(`${name}: ${c.description ?? ''}`, () => {
      const hasPlaybook = existsSync(join(dir, c.playbook ?? 'playbook.yml'));
      if (hasPlaybook) runPlaybookCase(c, dir);
      else expect(c.plays ?? c.error ?? c.list_tasks, `${name}: expectations need a playbook`).to.equal(undefined);
      runUnitTables(c, dir);
      const checks = [c.error, c.plays, c.list_tasks, c.list_tags, c.ansible_lists, c.selections, c.start_at, c.vars_files, c.include, c.include_role, c.kv, c.coerce, c.extra_vars].filter((x) => x !== undefined);
      expect(checks.length, `${name} asserts nothing`).to.be.greaterThan(0);
    });
  }
});
