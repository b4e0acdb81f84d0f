/**
 * Claiming and releasing a sandbox's place in the registry together with the machine-wide
 * resources every sandbox shares: the bridge, nspawn's tmpfs, the inotify instance limit.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { FalcoDeployError } from '../errors.js';
import { run } from './exec.js';
import { isMountPoint } from './mounts.js';
import { deleteBridge, ensureBridge } from './network.js';
import { reserve, updateRegistry, type SandboxRegistry, type RegistryEntry } from './registry.js';
import type { SandboxKind } from './types.js';

const NSPAWN_RUN_DIR = '/run/systemd/nspawn';
const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
const INOTIFY_WATCHES = '/proc/sys/fs/inotify/max_user_watches';
/** systemd in each container holds several inotify instances; the usual 128 per uid runs out. */
const WANTED_INOTIFY_INSTANCES = 8192;
const WANTED_INOTIFY_WATCHES = 1048576;

export async function claimSandbox(
  name: string,
  request: { dir: string; kind: SandboxKind; hosts: number },
): Promise<RegistryEntry> {
  return updateRegistry(async (registry) => {
    const r = reserve(registry, name, { ...request, createdAt: new Date().toISOString() });
    if (!r.ok) throw new FalcoDeployError(r.problem, { phase: 'sandbox' });
    const shared = { ...r.registry.shared };
    if (await ensureBridge()) shared.bridge = true;
    if (request.kind === 'systemd') await prepareForNspawn(shared);
    return { registry: { ...r.registry, shared }, result: r.entry };
  });
}

/** Forgets `name`; the last sandbox out also removes the shared resources sandboxes set up. */
export async function releaseSandbox(name: string): Promise<{ last: boolean }> {
  return updateRegistry<{ last: boolean }>(async (registry) => {
    const sandboxes = { ...registry.sandboxes };
    delete sandboxes[name];
    if (Object.keys(sandboxes).length > 0) return { registry: { ...registry, sandboxes }, result: { last: false } };
    await releaseShared(registry);
    return { registry: { sandboxes, shared: {} }, result: { last: true } };
  });
}

async function prepareForNspawn(shared: SandboxRegistry['shared']): Promise<void> {
  // /run here may be a disk file system; nspawn refuses to clean its propagation dirs there.
  if (!isMountPoint(NSPAWN_RUN_DIR)) {
    mkdirSync(NSPAWN_RUN_DIR, { recursive: true });
    await run(['mount', '-t', 'tmpfs', '-o', 'mode=755', 'tmpfs', NSPAWN_RUN_DIR]);
    shared.nspawnTmpfs = true;
  }
  const instances = Number(readFileSync(INOTIFY_INSTANCES, 'utf8'));
  if (instances < WANTED_INOTIFY_INSTANCES) {
    shared.inotifyInstancesBefore ??= instances;
    writeFileSync(INOTIFY_INSTANCES, String(WANTED_INOTIFY_INSTANCES));
  }
  if (Number(readFileSync(INOTIFY_WATCHES, 'utf8')) < WANTED_INOTIFY_WATCHES) {
    writeFileSync(INOTIFY_WATCHES, String(WANTED_INOTIFY_WATCHES));
  }
}

async function releaseShared(registry: SandboxRegistry): Promise<void> {
  if (registry.shared.bridge) await deleteBridge();
  if (registry.shared.nspawnTmpfs && isMountPoint(NSPAWN_RUN_DIR)) {
    await run(['umount', NSPAWN_RUN_DIR], { allowFailure: true });
  }
  if (registry.shared.inotifyInstancesBefore !== undefined) {
    writeFileSync(INOTIFY_INSTANCES, String(registry.shared.inotifyInstancesBefore));
  }
}
