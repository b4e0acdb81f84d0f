/**
 * The module call of a task: which key is the module (Ansible: the one key that is not a
 * keyword), and its arguments from a mapping, `k=v` text, `action:` and `args:`.
 */
import { PyFloat } from '../python/values.js';
import { FieldReader, isMap, unknownKeywordMessage } from './fields.js';
import { HANDLER_KEYWORDS, LOOP_LOOKUPS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS, loaderAction } from './keywords.js';
import { ArgSplitError, COMMAND_MODULES, parseKv } from '../template/kv.js';
import { shortModuleName, type ModuleLookup } from './lookup.js';
import { closeMatches } from '../suggest.js';
import { copyKeyPositions } from '../yaml/positions.js';

interface ActionEnv {
  modules: ModuleLookup;
  handlers: boolean;
  /** `collections:` in effect: a short name not known as is is looked up in them, in order. */
  collections?: readonly string[];
}

/** The module `name` names: as written, as ansible.builtin/legacy, else through `collections:` (Ansible's collection search). */
function resolveModule(name: string, env: ActionEnv) {
  const direct = env.modules.findModule(name) ?? env.modules.findModule(shortModuleName(name));
  if (direct || name.includes('.')) return direct;
  for (const c of env.collections ?? []) {
    const found = env.modules.findModule(`${c}.${name}`);
    if (found) return found;
  }
  return undefined;
}

export interface Action {
  /** Key as written (module name, 'action' or 'local_action'). */
  key: string;
  value: unknown;
}

/** Keywords naming the module in their value: `action: copy src=a` (local_action also delegates). */
const ACTION_KEYS = ['action', 'local_action'];

/** Finds the one module key among the task's keys (Ansible: any key that is not a keyword). */
export function detectAction(r: FieldReader, env: ActionEnv): Action {
  const keywords = env.handlers ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const others = Object.keys(r.map).filter((k) => !keywords.includes(k));
  for (const key of others) {
    if (key.startsWith('with_')) {
      r.fail(key, `'${key}' is not supported; use loop: (with_${LOOP_LOOKUPS.join(', with_')} are)`);
    }
    const reason = UNSUPPORTED_KEYWORDS[key];
    if (reason) r.fail(key, `'${key}' is not supported in a ${r.what}: ${reason}`);
  }
  const isAction = (k: string) => loaderAction(k) !== undefined || resolveModule(k, env) !== undefined;
  const actionKeys = ACTION_KEYS.filter((k) => r.has(k));
  if (actionKeys.length > 1) r.fail(actionKeys[1], 'action and local_action are mutually exclusive');
  if (actionKeys.length === 1) {
    const key = actionKeys[0]!;
    if (others.length > 0) {
      const extra = others[0]!;
      r.fail(extra, isAction(extra) ? `conflicting action statements: ${key}, ${extra}` : unknownKeywordMessage(extra, r.what, keywords));
    }
    return { key, value: r.map[key] };
  }
  if (others.length === 0) {
    r.fail(undefined, `no module/action detected in ${r.what}${r.has('name') ? ` '${r.map['name']}'` : ''}; valid keywords: ${keywords.join(', ')}`);
  }
  if (others.length === 1) return { key: others[0]!, value: r.map[others[0]!] };
  const known = others.filter(isAction);
  if (known.length === 1) {
    const bad = others.find((k) => k !== known[0])!;
    r.fail(bad, unknownKeywordMessage(bad, r.what, keywords));
  }
  const misspelt = others.find((k) => !isAction(k) && closeMatches(k, keywords).length > 0);
  if (misspelt) r.fail(misspelt, unknownKeywordMessage(misspelt, r.what, keywords));
  r.fail(others[1], `conflicting action statements: ${others.join(', ')} (a task runs exactly one module)`);
}

export function safeKv(r: FieldReader, key: string, text: string, checkRaw: boolean): Record<string, string> {
  try {
    return parseKv(text, checkRaw);
  } catch (err) {
    if (err instanceof ArgSplitError) r.fail(key, `${err.message} (quote the whole value)`);
    throw err;
  }
}

/** Module name and args from `module: args` or `action: module args`. */
export function moduleAndArgs(r: FieldReader, action: Action, env: ActionEnv): { moduleAs: string; module: string; args: Record<string, unknown> } {
  let moduleAs = action.key;
  let value = action.value;
  let inline: Record<string, unknown> = {};
  if (ACTION_KEYS.includes(action.key)) {
    if (typeof value === 'string') {
      const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
      if (!m) r.fail(action.key, `${action.key} needs a module name`);
      moduleAs = m[1]!;
      value = m[2] || null;
    } else if (isMap(value) && typeof value['module'] === 'string') {
      const [name, ...rest] = value['module'].trim().split(/\s+/);
      moduleAs = name!;
      inline = rest.length ? safeKv(r, action.key, rest.join(' '), COMMAND_MODULES.has(shortModuleName(moduleAs))) : {};
      value = Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'module'));
    } else {
      r.fail(action.key, `${action.key} needs 'module args' text or a mapping with 'module'`);
    }
  }
  const short = shortModuleName(moduleAs);
  const def = resolveModule(moduleAs, env);
  const module = def?.name ?? short;
  let args: Record<string, unknown>;
  if (value === null || value === undefined) args = {};
  else if (isMap(value)) args = { ...value };
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat) {
    args = safeKv(r, action.key, String(value), COMMAND_MODULES.has(module));
  } else {
    r.fail(action.key, `arguments of '${moduleAs}' must be a mapping or 'key=value' text, got a list`);
  }
  args = { ...inline, ...args };
  if (r.has('args')) {
    const extra = r.map['args'];
    if (typeof extra === 'string') r.fail('args', "'args' must be a mapping (templated args are not supported)");
    if (extra !== null && !isMap(extra)) r.fail('args', "'args' must be a mapping");
    args = { ...(extra ?? {}), ...args };
  }
  // inline args win over `args:`, so their positions are looked up first
  copyKeyPositions(args, value, r.map['args']);
  const freeForm = def?.spec.freeForm;
  if ('_raw_params' in args && def) {
    if (!freeForm) {
      r.fail(action.key, `module '${module}' takes no free-form text, but got '${args['_raw_params']}'; write its arguments as key=value or as a mapping`);
    }
    if (freeForm !== '_raw_params') {
      args[freeForm] = args['_raw_params'];
      delete args['_raw_params'];
    }
  }
  return { moduleAs, module, args };
}
