/** `sandbox up`: a fleet of SSH-reachable test hosts on the shared bridge. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import { teardownState } from './down.js';
import { createCgroups, hostCgroups, inCgroupsArgv } from './cgroups.js';
import { ed25519 } from './keys.js';
import { DEFAULT_SANDBOX, defaultDir } from './locate.js';
import { nspawnArgv, liteArgv, launchDetached, type LaunchSpec } from './launch.js';
import { mountOverlay } from './mounts.js';
import { bridgeIndex, bridgeName, hostAddress, HOSTS_PER_BRIDGE, hostName, MAX_HOSTS, netnsName, sandboxNameProblem, vethName } from './naming.js';
import { createHostNetworks } from './network.js';
import { waitReady } from './readiness.js';
import { plainPathProblem, renderInventory, renderKnownHosts, renderSshConfig } from './render.js';
import { assertSandboxRequirements } from './requirements.js';
import { ensureRootfs } from './rootfs.js';
import { hostFiles, seedUpper, userInRootfs } from './seed.js';
import { claimSandbox, releaseSandbox } from './shared.js';
import { StateFile, statePath } from './state.js';
import { SANDBOX_KINDS, type SandboxHostState, type SandboxInfo, type SandboxUpOptions, type SandboxState } from './types.js';

/** Checks the options before anything is touched (pure apart from reading the bind sources). */
function validateUpOptions(opts: SandboxUpOptions): { name: string; dir: string } {
  const name = opts.name ?? DEFAULT_SANDBOX;
  const fail = (message: string) => new FalcoDeployError(message, { phase: 'usage' });
  const nameProblem = sandboxNameProblem(name);
  if (nameProblem) throw fail(nameProblem);
  if (!SANDBOX_KINDS.includes(opts.kind)) throw fail(`--kind must be one of ${SANDBOX_KINDS.join(', ')}, not "${opts.kind}"`);
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_HOSTS) {
    throw fail(`--hosts must be an integer from 1 to ${MAX_HOSTS}, not ${opts.hosts}`);
  }
  if (opts.hostsPerBridge !== undefined && !(Number.isInteger(opts.hostsPerBridge) && opts.hostsPerBridge >= 1 && opts.hostsPerBridge <= HOSTS_PER_BRIDGE)) {
    throw fail(`hostsPerBridge must be an integer from 1 to ${HOSTS_PER_BRIDGE}, not ${opts.hostsPerBridge}`);
  }
  const dir = opts.dir ? resolve(opts.cwd ?? process.cwd(), opts.dir) : defaultDir(name, opts.cwd);
  const dirProblem = plainPathProblem(dir);
  if (dirProblem) throw fail(`sandbox directory ${dirProblem}`);
  for (const b of opts.bindMounts ?? []) {
    const problem = plainPathProblem(b.source) ?? plainPathProblem(b.target);
    if (problem) throw fail(`bind mount: ${problem}`);
    if (!existsSync(b.source) || !statSync(b.source).isDirectory()) throw fail(`bind mount source ${b.source} is not a directory`);
  }
  if (existsSync(statePath(dir))) {
    throw fail(`${dir} still holds a sandbox (state.json); run \`falco-deploy sandbox down --name ${name}\` first`);
  }
  return { name, dir };
}

export async function sandboxUp(opts: SandboxUpOptions): Promise<SandboxInfo> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const { name, dir } = validateUpOptions(opts);
  assertSandboxRequirements();
  const rootfs = await ensureRootfs(log);
  const deployUser = userInRootfs(rootfs, 'deploy');

  const entry = await claimSandbox(name, { dir, kind: opts.kind, hosts: opts.hosts }, opts.hostsPerBridge);
  const dirCreated = !existsSync(dir);
  const parentsCreated = missingParents(dir);
  let state: StateFile;
  try {
    mkdirSync(dir, { recursive: true });
    state = new StateFile({ ...initialState(name, opts, dir, dirCreated, rootfs, entry.octet, entry.blocks), parentsCreated });
    state.save();
  } catch (err) {
    await releaseSandbox(name);
    throw err;
  }

  try {
    await buildHosts(state, opts, deployUser, log);
    state.record((s) => (s.ready = true));
  } catch (err) {
    log(`sandbox ${name}: up failed, removing what was created ...`);
    const cleaned = await teardownState(state.state, log).then(
      () => true,
      (e: unknown) => {
        log(`sandbox ${name}: cleanup failed too (${(e as Error).message}); run \`falco-deploy sandbox down --name ${name}\``);
        return false;
      },
    );
    // Stay registered while something is left, so `down --name` finds it.
    if (cleaned) await releaseSandbox(name);
    throw err;
  }
  const s = state.state;
  const info: SandboxInfo = {
    name,
    kind: s.kind,
    dir,
    inventory: join(dir, 'inventory.ini'),
    sshConfig: join(dir, 'ssh_config'),
    knownHosts: join(dir, 'known_hosts'),
    privateKey: join(dir, 'id_ed25519'),
    hosts: s.hosts.map((h) => ({ name: h.name, ip: h.ip, kind: h.kind })),
    upMs: Date.now() - started,
  };
  log(`sandbox ${name}: ${info.hosts.length} ${s.kind} hosts up in ${(info.upMs / 1000).toFixed(1)} s; inventory ${info.inventory}`);
  return info;
}

/** Ancestors of `dir` that do not exist yet, deepest first. */
function missingParents(dir: string): string[] {
  const missing: string[] = [];
  for (let p = dirname(dir); !existsSync(p) && p !== dirname(p); p = dirname(p)) missing.push(p);
  return missing;
}

function initialState(
  name: string,
  opts: SandboxUpOptions,
  dir: string,
  dirCreated: boolean,
  rootfs: string,
  octet: number,
  blocks: number,
): SandboxState {
  const hosts: SandboxHostState[] = [];
  for (let i = 1; i <= opts.hosts; i++) {
    hosts.push({ name: hostName(name, opts.kind, i), ip: hostAddress(octet, i), kind: opts.kind });
  }
  return {
    version: 1,
    name,
    kind: opts.kind,
    dir,
    dirCreated,
    rootfs,
    octet,
    blocks,
    createdAt: new Date().toISOString(),
    files: [],
    hosts,
    ready: false,
  };
}

async function buildHosts(state: StateFile, opts: SandboxUpOptions, deployUser: { uid: number; gid: number }, log: (l: string) => void) {
  const s = state.state;
  const dir = s.dir;
  const file = (f: string) => join(dir, f);

  // Client side first: keys and config, all known before any host starts.
  const client = ed25519(`falco-deploy-sandbox-${s.name}`);
  const hostKeys = s.hosts.map((h) => ed25519(`root@${h.name}`));
  const files = {
    'id_ed25519': { content: client.privateKey, mode: 0o600 },
    'id_ed25519.pub': { content: client.publicKey.trim() + '\n', mode: 0o644 },
    'known_hosts': { content: renderKnownHosts(s.hosts.map((h, i) => ({ ip: h.ip, hostKey: hostKeys[i].publicKey }))), mode: 0o644 },
  } as Record<string, { content: string; mode: number }>;
  const clientFiles = {
    sandbox: s.name,
    kind: s.kind,
    hosts: s.hosts,
    privateKey: file('id_ed25519'),
    knownHosts: file('known_hosts'),
    extraVars: opts.inventoryVars,
  };
  files['inventory.ini'] = { content: renderInventory(clientFiles), mode: 0o644 };
  files['ssh_config'] = { content: renderSshConfig(clientFiles), mode: 0o644 };
  state.record((st) => st.files.push(...Object.keys(files)));
  for (const [f, { content, mode }] of Object.entries(files)) writeFileSync(file(f), content, { mode });

  // Per-host directories, seeded with each host's identity.
  state.record((st) => st.hosts.forEach((h) => (h.dir = join(dir, 'hosts', h.name))));
  s.hosts.forEach((h, i) => {
    for (const sub of ['upper', 'work', 'merged']) mkdirSync(join(h.dir!, sub), { recursive: true });
    seedUpper(
      s.rootfs,
      join(h.dir!, 'upper'),
      hostFiles({
        hostname: h.name,
        hostPrivateKey: hostKeys[i].privateKey,
        hostPublicKey: hostKeys[i].publicKey,
        clientPublicKey: client.publicKey,
        deploy: deployUser,
      }),
    );
  });

  state.record((st) =>
    st.hosts.forEach((h, i) => {
      h.netns = netnsName(h.name);
      h.veth = vethName(st.octet, i + 1);
    }),
  );
  state.record((st) => st.files.push('netns.batch'));
  await createHostNetworks(
    s.hosts.map((h, i) => ({ netns: h.netns!, veth: h.veth!, ip: h.ip, bridge: bridgeName(bridgeIndex(s.octet, i + 1, opts.hostsPerBridge)) })),
    file('netns.batch'),
  );

  if (s.kind === 'systemd') {
    state.record((st) => st.hosts.forEach((h) => (h.overlayMount = join(h.dir!, 'merged'))));
    await Promise.all(s.hosts.map((h) => mountOverlay(s.rootfs, join(h.dir!, 'upper'), join(h.dir!, 'work'), h.overlayMount!)));
    state.record((st) => st.hosts.forEach((h) => (h.cgroups = hostCgroups(h.name))));
    for (const h of s.hosts) createCgroups(h.cgroups!);
  }

  const launched = Date.now();
  for (const h of s.hosts) {
    const spec: LaunchSpec = { name: h.name, hostDir: h.dir!, netns: h.netns!, rootfs: s.rootfs, binds: opts.bindMounts ?? [] };
    h.launcher =
      s.kind === 'lite'
        ? launchDetached(liteArgv(spec), h.dir!)
        : launchDetached(inCgroupsArgv(nspawnArgv(spec)), h.dir!, { FALCO_DEPLOY_CGROUPS: h.cgroups!.join(':') });
  }
  // One write for all: a launch that `up` dies before recording is still found by `down`
  // (processesMentioning), so per-launch writes would only cost time.
  state.save();
  log(`sandbox ${s.name}: started ${s.hosts.length} ${s.kind} hosts, waiting for ssh${s.kind === 'systemd' ? ' and systemd' : ''} ...`);

  const timeout = opts.readyTimeoutMs ?? (s.kind === 'lite' ? 60_000 : 180_000);
  try {
    await waitReady(s.hosts, {
      deadline: launched + timeout,
      signal: opts.signal,
      onInit: (h, init) => (h.init = init),
    });
  } finally {
    state.save();
  }
  if (opts.signal?.aborted) throw new FalcoDeployError('interrupted', { phase: 'sandbox', exitCode: 130 });
}
