/**
 * The gather-facts snippet reads most things without the commands a reader would use (the
 * `read` builtin on /proc/sys/kernel, one awk pass over /proc): its parsed facts must equal what
 * those commands print (uname, id, date, getconf, grep, command -v) on every kind of host we
 * have: this machine, a lite and a systemd sandbox host, each as root and as a non-root user.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupFacts } from '../../../src/facts/setup.js';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { quote } from '../../../src/shell/quote.js';
import { ssh } from '../sandbox/helpers.js';

const REFERENCE = [
  'echo "r=$(uname -r)"', 'echo "v=$(uname -v)"', 'echo "m=$(uname -m)"', 'echo "s=$(uname -s)"', 'echo "n=$(uname -n)"',
  'echo "fqdn=$(timeout 3 hostname -f 2>/dev/null)"',
  'echo "un=$(id -un)"', 'echo "u=$(id -u)"', 'echo "g=$(id -g)"', 'echo "home=$HOME"',
  'echo "tz=$(date +%Z)"', 'echo "epoch=$(date +%s)"',
  'echo "memkb=$(sed -n "s/^MemTotal: *\\([0-9]*\\) kB.*/\\1/p" /proc/meminfo)"',
  'echo "nproc=$(getconf _NPROCESSORS_ONLN)"', 'echo "long_bit=$(getconf LONG_BIT)"',
  'echo "sockets=$(grep "^physical id" /proc/cpuinfo | sort -u | wc -l)"',
  'echo "cores=$(grep -m 1 "^cpu cores" /proc/cpuinfo | sed "s/.*: *//")"',
  'echo "python3=$(command -v python3)"', 'echo "sudo=$(command -v sudo)"', 'echo "systemctl=$(command -v systemctl)"',
  '. /etc/os-release; echo "os_version=$VERSION_ID"',
  'echo "pid1=$(cat /proc/1/comm)"',
  'echo "machine_id=$(cat /var/lib/dbus/machine-id 2>/dev/null || cat /etc/machine-id 2>/dev/null)"',
  '[ -e "/lib/modules/$(uname -r)/build" ] && echo headers=1',
].join('\n');

const SEPARATOR = '--- snippet ---';
/** The reference commands, then the snippet in a subshell, in one shell (same user, same environment). */
const BOTH = `${REFERENCE}\necho ${quote(SEPARATOR)}\n( ${setupFacts().command}\n)`;

function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function checkFacts(output: string): void {
  const at = output.indexOf(SEPARATOR);
  expect(at, output).to.be.greaterThan(0);
  const ref = keyValues(output.slice(0, at));
  const facts = setupFacts().parse({ stdout: output.slice(at + SEPARATOR.length), stderr: '', exitCode: 0, durationMs: 0 });
  expect(ref.u, 'the reference ran').to.match(/^\d+$/);
  const nullable = (v: string) => v || null;
  expect(facts).to.deep.include({
    kernel: ref.r,
    kernel_version: ref.v,
    machine: ref.m,
    architecture: ref.m,
    system: ref.s,
    nodename: ref.n,
    hostname: ref.n.split('.')[0],
    fqdn: ref.fqdn || ref.n,
    user_id: ref.un,
    user_uid: Number(ref.u),
    user_gid: Number(ref.g),
    user_dir: nullable(ref.home),
    memtotal_mb: Math.floor(Number(ref.memkb) / 1024),
    processor_vcpus: Number(ref.nproc),
    processor_count: Number(ref.sockets) || 1,
    processor_cores: ref.cores ? Number(ref.cores) : null,
    userspace_bits: ref.long_bit,
    discovered_interpreter_python: nullable(ref.python3),
    has_sudo: ref.sudo !== '',
    has_systemctl: ref.systemctl !== '',
    distribution_major_version: ref.os_version.split('.')[0],
    kernel_headers_installed: ref.headers === '1',
  });
  expect(facts.machine_id, 'absent when the host has none').to.equal(ref.machine_id || undefined);
  if (ref.pid1 !== 'init' && !ref.pid1.endsWith('sh')) expect(facts.service_mgr).to.equal(ref.pid1);
  const date = facts.date_time as Record<string, string>;
  expect(date.tz).to.equal(ref.tz);
  expect(Math.abs(Number(date.epoch) - Number(ref.epoch))).to.be.at.most(5);
  expect(date.iso8601).to.equal(`${new Date(Number(date.epoch) * 1000).toISOString().slice(0, 19)}Z`);
}

describe('gather-facts snippet against the commands it replaces', function () {
  this.timeout(180_000);
  const sandboxes: SandboxInfo[] = [];
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-setup-snippet-'));
    sandboxes.push(await sandboxUp({ name: 'setup-snippet-lite', kind: 'lite', hosts: 1, dir: join(dir, 'lite') }));
    sandboxes.push(await sandboxUp({ name: 'setup-snippet-systemd', kind: 'systemd', hosts: 1, dir: join(dir, 'systemd') }));
  });

  after(async () => {
    for (const sb of sandboxes) await sandboxDown({ name: sb.name, dir: sb.dir });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('on this machine, as root and as nobody (dash)', () => {
    for (const argv of [['sh', '-c', BOTH], ['su', 'nobody', '-s', '/bin/sh', '-c', BOTH]]) {
      const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: '/' });
      expect(r.status, r.stderr).to.equal(0);
      checkFacts(r.stdout);
    }
  });

  it('reads container and CPU signals from /proc in the order LinuxVirtual checks them (files bound over /proc)', () => {
    const fake: Record<string, string> = {
      '/proc/1/cgroup': '0::/system.slice/containerd.service\n1:cpu:/docker/0123abcd\n',
      '/proc/1/environ': 'HOME=/\0container=podman\0',
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: QEMU Virtual CPU version 2.5+\nphysical id\t: 0\ncpu cores\t: 4\nprocessor\t: 1\nphysical id\t: 1\ncpu cores\t: 8\n',
      '/proc/meminfo': 'MemTotal:        2097152 kB\n',
    };
    const binds = Object.entries(fake).map(([path, text], i) => {
      writeFileSync(join(dir, `proc-${i}`), text);
      return `mount --bind ${join(dir, `proc-${i}`)} ${path}`;
    });
    const r = spawnSync('unshare', ['-m', 'sh', '-c', `${binds.join(' && ')} && ${BOTH}`], { encoding: 'utf8', cwd: '/' });
    expect(r.status, r.stderr).to.equal(0);
    checkFacts(r.stdout);
    const facts = setupFacts().parse({ stdout: r.stdout.slice(r.stdout.indexOf(SEPARATOR)), stderr: '', exitCode: 0, durationMs: 0 });
    expect(facts).to.deep.include({ memtotal_mb: 2048, processor_count: 2, processor_cores: 4, virtualization_type: 'containerd', virtualization_role: 'guest' });
    expect((facts.virtualization_tech_guest as string[]).slice(0, 3)).to.deep.equal(['containerd', 'docker', 'podman']);
    expect(facts.virtualization_tech_guest).to.include.members(['container', 'kvm']);
  });

  for (const kind of ['lite', 'systemd']) {
    it(`on a ${kind} sandbox host, as root and as the non-root deploy user`, async () => {
      const sb = sandboxes.find((s) => s.kind === kind)!;
      for (const command of [BOTH, `su deploy -s /bin/sh -c ${quote(BOTH)}`]) {
        const r = await ssh(sb.sshConfig, sb.hosts[0].name, command);
        expect(r.code, r.stderr).to.equal(0);
        checkFacts(r.stdout);
      }
    });
  }
});
