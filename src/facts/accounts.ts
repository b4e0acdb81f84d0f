import { factIdentity, type FactRequest } from './request.js';
import { raw, sh } from '../shell/quote.js';

/** One /etc/group entry as NSS returns it (grp.getgrnam). */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** One passwd entry (pwd.getpwnam). */
export interface PasswdEntry {
  name: string;
  password: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

/** One shadow entry (getspnam): empty number fields are -1, as in glibc. */
export interface ShadowEntry {
  password: string;
  min: number;
  max: number;
  expire: number;
}

export interface UserAccount {
  passwd: PasswdEntry | null;
  /** null when unreadable (not root) or absent. */
  shadow: ShadowEntry | null;
  /** Every group NSS lists (membership and existence checks). */
  groups: GroupEntry[];
  /** The home directory (the `home` asked about, else the account's) exists. */
  homeExists: boolean;
}

function parseGroupLine(line: string): GroupEntry | null {
  const f = line.split(':');
  if (f.length < 4 || !/^\d+$/.test(f[2]!)) return null;
  return { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] };
}

function parsePasswdLine(line: string): PasswdEntry | null {
  const f = line.split(':');
  if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) return null;
  return { name: f[0]!, password: f[1]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4]!, home: f[5]!, shell: f.slice(6).join(':') };
}

const shadowNumber = (s: string | undefined) => (s && /^-?\d+$/.test(s) ? Number(s) : -1);

function parseShadowLine(line: string): ShadowEntry {
  const f = line.split(':');
  return { password: f[1] ?? '', min: shadowNumber(f[3]), max: shadowNumber(f[4]), expire: shadowNumber(f[7]) };
}

const lines = (text: string) => text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');

/** A group by name (`getent group` also answers a number with the gid's entry: only an entry of that name counts). */
export function getentGroup(a: { name: string }): FactRequest<GroupEntry | null> {
  return {
    ...factIdentity('getent_group', { name: a.name }),
    command: sh`getent group -- ${a.name} || :`,
    parse: (r) => lines(r.stdout).map(parseGroupLine).find((g) => g?.name === a.name) ?? null,
  };
}

/**
 * Everything the user module reads: the passwd and shadow entries, every group, and whether the
 * home directory exists (`home` when given, else the account's own).
 */
export function userAccount(a: { name: string; home?: string }): FactRequest<UserAccount> {
  const home = a.home === undefined ? raw('"$(getent passwd -- "$n" | cut -d: -f6)"') : a.home;
  const command = [
    sh`n=${a.name}`,
    `getent passwd -- "$n" | sed 's/^/passwd:/'`,
    `getent shadow -- "$n" 2>/dev/null | sed 's/^/shadow:/'`,
    `getent group | sed 's/^/group:/'`,
    sh`h=${home}`,
    `if [ -n "$h" ] && [ -e "$h" ]; then echo home:yes; fi; :`,
  ].join('\n');
  return {
    ...factIdentity('user_account', { name: a.name, home: a.home ?? null }),
    command,
    parse: (r) => {
      const out: UserAccount = { passwd: null, shadow: null, groups: [], homeExists: false };
      for (const line of lines(r.stdout)) {
        const i = line.indexOf(':');
        const kind = line.slice(0, i);
        const rest = line.slice(i + 1);
        if (kind === 'passwd') {
          const p = parsePasswdLine(rest);
          if (p?.name === a.name) out.passwd = p;
        } else if (kind === 'shadow' && rest.startsWith(`${a.name}:`)) out.shadow = parseShadowLine(rest);
        else if (kind === 'group') {
          const g = parseGroupLine(rest);
          if (g) out.groups.push(g);
        } else if (line === 'home:yes') out.homeExists = true;
      }
      return out;
    },
  };
}
