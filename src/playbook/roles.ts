/**
 * `roles:` of a play: find each role, load its defaults/vars/tasks/handlers, expand meta
 * dependencies (they run first) and run a role listed again with the same parameters only once
 * (Ansible's dedup, unless its meta says allow_duplicates).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RoleFrom, RoleInstance, SourcePos, TaskFileContext, TaskNode } from './model.js';
import { FieldReader, errorAt, isMap, isTemplated } from './fields.js';
import { INHERITED_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import { layer, readInherited, union } from './inherit.js';
import type { ModuleLookup } from './lookup.js';
import { appliedContext, parseTaskFile, parseTaskList } from './tasks.js';
import { argumentSpecTask } from './role-argspec.js';
import type { RoleRequest } from './role-request.js';
import { checkKeywordTemplates, checkVarsTemplates } from './template-check.js';
import { loadAnsibleYaml } from '../yaml/load.js';
import { positionOf } from '../yaml/positions.js';

/** Keywords of a roles: entry; every other key is a role parameter. */
const ROLE_ENTRY_KEYWORDS = ['role', 'name', 'vars', 'tags', 'when', 'environment', 'collections', ...INHERITED_KEYWORDS];

interface RoleLoaderEnv {
  playbookDir: string;
  /** Extra role directories (like ANSIBLE_ROLES_PATH), searched after <playbook dir>/roles. */
  rolesPath: readonly string[];
  modules: ModuleLookup;
  /** e.g. "p1.roles". */
  idPrefix: string;
}

interface RoleLoadEnv extends RoleLoaderEnv {
  /** The play's context: its inherited keywords, tags, environment, handler names. */
  playContext: TaskFileContext;
}

interface LoadedRoles {
  instances: RoleInstance[];
  tasks: TaskNode[];
  handlers: TaskNode[];
  /** Loads import_role tasks of the play's own task lists (same instances/handlers lists). */
  loader: RoleLoader;
}

const MAIN_NAMES = ['main.yml', 'main.yaml', 'main.json', 'main'];

export function loadRoles(entries: unknown[], file: string, env: RoleLoadEnv): LoadedRoles {
  const loader = new RoleLoader(env);
  const tasks = entries.flatMap((entry) => loader.add(entry, file, env.playContext, [], []));
  return { instances: loader.instances, tasks, handlers: loader.handlers, loader };
}

/** What include_role loads at run time (see loadIncludedRole in loader.ts). */
export interface IncludedRoleRequest {
  name: string;
  from: RoleFrom;
  /** The include's `apply:` map: its keywords apply to the role's tasks. */
  apply: Record<string, unknown>;
  file: string;
  source: SourcePos;
  context: TaskFileContext;
  idPrefix: string;
  /** Keys of the roles already loaded in the play (RoleInstance.key): meta dependencies run once. */
  loadedKeys: readonly string[];
  skipArgumentSpec: boolean;
}

/** include_role: the role (and its meta dependencies not yet loaded), read now. */
export function loadRoleNow(req: IncludedRoleRequest, modules: ModuleLookup): LoadedRoles {
  const { context } = req;
  const loader = new RoleLoader({ playbookDir: context.playbookDir, rolesPath: context.rolesPath, modules, idPrefix: req.idPrefix }, new Set(req.loadedKeys));
  const reader = new FieldReader({}, req.file, 'include_role');
  const request: RoleRequest = { name: req.name, namePos: req.source, reader, params: {}, from: req.from, dedup: false, skipArgumentSpec: req.skipArgumentSpec, source: req.source };
  const tasks = loader.load(request, appliedContext(context, req.apply, req.file), [], []);
  return { instances: loader.instances, tasks, handlers: loader.handlers, loader };
}

/**
 * import_role in a task file loaded at run time (by include_tasks/include_role): roles load as
 * the file is parsed; their instances and handlers are read from the lists after.
 */
export function runtimeRoleImporter(context: TaskFileContext, modules: ModuleLookup, loadedKeys: readonly string[], idPrefix: string) {
  const loader = new RoleLoader({ playbookDir: context.playbookDir, rolesPath: context.rolesPath, modules, idPrefix }, new Set(loadedKeys));
  return { importRole: loader.importer(), instances: loader.instances, handlers: loader.handlers };
}

/** Which files of the role to load (import_role's tasks_from, handlers_from, ...). */
class RoleLoader {
  readonly instances: RoleInstance[] = [];
  readonly handlers: TaskNode[] = [];

  constructor(
    private readonly env: RoleLoaderEnv,
    private readonly seen = new Set<string>(),
  ) {}

  /** A roles: entry or meta dependency; returns the tasks of the role and its dependencies. */
  add(entry: unknown, file: string, parent: TaskFileContext, requiredBy: string[], chain: string[], parentDir?: string): TaskNode[] {
    const map: Record<string, unknown> = typeof entry === 'string' ? { role: entry } : isMap(entry) ? entry : {};
    const pos: SourcePos = positionOf(entry) ?? positionOf(map) ?? { file, line: 1, column: 1 };
    if (typeof entry !== 'string' && !isMap(entry)) {
      throw errorAt(`a role entry must be a role name or a mapping with 'role', got ${JSON.stringify(entry)}`, pos);
    }
    const r: FieldReader = new FieldReader(map, file, 'role entry');
    const name = r.str('role') ?? r.str('name');
    if (!name) r.fail(undefined, "a role entry needs 'role: NAME'");
    for (const key of Object.keys(map)) {
      const reason = UNSUPPORTED_KEYWORDS[key];
      if (reason && !ROLE_ENTRY_KEYWORDS.includes(key)) r.fail(key, `'${key}' is not supported on a role: ${reason}`);
    }
    const params = Object.fromEntries(Object.entries(map).filter(([k]) => !ROLE_ENTRY_KEYWORDS.includes(k)));
    const namePos = typeof entry === 'string' ? pos : r.pos(r.has('role') ? 'role' : 'name');
    return this.load({ name, namePos, reader: r, params, from: {}, dedup: true, source: pos }, parent, requiredBy, chain, parentDir);
  }

  load(req: RoleRequest, parent: TaskFileContext, requiredBy: string[], chain: string[], parentDir?: string): TaskNode[] {
    const r = req.reader;
    if (isTemplated(req.name)) throw errorAt(`role names cannot be templated ('${req.name}')`, req.namePos);
    checkKeywordTemplates(r.map, r.file);
    const { dir, name: roleName } = this.findRole(req.name, parentDir, req.namePos);
    if (chain.includes(dir)) {
      throw errorAt(`role dependency loop: ${[...chain, dir].map((d) => basename(d)).join(' -> ')}`, req.source);
    }
    const entryVars = r.vars();
    const when = r.conditionals('when');
    const tags = r.tags();

    const meta = this.loadMeta(dir);
    // as Ansible's ROLE_CACHE: an import/include_role (from_include) is never the same role as a roles: entry
    const key = JSON.stringify(stable({ dir, params: req.params, when, tags, vars: entryVars, from: req.from, fromInclude: !req.dedup }));
    if (req.dedup && !meta.allowDuplicates && this.seen.has(key)) return [];
    this.seen.add(key);

    const ctx: TaskFileContext = {
      ...layer(parent, readInherited(r)),
      idPrefix: '',
      role: undefined,
      when: [...parent.when, ...when],
      tags: union(parent.tags, tags),
      vars: parent.vars,
      environment: [...parent.environment, ...r.environment()],
      blockPath: parent.blockPath,
      handlerNames: parent.handlerNames,
      importChain: parent.importChain,
      playbookDir: parent.playbookDir,
      rolesPath: parent.rolesPath,
    };
    const tasks: TaskNode[] = [];
    for (const dep of meta.dependencies) {
      tasks.push(...this.add(dep, meta.file, ctx, [...requiredBy, basename(dir)], [...chain, dir], dirname(dir)));
    }

    const instance: RoleInstance = {
      name: roleName,
      dir,
      tasksDir: join(dir, 'tasks'),
      templatesDir: join(dir, 'templates'),
      filesDir: join(dir, 'files'),
      defaults: this.loadVars(dir, 'defaults', req.from.defaults),
      vars: this.loadVars(dir, 'vars', req.from.vars),
      params: { ...req.params, ...entryVars },
      requiredBy: requiredBy.length ? [requiredBy[requiredBy.length - 1]!] : [],
      searchPath: [dir, ...[...chain].reverse()],
      source: req.source,
      key,
    };
    const index = this.instances.length;
    this.instances.push(instance);
    const idPrefix = `${this.env.idPrefix}.${index}`;
    // as Ansible: a role's tasks search the collections of its meta, not those of the play
    const roleCtx: TaskFileContext = { ...ctx, role: instance, idPrefix, importChain: [], collections: meta.collections };
    const env = { modules: this.env.modules, handlers: false, importRole: this.importer(), collections: meta.collections };
    const validation = req.skipArgumentSpec ? undefined : argumentSpecTask({ dir, name: roleName, params: req.params }, req.from.tasks ?? 'main', meta.data);
    if (validation) tasks.push(...parseTaskList([validation], { ...roleCtx, idPrefix: `${idPrefix}.argspec` }, { ...env, file: meta.file }));
    const tasksFile = this.roleFile(dir, 'tasks', req.from.tasks, req.namePos);
    if (tasksFile) tasks.push(...parseTaskFile(tasksFile, roleCtx, env));
    const handlersFile = this.roleFile(dir, 'handlers', req.from.handlers, req.namePos);
    if (handlersFile) {
      this.handlers.push(...parseTaskFile(handlersFile, { ...roleCtx, idPrefix: `${idPrefix}.handlers` }, { ...env, handlers: true }));
    }
    return tasks;
  }

  /** For task lists: loads an import_role at the place it is written. */
  importer(): (req: RoleRequest, ctx: TaskFileContext) => TaskNode[] {
    return (req, ctx) => this.load(req, ctx, [], []);
  }

  /** main.yml (or tasks_from: NAME -> NAME, NAME.yml, ...) in the role's sub-directory. */
  private roleFile(dir: string, sub: string, from: string | undefined, pos: SourcePos): string | undefined {
    if (from === undefined) return findMain(join(dir, sub));
    const base = resolve(dir, sub, from);
    const found = ['', '.yml', '.yaml', '.json'].map((ext) => base + ext).find((f) => existsSync(f) && statSync(f).isFile());
    if (!found) throw errorAt(`${sub}_from: '${from}' not found in ${join(dir, sub)}`, pos);
    return found;
  }

  /**
   * Ansible's search: <playbook dir>/roles, the roles path, the depending role's parent directory,
   * the playbook dir; then the name as a path from the working directory. A name found in a
   * search directory keeps its name as written (`common/web`, `ns.role`).
   */
  private findRole(name: string, parentDir: string | undefined, pos: SourcePos): { dir: string; name: string } {
    const { playbookDir, rolesPath } = this.env;
    const dirs = [join(playbookDir, 'roles'), ...rolesPath, ...(parentDir ? [parentDir] : []), playbookDir];
    const inSearch = dirs.map((d) => resolve(d, name)).find(isDirectory);
    if (inSearch) return { dir: inSearch, name };
    const asPath = resolve(name);
    if (isDirectory(asPath)) return { dir: asPath, name: basename(asPath) };
    throw errorAt(`the role '${name}' was not found in ${dirs.join(':')}`, pos);
  }

  private loadMeta(dir: string): { dependencies: unknown[]; allowDuplicates: boolean; file: string; data?: Record<string, unknown>; collections?: string[] } {
    const file = findMain(join(dir, 'meta'));
    if (!file) return { dependencies: [], allowDuplicates: false, file: join(dir, 'meta', 'main.yml') };
    const data = loadAnsibleYaml(file);
    if (data === null) return { dependencies: [], allowDuplicates: false, file };
    if (!isMap(data)) throw errorAt('role meta must be a mapping', positionOf(data) ?? { file, line: 1, column: 1 });
    const r: FieldReader = new FieldReader(data, file, 'role meta');
    const deps = r.list('dependencies');
    const allowDuplicates = r.bool('allow_duplicates') ?? false;
    const collections = r.has('collections') ? r.strList('collections') : undefined;
    return { dependencies: deps, allowDuplicates, file, data, collections };
  }

  /** defaults/ or vars/: main.yml (or .yaml/.json/none), every file of a main/ directory merged, or `from`. */
  private loadVars(dir: string, sub: 'defaults' | 'vars', from?: string): Record<string, unknown> {
    const base = join(dir, sub);
    const mainDir = join(base, 'main');
    let files: string[];
    if (from !== undefined) files = [this.roleFile(dir, sub, from, { file: join(dir, sub), line: 1, column: 1 })!];
    else if (existsSync(mainDir) && statSync(mainDir).isDirectory()) {
      files = readdirSync(mainDir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(mainDir, f));
    } else files = [findMain(base)].filter((f): f is string => f !== undefined);
    const out: Record<string, unknown> = {};
    for (const file of files) {
      const data = loadAnsibleYaml(file);
      if (data === null) continue;
      if (!isMap(data)) throw errorAt(`role ${sub} must be a mapping of variables`, positionOf(data) ?? { file, line: 1, column: 1 });
      checkVarsTemplates(data, file);
      Object.assign(out, data);
    }
    return out;
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function findMain(dir: string): string | undefined {
  return MAIN_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f) && statSync(f).isFile());
}

/** Key-sorted copy, for comparing role parameters. */
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable(v[k])]));
  return v;
}

