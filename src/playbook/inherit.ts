/** Keywords whose innermost setting wins (play -> role -> block -> task), read and layered. */
import type { InheritedKeywords } from './model.js';
import type { FieldReader } from './fields.js';
import { CONNECTION_CHOICES, pluginType } from '../connectors/connection-type.js';
import { isTemplated } from './fields.js';

type Inherited = InheritedKeywords;

const INHERITED_FIELDS: (keyof Inherited)[] = [
  'become',
  'becomeUser',
  'becomeMethod',
  'becomeFlags',
  'ignoreErrors',
  'ignoreUnreachable',
  'checkMode',
  'diff',
  'noLog',
  'runOnce',
  'anyErrorsFatal',
  'remoteUser',
  'timeout',
  'throttle',
  'connection',
  'delegateTo',
  'delegateFacts',
];

export function readInherited(r: FieldReader): Inherited {
  const connection = r.str('connection');
  if (connection !== undefined && !isTemplated(connection) && !pluginType(connection)) {
    r.fail('connection', `the connection plugin '${connection}' is not supported (${CONNECTION_CHOICES.join(', ')} are)`);
  }
  const method = r.str('become_method');
  if (method !== undefined && method !== 'sudo') {
    r.fail('become_method', `become_method '${method}' is not supported; only sudo is`);
  }
  return compact({
    become: r.boolOrTemplate('become'),
    becomeUser: r.str('become_user'),
    becomeMethod: method as 'sudo' | undefined,
    becomeFlags: r.str('become_flags'),
    ignoreErrors: r.boolOrTemplate('ignore_errors'),
    ignoreUnreachable: r.boolOrTemplate('ignore_unreachable'),
    checkMode: r.boolOrTemplate('check_mode'),
    diff: r.bool('diff'),
    noLog: r.boolOrTemplate('no_log'),
    runOnce: r.bool('run_once'),
    anyErrorsFatal: r.boolOrTemplate('any_errors_fatal'),
    remoteUser: r.str('remote_user'),
    timeout: r.int('timeout'),
    throttle: r.int('throttle'),
    connection,
    delegateTo: r.str('delegate_to'),
    delegateFacts: r.bool('delegate_facts'),
  });
}

export function pickInherited(from: Inherited): Inherited {
  const out: Inherited = {};
  for (const k of INHERITED_FIELDS) {
    if (from[k] !== undefined) (out as Record<string, unknown>)[k] = from[k];
  }
  return out;
}

/** `base` with every field `own` sets replaced. */
export function layer(base: Inherited, own: Inherited): Inherited {
  return { ...pickInherited(base), ...pickInherited(own) };
}

/** Drops undefined-valued keys (keeps the model tidy for printing and comparison). */
export function compact<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k];
  return obj;
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
