/** ignore_errors, ignore_unreachable and check_mode given as templates: rendered per host, as Ansible does. */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';

describe('engine: templated boolean keywords', () => {
  it('ignore_errors: "{{ ... }}" ignores the failure only on the hosts where it renders true', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na tolerate=true\nb\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: maybe ignored
      command: /bin/false
      ignore_errors: "{{ tolerate | default(false) }}"
`,
    });
    expect(r.results('maybe ignored').map((e) => [e.host, e.status])).to.deep.equal([['a', 'ignored'], ['b', 'failed']]);
    expect(r.stats.a).to.include({ ignored: 1, failed: 0 });
    expect(r.stats.b).to.include({ failed: 1 });
  });

  it('check_mode: "{{ dry }}" changes nothing where it renders true', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  vars: { dry: true }
  tasks:
    - name: predicted only
      copy: { dest: "$DIR/dry.txt", content: "x" }
      check_mode: "{{ dry }}"
    - name: really written
      copy: { dest: "$DIR/wet.txt", content: "x" }
      check_mode: "{{ not dry }}"
`,
    });
    expect(r.results('predicted only')[0]!.status).to.equal('changed');
    expect(existsSync(join(r.dir, 'dry.txt'))).to.equal(false);
    expect(existsSync(join(r.dir, 'wet.txt'))).to.equal(true);
  });

  it("a template that is no boolean fails the task with Ansible's field message", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: bad\n      command: /bin/false\n      ignore_errors: "{{ \'maybe\' }}"\n',
    });
    expect(r.results('bad')[0]!.status).to.equal('failed');
    expect(r.results('bad')[0]!.msg).to.include("the field 'ignore_errors' has an invalid value (maybe), and could not be converted to an bool.");
  });
});
