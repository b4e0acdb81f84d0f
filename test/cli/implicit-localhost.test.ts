/**
 * The implicit localhost, as ansible-playbook 2.14: `hosts: localhost` without a localhost in the
 * inventory runs on this machine over connection local; `all` does not match it; an empty
 * inventory prints Ansible's warning; with no -i and no /etc/ansible/hosts, `run` goes on with that
 * empty inventory as ansible-playbook does (the other commands need hosts: a usage error).
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';

const WARNING = "[WARNING]: provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'";

function book(dir: string, hosts: string): string {
  const file = join(dir, `${hosts}.yml`);
  writeFileSync(file, `- hosts: ${hosts}\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/{{ inventory_hostname }}.${hosts}", content: "{{ ansible_connection }}" }\n`);
  return file;
}

describe('cli: the implicit localhost', function () {
  this.timeout(20_000);

  it('an empty inventory: hosts: localhost runs locally (with the warning), hosts: all matches nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-implicit-'));
    writeFileSync(join(dir, 'empty.ini'), '');
    const local = await cli(['run', book(dir, 'localhost'), '-i', join(dir, 'empty.ini')]);
    expect(local.code, local.stdout + local.stderr).to.equal(0);
    expect(local.stderr).to.include(WARNING);
    expect(readFileSync(join(dir, 'localhost.localhost'), 'utf8')).to.equal('local');
    const all = await cli(['run', book(dir, 'all'), '-i', join(dir, 'empty.ini')]);
    expect(all.code).to.equal(0);
    expect(all.stdout).to.include('skipping: no hosts matched');
    expect(existsSync(join(dir, 'localhost.all'))).to.equal(false);
  });

  it('a non-empty inventory: no warning, and hosts: localhost still gets the implicit one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-implicit-'));
    writeFileSync(join(dir, 'hosts.ini'), 'w1 ansible_host=127.0.0.1 ansible_port=9\n');
    const r = await cli(['run', book(dir, 'localhost'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr).to.not.include('provided hosts list is empty');
    expect(readFileSync(join(dir, 'localhost.localhost'), 'utf8')).to.equal('local');
  });

  it('no -i and no /etc/ansible/hosts: run warns as ansible-playbook and goes on with the implicit localhost; ping is a usage error', async function () {
    if (existsSync('/etc/ansible/hosts')) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'fd-implicit-'));
    const r = await cli(['run', book(dir, 'localhost')]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr).to.include('[WARNING]: No inventory was parsed, only implicit localhost is available').and.include(WARNING);
    expect(readFileSync(join(dir, 'localhost.localhost'), 'utf8')).to.equal('local');
    const ping = await cli(['ping']);
    expect(ping.code).to.equal(5);
    expect(ping.stderr).to.include('no inventory given');
  });
});
