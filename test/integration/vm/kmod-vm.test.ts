/**
 * The kmod-vm scenario: a QEMU guest with a real Debian kernel where the role installs Debian's
 * falcosecurity-scap-dkms, `scap` loads and the stand-in's falco-kmod unit is healthy.
 * Needs root (debootstrap, chroot) and qemu-system-x86 + qemu-utils. Cold cache (fresh CI
 * machine): the image and snapshot are built first (about 8-14 min); warm: about 4-4.5 min, most of
 * it the converge under software emulation (see molecule-like-fixtures/vm/README.md).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { runKmodVmScenario } from '../../../molecule-like-fixtures/scenarios/kmod-vm.js';

describe('kmod-vm scenario (QEMU, root)', function () {
  this.timeout(40 * 60_000);

  before(function () {
    if (process.getuid?.() !== 0) this.skip();
    const missing = ['qemu-system-x86_64', 'qemu-img', 'debootstrap'].filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
    if (missing.length) throw new Error(`missing ${missing.join(', ')}: apt-get install qemu-system-x86 qemu-utils debootstrap`);
  });

  it('converges with falco_driver kmod, is idempotent, scap loaded, falco-kmod healthy', async () => {
    const t = await runKmodVmScenario({ log: (l) => console.log(l) });
    expect(t.convergeMs).to.be.a('number');
    expect(t.verifyMs).to.be.a('number');
  });

  after(() => {
    // No guest may outlive the test: a qemu started by it would hold a monitor socket under tmp.
    const left = spawnSync('pgrep', ['-f', 'fd-scenario-kmod-vm-.*/monitor.sock'], { encoding: 'utf8' }).stdout.trim();
    expect(left, `qemu processes left running: ${left}`).to.equal('');
  });
});
