/**
 * Host key policy applied to the raw key ssh2's hostVerifier hands us. A CHANGED or revoked
 * key is refused under strict and accept-new; `off` accepts anything (as Ansible's
 * host_key_checking=False does).
 */
import { describeHostKey, knownHostsName, type HostKeyInfo } from './known-hosts.js';
import type { KnownHostsStore } from './known-hosts-store.js';
import type { ConnectionTarget, HostKeyPolicy } from './types.js';

interface HostKeyDecision {
  accept: boolean;
  key: HostKeyInfo;
  /** Why the key was refused: names the host, known_hosts file:line and fingerprint. */
  reason?: string;
  /** Set when accept-new recorded the key. */
  recordedIn?: string;
}

export function defaultKnownHostsFiles(home: string): string[] {
  return [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts2`];
}

export async function decideHostKey(
  target: ConnectionTarget,
  blob: Buffer,
  store: KnownHostsStore,
  home: string,
): Promise<HostKeyDecision> {
  const key = describeHostKey(blob);
  const policy: HostKeyPolicy = target.hostKeyPolicy ?? 'strict';
  if (policy === 'off') return { accept: true, key };
  const userFiles = target.knownHostsFiles?.length ? target.knownHostsFiles : defaultKnownHostsFiles(home);
  const files = [...userFiles, ...(target.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts'])];
  const name = knownHostsName(target.hostKeyAlias ?? target.hostname, target.port);
  const where = `${target.hostname}:${target.port}`;
  const verdict = await store.verdict(files, [name], key);
  switch (verdict.status) {
    case 'match':
      return { accept: true, key };
    case 'revoked':
      return {
        accept: false,
        key,
        reason: `host key for ${where} is REVOKED (${verdict.entry.file}:${verdict.entry.line}); ${key.type} ${key.fingerprint}`,
      };
    case 'changed':
      return { accept: false, key, reason: changedMessage(where, name, key, verdict.entry) };
    case 'unknown': {
      if (policy === 'strict') {
        const also = verdict.otherTypes.length
          ? ` (known_hosts has only ${[...new Set(verdict.otherTypes.map((e) => e.keyType))].join(', ')} for it, at ${verdict.otherTypes[0].file}:${verdict.otherTypes[0].line})`
          : '';
        return {
          accept: false,
          key,
          reason:
            `host key for ${where} is not known${also}: ${key.type} ${key.fingerprint}. ` +
            `Checked ${userFiles.join(', ')}. Add it (ssh-keyscan -p ${target.port} ${target.hostname} >> ${userFiles[0]}) ` +
            `or run with --host-key-checking accept-new`,
        };
      }
      const written = await store.append(userFiles[0], name, key, target.hashKnownHosts ?? false);
      if (written.status === 'changed') {
        return { accept: false, key, reason: changedMessage(where, name, key, written.entry) };
      }
      if (written.status === 'revoked') {
        return { accept: false, key, reason: `host key for ${where} is REVOKED (${written.entry.file}:${written.entry.line})` };
      }
      return { accept: true, key, recordedIn: userFiles[0] };
    }
  }
}

function changedMessage(where: string, name: string, key: HostKeyInfo, old: { file: string; line: number }): string {
  return (
    `HOST KEY CHANGED for ${where}: the server now presents ${key.type} ${key.fingerprint}, ` +
    `but ${old.file}:${old.line} holds another key for ${name}. This may be a man-in-the-middle ` +
    `attack or a reinstalled host; if you know the new key is right, remove that line ` +
    `(ssh-keygen -R '${name}' -f ${old.file}) and connect again.`
  );
}
