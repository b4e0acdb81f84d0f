import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../support/cli.js';

// Loopback port 1: nothing listens, every connect is refused at once: each host is UNREACHABLE at
// its first task that needs it (a command; debug would run, as in ansible-playbook).
const HOSTS = Array.from({ length: 9 }, (_, i) => `node-${i + 1}`);
const INVENTORY = `[web]\n${HOSTS.map((h) => `${h} ansible_host=127.0.0.1 ansible_port=1`).join('\n')}\n`;
const PLAYBOOK = '- name: p\n  hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n- name: q\n  hosts: node-1\n  tasks:\n    - debug: msg=y\n';

function workspace(playbook = PLAYBOOK): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-workers-'));
  writeFileSync(join(dir, 'hosts.ini'), INVENTORY);
  writeFileSync(join(dir, 'pb.yml'), playbook);
  return dir;
}

const eventsOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cli: run --workers', () => {
  const saved = process.env.ANSIBLE_RETRY_FILES_ENABLED;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_RETRY_FILES_ENABLED;
    else process.env.ANSIBLE_RETRY_FILES_ENABLED = saved;
  });

  it('--workers 2 gives the one-thread recap, headers, retry file and exit code (unreachable hosts)', async () => {
    process.env.ANSIBLE_RETRY_FILES_ENABLED = 'true';
    const dir = workspace();
    const args = ['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--json', '--timeout', '2'];
    const one = await cli([...args, '--workers', '1']);
    const oneRetry = readFileSync(join(dir, 'pb.retry'), 'utf8');
    writeFileSync(join(dir, 'pb.retry'), '');
    const two = await cli([...args, '--workers', '2']);
    expect(two.stderr).to.equal('');
    expect(two.code).to.equal(one.code).and.to.equal(ExitCode.unreachable);
    const [a, b] = [eventsOf(one.stdout), eventsOf(two.stdout)];
    const recap = (es: Record<string, unknown>[]) => es.find((e) => e.type === 'recap')!.stats;
    expect(recap(b)).to.deep.equal(recap(a));
    expect(Object.keys(recap(b) as object)).to.have.length(HOSTS.length);
    const headers = (es: Record<string, unknown>[]) => es.filter((e) => e.type === 'play_start' || e.type === 'task_start' || e.type === 'no_hosts').map((e) => [e.type, e.hosts]);
    expect(headers(b)).to.deep.equal(headers(a));
    const results = (es: Record<string, unknown>[]) => es.filter((e) => e.type === 'host_result').map((e) => `${e.host} ${e.status}`).sort();
    expect(results(b)).to.deep.equal(results(a)).and.to.have.length(HOSTS.length);
    expect(readFileSync(join(dir, 'pb.retry'), 'utf8')).to.equal(oneRetry);
  });

  it('a playbook with run_once stays in one thread and says why', async () => {
    const dir = workspace('- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n      run_once: true\n');
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--timeout', '2', '--workers', '2']);
    expect(r.stderr).to.match(/--workers 2: play "all": run_once \(.*pb\.yml:4\): the run stays in one thread/);
    expect(r.code).to.equal(ExitCode.unreachable);
  });

  for (const bad of ['0', 'x', '1.5']) {
    it(`--workers ${bad} is a usage error before any host is contacted`, async () => {
      const dir = workspace();
      const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--workers', bad]);
      expect(r.code).to.be.oneOf([ExitCode.badUsage, ExitCode.badInput]);
      expect(r.stderr).to.include('expected a whole number >= 1 or auto');
      expect(r.stdout).to.not.include('PLAY');
    });
  }
});
