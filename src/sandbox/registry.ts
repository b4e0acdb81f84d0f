/**
 * The machine-wide record of running sandboxes: which name uses which address block and
 * directory, and which shared resources (bridge, nspawn tmpfs, inotify limit) the sandboxes
 * set up, so the last `down` removes them. Read and written only under the registry lock.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from './lock.js';
import { allocateBlock, blocksFor } from './naming.js';
import { runDir } from './paths.js';
import type { SandboxKind } from './types.js';

export interface RegistryEntry {
  dir: string;
  kind: SandboxKind;
  hosts: number;
  octet: number;
  blocks: number;
  /** Set when not the default (HOSTS_PER_BRIDGE). */
  hostsPerBridge?: number;
  createdAt: string;
}

export interface SharedResources {
  /** fdbr0 was created by a sandbox (and is deleted with the last one, as are the other bridges always). */
  bridge?: boolean;
  /** A tmpfs mounted on /run/systemd/nspawn by a sandbox. */
  nspawnTmpfs?: boolean;
  /** net.ipv4.neigh.default.gc_thresh1/2/3 before a sandbox raised them. */
  neighThresholdsBefore?: number[];
  /** fs.inotify.max_user_instances before a sandbox raised it. */
  inotifyInstancesBefore?: number;
}

export interface SandboxRegistry {
  sandboxes: Record<string, RegistryEntry>;
  shared: SharedResources;
}

export function emptyRegistry(): SandboxRegistry {
  return { sandboxes: {}, shared: {} };
}

type Reservation = { ok: true; registry: SandboxRegistry; entry: RegistryEntry } | { ok: false; problem: string };

/** Adds sandbox `name` with a free address block (pure). */
export function reserve(
  registry: SandboxRegistry,
  name: string,
  request: { dir: string; kind: SandboxKind; hosts: number; createdAt: string },
): Reservation {
  const existing = registry.sandboxes[name];
  if (existing) {
    return {
      ok: false,
      problem: `a sandbox named "${name}" is already up (${existing.kind}, ${existing.hosts} hosts, in ${existing.dir}); run \`falco-deploy sandbox down --name ${name}\` or pick another --name`,
    };
  }
  const inDir = Object.entries(registry.sandboxes).find(([, e]) => e.dir === request.dir);
  if (inDir) {
    return { ok: false, problem: `directory ${request.dir} already holds sandbox "${inDir[0]}"; pick another --dir` };
  }
  const blocks = blocksFor(request.hosts);
  const used = Object.values(registry.sandboxes).map((e) => ({ start: e.octet, count: e.blocks }));
  const octet = allocateBlock(used, blocks);
  if (octet === undefined) {
    return { ok: false, problem: `no free addresses left on the sandbox bridge for ${request.hosts} more hosts; bring other sandboxes down` };
  }
  const entry: RegistryEntry = { ...request, octet, blocks };
  return { ok: true, entry, registry: { ...registry, sandboxes: { ...registry.sandboxes, [name]: entry } } };
}

function registryFile(): string {
  return join(runDir(), 'registry.json');
}

export function readRegistry(): SandboxRegistry {
  try {
    const parsed = JSON.parse(readFileSync(registryFile(), 'utf8')) as Partial<SandboxRegistry>;
    return { sandboxes: parsed.sandboxes ?? {}, shared: parsed.shared ?? {} };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistry();
    throw err;
  }
}

function writeRegistry(registry: SandboxRegistry): void {
  const tmp = `${registryFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(registry, null, 2) + '\n');
  renameSync(tmp, registryFile());
}

/** Read-modify-write under the registry lock; `fn` may also act on the machine (bridge). */
export async function updateRegistry<T>(fn: (registry: SandboxRegistry) => Promise<{ registry: SandboxRegistry; result: T }>): Promise<T> {
  mkdirSync(runDir(), { recursive: true });
  return withLock(join(runDir(), 'registry.lock'), async () => {
    const before = readRegistry();
    const { registry, result } = await fn(before);
    writeRegistry(registry);
    return result;
  });
}
