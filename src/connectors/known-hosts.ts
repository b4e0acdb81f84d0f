/**
 * OpenSSH known_hosts: parsing, host matching (plain, wildcard, negated, hashed `|1|salt|hash`,
 * `[host]:port`), key comparison and SHA256 fingerprints. Pure functions; file IO lives in
 * known-hosts-store.ts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host pattern field as written (comma-separated, or one hashed entry). */
  patterns: string;
  keyType: string;
  keyBase64: string;
}

export interface HostKeyInfo {
  type: string;
  base64: string;
  /** `SHA256:...` as OpenSSH prints it. */
  fingerprint: string;
}

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'unknown'; otherTypes: KnownHostEntry[] };

/** Describe a raw SSH public key blob (string type, then type-specific fields). */
export function describeHostKey(blob: Buffer): HostKeyInfo {
  let type = 'unknown';
  if (blob.length >= 4) {
    const len = blob.readUInt32BE(0);
    if (len > 0 && len <= 64 && 4 + len <= blob.length) type = blob.subarray(4, 4 + len).toString('latin1');
  }
  return { type, base64: blob.toString('base64'), fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line
    }
    if (fields.length < 3) return;
    const [patterns, keyType, keyBase64] = fields;
    entries.push({ file, line: i + 1, marker, patterns, keyType, keyBase64 });
  });
  return entries;
}

/** Does this entry's host field match `name` (already in knownHostsName form)? */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  const lname = name.toLowerCase();
  if (entry.patterns.startsWith('|1|')) return hashedMatches(entry.patterns, lname);
  let matched = false;
  for (const raw of entry.patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (!wildcardMatch(pattern, lname)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const digest = createHmac('sha1', salt).update(name).digest('base64');
  return digest === parts[3];
}

function wildcardMatch(pattern: string, s: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === s;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(s);
}

/**
 * Decide about a presented key given every known_hosts entry (all files, in order) and the
 * names the host may be listed under. A revoked key always loses; any exact match wins;
 * a different key of the same type means the key CHANGED.
 */
export function checkHostKey(entries: KnownHostEntry[], names: string[], key: HostKeyInfo): HostKeyVerdict {
  const forHost = entries.filter((e) => e.marker === 'revoked' || names.some((n) => entryMatchesHost(e, n)));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBase64 === key.base64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.keyBase64 === key.base64);
  if (same) return { status: 'match', entry: same };
  const changed = plain.find((e) => e.keyType === key.type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', otherTypes: plain };
}

/** Key types already known for a host, to offer them first (as OpenSSH orders HostKeyAlgorithms). */
export function knownKeyTypes(entries: KnownHostEntry[], names: string[]): string[] {
  const types = entries
    .filter((e) => e.marker === undefined && names.some((n) => entryMatchesHost(e, n)))
    .map((e) => e.keyType);
  return [...new Set(types)];
}

/** One known_hosts line (without newline), optionally with the host name hashed. */
export function formatKnownHostsLine(name: string, key: HostKeyInfo, hashed = false, salt = randomBytes(20)): string {
  const host = hashed
    ? `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name.toLowerCase()).digest('base64')}`
    : name.toLowerCase();
  return `${host} ${key.type} ${key.base64}`;
}
