/**
 * A real mixed fleet: 3 lite + 2 systemd hosts (two sandboxes at once on the shared bridge),
 * reached with the OpenSSH client through the generated ssh_config and strict host key
 * checking, every fault and its recovery, then `down` leaves nothing behind.
 * Needs root and the Debian tools of `node scripts/ensure-debian-tools.mjs test`.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BRIDGE_NAME,
  sandboxDown,
  sandboxFault,
  sandboxStatus,
  sandboxUp,
  type SandboxInfo,
  type SandboxState,
} from '../../../src/sandbox/index.js';
import { readRegistry } from '../../../src/sandbox/registry.js';
import { mountPointsUnder, netnsNames, pidAlive, ssh } from './helpers.js';

const tag = process.pid.toString(36);
const LITE = `itl-${tag}`;
const SYSTEMD = `its-${tag}`;

describe('sandbox fleet (integration: 3 lite + 2 systemd hosts)', function () {
  this.timeout(180_000);
  let base: string;
  let lite: SandboxInfo;
  let sys: SandboxInfo;
  const recorded: SandboxState[] = [];

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    base = mkdtempSync(join(tmpdir(), 'fd-sandbox-it-'));
    const repo = join(base, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'Release'), 'from the controller\n');
    const extras = {
      bindMounts: [{ source: repo, target: '/srv/falco-repo' }],
      inventoryVars: { falco_repo_url: 'file:/srv/falco-repo' },
    };
    [lite, sys] = await Promise.all([
      sandboxUp({ hosts: 3, kind: 'lite', name: LITE, dir: join(base, 'lite'), ...extras }),
      sandboxUp({ hosts: 2, kind: 'systemd', name: SYSTEMD, dir: join(base, 'sys'), ...extras }),
    ]);
    for (const info of [lite, sys]) recorded.push(JSON.parse(readFileSync(join(info.dir, 'state.json'), 'utf8')) as SandboxState);
  });

  after(async function () {
    if (!base) return;
    // Safety net when a test failed before its own `down`.
    await sandboxDown({ name: LITE }).catch(() => undefined);
    await sandboxDown({ name: SYSTEMD }).catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  });

  it('writes the client files with distinct addresses for both sandboxes', () => {
    expect(lite.hosts.map((h) => h.name)).to.deep.equal([`${LITE}-h1`, `${LITE}-h2`, `${LITE}-h3`]);
    expect(sys.hosts.map((h) => h.name)).to.deep.equal([`${SYSTEMD}-s1`, `${SYSTEMD}-s2`]);
    const ips = [...lite.hosts, ...sys.hosts].map((h) => h.ip);
    expect(new Set(ips).size).to.equal(5);
    const inventory = readFileSync(lite.inventory, 'utf8');
    expect(inventory).to.include(`[${LITE}]\n${LITE}-h1 ansible_host=${lite.hosts[0].ip}\n`);
    expect(inventory).to.include(`ansible_ssh_private_key_file=${join(base, 'lite', 'id_ed25519')}\n`);
    expect(inventory).to.include(`ansible_ssh_common_args='-o UserKnownHostsFile=${join(base, 'lite', 'known_hosts')}'\n`);
    expect(inventory).to.include(`[${LITE}:vars]\n`);
    expect(inventory).to.include('\nfalco_repo_url=file:/srv/falco-repo\n');
    expect(readFileSync(sys.knownHosts, 'utf8').trim().split('\n')).to.have.length(2);
  });

  it('mounts the extra bind mounts read-only into both kinds of host', async () => {
    for (const info of [lite, sys]) {
      const r = await ssh(info.sshConfig, info.hosts[0].name, 'cat /srv/falco-repo/Release; touch /srv/falco-repo/x 2>&1 || true');
      expect(r.stdout).to.match(/^from the controller\ntouch: cannot touch '\/srv\/falco-repo\/x': Read-only file system$/);
    }
  });

  it('every host answers ssh as itself, with strict host key checking against the generated known_hosts', async () => {
    const all = [...lite.hosts.map((h) => ({ h, cfg: lite.sshConfig })), ...sys.hosts.map((h) => ({ h, cfg: sys.sshConfig }))];
    const results = await Promise.all(all.map(({ h, cfg }) => ssh(cfg, h.name, 'hostname; cat /etc/hostname')));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(`${all[i].h.name}\n${all[i].h.name}`);
    });
  });

  it('refuses a host whose key is not in known_hosts (checking really is strict)', async () => {
    const r = await ssh(lite.sshConfig, lite.hosts[0].name, 'true', ['-o', 'UserKnownHostsFile=/dev/null']);
    expect(r.code).to.equal(255);
    expect(r.stderr).to.match(/Host key verification failed/);
  });

  it('systemd hosts run systemd with journald; lite hosts have sshd as PID 1', async () => {
    for (const h of sys.hosts) {
      const r = await ssh(sys.sshConfig, h.name, 'systemctl is-system-running; systemctl is-active systemd-journald ssh; journalctl -b -n 1 --no-pager -q | wc -l');
      expect(r.stdout.split('\n')[0]).to.be.oneOf(['running', 'degraded']);
      expect(r.stdout.split('\n').slice(1)).to.deep.equal(['active', 'active', '1']);
    }
    const r = await ssh(lite.sshConfig, lite.hosts[0].name, 'cat /proc/1/comm');
    expect(r.stdout).to.equal('sshd');
  });

  it('gives each systemd container its own cgroup (systemd units of two hosts never share one)', () => {
    const state = recorded[1];
    const cgroupOf = (pid: number) => readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    for (const h of state.hosts) {
      expect(h.cgroups, h.name).to.have.length.above(0);
      expect(cgroupOf(h.init!.pid)).to.include(`/falco-deploy/${h.name}/payload/init.scope`);
      for (const cg of h.cgroups!) expect(existsSync(cg), cg).to.equal(true);
    }
  });

  it('has the deploy user with key login and sudo that wants the password "deploy"', async () => {
    const host = lite.hosts[1].name;
    const ok = await ssh(lite.sshConfig, `deploy@${host}`, 'echo deploy | sudo -S -p "" id -u');
    expect(ok.stdout, ok.stderr).to.equal('0');
    const wrong = await ssh(lite.sshConfig, `deploy@${host}`, 'echo nope | sudo -S -p "" id -u');
    expect(wrong.code).to.not.equal(0);
  });

  it('refuse -> connection refused at once; up -> back', async () => {
    const h = lite.hosts[0].name;
    await sandboxFault(LITE, h, 'refuse');
    const r = await ssh(lite.sshConfig, h, 'true');
    expect(r.stderr).to.match(/Connection refused/);
    expect(r.ms, 'refused, not dropped (a dropped SYN waits for ConnectTimeout 5)').to.be.below(4000);
    await sandboxFault(LITE, h, 'up');
    expect((await ssh(lite.sshConfig, h, 'true')).code).to.equal(0);
  });

  it('drop -> connect timeout; up -> back', async () => {
    const h = lite.hosts[0].name;
    await sandboxFault(LITE, h, 'drop');
    const r = await ssh(lite.sshConfig, h, 'true');
    expect(r.stderr).to.match(/timed out/);
    expect(r.ms).to.be.at.least(1900);
    await sandboxFault(LITE, h, 'up');
    expect((await ssh(lite.sshConfig, h, 'true')).code).to.equal(0);
  });

  it('down -> link gone (timeout), status shows it; up -> back', async () => {
    const h = lite.hosts[1].name;
    await sandboxFault(LITE, 'h2', 'down'); // the short host name works too
    const r = await ssh(lite.sshConfig, h, 'true');
    expect(r.stderr).to.match(/timed out/);
    const [status] = await sandboxStatus(LITE);
    expect(status.hosts.find((x) => x.name === h)).to.include({ running: true, ssh: false }).and.have.deep.property('faults', { link: 'down' });
    await sandboxFault(LITE, h, 'up');
    expect((await ssh(lite.sshConfig, h, 'true')).code).to.equal(0);
  });

  for (const which of ['lite', 'systemd'] as const) {
    it(`pause -> banner timeout; resume -> back (${which})`, async () => {
      const info = which === 'lite' ? lite : sys;
      const h = info.hosts[0].name;
      await sandboxFault(info.name, h, 'pause');
      const r = await ssh(info.sshConfig, h, 'true');
      expect(r.stderr).to.match(/banner exchange/);
      await sandboxFault(info.name, h, 'resume');
      const back = await ssh(info.sshConfig, h, 'true');
      expect(back.code, back.stderr).to.equal(0);
    });
  }

  it('kill -> the host vanishes (lite and systemd); the others keep working', async () => {
    await sandboxFault(LITE, lite.hosts[2].name, 'kill');
    await sandboxFault(SYSTEMD, sys.hosts[1].name, 'kill');
    const [l, s, other] = await Promise.all([
      ssh(lite.sshConfig, lite.hosts[2].name, 'true'),
      ssh(sys.sshConfig, sys.hosts[1].name, 'true'),
      ssh(sys.sshConfig, sys.hosts[0].name, 'true'),
    ]);
    expect(l.code).to.equal(255);
    expect(s.code).to.equal(255);
    expect(other.code, other.stderr).to.equal(0);
    const [status] = await sandboxStatus(SYSTEMD);
    expect(status.hosts.map((h) => h.running)).to.deep.equal([true, false]);
  });

  it('down removes everything up created, and running it again is harmless', async () => {
    const results = await Promise.all([sandboxDown({ name: LITE }), sandboxDown({ name: SYSTEMD })]);
    expect(results.map((r) => r[0].hosts)).to.deep.equal([3, 2]);
    for (const state of recorded) {
      for (const h of state.hosts) {
        for (const p of [h.launcher, h.init]) if (p) expect(pidAlive(p.pid), `${h.name} pid ${p.pid}`).to.equal(false);
        expect(netnsNames()).to.not.include(h.netns);
        expect(existsSync(`/sys/class/net/${h.veth}`), h.veth).to.equal(false);
      }
      expect(mountPointsUnder(state.dir)).to.deep.equal([]);
      expect(existsSync(state.dir), state.dir).to.equal(false);
      for (const cg of state.hosts.flatMap((h) => h.cgroups ?? [])) expect(existsSync(cg), cg).to.equal(false);
    }
    const registry = readRegistry();
    expect(registry.sandboxes).to.not.have.any.keys(LITE, SYSTEMD);
    // Other test files may have a sandbox of their own up; the bridge goes with the last one.
    if (Object.keys(registry.sandboxes).length === 0) expect(existsSync(`/sys/class/net/${BRIDGE_NAME}`)).to.equal(false);
    const again = await sandboxDown({ name: LITE });
    expect(again[0].hosts).to.equal(0);
  });
});
