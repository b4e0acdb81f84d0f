import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runPing } from '../../../src/cli/handlers/ping.js';
import { pingHosts, type PingResult } from '../../../src/connectors/ping-hosts.js';
import { parseKnownHosts, knownHostsName } from '../../../src/connectors/known-hosts.js';
import { ExitCode } from '../../../src/errors.js';
import { startLoopbackFleet, writeKnownHosts, type LoopbackFleet } from './loopback-fleet.js';
import { capture, globalOptions, jsonLines, staticInventory, testConnector } from './harness.js';

describe('integration: connectors ping against a loopback sshd fleet', function () {
  this.timeout(180_000);
  let fleet: LoopbackFleet;
  const first20 = () => fleet.hosts.slice(0, 20).map((h) => h.name);
  const varsOf = (names: string[], extra: Record<string, unknown> = {}) =>
    Object.fromEntries(names.map((n) => [n, { ...fleet.hostVars(n), ...extra }]));

  before(async () => {
    fleet = await startLoopbackFleet(50);
  });
  after(async () => {
    await fleet?.stop();
  });

  it('pings 20 hosts: all ok, one connection and one round trip each, exit 0', async () => {
    const io = capture();
    const code = await runPing(staticInventory(varsOf(first20())), globalOptions(), io.ctx, { homeDir: fleet.dir, env: {} });
    const lines = jsonLines(io.out());
    const hosts = lines.filter((l) => l.host);
    expect(code, io.err()).to.equal(ExitCode.ok);
    expect(hosts.map((h) => h.host).sort()).to.deep.equal(first20().sort());
    for (const h of hosts) {
      expect(h.status, JSON.stringify(h)).to.equal('ok');
      expect(h.user).to.equal(fleet.user);
      expect(h.connectMs).to.be.a('number');
      expect(h.channels).to.equal(1);
      expect(h.roundTrips).to.equal(1);
    }
    expect(lines.at(-1)!.summary).to.include({ total: 20, ok: 20, unreachable: 0, failed: 0 });
  });

  it('text output: a line per host and a recap', async () => {
    const io = capture();
    const code = await runPing(staticInventory(varsOf(first20().slice(0, 3))), globalOptions({ json: false }), io.ctx, {
      homeDir: fleet.dir,
      env: {},
    });
    expect(code).to.equal(ExitCode.ok);
    const out = io.out();
    for (const n of first20().slice(0, 3)) expect(out).to.match(new RegExp(`^${n} \\| ok \\| connect \\d+ ms \\| ${fleet.user}@`, 'm'));
    expect(out).to.match(/^PING RECAP: ok=3 unreachable=0 failed=0 total=3 in [\d.]+ s; connect median \d+ ms, max \d+ ms$/m);
  });

  it('a refused host is UNREACHABLE (not failed), the others ok, exit 3', async () => {
    const victim = fleet.hosts[3].name;
    await fleet.stopHost(victim);
    try {
      const io = capture();
      const code = await runPing(staticInventory(varsOf(first20())), globalOptions(), io.ctx, { homeDir: fleet.dir, env: {} });
      const hosts = jsonLines(io.out()).filter((l) => l.host);
      expect(code).to.equal(ExitCode.unreachable);
      const bad = hosts.find((h) => h.host === victim)!;
      expect(bad.status).to.equal('unreachable');
      expect(bad.error).to.match(new RegExp(`connection refused by ${fleet.user}@127\\.0\\.0\\.1:\\d+`));
      expect(hosts.filter((h) => h.host !== victim).every((h) => h.status === 'ok')).to.equal(true);
    } finally {
      await fleet.startHost(victim);
    }
  });

  it('a changed host key is refused in strict and accept-new, naming host, file:line and fingerprint', async () => {
    const victim = fleet.hosts[5];
    const knownHosts = await fs.readFile(fleet.knownHostsFile, 'utf8');
    const oldLine = knownHosts.split('\n').findIndex((l) => l.startsWith(`[127.0.0.1]:${victim.port} `)) + 1;
    await fleet.rekeyHost(victim.name);
    try {
      for (const policy of ['strict', 'accept-new'] as const) {
        const connector = await testConnector(fleet.dir, { hostKeyChecking: policy });
        try {
          const [r] = await pingHosts(connector, [{ name: victim.name, vars: fleet.hostVars(victim.name) }]);
          expect(r.status, policy).to.equal('unreachable');
          expect(r.error).to.include('HOST KEY CHANGED');
          expect(r.error).to.include(`127.0.0.1:${victim.port}`);
          expect(r.error).to.include(`${fleet.knownHostsFile}:${oldLine}`);
          const pub = (await fs.readFile(`${victim.hostKeyFile}.pub`, 'utf8')).split(' ')[1];
          const { fingerprintOf } = await import('../../../src/connectors/known-hosts.js');
          expect(r.error).to.include(fingerprintOf(Buffer.from(pub, 'base64')));
        } finally {
          await connector.close();
        }
      }
      expect(await fs.readFile(fleet.knownHostsFile, 'utf8'), 'accept-new must not touch a changed entry').to.equal(knownHosts);
      const off = await testConnector(fleet.dir, { hostKeyChecking: 'off' });
      try {
        const [r] = await pingHosts(off, [{ name: victim.name, vars: fleet.hostVars(victim.name) }]);
        expect(r.status, '--host-key-checking off accepts anything, as Ansible').to.equal('ok');
      } finally {
        await off.close();
      }
    } finally {
      await writeKnownHosts(fleet.knownHostsFile, fleet.hosts);
    }
  });

  it('an unknown host key is refused in strict mode with the fingerprint and what to do', async () => {
    const empty = path.join(fleet.dir, 'empty_known_hosts');
    await fs.writeFile(empty, '');
    const connector = await testConnector(fleet.dir);
    try {
      const h = fleet.hosts[0];
      const [r] = await pingHosts(connector, [
        { name: h.name, vars: { ...fleet.hostVars(h.name), ansible_ssh_common_args: `-o UserKnownHostsFile=${empty}` } },
      ]);
      expect(r.status).to.equal('unreachable');
      expect(r.error).to.match(/host key for 127\.0\.0\.1:\d+ is not known: ssh-ed25519 SHA256:\S+/);
      expect(r.error).to.include('accept-new');
    } finally {
      await connector.close();
    }
  });

  it('accept-new with 50 parallel connects (and duplicate targets) writes one valid line per host', async () => {
    const kh = path.join(fleet.dir, 'accept_new_known_hosts');
    await fs.writeFile(kh, '# pre-existing comment without newline at end');
    const vars = (n: string) => ({ ...fleet.hostVars(n), ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` });
    // Each host twice under two inventory names: two connections race to record the same host.
    const hosts = fleet.hosts.flatMap((h) => [
      { name: h.name, vars: vars(h.name) },
      { name: `${h.name}-alias`, vars: vars(h.name) },
    ]);
    const connector = await testConnector(fleet.dir, { hostKeyChecking: 'accept-new', forks: 100 });
    let results: PingResult[];
    try {
      results = await pingHosts(connector, hosts);
    } finally {
      await connector.close();
    }
    expect(results.filter((r) => r.status !== 'ok'), JSON.stringify(results.filter((r) => r.status !== 'ok'))).to.deep.equal([]);
    const text = await fs.readFile(kh, 'utf8');
    const entries = parseKnownHosts(text, kh);
    expect(text.split('\n')[0]).to.equal('# pre-existing comment without newline at end');
    expect(entries).to.have.length(fleet.hosts.length);
    expect(new Set(entries.map((e) => e.patterns)).size).to.equal(fleet.hosts.length);
    for (const h of fleet.hosts) {
      const pub = (await fs.readFile(`${h.hostKeyFile}.pub`, 'utf8')).split(' ');
      const e = entries.find((x) => x.patterns === knownHostsName('127.0.0.1', h.port));
      expect(e, h.name).to.not.equal(undefined);
      expect([e!.keyType, e!.keyBase64]).to.deep.equal([pub[0], pub[1]]);
    }
    // The recorded file is good enough for strict mode.
    const strict = await testConnector(fleet.dir);
    try {
      const again = await pingHosts(strict, fleet.hosts.slice(0, 10).map((h) => ({ name: h.name, vars: vars(h.name) })));
      expect(again.every((r) => r.status === 'ok'), JSON.stringify(again)).to.equal(true);
    } finally {
      await strict.close();
    }
  });

  it('a paused (SIGSTOP) host times out as UNREACHABLE without holding up the others', async () => {
    const victim = fleet.hosts[7].name;
    fleet.pauseHost(victim);
    try {
      const connector = await testConnector(fleet.dir, { timeout: 8 });
      const order: string[] = [];
      let results: PingResult[];
      try {
        results = await pingHosts(
          connector,
          first20().map((n) => ({ name: n, vars: fleet.hostVars(n) })),
          { onResult: (r) => order.push(r.host) },
        );
      } finally {
        await connector.close();
      }
      const bad = results.find((r) => r.host === victim)!;
      expect(bad.status).to.equal('unreachable');
      expect(bad.error).to.match(/timed out after 8s/);
      expect(order.at(-1), 'the paused host is the last to report').to.equal(victim);
      expect(results.filter((r) => r.host !== victim).every((r) => r.status === 'ok')).to.equal(true);
      const othersMax = Math.max(...results.filter((r) => r.host !== victim).map((r) => r.totalMs));
      console.log(`      paused host gave up after ${bad.totalMs} ms; the other 19 finished within ${othersMax} ms`);
    } finally {
      fleet.resumeHost(victim);
    }
  });
});
