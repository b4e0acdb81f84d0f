/**
 * A booted guest saved with `savevm` (RAM + disk, internal snapshot of a qcow2 overlay on the
 * image): resuming it reaches ssh in seconds instead of a ~1 min emulated boot.
 * Cache: <vm cache>/booted-<image key>-<machine hash>.qcow2, written to a temp name and renamed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { guestSshOk, waitForSsh, writeClientFiles } from './guest-access.js';
import type { VmImage } from './image.js';
import { vmCacheRoot } from './image.js';
import { createOverlay, monitorCommand, qemuArgs, startVm, stopVm, VM_MACHINE } from './qemu.js';

export const SNAPSHOT_TAG = 'booted';

export function snapshotPath(image: VmImage): string {
  // The guest's device layout must match at resume: hash the qemu arguments that define it.
  const layout = qemuArgs({ image, disk: 'DISK', dir: 'DIR' }, 0, 'MON', 'CONSOLE').join(' ') + JSON.stringify(VM_MACHINE);
  const hash = createHash('sha256').update(layout).digest('hex').slice(0, 8);
  return join(vmCacheRoot(), `booted-${image.key}-${hash}.qcow2`);
}

/** The snapshot overlay, made first when missing (cold boot under TCG: about a minute). */
export async function ensureBootedSnapshot(image: VmImage, log: (line: string) => void = () => undefined): Promise<string> {
  const target = snapshotPath(image);
  if (existsSync(target)) return target;
  const work = mkdtempSync(join(vmCacheRoot(), '.snapshot-'));
  const disk = join(work, 'booted.qcow2');
  try {
    createOverlay(disk, image.disk);
    const t0 = Date.now();
    log('booting the VM for its snapshot (emulated CPU: about a minute)');
    const vm = await startVm({ image, disk, dir: work });
    try {
      const files = writeClientFiles(work, image, vm, {});
      await waitForSsh(vm, files.sshConfig, 600_000);
      // Let boot finish (no pending jobs in the snapshot), then warm the caches the deploy reads.
      guestSshOk(files.sshConfig, 'systemctl is-system-running --wait || true; apt-cache policy >/dev/null; dpkg-query -W >/dev/null; sync');
      log(`guest booted in ${((Date.now() - t0) / 1000).toFixed(1)} s; savevm ${SNAPSHOT_TAG}`);
      const out = await monitorCommand(vm, `savevm ${SNAPSHOT_TAG}`);
      if (/error/i.test(out)) throw new Error(`savevm failed: ${out}`);
    } finally {
      await stopVm(vm);
    }
    renameSync(disk, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
