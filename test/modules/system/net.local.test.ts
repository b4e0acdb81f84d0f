/**
 * wait_for and uri run for real against loopback: the probe snippets and the remote loop are
 * executed with `sh -c` here, as the engine would on a host.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecResult } from '../../../src/connectors/types.js';
import type { ModuleContext } from '../../../src/modules/contract.js';
import { findModule } from '../../../src/modules/registry.js';
import { runProbes } from '../../support/fact-fixtures.js';

/** Async (the HTTP server lives in this process and must keep answering). */
function run(command: string, stdin = ''): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1, durationMs: 0 }));
    child.stdin.on('error', () => undefined); // the command may exit before reading stdin
    child.stdin.end(stdin);
  });
}

const ctx = { host: 'local', facts: {}, check: false, diff: false, become: false } as unknown as ModuleContext;

async function execute(name: string, args: Record<string, unknown>) {
  const mod = findModule(name)!;
  const facts = await runProbes(await mod.probes(args, ctx), (p) => run(p.command));
  const plan = await mod.plan(args, facts, ctx);
  const results: ExecResult[] = [];
  for (const c of plan.commands) results.push(await run(c.command, c.stdin?.toString()));
  const result = mod.finish ? await mod.finish(args, plan, results, ctx) : plan.result;
  return { plan, results, result: result as Record<string, unknown> };
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bind, read the number, close. */
async function freePort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('wait_for and uri, run locally on loopback', function () {
  this.timeout(30000);

  it('wait_for: an open port is converged (no command)', async () => {
    const s = createTcpServer((c) => c.end());
    const port = await listen(s);
    try {
      const r = await execute('wait_for', { port, timeout: 5 });
      expect(r.plan.commands).to.have.length(0);
      expect(r.plan.changed).to.equal(false);
    } finally {
      s.close();
    }
  });

  it('wait_for: waits for a port that opens later', async () => {
    const port = await freePort();
    const s = createTcpServer((c) => c.end());
    setTimeout(() => s.listen(port, '127.0.0.1'), 1500);
    try {
      const r = await execute('wait_for', { port, timeout: 10 });
      expect(r.plan.commands).to.have.length(1);
      expect(r.plan.commands[0].readOnly).to.equal(true);
      expect(r.results[0].exitCode, r.results[0].stderr).to.equal(0);
      expect(r.result.changed).to.equal(false);
      expect(r.result.elapsed).to.be.a('number').and.to.be.at.least(1);
    } finally {
      s.close();
    }
  });

  it("wait_for: times out with Ansible's message", async () => {
    const port = await freePort();
    const r = await execute('wait_for', { port, timeout: 2 });
    expect(r.results[0].exitCode).to.equal(1);
    expect(r.result.msg).to.equal(`Timeout when waiting for 127.0.0.1:${port}`);
    expect(r.result.failed).to.equal(true);
  });

  it('wait_for: path with search_regex, and absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-wait-'));
    const file = join(dir, 'falco.log');
    try {
      writeFileSync(file, 'starting\n');
      setTimeout(() => writeFileSync(file, 'starting\nFalco initialized with configuration file\n'), 1200);
      const r = await execute('wait_for', { path: file, search_regex: 'Falco initialized', timeout: 10 });
      expect(r.results[0]?.exitCode).to.equal(0);
      setTimeout(() => rmSync(file), 1200);
      const gone = await execute('wait_for', { path: file, state: 'absent', timeout: 10 });
      expect(gone.results[0]?.exitCode).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('wait_for results as ansible-playbook 2.14 registered them (recorded on this machine, root, same inputs)', () => {
    const LOG = 'hello\nStarting health webserver on port 8765 (threads 2)\nbye\n';
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-wait-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const settled = (r: Record<string, unknown>) => ({ ...r, elapsed: 0 });

    for (const converged of [true, false]) {
      it(`path + search_regex: match_groups, match_groupdict and the file's stat (${converged ? 'met at the probe' : 'met in the wait loop'})`, async () => {
        const file = join(dir, 'log.txt');
        if (converged) writeFileSync(file, LOG, { mode: 0o644 });
        else setTimeout(() => writeFileSync(file, LOG, { mode: 0o644 }), 1200);
        const search_regex = 'Starting (health|internal) webserver on port (?P<port>\\d+)';
        const r = await execute('wait_for', { path: file, search_regex, timeout: 5 });
        expect(r.plan.commands).to.have.length(converged ? 0 : 1);
        expect(settled(r.result)).to.deep.equal({
          changed: false, elapsed: 0, gid: 0, group: 'root', match_groupdict: { port: '8765' }, match_groups: ['health', '8765'],
          mode: '0644', owner: 'root', path: file, port: null, search_regex, size: 61, state: 'file', uid: 0,
        });
      });
    }

    it('path + search_regex whose groups are none: empty match_groups; Python syntax (\\d, (?P<name>)) is not grep -E', async () => {
      const file = join(dir, 'log.txt');
      writeFileSync(file, LOG, { mode: 0o644 });
      const r = await execute('wait_for', { path: file, search_regex: '^bye$', timeout: 3 });
      expect(r.result).to.include({ state: 'file', search_regex: '^bye$' }).and.deep.include({ match_groups: [], match_groupdict: {} });
      const digits = await execute('wait_for', { path: file, search_regex: 'port \\d{4} ', timeout: 3 });
      expect(digits.result.failed, JSON.stringify(digits.result)).to.equal(undefined);
    });

    it('a timeout reports only changed, elapsed, failed and msg', async () => {
      const file = join(dir, 'log.txt');
      writeFileSync(file, LOG);
      const r = await execute('wait_for', { path: file, search_regex: 'nomatch(x)?', timeout: 2 });
      expect(settled(r.result)).to.deep.equal({ changed: false, elapsed: 0, failed: true, msg: 'Timeout when waiting for search string nomatch(x)? in ' + file });
    });

    it('state absent ignores search_regex and reports the path without stat', async () => {
      const r = await execute('wait_for', { path: join(dir, 'nothere'), state: 'absent', search_regex: 'x', timeout: 1 });
      expect(settled(r.result)).to.deep.equal({ changed: false, elapsed: 0, match_groupdict: {}, match_groups: [], path: join(dir, 'nothere'), port: null, search_regex: 'x', state: 'absent' });
    });

    describe('port + search_regex (a server that sends an SSH banner after 300 ms)', () => {
      let server: ReturnType<typeof createTcpServer>;
      let port: number;
      before(async () => {
        server = createTcpServer((sock) => {
          setTimeout(() => sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'), 300);
          setTimeout(() => sock.destroy(), 30_000).unref();
          sock.on('error', () => undefined);
        });
        await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
        port = (server.address() as AddressInfo).port;
      });
      after(() => server.close());

      it('the banner matches: started, no match_groups (Ansible takes groups from files only), quickly', async () => {
        const search_regex = 'OpenSSH_(?P<major>\\d+)\\.(\\d+)';
        const t0 = Date.now();
        const r = await execute('wait_for', { port, search_regex, timeout: 5 });
        expect(settled(r.result)).to.deep.equal({ changed: false, elapsed: 0, match_groupdict: {}, match_groups: [], path: null, port, search_regex, state: 'started' });
        expect(Date.now() - t0, 'does not wait for the server to close').to.be.below(20_000);
      });

      it("the banner does not match: times out with Ansible's message", async () => {
        const r = await execute('wait_for', { port, search_regex: 'Dropbear', timeout: 2 });
        expect(r.result).to.include({ failed: true, msg: `Timeout when waiting for search string Dropbear in 127.0.0.1:${port}` });
      });
    });
  });

  describe('uri', () => {
    let server: Server;
    let base: string;
    before(async () => {
      server = createServer((req, res) => {
        if (req.url === '/healthz') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"status":"ok"}');
        } else if (req.url === '/old') {
          res.writeHead(301, { Location: '/healthz' });
          res.end();
        } else if (req.url === '/echo' && req.method === 'POST') {
          let body = '';
          req.on('data', (d) => (body += d));
          req.on('end', () => {
            res.writeHead(201, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ got: JSON.parse(body), type: req.headers['content-type'] }));
          });
        } else {
          res.writeHead(503, { 'Content-Type': 'text/plain' });
          res.end('starting');
        }
      });
      base = `http://127.0.0.1:${await listen(server)}`;
    });
    after(() => server.close());

    it('GET json: a probe, parsed into json', async () => {
      const r = await execute('uri', { url: `${base}/healthz` });
      expect(r.plan.commands).to.have.length(0);
      expect(r.plan.failed).to.equal(undefined);
      expect(r.plan.result).to.deep.include({ status: 200, json: { status: 'ok' }, redirected: false, content_type: 'application/json' });
    });

    it('HEAD: status and headers, no body', async () => {
      const r = await execute('uri', { url: `${base}/healthz`, method: 'HEAD', return_content: true });
      expect(r.plan.result).to.deep.include({ status: 200, content: '', content_type: 'application/json' });
    });

    it('GET follows redirects (safe) and reports redirected', async () => {
      const r = await execute('uri', { url: `${base}/old` });
      expect(r.plan.result).to.deep.include({ status: 200, redirected: true, url: `${base}/healthz` });
    });

    it('status not accepted -> failed with Ansible message', async () => {
      const r = await execute('uri', { url: `${base}/other`, return_content: true });
      expect(r.plan.failed).to.equal('Status code was 503 and not [200]: HTTP Error 503: Service Unavailable');
      expect(r.plan.result?.content).to.equal('starting');
    });

    it('connection refused -> status -1', async () => {
      const r = await execute('uri', { url: `http://127.0.0.1:${await freePort()}/` });
      expect(r.plan.result?.status).to.equal(-1);
      expect(r.plan.failed).to.match(/^Status code was -1 and not \[200\]: Request failed: curl: \(7\)/);
    });

    it('POST json: a command with the body on stdin', async () => {
      const r = await execute('uri', { url: `${base}/echo`, method: 'POST', body: { a: 1 }, body_format: 'json', status_code: 201 });
      expect(r.results[0].exitCode).to.equal(0);
      expect(r.result).to.deep.include({ status: 201, json: { got: { a: 1 }, type: 'application/json' } });
      expect(r.result.failed).to.equal(undefined);
    });
  });
});
