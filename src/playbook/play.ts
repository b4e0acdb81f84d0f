/** One play mapping -> Play (keywords checked, roles expanded, task lists parsed). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { maxFailPercentage, serialItem } from './serial.js';
import type { Handler, Play, SerialValue, TaskFileContext, TaskNode, VarsFileEntry } from './model.js';
import { FieldReader, errorAt, isTemplated, type YamlMap } from './fields.js';
import { HOST_ORDERS, PLAY_KEYWORDS, STRATEGIES, UNSUPPORTED_KEYWORDS } from './keywords.js';
import { compact, readInherited, union } from './inherit.js';
import type { ModuleLookup } from './lookup.js';
import { loadRoles } from './roles.js';
import { parseTaskList } from './tasks.js';
import { checkKeywordTemplates, checkVarsTemplates } from './template-check.js';
import { handlerNamesOf } from './validate.js';
import { loadVarsFile } from './vars-files.js';

interface PlayLoadOptions {
  modules: ModuleLookup;
  rolesPath: readonly string[];
}

/** What an import_playbook entry adds to the plays it imports. */
export interface ImportedBy {
  vars: Record<string, unknown>;
  tags: string[];
}

export function parsePlay(data: YamlMap, id: string, file: string, opts: PlayLoadOptions, importedBy: ImportedBy): Play {
  const r: FieldReader = new FieldReader(data, file, 'play');
  r.checkKeys(PLAY_KEYWORDS, UNSUPPORTED_KEYWORDS);
  checkKeywordTemplates(data, file);
  const hostPatterns = hostsOf(r);
  const hosts = hostPatterns.join(',');
  const name = r.str('name');
  const inherited = readInherited(r);
  const tags = union(importedBy.tags, r.tags());
  const environment = r.environment();
  const handlerNames: string[] = [];
  const playbookDir = dirname(file);
  const base: TaskFileContext = {
    ...inherited,
    idPrefix: id,
    when: [],
    tags,
    vars: {},
    environment,
    blockPath: [],
    handlerNames,
    importChain: [file],
    playbookDir,
    rolesPath: opts.rolesPath,
    ...(r.has('collections') ? { collections: r.strList('collections') } : {}),
  };
  const roles = loadRoles(r.list('roles'), file, { playbookDir, rolesPath: opts.rolesPath, modules: opts.modules, playContext: base, idPrefix: `${id}.roles` });
  const env = { file, modules: opts.modules, handlers: false, importRole: roles.loader.importer() };
  const section = (key: string) => parseTaskList(data[key], { ...base, idPrefix: `${id}.${key}` }, env, r.pos(key));

  const preTasks = section('pre_tasks');
  const tasks = [...roles.tasks, ...section('tasks')];
  const postTasks = section('post_tasks');
  const playHandlers = parseTaskList(data['handlers'], { ...base, idPrefix: `${id}.handlers` }, { ...env, handlers: true }, r.pos('handlers'));
  const handlers = [...roles.handlers, ...playHandlers].map(onlyHandlers);
  // filled in place: include_tasks contexts created above share this array
  handlerNames.push(...handlerNamesOf(handlers));

  const strategy = r.choice('strategy', STRATEGIES as ('linear' | 'free')[]) ?? 'linear';
  return compact({
    id,
    name,
    displayName: name ?? hosts,
    hosts,
    hostPatterns,
    source: r.pos(),
    baseDir: playbookDir,
    vars: { ...r.vars(), ...importedBy.vars },
    varsFiles: varsFilesOf(r, playbookDir),
    gatherFacts: r.bool('gather_facts') ?? true,
    gatherSubset: r.has('gather_subset') ? r.strList('gather_subset') : undefined,
    gatherTimeout: r.int('gather_timeout'),
    ...inherited,
    serial: serialOf(r),
    maxFailPercentage: percentOf(r),
    strategy,
    order: r.choice('order', HOST_ORDERS as NonNullable<Play['order']>[]),
    tags,
    environment,
    port: r.has('port') ? (isTemplated(r.map['port']) ? (r.map['port'] as string) : r.int('port')) : undefined,
    forceHandlers: r.bool('force_handlers'),
    roles: roles.instances,
    preTasks,
    tasks,
    postTasks,
    handlers,
  });
}

/** Handlers are tasks or include_tasks (no blocks; include_role is refused where parsed). */
export function onlyHandlers(node: TaskNode): Handler {
  if (node.kind !== 'task' && node.kind !== 'include_tasks') throw errorAt(`handlers must be tasks or include_tasks (found a ${node.kind.replace('_', ' ')})`, node.source);
  return node;
}

function hostsOf(r: FieldReader): string[] {
  const v = r.map['hosts'];
  if (v === undefined || v === null) r.fail(undefined, "the play needs 'hosts' (a host pattern such as 'all' or 'falco_nodes')");
  const parts = Array.isArray(v) ? v : [v];
  const out = parts.map((p) => {
    if (typeof p !== 'string' && typeof p !== 'number') r.fail('hosts', "'hosts' must be a pattern string or a list of them");
    return String(p).trim();
  });
  if (out.length === 0 || out.some((p) => p === '')) r.fail('hosts', "'hosts' must not be empty");
  return out;
}

function varsFilesOf(r: FieldReader, baseDir: string): VarsFileEntry[] {
  const raw = r.has('vars_files') && typeof r.map['vars_files'] === 'string' ? [r.map['vars_files']] : r.list('vars_files');
  return raw.map((entry) => {
    if (typeof entry === 'string') {
      checkLiteralVarsFile(entry, baseDir);
      return entry;
    }
    if (Array.isArray(entry) && entry.length > 0 && entry.every((e) => typeof e === 'string')) return entry as string[];
    r.fail('vars_files', 'each vars_files entry must be a file name or a list of candidate file names');
  });
}

/** A vars file named literally is read now so its templates are checked before the play runs. */
function checkLiteralVarsFile(entry: string, baseDir: string): void {
  if (isTemplated(entry)) return;
  const path = resolve(baseDir, entry);
  if (existsSync(path)) checkVarsTemplates(loadVarsFile(path), path);
}

function serialOf(r: FieldReader): SerialValue[] | string | undefined {
  const v = r.map['serial'];
  if (v === undefined || v === null) return undefined;
  if (isTemplated(v)) return v as string;
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) r.fail('serial', "'serial' must not be an empty list");
  return items.map((item) => {
    if (isTemplated(item)) return item as string;
    const parsed = serialItem(item);
    if (parsed !== undefined) return parsed;
    r.fail('serial', `'serial' must be a number, a percentage like "20%", or a list of them; got ${JSON.stringify(item)}`);
  });
}

function percentOf(r: FieldReader): number | string | undefined {
  const v = r.map['max_fail_percentage'];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.includes('{{')) return v;
  const n = maxFailPercentage(v);
  if (n === undefined) r.fail('max_fail_percentage', `'max_fail_percentage' must be a number from 0 to 100, got ${JSON.stringify(v)}`);
  return n;
}
