/**
 * Per-host files written straight into a host's overlay upper dir before its overlay is
 * mounted: the shared lower layer stays untouched and identical for every host.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Owner {
  uid: number;
  gid: number;
}

interface SeedFile {
  /** Path inside the host, without the leading slash. */
  path: string;
  content: string;
  mode: number;
  owner: Owner;
}

const ROOT: Owner = { uid: 0, gid: 0 };

export interface HostSeed {
  hostname: string;
  hostPrivateKey: string;
  hostPublicKey: string;
  clientPublicKey: string;
  deploy: Owner;
}

/** The files that make a host itself (pure). */
export function hostFiles(s: HostSeed): SeedFile[] {
  const authorized = s.clientPublicKey.trim() + '\n';
  return [
    { path: 'etc/hostname', content: `${s.hostname}\n`, mode: 0o644, owner: ROOT },
    // sudo resolves the host's own name; there is no DNS in the sandbox.
    { path: 'etc/hosts', content: `127.0.0.1 localhost\n127.0.1.1 ${s.hostname}\n::1 localhost\n`, mode: 0o644, owner: ROOT },
    { path: 'etc/ssh/ssh_host_ed25519_key', content: s.hostPrivateKey, mode: 0o600, owner: ROOT },
    { path: 'etc/ssh/ssh_host_ed25519_key.pub', content: s.hostPublicKey.trim() + '\n', mode: 0o644, owner: ROOT },
    { path: 'root/.ssh/authorized_keys', content: authorized, mode: 0o600, owner: ROOT },
    { path: 'home/deploy/.ssh/authorized_keys', content: authorized, mode: 0o600, owner: s.deploy },
  ];
}

/**
 * Writes `files` under `upper`. A parent directory that exists in `lower` is created with the
 * lower one's mode and owner (an upper dir's attributes win in the merged view); a new one gets
 * mode 0700 and the file's owner.
 */
export function seedUpper(lower: string, upper: string, files: readonly SeedFile[]): void {
  for (const f of files) {
    const parts = dirname(f.path).split('/');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      const target = join(upper, rel);
      if (existsSync(target)) continue;
      const model = join(lower, rel);
      const st = existsSync(model) ? statSync(model) : undefined;
      mkdirSync(target);
      chownSync(target, st?.uid ?? f.owner.uid, st?.gid ?? f.owner.gid);
      chmodSync(target, st ? st.mode & 0o7777 : 0o700);
    }
    const file = join(upper, f.path);
    writeFileSync(file, f.content);
    chownSync(file, f.owner.uid, f.owner.gid);
    chmodSync(file, f.mode);
  }
}

/** uid/gid of `user` in the rootfs' /etc/passwd. */
export function userInRootfs(rootfs: string, user: string): Owner {
  const line = readFileSync(join(rootfs, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user} in ${rootfs}/etc/passwd; rebuild the rootfs`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
