import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';


function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('cli: run', () => {
  const inventory = '[web]\nw1 ansible_host=127.0.0.1\n';

  it('an unknown module is bad input: exit 4, file:line, the valid names, no host touched', async () => {
    const dir = workspace({ 'hosts.ini': inventory, 'pb.yml': '- hosts: all\n  tasks:\n    - name: x\n      copyy: { dest: /tmp/x }\n' });
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.match(/pb\.yml:4:\d+: unknown module 'copyy' \(did you mean 'copy'\?\)/);
  });

  it('an unknown argument names the module and the valid arguments', async () => {
    const dir = workspace({ 'hosts.ini': inventory, 'pb.yml': '- hosts: all\n  tasks:\n    - copy: { dest: /tmp/x, contnet: y }\n' });
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.match(/pb\.yml:3:\d+: .*contnet/);
    expect(r.stderr).to.include('content');
  });

  it('a YAML error names file:line', async () => {
    const dir = workspace({ 'hosts.ini': inventory, 'pb.yml': '- hosts: all\n  tasks:\n    - debug: msg="x\n   bad: [\n' });
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.match(/pb\.yml:\d+/);
  });

  it('--syntax-check and --list-tasks touch no host', async () => {
    const dir = workspace({ 'hosts.ini': inventory, 'pb.yml': '- name: p\n  hosts: web\n  tasks:\n    - name: one\n      debug: msg=hi\n      tags: [a]\n' });
    const syntax = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--syntax-check']);
    expect(syntax.code).to.equal(0);
    const list = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--list-tasks']);
    expect(list.code).to.equal(0);
    expect(list.stdout).to.match(/one\s+TAGS: \[a\]/);
  });

  it('a host that refuses connections is unreachable: exit 3', async () => {
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    const dir = workspace({ 'hosts.ini': '[all]\nnobody ansible_host=127.0.0.1 ansible_port=1\n', 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n' });
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--timeout', '2']);
    expect(r.code).to.equal(3);
    expect(r.stdout).to.match(/UNREACHABLE/);
    expect(r.stdout).to.match(/nobody\s+: ok=0\s+changed=0\s+unreachable=1/);
  });

  describe('retry files (as Ansible 2.14: off unless retry_files_enabled)', () => {
    const refused = '[all]\nzeta ansible_host=127.0.0.1 ansible_port=1\nalpha ansible_host=127.0.0.1 ansible_port=1\n';
    const pb = '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n';
    const saved = process.env.ANSIBLE_RETRY_FILES_ENABLED;
    afterEach(() => {
      if (saved === undefined) delete process.env.ANSIBLE_RETRY_FILES_ENABLED;
      else process.env.ANSIBLE_RETRY_FILES_ENABLED = saved;
    });

    it('writes none by default; when enabled, the failed hosts sorted, and no temp file left', async () => {
      delete process.env.ANSIBLE_RETRY_FILES_ENABLED;
      const dir = workspace({ 'hosts.ini': refused, 'pb.yml': pb });
      const off = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--timeout', '2']);
      expect(off.code).to.equal(3);
      expect(readdirSync(dir).sort()).to.deep.equal(['hosts.ini', 'pb.yml']);
      process.env.ANSIBLE_RETRY_FILES_ENABLED = 'true';
      const on = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--timeout', '2']);
      expect(on.code).to.equal(3);
      expect(readFileSync(join(dir, 'pb.retry'), 'utf8')).to.equal('alpha\nzeta\n');
      expect(readdirSync(dir).sort()).to.deep.equal(['hosts.ini', 'pb.retry', 'pb.yml']);
      expect(on.stdout).to.include(`--limit @${join(dir, 'pb.retry')}`);
    });

    it('a retry file that cannot be written is a warning: the recap and the exit code stay', async () => {
      process.env.ANSIBLE_RETRY_FILES_ENABLED = 'true';
      const dir = workspace({ 'hosts.ini': refused, 'pb.yml': pb });
      mkdirSync(join(dir, 'pb.retry')); // unwritable as a file, even for root (a read-only directory is not)
      const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--timeout', '2']);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.include(`[WARNING]: Could not create retry file '${join(dir, 'pb.retry')}'.`);
      expect(r.stdout).to.match(/PLAY RECAP[\s\S]*alpha\s+: ok=0\s+changed=0\s+unreachable=1/);
      expect(readdirSync(dir).sort()).to.deep.equal(['hosts.ini', 'pb.retry', 'pb.yml']);
    });
  });

  it('bad command-line usage is exit 5', async () => {
    expect((await cli(['run'])).code).to.equal(5);
    expect((await cli(['no-such-command'])).code).to.equal(5);
    expect((await cli(['run', 'x.yml', '--forks', '0'])).code).to.equal(5);
  });
});

describe('cli: run --list-hosts', () => {
  it('prints each play\'s pattern and hosts in ansible-playbook\'s layout, narrowed by --limit', async () => {
    const dir = workspace({ 'hosts.ini': '[web]\nw1\nw2\n[db]\nd1\n', 'pb.yml': '- name: p\n  hosts: web:db\n  tasks:\n    - debug: msg=x\n' });
    const r = await cli(['run', join(dir, 'pb.yml'), '-i', join(dir, 'hosts.ini'), '--list-hosts', '--limit', '!w2']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include("pattern: ['web:db']\n    hosts (2):\n      d1\n      w1\n");
  });
});
