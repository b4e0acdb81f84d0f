/**
 * The sandbox test fleet: SSH-reachable Debian hosts on this machine for integration tests,
 * the demo and users. Two kinds share one L2 segment (10.213.0.1/16 on fdbr0; past 900 hosts
 * more bridges, each joined to fdbr0 by a veth pair, since a bridge takes at most 1024 ports):
 *   lite     network namespace + overlayfs + sshd as PID 1 of its own pid/mount/uts/ipc
 *            namespaces: ~2 MiB each, 50 up in seconds, no systemd.
 *   systemd  systemd-nspawn --boot container (real systemd and journald) in the same kind of
 *            network namespace.
 * Several sandboxes (distinct names) run at once; see naming.ts for names and addresses.
 */
export { sandboxUp } from './up.js';
export { sandboxDown,   } from './down.js';
export { sandboxFault } from './fault.js';
export { sandboxStatus, type SandboxStatus } from './status.js';
export { DEFAULT_SANDBOX } from './locate.js';
export { BRIDGE_NAME } from './naming.js';
export * from './types.js';
