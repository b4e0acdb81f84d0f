/**
 * ansible.posix.authorized_key's key-file logic (parsekey, parseoptions, enforce_state, serialize;
 * collection 1.5.4), pure: entries keyed by the base64 blob (Python dict order), written by rank.
 */
import { pySplitlines } from '../../python/splitlines.js';

const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** keydict: options in order, a name may repeat; a name without `=` has value null. */
type Options = [string, string | null][];

interface Entry {
  /** The key blob, or the whole line for a comment or a line that is not a key ("skipped"). */
  key: string;
  type: string;
  options: Options | null;
  comment: string | null;
  rank: number;
}

export type AuthorizedKeyParams = {
  key: string;
  state: 'present' | 'absent';
  key_options?: string | null;
  exclusive: boolean;
  comment?: string | null;
};

/** Thrown for what the module rejects with fail_json. */
export class KeyFileError extends Error {}

function parseOptions(options: string | null): Options {
  if (!options) return [];
  const parts = options.split(/((?:[^,"']|"[^"]*"|'[^']*')+)/).slice(1, -1);
  const out: Options = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq >= 0) out.push([part.slice(0, eq), part.slice(eq + 1)]);
    else if (part !== ',') out.push([part, null]);
  }
  return out;
}

/** Python dict equality of two keydicts: same names, each with the same values in order. */
function sameOptions(a: Options | null, b: Options | null): boolean {
  if (a === null || b === null) return a === b;
  const group = (o: Options) => {
    const m = new Map<string, (string | null)[]>();
    for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v]);
    return m;
  };
  const x = group(a);
  const y = group(b);
  return x.size === y.size && [...x].every(([k, v]) => JSON.stringify(y.get(k)) === JSON.stringify(v));
}

/** parsekey: shlex with no quotes = whitespace split; the first known key type marks the key. */
function parseKey(raw: string, rank: number): Entry | null {
  const line = raw.replace(/\\#/g, '#');
  const parts = line.split(/[ \t\r\n]+/).filter(Boolean);
  if (parts[0] === '#') return { key: line, type: 'skipped', options: null, comment: null, rank };
  const at = parts.findIndex((p) => KEY_TYPES.has(p));
  if (at < 0) return null;
  if (at + 1 >= parts.length) throw new KeyFileError(`key of type ${parts[at]} has no key data: ${raw.trim()}`);
  return { key: parts[at + 1], type: parts[at], options: parseOptions(at > 0 ? parts.slice(0, at).join(' ') : null), comment: parts.slice(at + 2).join(' '), rank };
}

function parseKeys(content: string): Map<string, Entry> {
  const keys = new Map<string, Entry>();
  pySplitlines(content, true).forEach((line, rank) => {
    const e = parseKey(line, rank);
    if (e) keys.set(e.key, e);
    else keys.set(line, { key: line, type: 'skipped', options: null, comment: null, rank });
  });
  return keys;
}

function serialize(keys: Map<string, Entry>): string {
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((e) => {
      if (e.type === 'skipped') return e.key;
      const opts = e.options?.length ? `${e.options.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(',')} ` : '';
      return `${opts}${e.type} ${e.key} ${e.comment}\n`;
    })
    .join('');
}

/** enforce_state without the I/O: the new file text, or undefined when nothing is to be written. */
export function authorizedKeysEdit(existing: string, p: AuthorizedKeyParams): string | undefined {
  const newKeys = pySplitlines(p.key).filter((s) => s && !s.startsWith('#'));
  const keys = parseKeys(existing);
  const keysToExist: string[] = [];
  const maxRank = keys.size;
  let write = false;
  newKeys.forEach((text, rank) => {
    let parsed = parseKey(text, rank);
    if (!parsed) throw new KeyFileError(`invalid key specified: ${text}`);
    if (p.key_options != null) parsed = { ...parsed, options: parseOptions(p.key_options) };
    if (p.comment != null) parsed = { ...parsed, comment: p.comment };
    const old = keys.get(parsed.key);
    const matched = old !== undefined && !(p.state === 'present' && !(old.type === parsed.type && old.comment === parsed.comment && sameOptions(old.options, parsed.options)));
    if (p.state === 'present') {
      keysToExist.push(parsed.key);
      if (old !== undefined && !matched) {
        keys.delete(parsed.key);
        write = true;
      }
      if (!matched) {
        keys.set(parsed.key, { ...parsed, rank: maxRank + parsed.rank });
        write = true;
      }
    } else if (matched) {
      keys.delete(parsed.key);
      write = true;
    }
  });
  if (p.state === 'present' && p.exclusive) {
    for (const k of [...keys.keys()]) {
      if (!keysToExist.includes(k)) {
        keys.delete(k);
        write = true;
      }
    }
  }
  return write ? serialize(keys) : undefined;
}
