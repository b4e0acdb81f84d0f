import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { FalcoDeployError, UnreachableError } from '../../../src/errors.js';
import type { Connector } from '../../../src/connectors/setup.js';
import type { SshHostConnection } from '../../../src/connectors/ssh-connection.js';
import { startLoopbackFleet, type LoopbackFleet } from './loopback-fleet.js';
import { testConnector } from './harness.js';

describe('integration: connectors persistent shell over one connection (loopback sshd)', function () {
  this.timeout(120_000);
  let fleet: LoopbackFleet;
  let connector: Connector;
  let conn: SshHostConnection;

  before(async () => {
    fleet = await startLoopbackFleet(2, { sudo: true });
    connector = await testConnector(fleet.dir);
    conn = await connector.pool.connect(connector.target('lb1', fleet.hostVars('lb1')));
  });
  after(async () => {
    await connector?.close();
    await fleet?.stop();
  });

  it('200 commands reuse one connection and one channel', async () => {
    const before = { ...conn.stats };
    for (let i = 0; i < 200; i++) {
      const r = await conn.exec(`echo ${i}`);
      expect(r.stdout).to.equal(`${i}\n`);
    }
    expect(conn.stats.channels).to.equal(Math.max(before.channels, 1));
    expect(conn.stats.channels).to.equal(1);
    expect(conn.stats.roundTrips - before.roundTrips).to.equal(200);
    expect(await connector.pool.connect(connector.target('lb1', fleet.hostVars('lb1')))).to.equal(conn);
  });

  it('execBatch of 100 commands is one round trip, each with its own output and exit code', async () => {
    const before = conn.stats.roundTrips;
    const results = await conn.execBatch(
      Array.from({ length: 100 }, (_, i) => ({ command: `echo out${i}; echo err${i} >&2; exit ${i % 7}` })),
    );
    expect(conn.stats.roundTrips - before).to.equal(1);
    results.forEach((r, i) => {
      expect(r).to.include({ stdout: `out${i}\n`, stderr: `err${i}\n`, exitCode: i % 7 });
    });
  });

  it('stdout and stderr are separate; exit codes come back; non-zero resolves', async () => {
    const r = await conn.exec('echo to-out; echo to-err >&2; printf more; exit 42');
    expect(r).to.include({ stdout: 'to-out\nmore', stderr: 'to-err\n', exitCode: 42 });
    expect((await conn.exec('false')).exitCode).to.equal(1);
    expect((await conn.exec('no-such-command-fd')).exitCode).to.equal(127);
  });

  it('binary stdin of 5 MB round-trips (sha256 on both ends)', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    const r = await conn.exec('sha256sum | cut -d" " -f1', { stdin: data });
    expect(r.exitCode).to.equal(0);
    expect(r.stdout.trim()).to.equal(createHash('sha256').update(data).digest('hex'));
  });

  it('a command reading stdin does not eat the next command (batched together)', async () => {
    const [a, b, c] = await conn.execBatch([
      { command: 'cat; echo a-done' },
      { command: 'read line; echo "got[$line]"' },
      { command: 'echo c-ran' },
    ]);
    expect(a.stdout).to.equal('a-done\n');
    expect(b.stdout).to.equal('got[]\n');
    expect(c.stdout).to.equal('c-ran\n');
  });

  it('env and cwd reach the command', async () => {
    const r = await conn.exec('printf "%s %s" "$FD_GREETING" "$(pwd)"', { env: { FD_GREETING: "hello 'world'" }, cwd: '/tmp' });
    expect(r.stdout).to.equal("hello 'world' /tmp");
  });

  it('a killed shell fails its pending commands, then restarts once on next use', async () => {
    const channelsBefore = conn.stats.channels;
    const err = await conn.execBatch([{ command: 'kill -9 $$' }, { command: 'echo never' }]).then(
      () => undefined,
      (e: FalcoDeployError) => e,
    );
    expect(err).to.be.instanceOf(FalcoDeployError);
    expect(err).to.not.be.instanceOf(UnreachableError);
    expect(err!.host).to.equal('lb1');
    expect(err!.message).to.match(/shell exited/);
    const r = await conn.exec('echo back');
    expect(r.stdout).to.equal('back\n');
    expect(conn.stats.channels).to.equal(channelsBefore + 1);
  });

  it('a command timeout aborts that command, ends its processes and the shell; the next command gets a new shell', async () => {
    const channels = conn.stats.channels;
    const started = Date.now();
    const marker = `30.${Date.now() % 1_000_000}`;
    const err = await conn.exec(`sleep ${marker} | cat`, { timeoutMs: 300 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(FalcoDeployError);
    expect(err!.message).to.equal('command timed out after 300 ms');
    expect(Date.now() - started, 'did not wait for sleep 30').to.be.below(30_000);
    expect((await conn.exec('echo ok')).stdout).to.equal('ok\n');
    // One channel for the kill (kill-tree.ts), one for the new shell.
    expect(conn.stats.channels).to.equal(channels + 2);
    let left = '';
    for (let i = 0; i < 30; i++) {
      left = (await conn.exec(`ps -eo pid=,args= | grep -F ${marker} | grep -v grep || true`)).stdout;
      if (!left) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left, 'the timed-out command was killed on the host').to.equal('');
  });

  it('become: root shell via sudo -S with the password, env survives sudo, one extra channel', async () => {
    const target = { ...connector.target('lb2', fleet.hostVars('lb2')), becomePassword: fleet.password };
    const c = await connector.pool.connect({ ...target, name: 'lb2-become' });
    const plain = await c.exec('id -un');
    expect(plain.stdout.trim()).to.equal(fleet.user);
    for (let i = 0; i < 50; i++) {
      const r = await c.exec('id -un; echo "$FD_SECRET_ENV"', { become: true, env: { FD_SECRET_ENV: `v${i}` } });
      expect(r.stdout).to.equal(`root\nv${i}\n`);
    }
    expect(c.stats.channels, 'login shell + root shell').to.equal(2);
    const other = await c.exec('id -un', { become: true, becomeUser: 'nobody' });
    expect(other.stdout.trim()).to.equal('nobody');
    expect(c.stats.channels, 'login shell + root shell + nobody shell').to.equal(3);
    // A mixed batch keeps its order across the two shells.
    const mixed = await c.execBatch([
      { command: 'id -un' },
      { command: 'id -un', become: true },
      { command: 'id -un' },
    ]);
    expect(mixed.map((r) => r.stdout.trim())).to.deep.equal([fleet.user, 'root', fleet.user]);
  });

  it('a command failing its stopBatchUnless stops the batch over SSH: later commands, in its shell and in the root shell, never run', async () => {
    const target = { ...connector.target('lb2', fleet.hostVars('lb2')), becomePassword: fleet.password };
    const c = await connector.pool.connect({ ...target, name: 'lb2-stop' });
    const mark = `/tmp/fd-stop-${randomBytes(6).toString('hex')}`;
    try {
      const before = c.stats.roundTrips;
      const stopped = await c.execBatch([
        { command: `touch ${mark}-a`, stopBatchUnless: [0] },
        { command: 'exit 3', stopBatchUnless: [0] },
        { command: `touch ${mark}-b` },
        { command: `touch ${mark}-c`, become: true, stopBatchUnless: [0] },
      ]);
      expect(stopped.map((r) => r.exitCode)).to.deep.equal([0, 3]);
      expect(c.stats.roundTrips - before, 'the root shell group was never sent').to.equal(1);
      const left = await c.exec(`ls ${mark}-* 2>/dev/null`);
      expect(left.stdout.trim().split('\n')).to.deep.equal([`${mark}-a`]);
      // a batch that does not fail runs everything, across both shells, in order
      const ran = await c.execBatch([
        { command: 'id -un', stopBatchUnless: [0] },
        { command: 'id -un', become: true, stopBatchUnless: [0] },
        { command: 'id -un' },
      ]);
      expect(ran.map((r) => r.stdout.trim())).to.deep.equal([fleet.user, 'root', fleet.user]);
    } finally {
      await c.exec(`rm -f ${mark}-*`);
    }
  });

  it('become: a timed-out root command is killed too (the login user cannot signal it)', async () => {
    const target = { ...connector.target('lb2', fleet.hostVars('lb2')), becomePassword: fleet.password };
    const c = await connector.pool.connect({ ...target, name: 'lb2-become-timeout' });
    const marker = `31.${Date.now() % 1_000_000}`;
    const err = await c.exec(`sleep ${marker} | cat`, { become: true, timeoutMs: 500 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.equal('command timed out after 500 ms');
    let left = '';
    for (let i = 0; i < 30; i++) {
      left = (await c.exec(`ps -eo pid=,user=,args= | grep -F ${marker} | grep -v grep || true`)).stdout;
      if (!left) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left, 'root processes of the timed-out command').to.equal('');
  });

  it('become with a wrong password fails clearly, without the password in the message', async () => {
    const secret = 'wrong-pw-' + randomBytes(4).toString('hex');
    const target = { ...connector.target('lb2', fleet.hostVars('lb2')), becomePassword: secret, name: 'lb2-wrongpw' };
    const c = await connector.pool.connect(target);
    const err = await c.exec('id -un', { become: true }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(FalcoDeployError);
    expect(err!.message).to.match(/sudo rejected the become password/);
    expect(err!.message).to.not.include(secret);
    expect((await c.exec('echo still-usable')).stdout).to.equal('still-usable\n');
  });

  it('become without a password when sudo needs one says how to give it', async () => {
    const c = await connector.pool.connect({ ...connector.target('lb2', fleet.hostVars('lb2')), name: 'lb2-nopw' });
    const err = await c.exec('id -un', { become: true }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(FalcoDeployError);
    expect(err!.message).to.match(/password is required/);
    expect(err!.message).to.include('--ask-become-pass');
  });

  it('upload writes bytes atomically with the given mode', async () => {
    const data = randomBytes(300_000);
    const dest = `${fleet.dir}/home/uploaded.bin`;
    await conn.upload(data, dest, { mode: 0o640 });
    const r = await conn.exec(`stat -c %a ${dest}; sha256sum < ${dest} | cut -d" " -f1`);
    expect(r.stdout).to.equal(`640\n${createHash('sha256').update(data).digest('hex')}\n`);
  });

  it('a host that vanishes mid-command makes the command UNREACHABLE (not failed)', async () => {
    const running = conn.exec('sleep 20; echo never');
    await new Promise((r) => setTimeout(r, 300));
    await fleet.killHost('lb1');
    const err = await running.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err, 'the pending command rejects').to.be.instanceOf(UnreachableError);
    expect(err!.message).to.match(/connection/);
    const next = await conn.exec('echo x').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(next).to.be.instanceOf(UnreachableError);
  });
});
