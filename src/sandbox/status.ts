/** `sandbox status`: what runs, what answers, which faults are in effect. */
import { readRegistry } from './registry.js';
import { sandboxDir } from './locate.js';
import { isAlive } from './processes.js';
import { sshBanner } from './readiness.js';
import { StateFile } from './state.js';
import type { HostFaults, SandboxKind } from './types.js';

export interface SandboxHostStatus {
  name: string;
  ip: string;
  kind: SandboxKind;
  running: boolean;
  /** sshd sent its banner within a second. */
  ssh: boolean;
  faults: HostFaults;
}

export interface SandboxStatus {
  name: string;
  kind?: SandboxKind;
  dir: string;
  /** `up` completed. */
  ready: boolean;
  /** Registered but its state.json is gone (a crashed up/down): `sandbox down --name` clears it. */
  stale: boolean;
  inventory?: string;
  hosts: SandboxHostStatus[];
}

export async function sandboxStatus(name?: string, opts: { dir?: string; cwd?: string } = {}): Promise<SandboxStatus[]> {
  const names = name ? [name] : Object.keys(readRegistry().sandboxes).sort();
  return Promise.all(names.map((n) => statusOf(n, sandboxDir(n, opts.dir, opts.cwd))));
}

async function statusOf(name: string, dir: string): Promise<SandboxStatus> {
  const state = StateFile.read(dir)?.state;
  if (!state) return { name, dir, ready: false, stale: readRegistry().sandboxes[name] !== undefined, hosts: [] };
  const hosts = await Promise.all(
    state.hosts.map(async (h) => {
      const running = !!h.init && isAlive(h.init);
      return { name: h.name, ip: h.ip, kind: h.kind, running, ssh: running && (await sshBanner(h.ip, 1000)), faults: h.faults ?? {} };
    }),
  );
  return { name, kind: state.kind, dir, ready: state.ready, stale: false, inventory: state.ready ? `${dir}/inventory.ini` : undefined, hosts };
}
