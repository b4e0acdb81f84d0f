/** The shared bridges and each host's network namespace + veth pair, via iproute2 batches. */
import { writeFileSync } from 'node:fs';
import { FalcoDeployError } from '../errors.js';
import { run } from './exec.js';
import { BRIDGE_ADDRESS, BRIDGE_NAME, BRIDGE_PREFIX, bridgeName, isMemberLink, uplinkNames } from './naming.js';
import { netnsPath } from './paths.js';

export interface HostNetwork {
  netns: string;
  veth: string;
  ip: string;
  /** The bridge the host's veth is a port of. */
  bridge: string;
}

async function linkExists(name: string): Promise<boolean> {
  return (await run(['ip', 'link', 'show', 'dev', name], { allowFailure: true })).code === 0;
}

/** Link names in `ip -o link show` output (pure). */
export function linkNames(ipLinkOutput: string): string[] {
  return [...ipLinkOutput.matchAll(/^\d+: ([^:@\s]+)[@:]/gm)].map((m) => m[1]);
}

async function existingLinks(): Promise<string[]> {
  return linkNames((await run(['ip', '-o', 'link', 'show'])).stdout);
}

/**
 * Batch input creating bridges `indices` (k >= 1) and their uplinks to fdbr0, skipping links in
 * `existing`; attaches and raises them either way, since re-creating fdbr0 drops its uplink ports (pure).
 */
export function memberBridgesBatch(indices: readonly number[], existing: ReadonlySet<string>): string {
  const lines = indices.flatMap((k) => {
    const bridge = bridgeName(k);
    const { hub, member } = uplinkNames(k);
    return [
      ...(existing.has(bridge) ? [] : [`link add ${bridge} type bridge`]),
      ...(existing.has(hub) ? [] : [`link add ${hub} type veth peer name ${member}`]),
      `link set ${hub} master ${BRIDGE_NAME} up`,
      `link set ${member} master ${bridge} up`,
      `link set ${bridge} up`,
    ];
  });
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** Makes sure bridges `indices` exist and reach fdbr0 (which must exist); 0 is skipped. */
export async function ensureMemberBridges(indices: readonly number[]): Promise<void> {
  const batch = memberBridgesBatch(
    indices.filter((k) => k > 0),
    new Set(await existingLinks()),
  );
  if (batch) await run(['ip', '-batch', '-'], { input: batch });
}

/** Creates the bridge unless it exists; true when this call created it. */
export async function ensureBridge(): Promise<boolean> {
  const cidr = `${BRIDGE_ADDRESS}/${BRIDGE_PREFIX}`;
  if (await linkExists(BRIDGE_NAME)) {
    const addrs = await run(['ip', '-o', '-4', 'addr', 'show', 'dev', BRIDGE_NAME]);
    if (!addrs.stdout.includes(` ${cidr} `)) {
      throw new FalcoDeployError(`${BRIDGE_NAME} exists without address ${cidr}; delete it (ip link del ${BRIDGE_NAME}) and retry`, {
        phase: 'sandbox',
      });
    }
    return false;
  }
  await run(['ip', '-batch', '-'], {
    input: [`link add ${BRIDGE_NAME} type bridge`, `addr add ${cidr} dev ${BRIDGE_NAME}`, `link set ${BRIDGE_NAME} up`].join('\n') + '\n',
  });
  return true;
}

/** Deletes the bridges besides fdbr0 but `keep` and their uplinks (one end takes its peer along), and fdbr0 when `hub`. */
export async function deleteBridges(o: { keep: ReadonlySet<number>; hub: boolean }): Promise<void> {
  const links = await existingLinks();
  const names = links.filter((l) => isMemberLink(l) && !l.startsWith('fdvp') && !o.keep.has(Number(l.slice(4))));
  if (o.hub && links.includes(BRIDGE_NAME)) names.push(BRIDGE_NAME);
  if (names.length > 0) {
    await run(['ip', '-force', '-batch', '-'], { input: names.map((n) => `link del ${n}`).join('\n') + '\n', allowFailure: true });
  }
}

/**
 * The host's MAC, derived from its address (02:fd + the IPv4 bytes, locally administered):
 * an address re-used by a later sandbox keeps its MAC, so the controller's neighbour cache
 * is never stale (a stale entry silently black-holes the new host for up to ~30 s).
 */
function macFor(ip: string): string {
  return ['02', 'fd', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

/** Batch input for the root namespace side: namespaces, veth pairs, bridge ports (pure). */
export function rootSideBatch(hosts: readonly HostNetwork[]): string {
  // Entries for these addresses left by other tools or older versions (other MACs) go too.
  const blocks = [...new Set(hosts.map((h) => h.ip.split('.').slice(0, 3).join('.')))];
  const flush = blocks.map((b) => `neigh flush to ${b}.0/24 dev ${BRIDGE_NAME}`);
  const lines = hosts.flatMap((h) => [
    `netns add ${h.netns}`,
    `link add ${h.veth} type veth peer name eth0 address ${macFor(h.ip)} netns ${h.netns}`,
    `link set ${h.veth} master ${h.bridge} up`,
  ]);
  return [...flush, ...lines].join('\n') + '\n';
}

/** Batch input run inside one host's namespace (pure). No default route: nothing beyond the bridge. */
export function hostSideBatch(h: HostNetwork): string {
  return ['link set lo up', `addr add ${h.ip}/${BRIDGE_PREFIX} dev eth0`, 'link set eth0 up'].join('\n') + '\n';
}

/**
 * `batchFile` (inside the sandbox dir, already recorded in state.json) carries the root-side
 * batch as an argument, so `down` can find and stop an `ip` that outlived a crashed `up`.
 */
export async function createHostNetworks(hosts: readonly HostNetwork[], batchFile: string): Promise<void> {
  if (hosts.length === 0) return;
  writeFileSync(batchFile, rootSideBatch(hosts));
  await run(['ip', '-batch', batchFile]);
  await Promise.all(hosts.map((h) => run(['ip', '-n', h.netns, '-batch', '-'], { input: hostSideBatch(h) })));
}

/** Deletes namespaces (taking their veth ends along) and leftover host-side veths; tolerates absent ones. */
export async function deleteHostNetworks(netns: readonly string[], veths: readonly string[]): Promise<void> {
  const existingNs = new Set(
    (await run(['ip', 'netns', 'list'])).stdout
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean),
  );
  const nsToDelete = netns.filter((n) => existingNs.has(n));
  if (nsToDelete.length > 0) {
    await run(['ip', '-force', '-batch', '-'], { input: nsToDelete.map((n) => `netns del ${n}`).join('\n') + '\n', allowFailure: true });
  }
  const links = (await run(['ip', '-o', 'link', 'show'])).stdout;
  const vethsLeft = veths.filter((v) => new RegExp(`^\\d+: ${v.replace(/[-]/g, '\\-')}[@:]`, 'm').test(links));
  if (vethsLeft.length > 0) {
    await run(['ip', '-force', '-batch', '-'], { input: vethsLeft.map((v) => `link del ${v}`).join('\n') + '\n', allowFailure: true });
  }
}

export async function setLink(veth: string, state: 'up' | 'down'): Promise<void> {
  await run(['ip', 'link', 'set', 'dev', veth, state]);
}

/** Firewall in the host's namespace: refuse (TCP reset), drop (silence) or clear. */
export async function setFirewall(netns: string, mode: 'refuse' | 'drop' | 'clear'): Promise<void> {
  const iptables = (...args: string[]) => run(['nsenter', `--net=${netnsPath(netns)}`, 'iptables', '-w', ...args]);
  await iptables('-F', 'INPUT');
  if (mode === 'refuse') await iptables('-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'REJECT', '--reject-with', 'tcp-reset');
  if (mode === 'drop') await iptables('-A', 'INPUT', '-j', 'DROP');
}
