/**
 * The cached VM image of the kmod-vm scenario (see build-image.sh for what is in it).
 * Cache: ${FALCO_DEPLOY_CACHE:-/var/tmp/falco-deploy}/vm/image-<hash of build-image.sh>/,
 * so a changed recipe builds a new image and an unchanged one is reused.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = resolve(fileURLToPath(new URL('./build-image.sh', import.meta.url)));

export interface VmImage {
  dir: string;
  /** Compressed qcow2 root filesystem; the backing file of every VM disk. */
  disk: string;
  kernel: string;
  initrd: string;
  /** `uname -r` of the guest. */
  kernelRelease: string;
  privateKey: string;
  /** `ssh-ed25519 AAAA...` of the guest (for known_hosts). */
  hostKey: string;
  /** DKMS tarball (source + scap.ko built for the guest kernel). */
  prebuiltModule: string;
  /** Hash of the recipe; other caches derived from this image include it. */
  key: string;
}

export function vmCacheRoot(): string {
  return join(process.env.FALCO_DEPLOY_CACHE ?? '/var/tmp/falco-deploy', 'vm');
}

export function imageKey(): string {
  return createHash('sha256').update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 12);
}

export function describeImage(dir: string, key: string): VmImage {
  return {
    dir,
    disk: join(dir, 'vm.qcow2'),
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
    kernelRelease: readFileSync(join(dir, 'kernel-release'), 'utf8').trim(),
    privateKey: join(dir, 'id_ed25519'),
    hostKey: readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' '),
    prebuiltModule: join(dir, 'scap-prebuilt.dkms.tar.gz'),
    key,
  };
}

/** The cached image, built first when missing (several minutes: debootstrap + DKMS build). */
export function ensureImage(log: (line: string) => void = () => undefined): VmImage {
  const key = imageKey();
  const root = vmCacheRoot();
  const name = `image-${key}`;
  const dir = join(root, name);
  if (!existsSync(join(dir, 'vm.qcow2'))) {
    log(`building the VM image ${dir} (cold cache: several minutes)`);
    const t0 = Date.now();
    const r = spawnSync('bash', [BUILD_SCRIPT, root, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) log(`  ${line}`);
    if (r.status !== 0) {
      throw new Error(`build-image.sh failed (exit ${r.status}):\n${r.stderr.trim().split('\n').slice(-30).join('\n')}`);
    }
    log(`VM image built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    pruneStaleImages(root, key);
  }
  return describeImage(dir, key);
}

/** Images and snapshots of older recipes (the debootstrap base and .deb cache stay). */
function pruneStaleImages(root: string, key: string): void {
  for (const entry of readdirSync(root)) {
    const stale = (entry.startsWith('image-') && entry !== `image-${key}`) || (entry.startsWith('booted-') && !entry.startsWith(`booted-${key}-`));
    if (stale) rmSync(join(root, entry), { recursive: true, force: true });
  }
}
