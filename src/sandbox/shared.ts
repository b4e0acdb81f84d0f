/**
 * Claiming and releasing a sandbox's place in the registry together with the machine-wide
 * resources every sandbox shares: the bridges, nspawn's tmpfs, the inotify instance limit, the
 * neighbour table's size.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { FalcoDeployError } from '../errors.js';
import { run } from './exec.js';
import { isMountPoint } from './mounts.js';
import { memberBridgesFor } from './naming.js';
import { deleteBridges, ensureBridge, ensureMemberBridges } from './network.js';
import { reserve, updateRegistry, type SandboxRegistry, type RegistryEntry } from './registry.js';
import type { SandboxKind } from './types.js';

const NSPAWN_RUN_DIR = '/run/systemd/nspawn';
const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
const INOTIFY_WATCHES = '/proc/sys/fs/inotify/max_user_watches';
/** systemd in each container holds several inotify instances; the usual 128 per uid runs out. */
const WANTED_INOTIFY_INSTANCES = 8192;
const WANTED_INOTIFY_WATCHES = 1048576;
/**
 * The controller's ARP table: gc_thresh3 (default 1024) is a hard cap, so above ~1000 hosts new
 * neighbours are refused ("neighbour table overflow") and hosts go unreachable; gc_thresh1 is
 * raised above a big fleet so its entries are not garbage-collected between runs.
 */
const NEIGH_THRESHOLDS = ['gc_thresh1', 'gc_thresh2', 'gc_thresh3'].map((t) => `/proc/sys/net/ipv4/neigh/default/${t}`);
const WANTED_NEIGH_THRESHOLDS = [4096, 32768, 65536];

export async function claimSandbox(
  name: string,
  request: { dir: string; kind: SandboxKind; hosts: number },
  hostsPerBridge?: number,
): Promise<RegistryEntry> {
  return updateRegistry(async (registry) => {
    const r = reserve(registry, name, { ...request, createdAt: new Date().toISOString() });
    if (!r.ok) throw new FalcoDeployError(r.problem, { phase: 'sandbox' });
    const shared = { ...r.registry.shared };
    if (await ensureBridge()) shared.bridge = true;
    const entry = { ...r.entry, hostsPerBridge };
    await ensureMemberBridges(memberBridgesFor(entry.octet, entry.hosts, hostsPerBridge));
    raiseNeighbourThresholds(shared);
    if (request.kind === 'systemd') await prepareForNspawn(shared);
    return { registry: { sandboxes: { ...r.registry.sandboxes, [name]: entry }, shared }, result: entry };
  });
}

/**
 * Forgets `name` and removes the bridges besides fdbr0 that no other sandbox has hosts on; the last
 * sandbox out also removes the other shared resources sandboxes set up.
 */
export async function releaseSandbox(name: string): Promise<{ last: boolean }> {
  return updateRegistry<{ last: boolean }>(async (registry) => {
    const sandboxes = { ...registry.sandboxes };
    delete sandboxes[name];
    if (Object.keys(sandboxes).length > 0) {
      const inUse = Object.values(sandboxes).flatMap((e) => memberBridgesFor(e.octet, e.hosts, e.hostsPerBridge));
      await deleteBridges({ keep: new Set(inUse), hub: false });
      return { registry: { ...registry, sandboxes }, result: { last: false } };
    }
    await releaseShared(registry);
    return { registry: { sandboxes, shared: {} }, result: { last: true } };
  });
}

function raiseNeighbourThresholds(shared: SandboxRegistry['shared']): void {
  const before = NEIGH_THRESHOLDS.map((f) => Number(readFileSync(f, 'utf8')));
  if (before.every((v, i) => v >= WANTED_NEIGH_THRESHOLDS[i])) return;
  shared.neighThresholdsBefore ??= before;
  // thresh3 first up (and last down in releaseShared), so thresh1 <= thresh2 <= thresh3 holds throughout.
  for (let i = NEIGH_THRESHOLDS.length - 1; i >= 0; i--) writeFileSync(NEIGH_THRESHOLDS[i], String(Math.max(before[i], WANTED_NEIGH_THRESHOLDS[i])));
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
  await deleteBridges({ keep: new Set(), hub: registry.shared.bridge === true });
  const neighBefore = registry.shared.neighThresholdsBefore;
  if (neighBefore) NEIGH_THRESHOLDS.forEach((f, i) => writeFileSync(f, String(neighBefore[i])));
  if (registry.shared.nspawnTmpfs && isMountPoint(NSPAWN_RUN_DIR)) {
    await run(['umount', NSPAWN_RUN_DIR], { allowFailure: true });
  }
  if (registry.shared.inotifyInstancesBefore !== undefined) {
    writeFileSync(INOTIFY_INSTANCES, String(registry.shared.inotifyInstancesBefore));
  }
}
