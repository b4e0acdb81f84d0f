/** Starting hosts: the lite sshd-as-init host and the systemd-nspawn --boot container. */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import { netnsPath, HOSTINIT_SCRIPT } from './paths.js';
import { processRef } from './processes.js';
import type { BindMount, ProcessRef } from './types.js';

export interface LaunchSpec {
  name: string;
  hostDir: string;
  netns: string;
  rootfs: string;
  binds: readonly BindMount[];
}

export function consoleLog(hostDir: string): string {
  return join(hostDir, 'console.log');
}

/** argv of a lite host (pure): own pid/mount/uts/ipc namespaces inside its network namespace. */
export function liteArgv(s: LaunchSpec): string[] {
  const binds = s.binds.flatMap((b) => [b.readOnly === false ? 'rw' : 'ro', b.source, b.target]);
  return [
    'nsenter',
    `--net=${netnsPath(s.netns)}`,
    // --fork: the new pid namespace needs a child as its PID 1; --kill-child: it dies with unshare.
    'unshare',
    '--mount',
    '--uts',
    '--ipc',
    '--pid',
    '--fork',
    '--kill-child',
    HOSTINIT_SCRIPT,
    s.name,
    s.hostDir,
    s.rootfs,
    ...binds,
  ];
}

/** Privileges a future Falco modern_ebpf test needs inside the container. */
const NSPAWN_BPF_FLAGS = [
  '--capability=CAP_SYS_ADMIN,CAP_BPF,CAP_PERFMON,CAP_SYS_RESOURCE',
  '--system-call-filter=bpf',
  '--system-call-filter=perf_event_open',
];

/** argv of a systemd host (pure); `merged` is its overlay, already mounted. */
export function nspawnArgv(s: LaunchSpec): string[] {
  return [
    'systemd-nspawn',
    '--quiet',
    '--boot',
    // No machined and no system bus on the controller: run in our own unit, register nowhere.
    '--register=no',
    '--keep-unit',
    '--console=read-only',
    `--machine=${s.name}`,
    `--directory=${join(s.hostDir, 'merged')}`,
    `--network-namespace-path=${netnsPath(s.netns)}`,
    '--resolv-conf=off',
    '--timezone=off',
    '--link-journal=no',
    ...NSPAWN_BPF_FLAGS,
    ...s.binds.map((b) => `${b.readOnly === false ? '--bind' : '--bind-ro'}=${b.source}:${b.target}`),
  ];
}

/** Spawns `argv` detached (it outlives the CLI), output to the host's console.log. */
export function launchDetached(argv: readonly string[], hostDir: string, env: Record<string, string> = {}): ProcessRef {
  const out = openSync(consoleLog(hostDir), 'a');
  try {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    child.on('error', () => undefined); // reported through the readiness check (process gone)
    child.unref();
    const ref = child.pid === undefined ? undefined : processRef(child.pid);
    if (!ref) throw new FalcoDeployError(`could not start ${argv[0]} for ${hostDir}`, { phase: 'sandbox' });
    return ref;
  } finally {
    closeSync(out);
  }
}
