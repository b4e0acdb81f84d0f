/**
 * create/destroy of the kmod-vm test host: a copy of the cached booted snapshot resumed under
 * QEMU, its clock set, the stand-in Falco repository copied in, and client files written.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxInfo } from '../../src/sandbox/index.js';
import { sh } from '../../src/shell/quote.js';
import { guestSshOk, waitForSsh, writeClientFiles, type InventoryVars } from './guest-access.js';
import { ensureImage, type VmImage } from './image.js';
import { keepRunning, startVm, stopVm, type VmProcess } from './qemu.js';
import { ensureBootedSnapshot, SNAPSHOT_TAG } from './snapshot.js';

export interface VmHostTimings {
  imageMs: number;
  snapshotMs: number;
  resumeMs: number;
  provisionMs: number;
}

export interface VmHost {
  sandbox: SandboxInfo;
  image: VmImage;
  vm: VmProcess;
  timings: VmHostTimings;
  destroy(): Promise<void>;
  /** Leave the guest running after this process exits. */
  keep(): void;
}

export interface VmHostOptions {
  /** Empty or new directory for the disk copy, logs and client files; removed by destroy. */
  dir: string;
  /** Controller directory copied into the guest at /srv/falco-repo (the stand-in repository). */
  falcoRepoDir?: string;
  inventoryVars?: InventoryVars;
  log?: (line: string) => void;
}

export async function createVmHost(o: VmHostOptions): Promise<VmHost> {
  const log = o.log ?? (() => undefined);
  mkdirSync(o.dir, { recursive: true });
  let t = Date.now();
  const image = ensureImage(log);
  const imageMs = Date.now() - t;
  t = Date.now();
  const snapshot = await ensureBootedSnapshot(image, log);
  const snapshotMs = Date.now() - t;

  t = Date.now();
  const disk = join(o.dir, 'disk.qcow2');
  copyFileSync(snapshot, disk);
  const vm = await startVm({ image, disk, dir: o.dir, loadvm: SNAPSHOT_TAG });
  const destroy = async () => {
    await stopVm(vm);
    rmSync(o.dir, { recursive: true, force: true });
  };
  try {
    const sandbox = writeClientFiles(o.dir, image, vm, o.inventoryVars ?? {});
    await waitForSsh(vm, sandbox.sshConfig, 180_000);
    const resumeMs = Date.now() - t;
    log(`guest resumed from its snapshot, ssh on 127.0.0.1:${vm.port} after ${(resumeMs / 1000).toFixed(1)} s`);

    t = Date.now();
    // The clock stood still in the snapshot; apt rejects Release files "not valid yet".
    guestSshOk(sandbox.sshConfig, sh`date -u -s ${'@' + Math.floor(Date.now() / 1000)} >/dev/null`);
    if (o.falcoRepoDir) copyDirIn(sandbox.sshConfig, o.falcoRepoDir, '/srv/falco-repo');
    const provisionMs = Date.now() - t;
    sandbox.upMs = imageMs + snapshotMs + resumeMs + provisionMs;
    return { sandbox, image, vm, timings: { imageMs, snapshotMs, resumeMs, provisionMs }, destroy, keep: () => keepRunning(vm) };
  } catch (e) {
    await destroy();
    throw e;
  }
}

/** tar over ssh (the guest has no network share; the repository is a few hundred KB). */
function copyDirIn(sshConfig: string, source: string, target: string): void {
  const tar = spawnSync('tar', ['-C', source, '-cf', '-', '.'], { maxBuffer: 256 << 20 });
  if (tar.status !== 0) throw new Error(`tar of ${source} failed: ${tar.stderr.toString()}`);
  guestSshOk(sshConfig, sh`rm -rf ${target} && mkdir -p ${target} && tar -C ${target} -xf - && chmod -R a+rX ${target}`, tar.stdout);
}
