/**
 * Task lists -> TaskNodes: module detection, argument parsing, blocks, static import_tasks
 * (inlined here) and dynamic include_tasks (kept as nodes), with inheritance resolved.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type {
  Block,
  IncludeRole,
  IncludeTasks,
  LoopControl,
  LoopSpec,
  RoleFrom,
  SourcePos,
  Task,
  TaskFileContext,
  TaskNode,
} from './model.js';
import { FieldReader, errorAt, isMap, isTemplated } from './fields.js';
import { BLOCK_KEYWORDS, INCLUDE_KEYWORDS, LOOP_LOOKUPS, UNSUPPORTED_KEYWORDS, loaderAction } from './keywords.js';
import { compact, layer, pickInherited, readInherited, union } from './inherit.js';
import type { ModuleLookup } from './lookup.js';
import { detectAction, moduleAndArgs, safeKv, type Action } from './module-call.js';
import type { RoleRequest } from './role-request.js';
import { checkKeywordTemplates } from './template-check.js';
import { loadAnsibleYaml } from '../yaml/load.js';
import { copyKeyPositions, keyPositionOf, positionOf } from '../yaml/positions.js';

interface ParseEnv {
  /** The file the list was read from. */
  file: string;
  modules: ModuleLookup;
  /** `collections:` in effect for module names. */
  collections?: readonly string[];
  /** Parsing a handlers list (allows `listen`; an include_tasks loads handlers). */
  handlers: boolean;
  /** Loads an import_role in place (absent in files included at run time). */
  importRole?: (req: RoleRequest, ctx: TaskFileContext) => TaskNode[];
}

/** Parses a task list (a YAML list or null). `where` positions the "must be a list" error. */
export function parseTaskList(data: unknown, ctx: TaskFileContext, env: ParseEnv, where?: SourcePos): TaskNode[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) {
    throw errorAt(`a task list must be a YAML list of tasks, got ${isMap(data) ? 'a mapping' : typeof data}`, where ?? positionOf(data) ?? { file: env.file, line: 1, column: 1 });
  }
  const out: TaskNode[] = [];
  data.forEach((item, i) => out.push(...parseTaskEntry(item, `${ctx.idPrefix}.${i}`, ctx, env, keyPositionOf(data, String(i)) ?? where)));
  return out;
}

/** Loads a task file (import_tasks now, include_tasks at run time) with what it inherits. */
export function parseTaskFile(path: string, ctx: TaskFileContext, env: Omit<ParseEnv, 'file'>, where?: SourcePos): TaskNode[] {
  if (ctx.importChain.includes(path)) {
    throw new InputError(`task file import loop: ${[...ctx.importChain, path].join(' -> ')}`, where ?? { file: path });
  }
  const data = loadAnsibleYaml(path);
  return parseTaskList(data, { ...ctx, importChain: [...ctx.importChain, path] }, { ...env, file: path }, { file: path, line: 1, column: 1 });
}

/** First existing `file` in `searchDirs` (absolute paths as they are). */
export function resolveTaskFile(file: string, searchDirs: readonly string[], where?: SourcePos): string {
  const candidates = isAbsolute(file) ? [file] : searchDirs.map((d) => resolve(d, file));
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) {
    throw new InputError(`task file '${file}' not found; looked in: ${candidates.join(', ')}`, where ?? {});
  }
  return found;
}

function parseTaskEntry(data: unknown, id: string, parentCtx: TaskFileContext, parentEnv: ParseEnv, itemPos?: SourcePos): TaskNode[] {
  if (!isMap(data)) {
    throw errorAt(`each task must be a mapping (e.g. "- name: ...\\n  module: args"), got ${JSON.stringify(data)}`, positionOf(data) ?? itemPos ?? { file: parentEnv.file, line: 1, column: 1 });
  }
  const r: FieldReader = new FieldReader(data, parentEnv.file, parentEnv.handlers ? 'handler' : 'task');
  const collections = collectionsOf(r, parentCtx) ?? parentCtx.collections;
  const ctx: TaskFileContext = { ...parentCtx, collections };
  const env: ParseEnv = { ...parentEnv, collections };
  if (r.has('block')) {
    checkKeywordTemplates(data, env.file);
    return [parseBlock(new FieldReader(data, env.file, 'block'), id, ctx, env)];
  }
  const action = detectAction(r, env);
  checkKeywordTemplates(data, env.file, action.key);
  switch (loaderAction(action.key)) {
    case 'import_tasks':
      return parseImportTasks(r, action, id, ctx, env);
    case 'include_tasks':
      return [parseIncludeTasks(r, action, id, ctx, env)];
    case 'import_role':
      return parseImportRole(r, action, ctx, env);
    case 'include_role':
      return [parseIncludeRole(r, action, id, ctx, env)];
  }
  return [parseTask(r, action, id, ctx, env)];
}

/** The task's or block's own `collections:` before those it inherits; undefined when it names none. */
function collectionsOf(r: FieldReader, ctx: TaskFileContext): string[] | undefined {
  if (!r.has('collections')) return undefined;
  const own = r.strList('collections');
  for (const c of own) if (!/^\w+\.\w+$/.test(c)) r.fail('collections', `'${c}' is not a collection name (namespace.collection)`);
  return [...new Set([...own, ...(ctx.collections ?? [])])];
}

/** Fields every node kind shares, with inheritance applied. */
function baseFields(r: FieldReader, id: string, ctx: TaskFileContext) {
  return compact({
    id,
    name: r.str('name'),
    source: r.pos(),
    when: [...ctx.when, ...r.conditionals('when')],
    tags: union(ctx.tags, r.tags()),
    role: ctx.role,
    blockPath: ctx.blockPath,
    vars: { ...ctx.vars, ...r.vars() },
    environment: [...ctx.environment, ...r.environment()],
    ...layer(ctx, readInherited(r)),
  });
}

function childContext(ctx: TaskFileContext, node: ReturnType<typeof baseFields>, idPrefix: string, extra: Partial<TaskFileContext> = {}): TaskFileContext {
  return {
    ...pickInherited(node),
    idPrefix,
    role: ctx.role,
    when: node.when,
    tags: node.tags,
    vars: node.vars,
    environment: node.environment,
    blockPath: ctx.blockPath,
    handlerNames: ctx.handlerNames,
    importChain: ctx.importChain,
    playbookDir: ctx.playbookDir,
    rolesPath: ctx.rolesPath,
    collections: ctx.collections,
    ...extra,
  };
}

function parseBlock(r: FieldReader, id: string, ctx: TaskFileContext, env: ParseEnv): Block {
  r.checkKeys(BLOCK_KEYWORDS, UNSUPPORTED_KEYWORDS);
  const base = baseFields(r, id, ctx);
  const inner = (section: 'block' | 'rescue' | 'always') =>
    parseTaskList(r.map[section], childContext(ctx, base, `${id}.${section}`, { blockPath: [...ctx.blockPath, id] }), env, r.pos(section));
  return { kind: 'block', ...base, block: inner('block'), rescue: inner('rescue'), always: inner('always') };
}

/** The file of import_tasks / include_tasks (`file`, free form or `file=`), its options checked as Ansible checks them. */
function taskFileName(r: FieldReader, key: string, value: unknown, options: readonly string[] = []): string {
  if (typeof value === 'string' && value.trim()) {
    // `import_tasks: file.yml` or the k=v form `file=file.yml`
    const kv = safeKv(r, key, value, false);
    return kv['file'] ?? kv['_raw_params'] ?? value;
  }
  if (isMap(value)) {
    const extra = Object.keys(value).filter((k) => k !== 'file' && k !== '_raw_params' && !options.includes(k));
    if (extra.length > 0) r.fail(key, `Invalid options for ${key}: ${extra.join(',')} (${key} accepts 'file'${options.map((o) => `, '${o}'`).join('')})`);
    const file = value['file'] ?? value['_raw_params'];
    if (typeof file === 'string' && file.trim()) return file;
  }
  r.fail(key, `${key} needs a task file name`);
}

/** `apply:` of an include: a mapping of keywords (checked when the include loads, as Ansible does). */
function applyOf(r: FieldReader, key: string, value: unknown): Record<string, unknown> {
  const apply: unknown = isMap(value) ? (value['apply'] ?? {}) : {};
  if (!isMap(apply)) r.fail(key, `Expected a dict for apply but got ${Array.isArray(apply) ? 'a list' : typeof apply} instead`);
  return apply;
}

/** What an include's tasks inherit once its `apply:` keywords are given to them, as a block around them. */
export function appliedContext(ctx: TaskFileContext, apply: Record<string, unknown>, file: string): TaskFileContext {
  if (Object.keys(apply).length === 0) return ctx;
  const r: FieldReader = new FieldReader(apply, file, "include's apply");
  r.checkKeys(BLOCK_KEYWORDS.filter((k) => !['block', 'rescue', 'always'].includes(k)), UNSUPPORTED_KEYWORDS);
  checkKeywordTemplates(apply, file);
  return childContext(ctx, baseFields(r, ctx.idPrefix, ctx), ctx.idPrefix);
}

function searchDirsFor(ctx: TaskFileContext, env: ParseEnv): string[] {
  const dirs = [dirname(env.file)];
  // as ansible-core 2.14's IncludedFile for a role's Handler: path_dwim_relative(role, 'handlers', file, is_role=True)
  if (ctx.role && env.handlers) dirs.push(join(ctx.role.dir, 'handlers'), ctx.role.tasksDir, ctx.role.dir, join(ctx.playbookDir, 'handlers'));
  else if (ctx.role) dirs.push(ctx.role.tasksDir);
  dirs.push(ctx.playbookDir);
  return [...new Set(dirs)];
}

function parseImportTasks(r: FieldReader, { key, value }: Action, id: string, ctx: TaskFileContext, env: ParseEnv): TaskNode[] {
  for (const key of ['loop', ...LOOP_LOOKUPS.map((l) => `with_${l}`)]) {
    if (r.has(key)) r.fail(key, 'import_tasks cannot loop (it is inlined before the play runs); use include_tasks');
  }
  r.checkKeys([...BLOCK_KEYWORDS.filter((k) => !['block', 'rescue', 'always'].includes(k)), key], UNSUPPORTED_KEYWORDS);
  const file = taskFileName(r, key, value);
  if (isTemplated(file)) {
    r.fail(key, `import_tasks is resolved before the play runs and cannot use a templated file name ('${file}'); use include_tasks`);
  }
  const path = resolveTaskFile(file, searchDirsFor(ctx, env), r.pos(key));
  const base = baseFields(r, id, ctx);
  return parseTaskFile(path, childContext(ctx, base, id), { modules: env.modules, handlers: env.handlers, importRole: env.importRole, collections: env.collections }, r.pos(key));
}

/** Ansible's IncludeRole.VALID_ARGS; `public` and `apply` are include_role's only. */
const ROLE_ARGS = ['name', 'role', 'tasks_from', 'handlers_from', 'vars_from', 'defaults_from', 'allow_duplicates', 'rolespec_validate'];
const INCLUDE_ROLE_ARGS = [...ROLE_ARGS, 'public', 'apply'];

/** The role arguments of an import/include_role (a mapping or `name=x tasks_from=y`), checked as Ansible checks them. */
function roleArgs(r: FieldReader, key: string, value: unknown, valid: readonly string[]): FieldReader {
  const action = loaderAction(key)!;
  const map = typeof value === 'string' && value.trim() ? safeKv(r, key, value, false) : value;
  if (!isMap(map)) r.fail(key, `${action} needs a mapping with name: ROLE`);
  const bad = Object.keys(map).filter((k) => !valid.includes(k));
  if (bad.length) r.fail(key, `Invalid options for ${key}: ${bad.join(',')} (valid: ${valid.join(', ')})`);
  const args = new FieldReader(map, r.file, key);
  if (!args.str('name') && !args.str('role')) r.fail(key, `'name' is a required field for ${key}.`);
  return args;
}

function roleFiles(args: FieldReader): RoleFrom {
  return compact({
    tasks: args.str('tasks_from'),
    handlers: args.str('handlers_from'),
    vars: args.str('vars_from'),
    defaults: args.str('defaults_from'),
  });
}

/** Static import_role: the role's tasks are inlined here, its handlers join the play's. */
function parseImportRole(r: FieldReader, { key, value }: Action, ctx: TaskFileContext, env: ParseEnv): TaskNode[] {
  if (!env.importRole || env.handlers) {
    r.fail(key, `import_role is not supported ${env.handlers ? 'in handlers' : 'in a file loaded by include_tasks'}; list the role under the play's roles:`);
  }
  for (const key of ['loop', ...LOOP_LOOKUPS.map((l) => `with_${l}`)]) {
    if (r.has(key)) r.fail(key, "You cannot use loops on 'import_role' statements. You should use 'include_role' instead.");
  }
  r.checkKeys([...BLOCK_KEYWORDS.filter((k) => !['block', 'rescue', 'always'].includes(k)), key], UNSUPPORTED_KEYWORDS);
  // as ansible-core 2.14: `public` and `apply` are include_role's (an imported role's vars are always public)
  const args: FieldReader = roleArgs(r, key, value, ROLE_ARGS);
  const name = (args.str('name') ?? args.str('role'))!;
  const namePos = args.pos(args.has('name') ? 'name' : 'role');
  return env.importRole({ name, namePos, reader: r, params: {}, from: roleFiles(args), dedup: false, skipArgumentSpec: args.bool('rolespec_validate') === false, source: r.pos() }, ctx);
}

/** Dynamic include_role: a node the executor loads per host group at run time. */
function parseIncludeRole(task: FieldReader, { key, value }: Action, id: string, ctx: TaskFileContext, env: ParseEnv): IncludeRole {
  const r: FieldReader = new FieldReader(task.map, task.file, 'task using include_role');
  if (env.handlers) r.fail(key, `Using '${key}' as a handler is not supported.`);
  r.checkKeys([...INCLUDE_KEYWORDS.filter((k) => k !== 'include_tasks'), key], UNSUPPORTED_KEYWORDS);
  const args: FieldReader = roleArgs(r, key, value, INCLUDE_ROLE_ARGS);
  const apply = applyOf(args, 'apply', args.map);
  const roleName = (args.str('name') ?? args.str('role'))!;
  const base = baseFields(r, id, ctx);
  return compact({
    kind: 'include_role' as const,
    ...base,
    // as IncludeRole.get_name: the name as written (no role prefix), else "<action> : <role>"
    displayName: base.name ?? `${key} : ${roleName}`,
    action: key,
    roleName,
    from: roleFiles(args),
    public: args.bool('public') ?? false,
    allowDuplicates: args.bool('allow_duplicates') ?? true,
    rolespecValidate: args.bool('rolespec_validate') ?? true,
    apply,
    ownWhen: r.conditionals('when'),
    ...readLoop(r),
    context: includedContext(ctx, base.vars),
  });
}

function parseIncludeTasks(task: FieldReader, { key, value }: Action, id: string, ctx: TaskFileContext, env: ParseEnv): IncludeTasks {
  const r: FieldReader = new FieldReader(task.map, task.file, env.handlers ? 'handler using include_tasks' : 'task using include_tasks');
  r.checkKeys([...INCLUDE_KEYWORDS.filter((k) => k !== 'include_tasks'), key, ...(env.handlers ? ['listen'] : [])], UNSUPPORTED_KEYWORDS);
  const file = taskFileName(r, key, value, ['apply']);
  const apply = applyOf(r, key, value);
  const base = baseFields(r, id, ctx);
  const ownWhen = r.conditionals('when');
  return compact({
    kind: 'include_tasks' as const,
    ...base,
    displayName: displayName(ctx, base.name, 'include_tasks'),
    file,
    searchDirs: searchDirsFor(ctx, env),
    ownWhen,
    apply,
    listen: env.handlers ? r.strList('listen') : [],
    ...readLoop(r),
    // as ansible-core 2.14: a handler's include loads handlers (its tasks run for the hosts it was notified for)
    context: { ...includedContext(ctx, base.vars), idPrefix: id, ...(env.handlers ? { handlers: true } : {}) },
  });
}

/** Keywords on a dynamic include apply to the include only; its vars reach the included tasks. */
function includedContext(ctx: TaskFileContext, vars: Record<string, unknown>): TaskFileContext {
  return {
    ...pickInherited(ctx),
    idPrefix: ctx.idPrefix,
    role: ctx.role,
    when: ctx.when,
    tags: ctx.tags,
    vars,
    environment: ctx.environment,
    blockPath: ctx.blockPath,
    handlerNames: ctx.handlerNames,
    importChain: ctx.importChain,
    playbookDir: ctx.playbookDir,
    rolesPath: ctx.rolesPath,
    collections: ctx.collections,
  };
}

function displayName(ctx: TaskFileContext, name: string | undefined, action: string): string {
  const shown = name ?? action;
  return ctx.role ? `${ctx.role.name} : ${shown}` : shown;
}

function readLoop(r: FieldReader): { loop?: LoopSpec; loopControl?: LoopControl } {
  const sources = ['loop', ...LOOP_LOOKUPS.map((l) => `with_${l}`)].filter((k) => r.has(k));
  if (sources.length > 1) r.fail(sources[1], `only one loop per task: found ${sources.join(' and ')}`);
  const key = sources[0];
  const out: { loop?: LoopSpec; loopControl?: LoopControl } = {};
  if (key) {
    const items = r.map[key];
    if (!Array.isArray(items) && !isMap(items) && typeof items !== 'string') {
      r.fail(key, `'${key}' needs a list (or a templated expression), got ${JSON.stringify(items)}`);
    }
    if (key === 'loop' && isMap(items)) r.fail(key, "'loop' needs a list; for a mapping use loop: \"{{ x | dict2items }}\" or with_dict");
    out.loop = key === 'loop' ? { items } : { with: key.slice(5) as LoopSpec['with'], items };
  }
  if (r.has('loop_control')) {
    if (!key) r.fail('loop_control', 'loop_control without a loop');
    const lc = r.map['loop_control'];
    if (!isMap(lc)) r.fail('loop_control', 'loop_control must be a mapping');
    const lr = new FieldReader(lc, r.file, 'loop_control');
    lr.checkKeys(['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems'], {});
    out.loopControl = compact({
      loopVar: lr.str('loop_var'),
      indexVar: lr.str('index_var'),
      label: lr.str('label'),
      pause: lr.intOrTemplate('pause'),
      extended: lr.bool('extended'),
    });
  }
  return out;
}

function parseTask(r: FieldReader, action: Action, id: string, ctx: TaskFileContext, env: ParseEnv): Task {
  const base = baseFields(r, id, ctx);
  const { moduleAs, module, args } = moduleAndArgs(r, action, env);
  const until = r.conditionals('until');
  const retries = r.intOrTemplate('retries');
  const task: Task = compact({
    kind: 'task' as const,
    ...base,
    displayName: displayName(ctx, base.name, moduleAs),
    module,
    moduleAs,
    args,
    argsSource: r.pos(action.key),
    ...readLoop(r),
    register: registerName(r),
    changedWhen: r.has('changed_when') ? r.conditionals('changed_when') : undefined,
    failedWhen: r.has('failed_when') ? r.conditionals('failed_when') : undefined,
    notify: r.strList('notify'),
    listen: env.handlers ? r.strList('listen') : [],
    until: until.length ? until : undefined,
    retries: retries ?? (until.length ? 3 : undefined),
    delay: r.intOrTemplate('delay') ?? (until.length ? 5 : undefined),
    async: r.int('async'),
    poll: r.int('poll'),
    // as Ansible's ModuleArgsParser: local_action is action + delegate_to: localhost, whatever delegate_to says
    ...(action.key === 'local_action' ? { delegateTo: 'localhost' } : {}),
  });
  // keyPositionOf(task, 'notify') etc. point at the keyword as written (for later errors)
  copyKeyPositions(task, r.map);
  return task;
}

function registerName(r: FieldReader): string | undefined {
  const name = r.str('register');
  if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    r.fail('register', `register needs a valid variable name (letters, digits, _), got '${name}'`);
  }
  return name;
}
