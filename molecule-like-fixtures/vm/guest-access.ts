/** Client-side files for reaching the guest through its 127.0.0.1 port forward, and ssh helpers. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InventoryValue, SandboxInfo } from '../../src/sandbox/index.js';
import { iniValue } from '../../src/sandbox/render.js';
import type { VmImage } from './image.js';
import type { VmProcess } from './qemu.js';
import { isRunning, qemuLogTail } from './qemu.js';

export const GUEST_NAME = 'kmodvm';

export type InventoryVars = Record<string, InventoryValue>;

/** known_hosts, ssh_config and inventory.ini in `dir`, shaped like a one-host sandbox. */
export function writeClientFiles(dir: string, image: VmImage, vm: VmProcess, vars: InventoryVars, upMs = 0): SandboxInfo {
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(knownHosts, `[127.0.0.1]:${vm.port} ${image.hostKey}\n`);
  writeFileSync(
    sshConfig,
    [
      `# kmod-vm guest (QEMU, port forward to its sshd); ssh -F ${sshConfig} ${GUEST_NAME}`,
      `Host ${GUEST_NAME}`,
      '  HostName 127.0.0.1',
      `  Port ${vm.port}`,
      '  User root',
      `  IdentityFile ${image.privateKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  ConnectTimeout 10',
      // The default sntrup761 key exchange costs seconds on an emulated CPU.
      '  KexAlgorithms curve25519-sha256',
      '',
    ].join('\n'),
  );
  const varLines = Object.entries(vars).map(([k, v]) => `${k}=${iniValue(v)}`);
  writeFileSync(
    inventory,
    [
      '# kmod-vm scenario: one QEMU guest reached through a 127.0.0.1 port forward',
      '[kmodvm]',
      `${GUEST_NAME} ansible_host=127.0.0.1 ansible_port=${vm.port}`,
      '',
      '[kmodvm:vars]',
      'ansible_user=root',
      `ansible_ssh_private_key_file=${image.privateKey}`,
      'ansible_python_interpreter=/usr/bin/python3',
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts}'`,
      ...varLines,
      '',
    ].join('\n'),
  );
  return {
    name: 'kmod-vm',
    kind: 'systemd',
    dir,
    inventory,
    sshConfig,
    knownHosts,
    privateKey: image.privateKey,
    hosts: [{ name: GUEST_NAME, ip: '127.0.0.1', kind: 'systemd' }],
    upMs,
  };
}

export function guestSsh(sshConfig: string, command: string, input?: Buffer | string, timeoutMs = 120_000) {
  const r = spawnSync('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', GUEST_NAME, command], {
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? '' };
}

export function guestSshOk(sshConfig: string, command: string, input?: Buffer | string): string {
  const r = guestSsh(sshConfig, command, input);
  if (r.code !== 0) throw new Error(`${GUEST_NAME}: \`${command}\` exited ${r.code}: ${r.err.trim()}`);
  return r.out;
}

/** Polls `ssh true` until the guest answers (strict host key checking: it is our image). */
export async function waitForSsh(vm: VmProcess, sshConfig: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    if (!isRunning(vm)) throw new Error(`qemu exited before the guest answered ssh\n${qemuLogTail(vm)}`);
    const r = guestSsh(sshConfig, 'true', undefined, 20_000);
    if (r.code === 0) return Date.now() - t0;
    last = r.err.trim();
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`guest not reachable over ssh on 127.0.0.1:${vm.port} after ${timeoutMs} ms (last: ${last})\n${qemuLogTail(vm)}`);
}
