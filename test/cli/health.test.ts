/** `falco-deploy health` and run's falco_alert_tail at the command line: usage, no hosts, unreachable, exit codes. */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/cli.js';

const SITE = resolve(fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url)));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-health-cli-'));
  // Loopback port 9: nothing listens, the connect is refused at once.
  writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1 ansible_host=127.0.0.1 ansible_port=9\n');
  return dir;
}

describe('cli: health', () => {
  it('--watch 0 is a usage error (exit 5)', async () => {
    const r = await cli(['health', '-i', join(workspace(), 'hosts.ini'), '--watch', '0']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('--watch must be a positive number of seconds');
  });

  it('a --limit that matches no host: bad input (exit 4), as ansible-playbook refuses it', async () => {
    const r = await cli(['health', '-i', join(workspace(), 'hosts.ini'), '--limit', 'nothing-here']);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.include('Could not match supplied host pattern, ignoring: nothing-here');
    expect(r.stdout).to.equal('');
  });

  it('an unreachable host is a row of its own and exit 3 (--json: status unreachable with the error)', async () => {
    const dir = workspace();
    const r = await cli(['health', '-i', join(dir, 'hosts.ini'), '-T', '2', '--json']);
    expect(r.code, r.stderr).to.equal(3);
    const [row, summary] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(row).to.include({ host: 'w1', status: 'unreachable' });
    expect(row.error).to.be.a('string').and.to.have.length.greaterThan(0);
    expect(summary).to.deep.equal({ summary: { total: 1, healthy: 0, degraded: 0, unreachable: 1, text: '1 unreachable' } });
  });

  it('--html into a missing directory: bad input naming the file (exit 4)', async () => {
    const dir = workspace();
    const page = join(dir, 'no', 'such', 'dir', 'h.html');
    const r = await cli(['health', '-i', join(dir, 'hosts.ini'), '-T', '2', '--html', page]);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.include(page).and.to.include('cannot write the HTML page');
  });

  it('run site.yml -e falco_alert_tail=abc: usage error (exit 5) before any host is contacted', async () => {
    const r = await cli(['run', SITE, '-i', join(workspace(), 'hosts.ini'), '-e', 'falco_alert_tail=abc']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('falco_alert_tail must be a whole number >= 0');
    expect(r.stdout).not.to.include('PLAY');
  });

  it('-e without --playbook is a usage error (exit 5): the extra vars would have nothing to apply to', async () => {
    const r = await cli(['health', '-i', join(workspace(), 'hosts.ini'), '-e', 'falco_driver=kmod']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('-e/--extra-vars is for the playbook of --playbook');
  });

  it('--playbook that does not exist or does not load: bad input naming the file (and line) before any host is contacted (exit 4)', async () => {
    const dir = workspace();
    const missing = join(dir, 'nope.yml');
    const r = await cli(['health', '-i', join(dir, 'hosts.ini'), '--json', '--playbook', missing]);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.include(missing);
    expect(r.stdout).to.equal('');
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, '- hosts: all\n  tasks:\n    - name: no module here\n      nosuchmodule: {}\n');
    const b = await cli(['health', '-i', join(dir, 'hosts.ini'), '--json', '--playbook', bad]);
    expect(b.code).to.equal(4);
    expect(b.stderr).to.include(`${bad}:4:7: unknown module 'nosuchmodule'`);
    expect(b.stdout).to.equal('');
  });
});
