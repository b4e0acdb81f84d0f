import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { ExitCode } from '../../src/errors.js';

/** One message for both commands: the host, the variable, the value and where it was set. */
const reason = (port: string, file: string, line: number) => `bad: ansible_port "${port}" is not a TCP port (1-65535) (set at ${file}:${line})`;

describe('cli: a bad ansible_port is treated alike by ping and run', () => {
  for (const port of ['abc', '70000']) {
    it(`ansible_port=${port}: that host is unreachable (named with inventory file:line), the others go on, exit 3`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fd-badport-'));
      const inv = join(dir, 'hosts.ini');
      // Port 1 on loopback: refused at once; "other" shows the run goes on for the remaining hosts.
      writeFileSync(inv, `[all]\nother ansible_host=127.0.0.1 ansible_port=1\nbad ansible_host=127.0.0.1 ansible_port=${port}\n`);
      writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n');

      const ping = await cli(['ping', '-i', inv, '--timeout', '2']);
      expect(ping.code).to.equal(ExitCode.unreachable);
      expect(ping.stdout).to.include(`bad | UNREACHABLE | ${reason(port, inv, 3)}`);
      expect(ping.stdout).to.match(/other \| UNREACHABLE \| connection refused/);
      expect(ping.stderr).to.equal('');

      const run = await cli(['run', join(dir, 'pb.yml'), '-i', inv, '--timeout', '2']);
      expect(run.code).to.equal(ExitCode.unreachable);
      // as ansible-playbook: json.dumps(sort_keys=True), `changed: false` first
      expect(run.stdout).to.include(`fatal: [bad]: UNREACHABLE! => {"changed": false, "msg": ${JSON.stringify(reason(port, inv, 3))}, "unreachable": true}`);
      expect(run.stdout).to.match(/other\s+: ok=0\s+changed=0\s+unreachable=1/);
    });
  }

  it('a port from a group section names that line; a YAML inventory names its key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-badport-'));
    const ini = join(dir, 'hosts.ini');
    writeFileSync(ini, '[web]\nbad ansible_host=127.0.0.1\n\n[web:vars]\nansible_port=x1\n');
    expect((await cli(['ping', '-i', ini])).stdout).to.include(reason('x1', ini, 5));
    const yml = join(dir, 'hosts.yml');
    writeFileSync(yml, 'all:\n  hosts:\n    bad:\n      ansible_host: 127.0.0.1\n      ansible_port: "99999"\n');
    expect((await cli(['ping', '-i', yml])).stdout).to.match(/bad \| UNREACHABLE \| bad: ansible_port "99999" is not a TCP port \(1-65535\) \(set at .*hosts\.yml:\d+\)/);
  });
});
