import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConnectionPool } from '../../../src/connectors/pool.js';
import { pingHosts } from '../../../src/connectors/ping-hosts.js';
import { resolveTarget } from '../../../src/connectors/resolve-target.js';
import { loadSshConfig } from '../../../src/connectors/ssh-config-file.js';
import { createConnector } from '../../../src/connectors/setup.js';
import { UnreachableError } from '../../../src/errors.js';
import { startLoopbackFleet, type LoopbackFleet } from './loopback-fleet.js';
import { testConnector } from './harness.js';

describe('integration: connectors auth methods and jump hosts (loopback sshd)', function () {
  this.timeout(120_000);
  let fleet: LoopbackFleet;

  before(async () => {
    fleet = await startLoopbackFleet(6, { sshdExtra: ['PasswordAuthentication yes', 'AllowTcpForwarding yes'] });
  });
  after(async () => {
    await fleet?.stop();
  });

  const baseOpts = () => ({ localUser: 'root', homeDir: fleet.dir });

  it('hosts behind one bastion share ONE bastion connection (ProxyJump from ssh config)', async () => {
    const [bastion, ...inner] = fleet.hosts;
    const cfgFile = path.join(fleet.dir, 'jump_ssh_config');
    await fs.writeFile(
      cfgFile,
      (await fs.readFile(fleet.sshConfigFile, 'utf8')) +
        inner.map((h) => `\nHost via-${h.name}\n  HostName 127.0.0.1\n  Port ${h.port}\n  User ${fleet.user}\n  IdentityFile ${fleet.clientKey}\n  UserKnownHostsFile ${fleet.knownHostsFile}\n  ProxyJump ${bastion.name}\n`).join(''),
    );
    const config = await loadSshConfig(cfgFile);
    const pool = new ConnectionPool({ forks: 2, homeDir: fleet.dir });
    try {
      const conns = await Promise.all(inner.map((h) => pool.connect(resolveTarget(`via-${h.name}`, {}, baseOpts(), config))));
      const outs = await Promise.all(conns.map((c) => c.exec('echo $SSH_CONNECTION')));
      // Every inner host sees the connection coming from the bastion's forwarded channel.
      for (const o of outs) expect(o.stdout).to.match(/^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/);
      expect(pool.stats).to.deep.equal({ hostConnections: inner.length, jumpConnections: 1 });
    } finally {
      await pool.closeAll();
    }
  });

  it('a ProxyJump chain a,b (from ansible_ssh_common_args -J) reaches the target through both', async () => {
    const [a, b, t] = fleet.hosts;
    const pool = new ConnectionPool({ forks: 5, homeDir: fleet.dir });
    try {
      const vars = {
        ...fleet.hostVars(t.name),
        ansible_ssh_common_args: `-o UserKnownHostsFile=${fleet.knownHostsFile} -J ${a.name},${b.name}`,
      };
      const config = await loadSshConfig(fleet.sshConfigFile);
      const target = resolveTarget(t.name, vars, baseOpts(), config);
      expect(target.proxyJump!.map((j) => j.port)).to.deep.equal([a.port, b.port]);
      const c = await pool.connect(target);
      expect((await c.exec('echo via-chain')).stdout).to.equal('via-chain\n');
      expect(pool.stats.jumpConnections).to.equal(2);
    } finally {
      await pool.closeAll();
    }
  });

  it('an unreachable bastion makes the hosts behind it UNREACHABLE, naming the jump host', async () => {
    const [, , , x] = fleet.hosts;
    const connector = await testConnector(fleet.dir);
    try {
      const [r] = await pingHosts(connector, [
        { name: x.name, vars: { ...fleet.hostVars(x.name), ansible_ssh_common_args: `-o UserKnownHostsFile=${fleet.knownHostsFile} -J ${fleet.user}@127.0.0.1:1` } },
      ]);
      expect(r.status).to.equal('unreachable');
      expect(r.error).to.match(/jump host .*127\.0\.0\.1:1 unreachable: connection refused/);
    } finally {
      await connector.close();
    }
  });

  it('password auth (ansible_password) when no key is given', async () => {
    const h = fleet.hosts[0];
    const connector = await testConnector(fleet.dir);
    try {
      const vars = { ...fleet.hostVars(h.name), ansible_ssh_private_key_file: '', ansible_password: fleet.password };
      const [r] = await pingHosts(connector, [{ name: h.name, vars }]);
      expect(r.status, r.error).to.equal('ok');
      const [bad] = await pingHosts(connector, [{ name: `${h.name}-bad`, vars: { ...vars, ansible_password: 'nope' } }]);
      expect(bad.status).to.equal('unreachable');
      expect(bad.error).to.match(/authentication failed for .*\(tried: password\b/);
      expect(bad.error).to.not.include('nope');
    } finally {
      await connector.close();
    }
  });

  it('an encrypted key: the passphrase is asked once per key file, however many hosts use it', async () => {
    const key = path.join(fleet.dir, 'id_encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'sekrit', '-f', key]);
    await fs.appendFile(path.join(fleet.dir, 'authorized_keys'), await fs.readFile(`${key}.pub`));
    const asked: string[] = [];
    const connector = await createConnector(
      { forks: 10, hostKeyChecking: 'strict', timeout: 10, sshConfig: '/dev/null' },
      {
        homeDir: fleet.dir,
        localUser: 'root',
        env: {},
        prompt: async (q) => {
          asked.push(q);
          return 'sekrit';
        },
      },
    );
    try {
      const results = await pingHosts(
        connector,
        fleet.hosts.map((h) => ({ name: h.name, vars: { ...fleet.hostVars(h.name), ansible_ssh_private_key_file: key } })),
      );
      expect(results.every((r) => r.status === 'ok'), JSON.stringify(results)).to.equal(true);
      expect(asked).to.deep.equal([`Enter passphrase for key '${key}': `]);
    } finally {
      await connector.close();
    }
  });

  it('ssh-agent (SSH_AUTH_SOCK) is used when no key file is given', async () => {
    const sock = path.join(fleet.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !(await fs.stat(sock).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', ['-q', fleet.clientKey], { env: { SSH_AUTH_SOCK: sock } });
      const connector = await createConnector(
        { forks: 10, hostKeyChecking: 'strict', timeout: 10, sshConfig: '/dev/null' },
        { homeDir: fleet.dir, localUser: 'root', env: { SSH_AUTH_SOCK: sock }, prompt: () => Promise.reject(new Error('no prompt')) },
      );
      try {
        const h = fleet.hosts[1];
        const vars = {
          ...fleet.hostVars(h.name),
          ansible_ssh_private_key_file: '',
          ansible_ssh_common_args: `-o UserKnownHostsFile=${fleet.knownHostsFile}`,
        };
        const [r] = await pingHosts(connector, [{ name: h.name, vars }]);
        expect(r.status, r.error).to.equal('ok');
        // IdentitiesOnly yes (from common args) turns the agent off: nothing left to try.
        const [none] = await pingHosts(connector, [
          { name: `${h.name}-io`, vars: { ...vars, ansible_ssh_common_args: `-o UserKnownHostsFile=${fleet.knownHostsFile} -o IdentitiesOnly=yes` } },
        ]);
        expect(none.status).to.equal('unreachable');
        expect(none.error).to.match(/authentication failed/);
      } finally {
        await connector.close();
      }
    } finally {
      agent.kill('SIGKILL');
    }
  });

  it('a named key file that does not exist is reported in the auth failure', async () => {
    const h = fleet.hosts[2];
    const connector = await testConnector(fleet.dir);
    try {
      const missing = path.join(fleet.dir, 'no-such-key');
      const [r] = await pingHosts(connector, [{ name: h.name, vars: { ...fleet.hostVars(h.name), ansible_ssh_private_key_file: missing } }]);
      expect(r.status).to.equal('unreachable');
      expect(r.error).to.include(`key ${missing} not readable (ENOENT)`);
    } finally {
      await connector.close();
    }
  });

  it('connect errors are UnreachableError from pool.connect', async () => {
    const pool = new ConnectionPool({ forks: 1, homeDir: fleet.dir });
    try {
      const target = resolveTarget('nowhere', { ansible_host: '127.0.0.1', ansible_port: 1, ansible_timeout: 2 }, baseOpts());
      const err = await pool.connect(target).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(UnreachableError);
      expect((err as UnreachableError).host).to.equal('nowhere');
    } finally {
      await pool.closeAll();
    }
  });
});
