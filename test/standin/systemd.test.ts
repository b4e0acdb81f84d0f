/**
 * The package under a real systemd (PID 1 in a systemd-nspawn container of the sandbox
 * rootfs, private network, own mount namespace for nspawn's tmpfs): the postinst starts
 * falco-modern-bpf, the falco.service alias and Wants= on the follower work, restart and
 * reload behave, an invalid config makes the unit fail. Needs root, systemd-nspawn and
 * the sandbox rootfs; skipped otherwise.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, sandboxRootfs, standinFixture } from './support.js';

const INSIDE = fileURLToPath(new URL('./systemd-in-nspawn.sh', import.meta.url));

describe('falco stand-in under systemd (nspawn container)', function () {
  this.timeout(240_000);
  let results = new Map<string, string>();
  let output = '';

  before(async function () {
    const rootfs = await sandboxRootfs();
    if (process.getuid?.() !== 0 || !rootfs || !existsSync('/usr/bin/systemd-nspawn')) this.skip();
    const { dir, repo } = standinFixture();
    const base = join(dir, 'nspawn');
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(base, d), { recursive: true });
    const m = join(base, 'merged');
    const script = `set -e
mkdir -p /run/systemd/nspawn && mount -t tmpfs -o mode=755 tmpfs /run/systemd/nspawn
mount -t overlay overlay -o lowerdir=${rootfs},upperdir=${base}/upper,workdir=${base}/work ${m}
echo standin-nspawn > ${m}/etc/hostname
cp ${INSIDE} ${m}/root/inside.sh
systemd-nspawn --quiet --boot --register=no --keep-unit --console=read-only --machine=standin-$$ -D ${m} \\
  --private-network --bind-ro=${repo}:/srv/falco-repo > ${base}/console.log 2>&1 &
NP=$!
trap 'kill $NP 2>/dev/null; wait $NP 2>/dev/null || true' EXIT
L=
# the container's init once it runs systemd: nspawn's first child only sets up, forks it and exits
for i in $(seq 300); do L=$(pgrep -P $NP -x systemd | head -n1 || true); [ -n "$L" ] && break; sleep 0.1; done
st=
for i in $(seq 150); do st=$(nsenter -t $L -a systemctl is-system-running 2>/dev/null || true); case $st in running|degraded) break;; esac; sleep 0.2; done
echo "@@ boot $st"
nsenter -t $L -a /bin/bash /root/inside.sh
`;
    const r = run('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', script]);
    output = r.stdout + r.stderr;
    results = new Map(r.stdout.split('\n').filter((l) => l.startsWith('@@ ')).map((l) => {
      const rest = l.slice(3);
      const i = rest.indexOf(' ');
      return i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i + 1)];
    }));
  });

  const get = (key: string) => {
    expect(results.has(key), `no "${key}" in output:\n${output}`).to.equal(true);
    return results.get(key)!;
  };

  it('boots, and the postinst starts falco-modern-bpf (+ follower through Wants=) serving /healthz', () => {
    expect(get('boot'), output).to.be.oneOf(['running', 'degraded']);
    expect(get('install'), output).to.equal('0');
    expect(get('falco'), output).to.equal('active');
    expect(get('follower'), output).to.equal('active');
    expect(JSON.parse(get('healthz'))).to.deep.equal({ status: 'ok' });
  });

  it('after a config.d drop-in and restart, writes alert JSON (umask 0077 as in the unit)', () => {
    const alert = JSON.parse(get('alert'));
    expect(alert).to.include({ rule: 'Read sensitive file untrusted', hostname: 'standin-nspawn' });
    expect(get('events_mode'), output).to.equal('600');
    expect(get('after_reload'), output).to.equal('active {"status": "ok"}');
  });

  it('an invalid drop-in makes the unit fail with the error in the journal', () => {
    expect(get('broken'), output).to.be.oneOf(['failed', 'activating']);
    expect(get('broken_log'), output).to.include("'priority' must be one of").and.include('95-broken.yaml');
  });
});
