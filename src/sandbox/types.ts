/** Shapes shared by the sandbox fleet (see docs in src/sandbox/index.ts). */

export type SandboxKind = 'lite' | 'systemd';
export const SANDBOX_KINDS: readonly SandboxKind[] = ['lite', 'systemd'];

export type FaultAction = 'down' | 'up' | 'refuse' | 'drop' | 'pause' | 'resume' | 'kill';
export const FAULT_ACTIONS: readonly FaultAction[] = ['down', 'up', 'refuse', 'drop', 'pause', 'resume', 'kill'];
export const FAULT_HELP: Record<FaultAction, string> = {
  down: 'take the host-side veth down (connections time out)',
  up: 'bring the veth back up and remove refuse/drop firewall rules',
  refuse: 'reject TCP port 22 with a reset (instant "connection refused")',
  drop: 'drop every packet to the host (connections time out)',
  pause: 'SIGSTOP the host\'s sshd processes (TCP connects, no SSH banner)',
  resume: 'SIGCONT them again',
  kill: 'SIGKILL the host\'s init, then take its link down: the host vanishes for good',
};

/** A controller directory made visible inside every host. */
export interface BindMount {
  /** Absolute path on the controller. */
  source: string;
  /** Absolute path inside the host. */
  target: string;
  /** Default true. */
  readOnly?: boolean;
}

export type InventoryValue = string | number | boolean;

export interface SandboxUpOptions {
  hosts: number;
  kind: SandboxKind;
  /** Default `default`. */
  name?: string;
  /** Default `.sandbox/<name>/` relative to `cwd`. */
  dir?: string;
  cwd?: string;
  /** Extra variables for the `[<name>:vars]` section of inventory.ini. */
  inventoryVars?: Record<string, InventoryValue>;
  bindMounts?: BindMount[];
  /** Hosts per bridge (default HOSTS_PER_BRIDGE, 900); tests set a tiny one to span bridges cheaply. */
  hostsPerBridge?: number;
  /** Overall readiness deadline; default 60 s (lite) / 180 s (systemd). */
  readyTimeoutMs?: number;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SandboxHost {
  name: string;
  ip: string;
  kind: SandboxKind;
}

export interface SandboxInfo {
  name: string;
  kind: SandboxKind;
  dir: string;
  inventory: string;
  sshConfig: string;
  knownHosts: string;
  privateKey: string;
  hosts: SandboxHost[];
  /** Wall time of `up`, for reports. */
  upMs: number;
}

/** A process we started, identified by pid plus kernel start time so a recycled pid is never killed. */
export interface ProcessRef {
  pid: number;
  startTime: string;
}

export interface HostFaults {
  link?: 'down';
  firewall?: 'refuse' | 'drop';
  paused?: boolean;
  killed?: boolean;
}

/**
 * One host's resources, each field set (and state.json rewritten) just BEFORE the resource is
 * created, so teardown after a crash tries everything that may exist and tolerates what does not.
 */
export interface SandboxHostState {
  name: string;
  ip: string;
  kind: SandboxKind;
  /** Per-host directory (upper, work, merged, console.log). */
  dir?: string;
  netns?: string;
  veth?: string;
  /** Overlay mounted in the controller's mount namespace (systemd kind only). */
  overlayMount?: string;
  /** The container's own cgroup in each systemd-relevant hierarchy (systemd kind only). */
  cgroups?: string[];
  /** The process we spawned: `unshare` (lite) or `systemd-nspawn` (systemd). */
  launcher?: ProcessRef;
  /** PID 1 of the host's pid namespace (sshd for lite, systemd for systemd). */
  init?: ProcessRef;
  faults?: HostFaults;
}

export interface SandboxState {
  version: 1;
  name: string;
  kind: SandboxKind;
  dir: string;
  /** This `dir` did not exist before `up`, so `down` removes it once empty. */
  dirCreated: boolean;
  /** Parents of `dir` that `up` created too (e.g. `.sandbox`), deepest first; removed once empty. */
  parentsCreated?: string[];
  rootfs: string;
  /** First third-octet of the sandbox's address block and how many /24 blocks it spans. */
  octet: number;
  blocks: number;
  createdAt: string;
  /** Files `up` wrote directly into `dir`. */
  files: string[];
  hosts: SandboxHostState[];
  /** `up` finished and every host answered. */
  ready: boolean;
}
