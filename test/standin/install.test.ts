/**
 * End to end with the real tools: apt, dpkg, the maintainer scripts and offline systemctl,
 * in a throwaway chroot of the sandbox root filesystem (overlay, own mount/pid/net
 * namespaces). Needs root and a built sandbox rootfs: FALCO_DEPLOY_ROOTFS, or the newest
 * /var/tmp/falco-deploy/rootfs-* that has apt; skipped (with the reason) otherwise.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NEW_VERSION, OLD_VERSION, run, sandboxRootfs, standinFixture } from './support.js';

const INSIDE = fileURLToPath(new URL('./install-in-chroot.sh', import.meta.url));


describe('falco stand-in installed by apt in a sandbox-rootfs chroot', function () {
  this.timeout(180_000);
  let results: Map<string, string>;
  let output = '';

  before(async function () {
    const rootfs = await sandboxRootfs();
    if (process.getuid?.() !== 0 || !rootfs) {
      this.skip(); // needs root and the sandbox rootfs (falco-deploy sandbox builds it)
    }
    const { dir, repo } = standinFixture();
    const base = join(dir, 'chroot');
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(base, d), { recursive: true });
    const m = join(base, 'merged');
    const script = [
      `mount -t overlay overlay -o lowerdir=${rootfs},upperdir=${base}/upper,workdir=${base}/work ${m}`,
      `mount -t proc proc ${m}/proc`, `mount -t sysfs sys ${m}/sys`, `mount --bind /dev ${m}/dev`,
      `mount -t tmpfs tmpfs ${m}/run`, `mount -t tmpfs tmpfs ${m}/tmp`,
      `mkdir -p ${m}/srv/falco-repo`, `mount --bind -o ro ${repo} ${m}/srv/falco-repo`,
      `cp ${INSIDE} ${m}/root/inside.sh`, `exec chroot ${m} /bin/bash /root/inside.sh`,
    ].join(' && ');
    const r = run('unshare', ['--mount', '--pid', '--net', '--fork', '--kill-child', 'bash', '-c', script]);
    output = r.stdout + r.stderr;
    results = new Map(r.stdout.split('\n').filter((l) => l.startsWith('@@ ')).map((l) => {
      const rest = l.slice(3);
      const i = rest.indexOf(' ');
      return [rest.slice(0, i), rest.slice(i + 1)];
    }));
  });

  const json = (key: string) => {
    try {
      return JSON.parse(get(key));
    } catch {
      throw new Error(`"${key}" is not JSON in output:\n${output}`);
    }
  };
  const get = (key: string) => {
    expect(results.has(key), `no "${key}" in output:\n${output}`).to.equal(true);
    return results.get(key)!;
  };

  it('fetches the key over file://, whose fingerprint is the published one, and apt-get update verifies', () => {
    expect(get('fingerprint'), output).to.equal(run('cat', [join(standinFixture().repo, 'repo-key.fingerprint')]).stdout.trim());
    expect(get('update'), output).to.equal('0');
  });

  it('installs the old version non-interactively: modern_ebpf unit enabled, follower masked, driver configured', () => {
    expect(get('install'), output).to.equal('0');
    expect(get('version'), output).to.equal(`Falco version: ${OLD_VERSION}`);
    expect(get('modern'), output).to.equal('enabled');
    expect(get('follower'), output).to.equal('masked');
    expect(get('alias'), output).to.match(/falco-modern-bpf\.service$/);
    expect(get('engine_kind'), output).to.equal('engine:kind:modern_ebpf');
    expect(get('bpf_unit'), output).to.equal('present');
    const record = json('record1');
    expect(record).to.include({ action: 'configure', chosen_unit: 'modern-bpf', package_version: OLD_VERSION });
    expect(record.env).to.include({ FALCO_FRONTEND: 'noninteractive', FALCO_DRIVER_CHOICE: 'modern_ebpf', FALCOCTL_ENABLED: 'no' });
  });

  it('upgrades through sudo with the variables intact and re-runs driver selection', () => {
    expect(get('upgrade'), output).to.equal('0');
    expect(get('version2'), output).to.equal(`Falco version: ${NEW_VERSION}`);
    expect(get('follower2'), output).to.equal('disabled'); // unmasked again, started through Wants=
    expect(get('bpf_unit2'), output).to.equal('absent');
    const record = json('record2');
    expect(record).to.include({ arg: OLD_VERSION, package_version: NEW_VERSION, chosen_driver: 'modern_ebpf' });
    expect(record.env).to.include({ FALCOCTL_ENABLED: 'yes', SUDO_USER: 'root' });
  });

  it('fails the postinst for kmod when the module is not available, and dpkg --configure -a recovers with modern_ebpf', () => {
    expect(get('kmod_install'), output).to.not.equal('0');
    expect(json('record3')).to.include({ chosen_driver: 'kmod', exit_status: '1' });
    expect(get('reinstall'), output).to.equal('0');
    expect(get('status'), output).to.equal('install ok installed');
  });

  it('runs the installed daemon: healthz, and an alert for a real read of /etc/shadow', () => {
    expect(json('healthz')).to.deep.equal({ status: 'ok' });
    const alert = json('alert');
    expect(alert).to.include({ rule: 'Read sensitive file untrusted', priority: 'Warning' });
    expect(alert.output_fields['fd.name']).to.equal('/etc/shadow');
    expect(get('daemon_exit'), output).to.equal('0');
  });

  it('purges cleanly', () => {
    expect(get('purge'), output).to.equal('0');
    expect(get('etc_after_purge'), output).to.match(/No such file or directory/);
    expect(get('leftovers'), output).to.match(/No such file or directory/);
  });
});
