/** Entry points: load a playbook file (import_playbook inlined), load a task file at run time. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Handler, Play, Playbook, RoleInstance, TaskFileContext, TaskNode } from './model.js';
import { FieldReader, errorAt, isMap, isTemplated } from './fields.js';
import { IMPORT_PLAYBOOK_KEYWORDS } from './keywords.js';
import { union } from './inherit.js';
import { registryLookup, type ModuleLookup } from './lookup.js';
import { onlyHandlers, parsePlay, type ImportedBy } from './play.js';
import { parseTaskFile } from './tasks.js';
import { handlerNamesOf, validateNodes, validatePlaybook } from './validate.js';
import { loadRoleNow, runtimeRoleImporter, type IncludedRoleRequest } from './roles.js';
import { loadAnsibleYaml } from '../yaml/load.js';
import { positionOf } from '../yaml/positions.js';

interface LoadOptions {
  /** Module specs (defaults to src/modules/registry.ts). */
  modules?: ModuleLookup;
  /** Extra role directories, searched after <playbook dir>/roles (like ANSIBLE_ROLES_PATH). */
  rolesPath?: readonly string[];
}

/** Loads a playbook without validating module arguments (see checkPlaybook). */
export function loadPlaybook(file: string, opts: LoadOptions = {}): Playbook {
  const path = resolve(file);
  const state = { plays: [] as Play[], modules: opts.modules ?? registryLookup, rolesPath: opts.rolesPath ?? [] };
  loadPlays(path, [], { vars: {}, tags: [] }, state);
  return { file: path, plays: state.plays };
}

/** `--syntax-check`: load + validate everything that can be checked before any host is touched. */
export function checkPlaybook(file: string, opts: LoadOptions = {}): Playbook {
  const playbook = loadPlaybook(file, opts);
  validatePlaybook(playbook, opts.modules ?? registryLookup);
  return playbook;
}

/** Where roles that import_role loads at run time fit in the play: keys already loaded, id prefix. */
export interface RuntimeImports {
  loadedKeys: readonly string[];
  idPrefix: string;
}

/**
 * Loads a task file for a dynamic include_tasks at run time (path from resolveTaskFile), and
 * validates it. `ctx` is the include node's `context`. With `imports`, an import_role in it
 * loads its role now (its instances and handlers come back with the nodes); without, it is refused.
 */
export function loadTaskFile(path: string, ctx: TaskFileContext, modules: ModuleLookup = registryLookup, imports?: RuntimeImports): IncludedRole {
  const handlerNames = [...ctx.handlerNames];
  const importer = imports && runtimeRoleImporter(ctx, modules, imports.loadedKeys, imports.idPrefix);
  const parsed = parseTaskFile(path, { ...ctx, handlerNames }, { modules, handlers: ctx.handlers === true, importRole: importer?.importRole });
  const nodes = ctx.handlers ? parsed.map(onlyHandlers) : parsed;
  const handlers = (importer?.handlers ?? []).map(onlyHandlers);
  // filled in place: include_tasks contexts of the file share this array
  handlerNames.push(...handlerNamesOf(handlers));
  validateNodes([...nodes, ...handlers], handlerNames, modules, ctx.playbookDir);
  return { instances: importer?.instances ?? [], tasks: nodes, handlers };
}

/** What an include loaded: tasks, and the roles it loaded (dependencies first) with their handlers. */
export interface IncludedRole {
  instances: RoleInstance[];
  tasks: TaskNode[];
  handlers: Handler[];
}

/**
 * Loads a role for include_role at run time, validated as the play's tasks are: its tasks may
 * notify its own handlers (and the play's).
 */
export function loadIncludedRole(req: IncludedRoleRequest, modules: ModuleLookup = registryLookup): IncludedRole {
  const handlerNames = [...req.context.handlerNames];
  const loaded = loadRoleNow({ ...req, context: { ...req.context, handlerNames } }, modules);
  const handlers = loaded.handlers.map(onlyHandlers);
  // filled in place: the role's include_tasks contexts share this array
  handlerNames.push(...handlerNamesOf(handlers));
  validateNodes([...loaded.tasks, ...handlers], handlerNames, modules, req.context.playbookDir);
  return { instances: loaded.instances, tasks: loaded.tasks, handlers };
}

interface LoadState {
  plays: Play[];
  modules: ModuleLookup;
  rolesPath: readonly string[];
}

function loadPlays(file: string, chain: string[], importedBy: ImportedBy, state: LoadState): void {
  if (chain.includes(file)) throw new InputError(`import_playbook loop: ${[...chain, file].join(' -> ')}`, { file });
  const data = loadAnsibleYaml(file);
  if (data === null) throw new InputError('empty playbook, nothing to do', { file, line: 1, column: 1 });
  if (!Array.isArray(data)) {
    throw errorAt('a playbook must be a YAML list of plays (each with hosts: and tasks:)', positionOf(data) ?? { file, line: 1, column: 1 });
  }
  for (const entry of data) {
    if (!isMap(entry)) {
      throw errorAt(`each playbook entry must be a play (a mapping), got ${JSON.stringify(entry)}`, positionOf(data) ?? { file, line: 1, column: 1 });
    }
    const importKey = Object.keys(entry).find((k) => /^(?:ansible\.(?:builtin|legacy)\.)?import_playbook$/.test(k));
    if (importKey) {
      importPlaybook(entry, importKey, file, chain, importedBy, state);
      continue;
    }
    if ('include' in entry) {
      new FieldReader(entry, file, 'playbook entry').fail('include', "top-level 'include' was removed from Ansible; use import_playbook");
    }
    const id = `p${state.plays.length + 1}`;
    state.plays.push(parsePlay(entry, id, file, state, importedBy));
  }
}

function importPlaybook(entry: Record<string, unknown>, key: string, file: string, chain: string[], importedBy: ImportedBy, state: LoadState): void {
  const r: FieldReader = new FieldReader(entry, file, 'import_playbook');
  r.checkKeys([...IMPORT_PLAYBOOK_KEYWORDS.filter((k) => k !== 'import_playbook'), key], { when: 'conditional import_playbook is not supported; put the condition on the imported plays or use --limit' });
  const target = r.str(key);
  if (!target) r.fail(key, 'import_playbook needs a playbook file name');
  if (isTemplated(target)) r.fail(key, `import_playbook cannot use a templated file name ('${target}')`);
  const path = isAbsolute(target) ? target : resolve(dirname(file), target);
  if (!existsSync(path)) r.fail(key, `imported playbook '${target}' not found (looked for ${path})`);
  const nested: ImportedBy = { vars: { ...importedBy.vars, ...r.vars() }, tags: union(importedBy.tags, r.tags()) };
  loadPlays(path, [...chain, file], nested, state);
}
