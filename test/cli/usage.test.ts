/** Command-line usage is checked before anything runs; a controller bug has its own exit code. */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { cli } from '../support/cli.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-usage-'));
  // Loopback port 9: nothing listens; every case here must stop before connecting anyway.
  writeFileSync(join(dir, 'hosts.ini'), '[web]\nw1 ansible_host=127.0.0.1 ansible_port=9\n');
  writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
  return dir;
}

describe('cli: usage', () => {
  it('an unknown option is a usage error (exit 5) before any host is contacted', async () => {
    const dir = workspace();
    const r = await cli(['run', '-c', 'local', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '-T', '1']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('Unknown argument: c');
    expect(r.stdout).to.not.include('PLAY');
  });

  it('the playbook may follow -i (run -i hosts site.yml), and -i may repeat', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'more.ini'), '[db]\nd1 ansible_host=127.0.0.1 ansible_port=9\n');
    const r = await cli(['run', '-i', join(dir, 'hosts.ini'), '-i', join(dir, 'more.ini'), join(dir, 'pb.yml'), '--list-hosts']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('w1').and.to.include('d1');
  });

  it('a controller bug exits 250 with the stack, not 2 (a host failure)', async () => {
    const dir = workspace();
    const broken = new Writable({
      write() {
        throw new TypeError('stdout exploded');
      },
    });
    const stderr: string[] = [];
    const sink = new Writable({ write: (c, _e, done) => (stderr.push(String(c)), done()) });
    const code = await main(['inventory', '-i', join(dir, 'hosts.ini'), '--list'], { stdout: broken, stderr: sink });
    expect(code).to.equal(250);
    expect(stderr.join('')).to.include('internal error').and.to.include('stdout exploded');
  });
});
