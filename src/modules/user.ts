import type { ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { userAccount, type UserAccount } from '../facts/accounts.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { quoteArgv } from '../shell/quote.js';
import { accountFailure, commandOutput } from './system/accounts.js';
import {
  chageCommand, createHomeScript, groupsString, useraddCommand, useraddScript, usermodCommand, userdelCommand,
  type AccountCommand, type UserArgs,
} from './system/user-commands.js';

const HASH_CHARS = /[^a-zA-Z0-9./=]/;
const HASH_LENGTHS: Record<string, number> = { 1: 22, 5: 43, 6: 86 };

/** check_password_encrypted: a password that does not look like a crypt(3) hash is warned about. */
function looksUnhashed(password: string): boolean {
  if (['*', '!', '*************'].includes(password)) return false;
  if (/[:*!]/.test(password) || !password.includes('$')) return true;
  const fields = password.split('$');
  if (fields.length < 3) return true;
  const last = fields[fields.length - 1]!;
  const want = HASH_LENGTHS[fields[1]!];
  return HASH_CHARS.test(last) || (want !== undefined && last.length !== want);
}

function warningsFor(a: UserArgs): string[] {
  const out: string[] = [];
  if (a.password && looksUnhashed(a.password)) {
    out.push("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.");
  }
  if (a.append && a.groups === undefined) {
    out.push("'append' is set, but no 'groups' are specified. Use 'groups' for appending new groups.This will change to an error in Ansible 2.14.");
  }
  return out;
}

const probeFor = (a: UserArgs) => userAccount({ name: a.name, home: a.home });
const run = (c: AccountCommand, command = quoteArgv(c.argv)): PlannedCommand => ({ command, describe: c.describe });
/** Reads the account back after a change: uid, group, comment, home and shell of the result come from it. */
const readBack = (a: UserArgs): PlannedCommand => ({ command: probeFor(a).command, describe: `getent passwd ${a.name}` });

/** The result keys the module reports for an existing account (before or after the change). */
function accountResult(a: UserArgs, account: UserAccount): Record<string, unknown> {
  const p = account.passwd!;
  const groups = groupsString(a);
  return { uid: p.uid, group: p.gid, comment: p.comment, home: p.home, shell: p.shell, ...(groups !== undefined ? { groups } : {}) };
}

function planUser(a: UserArgs, account: UserAccount, check: boolean): Plan {
  const warnings = warningsFor(a);
  const base = { name: a.name, state: a.state };
  if (a.state === 'absent') {
    if (!account.passwd) return { commands: [], changed: false, warnings, result: { ...base, changed: false } };
    return { commands: [run(userdelCommand(a))], changed: true, warnings, result: { changed: true } };
  }
  const password = a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {};
  if (!account.passwd) {
    // check mode stops before anything is looked at (a missing group is not noticed)
    if (check) return { commands: [], changed: true, warnings, result: { changed: true } };
    const useradd = useraddCommand(a, account);
    const chage = chageCommand(a, undefined);
    const commands = [run(useradd, useraddScript(a, useradd)), ...(chage ? [run(chage)] : []), readBack(a)];
    return { commands, changed: true, warnings, result: { changed: true } };
  }
  const usermod = usermodCommand(a, account);
  const commands = usermod ? [run(usermod)] : [];
  const home = a.home ?? account.passwd.home;
  if (!account.homeExists && a.create_home) commands.push({ command: createHomeScript(home, a.skeleton, a.name), describe: `create home ${home}` });
  const chage = chageCommand(a, account);
  if (chage) commands.push(run(chage));
  const changed = commands.length > 0;
  const result = { ...base, append: a.append, move_home: a.move_home, ...password, changed, ...accountResult(a, account) };
  return { commands: changed ? [...commands, readBack(a)] : [], changed, warnings, result };
}

/** ansible-core 2.14 user on Linux: useradd/usermod/userdel/chage as the module runs them, the same result keys. */
export const userModule: ModuleDefinition<UserArgs> = {
  name: 'user',
  spec: {
    args: {
      state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
      name: { type: 'str', required: true, aliases: ['user'] },
      uid: { type: 'int' },
      non_unique: { type: 'bool', default: false },
      group: { type: 'str' },
      groups: { type: 'list', elements: 'str' },
      comment: { type: 'str' },
      home: { type: 'path' },
      shell: { type: 'str' },
      password: { type: 'str', noLog: true },
      password_expire_max: { type: 'int' },
      password_expire_min: { type: 'int' },
      force: { type: 'bool', default: false },
      remove: { type: 'bool', default: false },
      create_home: { type: 'bool', default: true, aliases: ['createhome'] },
      skeleton: { type: 'str' },
      system: { type: 'bool', default: false },
      move_home: { type: 'bool', default: false },
      append: { type: 'bool', default: false },
      update_password: { type: 'str', default: 'always', choices: ['always', 'on_create'] },
      expires: { type: 'float' },
      password_lock: { type: 'bool' },
      local: { type: 'bool' },
      umask: { type: 'str' },
    },
  },
  probes: (a) => [probeFor(a)],
  plan: (a, facts, ctx) => failOnArgError(() => {
    if (a.local) return { commands: [], changed: false, failed: 'user: local: true (libuser luseradd) is not supported by falco-deploy' };
    return planUser(a, facts.get(probeFor(a)), ctx.check);
  }),
  finish: (a, plan, results, ctx) => {
    if (ctx.check || results.length === 0) return plan.result ?? {};
    const main = /^user(add|mod|del) /.test(plan.commands[0]?.describe ?? '') ? results[0] : undefined;
    const failure = accountFailure(a.name, results.at(-1), true);
    if (failure) return failure;
    const output = commandOutput(main);
    if (a.state === 'absent') return { name: a.name, state: a.state, force: a.force, remove: a.remove, changed: true, ...output };
    const after = probeFor(a).parse(results.at(-1)!);
    const created = plan.result && !('uid' in plan.result);
    const kind = created ? { system: a.system, create_home: a.create_home } : { append: a.append, move_home: a.move_home };
    const password = a.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {};
    return { name: a.name, state: a.state, ...kind, ...password, changed: true, ...output, ...(after.passwd ? accountResult(a, after) : {}) };
  },
};
