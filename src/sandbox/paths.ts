/** Where the sandbox keeps things on the controller. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest directory above this file (src/sandbox, dist/sandbox, or a chunk in dist/bundle) with a package.json. */
export const PACKAGE_ROOT = nearestPackageRoot(dirname(fileURLToPath(import.meta.url)));

function nearestPackageRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}
const FIXTURES_DIR = join(PACKAGE_ROOT, 'molecule-like-fixtures', 'sandbox');
export const BUILD_ROOTFS_SCRIPT = join(FIXTURES_DIR, 'build-rootfs.sh');
export const HOSTINIT_SCRIPT = join(FIXTURES_DIR, 'lite-hostinit.sh');
export const DEBIAN_PACKAGES_FILE = join(FIXTURES_DIR, 'debian-packages.json');

/** Cached rootfs and .debs; survives between runs. */
export function cacheDir(): string {
  return process.env.FALCO_DEPLOY_CACHE || '/var/tmp/falco-deploy';
}

/** Machine-wide registry of running sandboxes (who owns which addresses, the shared bridge). */
export function runDir(): string {
  return process.env.FALCO_DEPLOY_RUN_DIR || '/run/falco-deploy';
}

export function netnsPath(netns: string): string {
  return join('/run/netns', netns);
}

/** First directory of PATH (plus the sbin dirs root normally has) holding `binary`. */
export function findBinary(binary: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (d && existsSync(join(d, binary))) return join(d, binary);
  }
  return undefined;
}
