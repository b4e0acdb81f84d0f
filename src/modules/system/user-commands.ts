import type { GroupEntry, UserAccount } from '../../facts/accounts.js';
import { quoteArgv, raw, sh } from '../../shell/quote.js';
import { ArgumentError } from '../../argspec/validate.js';

export type UserArgs = {
  name: string;
  state: 'absent' | 'present';
  uid?: number;
  non_unique: boolean;
  group?: string;
  groups?: string[];
  append: boolean;
  comment?: string;
  home?: string;
  shell?: string;
  password?: string;
  update_password: 'always' | 'on_create';
  password_lock?: boolean;
  create_home: boolean;
  skeleton?: string;
  system: boolean;
  move_home: boolean;
  force: boolean;
  remove: boolean;
  expires?: number;
  password_expire_min?: number;
  password_expire_max?: number;
  umask?: string;
  local?: boolean;
};

/** A command and how -v and errors show it (the password hash never appears). */
export interface AccountCommand {
  argv: string[];
  describe: string;
}

function accountCommand(argv: string[]): AccountCommand {
  const shown = argv.map((w, i) => (argv[i - 1] === '-p' ? 'NOT_LOGGING_PASSWORD' : w));
  return { argv, describe: shown.join(' ') };
}

/** grp lookups as the module does them: a number is tried as a gid first, then as a name. */
function findGroup(groups: readonly GroupEntry[], group: string): GroupEntry | undefined {
  if (/^\s*[+-]?\d+\s*$/.test(group)) {
    const byGid = groups.find((g) => g.gid === Number(group));
    if (byGid) return byGid;
  }
  return groups.find((g) => g.name === group);
}

function requireGroup(groups: readonly GroupEntry[], group: string): GroupEntry {
  const found = findGroup(groups, group);
  if (!found) throw new ArgumentError(`Group ${group} does not exist`);
  return found;
}

/** The `groups` option as the module joins it: the comma-joined string (",".join(groups)). */
export function groupsString(a: UserArgs): string | undefined {
  return a.groups === undefined ? undefined : a.groups.join(',');
}

/** get_groups_set: the named groups (stripped, deduplicated), each of which must exist. */
function groupsList(a: UserArgs, groups: readonly GroupEntry[]): string[] {
  const names = [...new Set((groupsString(a) ?? '').split(',').filter((x) => x).map((x) => x.trim()))];
  for (const g of names) requireGroup(groups, g);
  return names;
}

/** time.strftime('%Y-%m-%d', time.gmtime(expires)) */
const expiryDate = (seconds: number) => new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 10);

/** useradd as create_user_useradd builds it (Linux, not `local`). */
export function useraddCommand(a: UserArgs, account: UserAccount): AccountCommand {
  const argv = ['useradd'];
  if (a.uid !== undefined) argv.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
  if (a.group !== undefined) {
    requireGroup(account.groups, a.group);
    argv.push('-g', a.group);
  } else if (findGroup(account.groups, a.name)) {
    // a group named like the user exists: useradd would fail to create it (USERGROUPS_ENAB)
    argv.push('-N');
  }
  const groups = groupsString(a);
  if (groups) argv.push('-G', groupsList(a, account.groups).join(','));
  if (a.comment !== undefined) argv.push('-c', a.comment);
  if (a.home !== undefined) argv.push('-d', a.home);
  if (a.shell !== undefined) argv.push('-s', a.shell);
  if (a.expires !== undefined) argv.push('-e', a.expires < 0 ? '' : expiryDate(a.expires));
  if (a.password !== undefined) argv.push('-p', a.password_lock ? `!${a.password}` : a.password);
  if (a.create_home) {
    argv.push('-m');
    if (a.skeleton !== undefined) argv.push('-k', a.skeleton);
    if (a.umask !== undefined) argv.push('-K', `UMASK=${a.umask}`);
  } else argv.push('-M');
  if (a.system) argv.push('-r');
  argv.push(a.name);
  return accountCommand(argv);
}

/** usermod as modify_user_usermod builds it; undefined when nothing differs. */
export function usermodCommand(a: UserArgs, account: UserAccount): AccountCommand | undefined {
  const info = account.passwd!;
  const password = info.password.length <= 1 ? (account.shadow?.password ?? '') : info.password;
  let argv = ['usermod'];
  if (a.uid !== undefined && info.uid !== a.uid) argv.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
  if (a.group !== undefined) {
    const g = requireGroup(account.groups, a.group);
    if (g.gid !== info.gid) argv.push('-g', String(g.gid));
  }
  const groups = groupsString(a);
  if (groups !== undefined) {
    const current = account.groups.filter((g) => g.members.includes(a.name)).map((g) => g.name);
    let wanted: string[] = [];
    let needed = false;
    if (groups === '') {
      needed = current.length > 0 && !a.append;
    } else {
      wanted = groupsList(a, account.groups);
      const diff = new Set([...current.filter((g) => !wanted.includes(g)), ...wanted.filter((g) => !current.includes(g))]);
      if (diff.size) {
        if (a.append) {
          if (wanted.some((g) => diff.has(g))) {
            argv.push('-a');
            needed = true;
          }
        } else needed = true;
      }
    }
    if (needed) argv.push('-G', wanted.join(','));
  }
  if (a.comment !== undefined && info.comment !== a.comment) argv.push('-c', a.comment);
  if (a.home !== undefined && info.home !== a.home) argv.push('-d', a.home, ...(a.move_home ? ['-m'] : []));
  if (a.shell !== undefined && info.shell !== a.shell) argv.push('-s', a.shell);
  if (a.expires !== undefined) {
    const current = account.shadow?.expire ?? -1;
    if (a.expires < 0) {
      if (current >= 0) argv.push('-e', '');
    } else if (current < 0 || expiryDate(current * 86400) !== expiryDate(a.expires)) {
      argv.push('-e', expiryDate(a.expires));
    }
  }
  if (a.password_lock && !password.startsWith('!')) argv.push('-L');
  else if (a.password_lock === false && password.startsWith('!')) argv.push('-U');
  if (a.update_password === 'always' && a.password !== undefined && password.replace(/^!+/, '') !== a.password.replace(/^!+/, '')) {
    argv = argv.filter((w) => w !== '-U' && w !== '-L');
    argv.push('-p', a.password_lock ? `!${a.password}` : a.password);
  }
  if (argv.length === 1) return undefined;
  return accountCommand([...argv, a.name]);
}

/** userdel as remove_user_userdel builds it. */
export function userdelCommand(a: UserArgs): AccountCommand {
  return accountCommand(['userdel', ...(a.force ? ['-f'] : []), ...(a.remove ? ['-r'] : []), a.name]);
}

/** chage for password_expire_min/max that differ from the shadow entry (all given ones for a new account). */
export function chageCommand(a: UserArgs, account: UserAccount | undefined): AccountCommand | undefined {
  const shadow = account?.shadow;
  if (account && !shadow) return undefined; // getspnam failed: the module leaves expiry alone
  const min = a.password_expire_min !== undefined && a.password_expire_min !== shadow?.min;
  const max = a.password_expire_max !== undefined && a.password_expire_max !== shadow?.max;
  if (!min && !max) return undefined;
  return accountCommand(['chage', ...(min ? ['-m', String(a.password_expire_min)] : []), ...(max ? ['-M', String(a.password_expire_max)] : []), a.name]);
}

/** create_homedir: copy the skeleton (or make the directory), then chmod by login.defs UMASK. */
function makeHomeLines(home: string, skeleton: string | undefined): string[] {
  return [
    sh`h=${home}; s=${skeleton ?? '/etc/skel'}`,
    'if [ ! -e "$h" ]; then',
    '  if [ -e "$s" ]; then mkdir -p -- "$(dirname -- "$h")" && cp -a -- "$s" "$h" || exit 1; else mkdir -p -- "$h" || exit 1; fi',
    "  m=$(sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-9]\\{1,\\}\\)$/\\1/p' /etc/login.defs 2>/dev/null | tail -n 1)",
    '  if [ -n "$m" ]; then chmod "$(printf %o $((0777 & ~0$m)))" -- "$h" || exit 1; fi',
    'fi',
  ];
}

/** chown_homedir: the whole tree to the account's uid and primary gid. */
const chownHome = (home: string, name: string) => sh`chown -R -- "$(id -u -- ${name}):$(id -g -- ${name})" ${home}`;

/** A missing home of an existing account: made as create_homedir does, then chowned. */
export function createHomeScript(home: string, skeleton: string | undefined, name: string): string {
  return [...makeHomeLines(home, skeleton), chownHome(home, name)].join('\n');
}

/** useradd; when the home's parent is missing, the module makes the home from the skeleton first and chowns it after. */
export function useraddScript(a: UserArgs, useradd: AccountCommand): string {
  const cmd = quoteArgv(useradd.argv);
  if (a.home === undefined || !a.create_home) return cmd;
  return [
    sh`if [ -d "$(dirname -- ${a.home})" ]; then ${raw(cmd)}; exit; fi`,
    ...makeHomeLines(a.home, a.skeleton),
    `${cmd}; rc=$?`,
    `if [ "$rc" = 0 ]; then ${chownHome(a.home, a.name)}; fi`,
    'exit "$rc"',
  ].join('\n');
}
