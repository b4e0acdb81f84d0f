/**
 * Names and addresses of sandbox resources. Pure functions: everything that must not collide
 * between sandboxes running at the same time is derived here.
 *
 * Every sandbox gets a block of /24s on the shared bridge (10.213.0.1/16); host i (1-based)
 * of a sandbox whose block starts at third octet B is 10.213.(B + floor((i-1)/250)).((i-1)%250 + 1).
 *   host name   <sandbox>-h<i> (lite) or <sandbox>-s<i> (systemd)
 *   netns       fd-<host name>
 *   veth (host) fd-<octet3>-<octet4>  (<= 10 chars, unique because the address is)
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
