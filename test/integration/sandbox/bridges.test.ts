/**
 * A fleet spread over several bridges: 5 lite hosts at 3 hosts per bridge (the real capacity is
 * 900) span two or three bridges (where the block starts decides) joined to fdbr0, and every host answers ssh from the controller; `down`
 * leaves no host link behind and takes along the extra bridges and uplinks no other sandbox uses.
 * Needs root and the Debian tools of `node scripts/ensure-debian-tools.mjs test`.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sandboxDown, sandboxUp, type SandboxInfo, type SandboxState } from '../../../src/sandbox/index.js';
import { memberBridgesFor } from '../../../src/sandbox/naming.js';
import { readRegistry } from '../../../src/sandbox/registry.js';
import { netnsNames, ssh } from './helpers.js';

const NAME = `itb-${process.pid.toString(36)}`;

function neighThresholds(): string[] {
  return [1, 2, 3].map((i) => readFileSync(`/proc/sys/net/ipv4/neigh/default/gc_thresh${i}`, 'utf8').trim());
}

describe('sandbox fleet over several bridges (integration: 5 lite hosts, 3 per bridge)', function () {
  this.timeout(120_000);
  let base: string;
  let info: SandboxInfo;
  let state: SandboxState;
  let thresholdsBefore: string[];
  let aloneAtStart: boolean;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    thresholdsBefore = neighThresholds();
    aloneAtStart = Object.keys(readRegistry().sandboxes).length === 0;
    base = mkdtempSync(join(tmpdir(), 'fd-bridges-it-'));
    info = await sandboxUp({ hosts: 5, kind: 'lite', name: NAME, dir: join(base, 'sb'), hostsPerBridge: 3 });
    state = JSON.parse(readFileSync(join(info.dir, 'state.json'), 'utf8')) as SandboxState;
  });

  after(async function () {
    if (!base) return;
    await sandboxDown({ name: NAME }).catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  });

  it('puts the hosts on two bridges or more, each joined to fdbr0 (or fdbr0 itself)', () => {
    const bridges = state.hosts.map((h) => basename(readlinkSync(`/sys/class/net/${h.veth!}/master`)));
    expect(new Set(bridges).size, bridges.join(' ')).to.be.at.least(2);
    for (const b of new Set(bridges)) {
      if (b === 'fdbr0') continue;
      const k = b.slice('fdbr'.length);
      expect(readdirSync(`/sys/class/net/${b}/brif`), b).to.include(`fdvp${k}`);
      expect(basename(readlinkSync(`/sys/class/net/fdup${k}/master`))).to.equal('fdbr0');
    }
  });

  it('raises the neighbour table thresholds above the default 128/512/1024 while up', () => {
    expect(neighThresholds().map(Number)).to.satisfy((t: number[]) => t[0] >= 4096 && t[1] >= 32768 && t[2] >= 65536, neighThresholds().join(' '));
  });

  it('every host answers ssh at its inventory address', async () => {
    const inventory = readFileSync(info.inventory, 'utf8');
    const answers = await Promise.all(info.hosts.map((h) => ssh(info.sshConfig, h.name, 'hostname')));
    info.hosts.forEach((h, i) => {
      expect(inventory).to.include(`${h.name} ansible_host=${h.ip}\n`);
      expect(answers[i].code, `${h.name}: ${answers[i].stderr}`).to.equal(0);
      expect(answers[i].stdout).to.equal(h.name);
    });
  });

  it('down removes the hosts, and the extra bridges and uplinks no other sandbox has hosts on', async () => {
    const bridges = [...new Set(state.hosts.map((h) => basename(readlinkSync(`/sys/class/net/${h.veth!}/master`))))];
    const [r] = await sandboxDown({ name: NAME });
    expect(r.hosts).to.equal(5);
    for (const h of state.hosts) {
      expect(netnsNames()).to.not.include(h.netns);
      expect(existsSync(`/sys/class/net/${h.veth!}`), h.veth).to.equal(false);
    }
    const others = Object.values(readRegistry().sandboxes).flatMap((e) => memberBridgesFor(e.octet, e.hosts, e.hostsPerBridge));
    for (const k of bridges.map((b) => Number(b.slice('fdbr'.length))).filter((n) => n > 0 && !others.includes(n))) {
      for (const link of [`fdbr${k}`, `fdup${k}`, `fdvp${k}`]) expect(existsSync(`/sys/class/net/${link}`), link).to.equal(false);
    }
    // The last sandbox out restores the thresholds it found.
    if (aloneAtStart && Object.keys(readRegistry().sandboxes).length === 0) expect(neighThresholds()).to.deep.equal(thresholdsBefore);
  });
});
