import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../support/cli.js';

// Loopback port 1: nothing listens, every connect is refused at once: each host is UNREACHABLE at
// its first task that needs it (a command; debug would run, as in ansible-playbook).
const HOSTS = Array.from({ length: 12 }, (_, i) => `node-${String.fromCharCode(97 + i)}`);
const INVENTORY = `[web]\n${HOSTS.map((h) => `${h} ansible_host=127.0.0.1 ansible_port=1`).join('\n')}\n`;
const PLAYBOOK = '- name: p\n  hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-shard-'));
  writeFileSync(join(dir, 'hosts.ini'), INVENTORY);
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
  return dir;
}

const listed = (stdout: string) => [...stdout.matchAll(/^ {6}(\S+)$/gm)].map((m) => m[1]);
const recapOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap');

describe('cli: --shard i/N and report merge', () => {
  it('run --list-hosts --shard: the N shards are disjoint and together are the selected hosts', async () => {
    const dir = workspace();
    const parts: string[][] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--list-hosts', '--shard', `${i}/3`]);
      expect(r.code, r.stderr).to.equal(0);
      parts.push(listed(r.stdout));
    }
    expect(parts.flat().sort()).to.deep.equal([...HOSTS].sort());
    expect(new Set(parts.flat()).size).to.equal(HOSTS.length);
  });

  it('--shard applies after --limit', async () => {
    const dir = workspace();
    const limit = HOSTS.slice(0, 6).join(',');
    const parts: string[] = [];
    for (let i = 1; i <= 2; i++) parts.push(...listed((await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--list-hosts', '--limit', limit, '--shard', `${i}/2`])).stdout));
    expect(parts.sort()).to.deep.equal(HOSTS.slice(0, 6));
  });

  it('a bad --shard is a usage error before any host is contacted', async () => {
    const dir = workspace();
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--shard', '4/3']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('expected i/N');
    expect(r.stdout).to.not.include('PLAY');
  });

  it('ping --shard contacts only its part of the hosts', async () => {
    const dir = workspace();
    const seen: string[] = [];
    for (let i = 1; i <= 2; i++) {
      const r = await cli(['ping', '-i', join(dir, 'hosts.ini'), '--json', '--timeout', '2', '--shard', `${i}/2`]);
      expect(r.code).to.equal(ExitCode.unreachable);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const hosts = lines.filter((l) => l.host).map((l) => l.host as string);
      expect(lines.find((l) => l.summary).summary.total).to.equal(hosts.length);
      seen.push(...hosts);
    }
    expect(seen.sort()).to.deep.equal([...HOSTS].sort());
  });

  it('health --shard probes only its part; report merge of the parts is the single health table, JSON and exit code', async () => {
    const dir = workspace();
    const inv = join(dir, 'hosts.ini');
    const single = await cli(['health', '-i', inv, '--json', '--timeout', '2']);
    const files: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await cli(['health', '-i', inv, '--json', '--timeout', '2', '--shard', `${i}/3`]);
      files.push(join(dir, `health-${i}.json`));
      writeFileSync(files[i - 1], r.stdout);
    }
    const hostsOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.host);
    const parts = files.map((f) => hostsOf(readFileSync(f, 'utf8')).map((h) => h.host as string));
    expect(parts.flat().sort()).to.deep.equal([...HOSTS].sort());
    expect(new Set(parts.flat()).size).to.equal(HOSTS.length);
    const merged = await cli(['report', 'merge', ...files, '--json']);
    expect(merged.code).to.equal(single.code).and.to.equal(ExitCode.unreachable);
    const strip = (h: { host: string; status: string; problems: string[] }) => ({ host: h.host, status: h.status, problems: h.problems });
    const byName = (a: { host: string }, b: { host: string }) => a.host.localeCompare(b.host);
    expect(hostsOf(merged.stdout).map(strip)).to.deep.equal(hostsOf(single.stdout).map(strip).sort(byName));
    const summary = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.summary).summary;
    expect(summary(merged.stdout)).to.deep.equal(summary(single.stdout));
    const table = await cli(['report', 'merge', ...files]);
    for (const h of HOSTS) expect(table.stdout.match(new RegExp(`^${h}\\s`, 'gm')), h).to.have.length(1);
  });

  it('report merge refuses a health output mixed with a run output, and a host in two health outputs', async () => {
    const dir = workspace();
    const inv = join(dir, 'hosts.ini');
    const health = join(dir, 'h.json');
    writeFileSync(health, (await cli(['health', '-i', inv, '--json', '--timeout', '2', '--shard', '1/2'])).stdout);
    const run = join(dir, 'r.json');
    writeFileSync(run, (await cli(['run', join(dir, 'pb.yml'), '-i', inv, '--json', '--timeout', '2', '--shard', '2/2'])).stdout);
    const mixed = await cli(['report', 'merge', health, run]);
    expect(mixed.code).to.equal(4);
    expect(mixed.stderr).to.include(`${health} is \`health --json\` output but ${run} is \`run --json\` output`);
    const twice = await cli(['report', 'merge', health, health]);
    expect(twice.code).to.equal(4);
    expect(twice.stderr).to.match(/host node-\S+ is in both/);
  });

  describe('report merge', () => {
    const saved = process.env.ANSIBLE_RETRY_FILES_ENABLED;
    afterEach(() => {
      if (saved === undefined) delete process.env.ANSIBLE_RETRY_FILES_ENABLED;
      else process.env.ANSIBLE_RETRY_FILES_ENABLED = saved;
    });

    it('the shards\' --json outputs merge into the single run\'s recap, retry file and exit code', async () => {
      process.env.ANSIBLE_RETRY_FILES_ENABLED = 'true';
      const dir = workspace();
      const single = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--json', '--timeout', '2']);
      const singleRetry = readFileSync(join(dir, 'pb.retry'), 'utf8');
      const files: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--json', '--timeout', '2', '--shard', `${i}/3`]);
        files.push(join(dir, `shard-${i}.json`));
        writeFileSync(files[i - 1], r.stdout);
      }
      const retry = join(dir, 'merged.retry');
      const merged = await cli(['report', 'merge', ...files, '--json', '--retry-file', retry]);
      expect(merged.code).to.equal(single.code).and.to.equal(ExitCode.unreachable);
      expect(recapOf(merged.stdout).stats).to.deep.equal(recapOf(single.stdout).stats);
      expect(Object.keys(recapOf(merged.stdout).stats)).to.have.length(HOSTS.length);
      expect(readFileSync(retry, 'utf8')).to.equal(singleRetry);
      expect(recapOf(merged.stdout).retryFile).to.equal(retry);

      const text = await cli(['report', 'merge', ...files, '--retry-file', retry]);
      expect(text.stdout).to.match(/PLAY RECAP \*+\nnode-a\s+: ok=0\s+changed=0\s+unreachable=1/);
    });

    it('without --retry-file, writes the retry file where run would (beside the playbook)', async () => {
      process.env.ANSIBLE_RETRY_FILES_ENABLED = 'true';
      const dir = workspace();
      const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--json', '--timeout', '2', '--shard', '1/2']);
      writeFileSync(join(dir, 'one.json'), r.stdout);
      const before = readFileSync(join(dir, 'pb.retry'), 'utf8');
      writeFileSync(join(dir, 'pb.retry'), '');
      expect((await cli(['report', 'merge', join(dir, 'one.json')])).code).to.equal(ExitCode.unreachable);
      expect(readFileSync(join(dir, 'pb.retry'), 'utf8')).to.equal(before);
    });

    it('exit code as one run: any failed host -> 2; all ok -> 0; an interrupted shard -> interrupted', async () => {
      const dir = workspace();
      const out = (name: string, stats: Record<string, unknown>, extra = {}) => {
        const file = join(dir, name);
        writeFileSync(file, `${JSON.stringify({ type: 'recap', stats, ...extra })}\n`);
        return file;
      };
      const s = (over = {}) => ({ ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...over });
      const ok = out('ok.json', { a: s() });
      expect((await cli(['report', 'merge', ok])).code).to.equal(ExitCode.ok);
      expect((await cli(['report', 'merge', ok, out('f.json', { b: s({ failed: 1 }) }), out('u.json', { c: s({ unreachable: 1 }) })])).code).to.equal(ExitCode.hostFailures);
      expect((await cli(['report', 'merge', ok, out('i.json', { b: s() }, { interrupted: true })])).code).to.equal(ExitCode.interrupted);
      expect(existsSync(join(dir, 'pb.retry'))).to.equal(false);
    });

    it('overlapping outputs or a missing file are bad input (exit 4) naming the file', async () => {
      const dir = workspace();
      const file = join(dir, 'a.json');
      writeFileSync(file, `${JSON.stringify({ type: 'recap', stats: { a: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } } })}\n`);
      const twice = await cli(['report', 'merge', file, file]);
      expect(twice.code).to.equal(4);
      expect(twice.stderr).to.include(`host a is in both ${file} and ${file}`);
      const missing = await cli(['report', 'merge', join(dir, 'nope.json')]);
      expect(missing.code).to.equal(4);
      expect(missing.stderr).to.include('nope.json');
    });
  });
});
