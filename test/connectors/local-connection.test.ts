/**
 * The local connection runs the SSH connector's persistent-shell protocol over local child
 * processes: batching with exit codes, stdin, output limits, streamed files, timeouts, Ctrl-C.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InterruptedError } from '../../src/errors.js';
import { LocalHostConnection } from '../../src/connectors/local-connection.js';

describe('connectors/local-connection (child processes on the controller)', function () {
  this.timeout(20_000);
  let dir: string;
  let conn: LocalHostConnection;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-local-'));
    conn = new LocalHostConnection({ name: 'localhost', user: userInfo().username });
  });
  afterEach(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a batch in one persistent shell, each command with its own exit code, stdout and stderr', async () => {
    const [a, b, c] = await conn.execBatch([
      { command: 'echo $$; echo out' },
      { command: 'echo err >&2; exit 3' },
      { command: 'echo $$', stdin: 'ignored' },
    ]);
    expect(a.stdout.split('\n')[1]).to.equal('out');
    expect(b).to.include({ stdout: '', stderr: 'err\n', exitCode: 3 });
    // the same long-lived shell ran all three commands ($$ is the shell's pid)
    expect(c.stdout.trim()).to.equal(a.stdout.split('\n')[0]);
    expect(conn.stats.roundTrips).to.equal(1);
    expect(conn.stats.channels).to.equal(1);
  });

  it('a request failing its stopBatchUnless ends the batch: later commands (stdin ones too) never run and get no result', async () => {
    const mark = (n: string) => join(dir, n);
    const results = await conn.execBatch([
      { command: `touch ${mark('a')}; exit 1`, stopBatchUnless: [0, 1] },
      { command: 'echo probe' },
      { command: `touch ${mark('b')}; exit 5`, stopBatchUnless: [0] },
      { command: `cat > ${mark('c')}`, stdin: 'never\n', stopBatchUnless: [0] },
      { command: `touch ${mark('d')}` },
    ]);
    expect(results.map((r) => r.exitCode)).to.deep.equal([1, 0, 5]);
    expect(results[1].stdout).to.equal('probe\n');
    expect(['a', 'b', 'c', 'd'].map((n) => existsSync(mark(n)))).to.deep.equal([true, true, false, false]);
    expect(conn.stats.roundTrips).to.equal(1);
    // the next batch starts afresh
    const [next] = await conn.execBatch([{ command: 'echo again', stopBatchUnless: [0] }]);
    expect(next.stdout).to.equal('again\n');
  });

  it('feeds stdin, passes env and cwd, and cuts output over the limit', async () => {
    const r = await conn.exec('cat; printf %s "$FD_X"; pwd', { stdin: 'in:', env: { FD_X: 'x' }, cwd: dir });
    expect(r.stdout).to.equal(`in:x${dir}\n`);
    const big = await conn.exec('head -c 100000 /dev/zero | tr "\\0" a', { maxOutputBytes: 1000 });
    expect(big.stdout.length).to.be.lessThan(2000);
  });

  it('streams a controller file through a command of its own', async () => {
    const src = join(dir, 'src');
    const dest = join(dir, 'out', 'dest');
    writeFileSync(src, 'PAYLOAD');
    const r = await conn.exec('tr A-Z a-z', { stdinFile: src, stdoutFile: dest });
    expect(r.exitCode).to.equal(0);
    expect(readFileSync(dest, 'utf8')).to.equal('payload');
  });

  it('uploads atomically', async () => {
    const dest = join(dir, 'up');
    await conn.upload('content', dest, { mode: 0o600 });
    expect(readFileSync(dest, 'utf8')).to.equal('content');
  });

  async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
      await p;
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected a rejection');
  }

  /** Starts a command that records its pid and sleeps; resolves with the pid once it runs. */
  async function sleeper(opts: { timeoutMs?: number } = {}): Promise<{ pid: number; running: Promise<unknown> }> {
    const pidFile = join(dir, 'pid');
    const running = conn.exec(`sh -c 'echo $$ > ${pidFile}; exec sleep 30'`, opts);
    running.catch(() => undefined);
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
    return { pid: Number(readFileSync(pidFile, 'utf8')), running };
  }

  /** Ended: no such process, or a zombie (its shell died first and this container's init does not reap). */
  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      if (!/\) [^Z] /.test(stat)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  it('a timed-out command is ended with its process tree, and the next command gets a fresh shell', async () => {
    const { pid, running } = await sleeper({ timeoutMs: 500 });
    expect((await rejection(running)).message).to.match(/timed out after 500 ms/);
    expect(await gone(pid), 'the command still runs').to.equal(true);
    expect((await conn.exec('echo again')).stdout).to.equal('again\n');
  });

  it('Ctrl-C (interrupt) fails the running command and ends its process tree', async () => {
    const { pid, running } = await sleeper();
    await conn.interrupt();
    expect(await rejection(running)).to.be.instanceOf(InterruptedError);
    expect(await gone(pid), 'the command still runs').to.equal(true);
  });
});
