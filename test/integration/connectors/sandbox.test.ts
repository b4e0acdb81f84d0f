/**
 * The connector against a 20-host lite sandbox (src/sandbox): real Debian hosts in their own
 * network namespaces with sshd as PID 1, user `deploy` (password `deploy`, sudo).
 */
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { main } from '../../../src/cli/main.js';
import { pingHosts } from '../../../src/connectors/ping-hosts.js';
import { loadInventory } from '../../../src/inventory/index.js';
import { sandboxDown, sandboxFault, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { ExitCode } from '../../../src/errors.js';
import { capture, jsonLines, testConnector } from './harness.js';

describe('integration: connectors against a 20-host lite sandbox', function () {
  this.timeout(300_000);
  const name = `fdc${randomBytes(3).toString('hex')}`;
  let dir: string;
  let info: SandboxInfo;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-conn-sandbox-'));
    info = await sandboxUp({ hosts: 20, kind: 'lite', name, dir: path.join(dir, 'sb') });
  });
  after(async () => {
    if (info) await sandboxDown({ name, dir: path.join(dir, 'sb') });
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const ping = async (...extra: string[]) => {
    const io = capture();
    const code = await main(['ping', '-i', info.inventory, '-F', info.sshConfig, '--json', ...extra], io.ctx);
    return { code, lines: jsonLines(io.out()), err: io.err() };
  };

  it('falco-deploy ping: all 20 ok (exit 0), user root, node name = host name', async () => {
    const { code, lines, err } = await ping();
    expect(code, err).to.equal(ExitCode.ok);
    const hosts = lines.filter((l) => l.host);
    expect(hosts).to.have.length(20);
    for (const h of hosts) expect(h, JSON.stringify(h)).to.include({ status: 'ok', user: 'root', nodename: h.host });
    expect(lines.at(-1)!.summary).to.include({ ok: 20, unreachable: 0 });
  });

  it('a refused host (sandbox fault refuse) is UNREACHABLE, the rest ok, exit 3; --limit narrows', async () => {
    const victim = info.hosts[2].name;
    await sandboxFault(name, victim, 'refuse', { dir: path.join(dir, 'sb') });
    try {
      const { code, lines } = await ping();
      expect(code).to.equal(ExitCode.unreachable);
      const hosts = lines.filter((l) => l.host);
      expect(hosts.find((h) => h.host === victim)).to.include({ status: 'unreachable' });
      expect(hosts.filter((h) => h.status === 'ok')).to.have.length(19);
      const limited = await ping('--limit', info.hosts[0].name);
      expect(limited.code).to.equal(ExitCode.ok);
      expect(limited.lines.filter((l) => l.host).map((l) => l.host)).to.deep.equal([info.hosts[0].name]);
    } finally {
      await sandboxFault(name, victim, 'up', { dir: path.join(dir, 'sb') });
    }
  });

  it('become as deploy with sudo password "deploy": root shell, env survives, 2 channels', async () => {
    const inventory = await loadInventory([info.inventory]);
    const connector = await testConnector(dir, { sshConfig: info.sshConfig });
    try {
      const hostName = info.hosts[0].name;
      const vars = { ...inventory.hostVars(hostName), ansible_user: 'deploy', ansible_become_password: 'deploy' };
      // One round trip for the login shell's commands, one for the root shell's (a batch keeps its order).
      const [r] = await pingHosts(connector, [{ name: hostName, vars }], { become: true });
      expect(r, JSON.stringify(r)).to.include({ status: 'ok', user: 'deploy', becomeUser: 'root', channels: 2, roundTrips: 2 });
      const conn = await connector.pool.connect(connector.target(hostName, vars));
      const out = await conn.exec('echo "$FD_ENV_CHECK"; id -u', { become: true, env: { FD_ENV_CHECK: 'kept through sudo' } });
      expect(out.stdout).to.equal('kept through sudo\n0\n');
      expect(conn.stats.channels).to.equal(2);
    } finally {
      await connector.close();
    }
  });
});
