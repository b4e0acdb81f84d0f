/**
 * Names and addresses of sandbox resources. Pure functions: everything that must not collide
 * between sandboxes running at the same time is derived here.
 *
 * Every sandbox gets a block of /24s on the shared bridge (10.213.0.1/16); host i (1-based)
 * of a sandbox whose block starts at third octet B is 10.213.(B + floor((i-1)/250)).((i-1)%250 + 1).
 *   host name   <sandbox>-h<i> (lite) or <sandbox>-s<i> (systemd)
 *   netns       fd-<host name>
 *   veth (host) fd-<octet3>-<octet4>  (<= 10 chars, unique because the address is)
 *   bridge      fdbr<k>, k = floor(n / hostsPerBridge), n = the address's number in the /16
 *               ((octet3 - 1) * 250 + octet4 - 1); fdbr0 carries the controller's address
 */
import type { SandboxKind } from './types.js';

export const BRIDGE_NAME = 'fdbr0';
export const BRIDGE_ADDRESS = '10.213.0.1';
export const BRIDGE_PREFIX = 16;
const NET_PREFIX = '10.213';
const HOSTS_PER_BLOCK = 250;
/** Third octets a sandbox block may use (0 is the bridge's own). */
const FIRST_OCTET = 1;
const LAST_OCTET = 254;
export const MAX_HOSTS = HOSTS_PER_BLOCK * (LAST_OCTET - FIRST_OCTET + 1);
/**
 * A Linux bridge takes at most 1024 ports (BR_MAX_PORTS), so the hosts are spread over bridges
 * joined into one L2 segment by a veth pair each to fdbr0 (addresses, routes and the inventory are
 * the same whichever bridge a host is on). fdbr0 holds its 900 hosts plus one uplink per other
 * bridge (at most 70): 970 ports; every other bridge 900 + 1.
 */
export const HOSTS_PER_BRIDGE = 900;

const SANDBOX_NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** Group names the inventory already uses for other things. */
const RESERVED_NAMES = new Set(['all', 'ungrouped', 'lite', 'systemd']);

/** Why `name` cannot name a sandbox, or undefined when it can. */
export function sandboxNameProblem(name: string): string | undefined {
  if (!SANDBOX_NAME.test(name) || name.endsWith('-')) {
    return `sandbox name "${name}" must be 1-31 characters of a-z, 0-9 and "-", start with a letter and not end with "-"`;
  }
  if (RESERVED_NAMES.has(name)) return `sandbox name "${name}" is reserved (it is an inventory group name)`;
  return undefined;
}

export function hostName(sandbox: string, kind: SandboxKind, index: number): string {
  return `${sandbox}-${kind === 'lite' ? 'h' : 's'}${index}`;
}

export function netnsName(host: string): string {
  return `fd-${host}`;
}

export function blocksFor(hosts: number): number {
  return Math.ceil(hosts / HOSTS_PER_BLOCK);
}

function hostOctets(blockStart: number, index: number): [number, number] {
  const i = index - 1;
  return [blockStart + Math.floor(i / HOSTS_PER_BLOCK), (i % HOSTS_PER_BLOCK) + 1];
}

export function hostAddress(blockStart: number, index: number): string {
  const [o3, o4] = hostOctets(blockStart, index);
  return `${NET_PREFIX}.${o3}.${o4}`;
}

/** The bridge (fdbr<k>) that host `index` of the block starting at `blockStart` is a port of. */
export function bridgeIndex(blockStart: number, index: number, hostsPerBridge = HOSTS_PER_BRIDGE): number {
  const [o3, o4] = hostOctets(blockStart, index);
  return Math.floor(((o3 - FIRST_OCTET) * HOSTS_PER_BLOCK + o4 - 1) / hostsPerBridge);
}

/** The bridges besides fdbr0 that a sandbox of `hosts` hosts at `blockStart` has hosts on. */
export function memberBridgesFor(blockStart: number, hosts: number, hostsPerBridge = HOSTS_PER_BRIDGE): number[] {
  const first = Math.max(1, bridgeIndex(blockStart, 1, hostsPerBridge));
  const last = bridgeIndex(blockStart, hosts, hostsPerBridge);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

export function bridgeName(k: number): string {
  return `fdbr${k}`;
}

/** The veth pair joining bridge k (k >= 1) to fdbr0: `hub` is fdbr0's port, `member` bridge k's. */
export function uplinkNames(k: number): { hub: string; member: string } {
  return { hub: `fdup${k}`, member: `fdvp${k}` };
}

/** Whether `link` is one of the bridges or uplinks besides fdbr0 that sandboxes create. */
export function isMemberLink(link: string): boolean {
  return /^fd(br[1-9]|up[1-9]|vp[1-9])\d*$/.test(link);
}

export function vethName(blockStart: number, index: number): string {
  const [o3, o4] = hostOctets(blockStart, index);
  return `fd-${o3}-${o4}`;
}

export interface AddressBlock {
  start: number;
  count: number;
}

/**
 * Lowest block start where `count` consecutive third octets are free of `used` blocks,
 * or undefined when the bridge's /16 is full.
 */
export function allocateBlock(used: readonly AddressBlock[], count: number): number | undefined {
  for (let start = FIRST_OCTET; start + count - 1 <= LAST_OCTET; start++) {
    const end = start + count - 1;
    const clash = used.some((b) => start <= b.start + b.count - 1 && b.start <= end);
    if (!clash) return start;
  }
  return undefined;
}
