/** Command-line usage is checked before anything runs; a controller bug has its own exit code. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    const r = await cli(['run', '-z', 'local', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '-T', '1']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('Unknown argument: z');
    expect(r.stdout).to.not.include('PLAY');
  });

  it('-c/--connection takes only the connection plugins there are (usage error, exit 5, before any host is contacted)', async () => {
    const dir = workspace();
    const r = await cli(['run', '-c', 'docker', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '-T', '1']);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.include('Argument: connection, Given: "docker"');
    expect(r.stdout).to.not.include('PLAY');
  });

  it('-c local runs the play on the controller: the unreachable inventory host is never contacted', async () => {
    const dir = workspace();
    const out = join(dir, 'written-by-w1');
    writeFileSync(join(dir, 'local.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: ${out}, content: "{{ inventory_hostname }}" }\n`);
    const r = await cli(['run', '-c', 'local', join(dir, 'local.yml'), '-i', join(dir, 'hosts.ini'), '-T', '1']);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.equal('w1');
    // without -c the same play goes over ssh to 127.0.0.1:9, where nothing listens
    const ssh = await cli(['run', join(dir, 'local.yml'), '-i', join(dir, 'hosts.ini'), '-T', '1']);
    expect(ssh.code).to.equal(3);
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
