/** ignore_errors, ignore_unreachable, check_mode, become and any_errors_fatal given as templates: as ansible-core 2.14 reads them. */
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

  it('become: "{{ ... }}" at play, role, block and task level is rendered per host', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na use_sudo=true\nb use_sudo=false\n',
      'roles/r/tasks/main.yml': '- { name: from role, command: echo role-level }\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  become: "{{ use_sudo }}"
  tasks:
    - { name: from play, command: echo play-level }
    - { name: from task, command: echo task-level, become: "{{ inventory_hostname == 'b' }}" }
    - block:
        - { name: from block, command: echo block-level }
      become: "{{ false }}"
- hosts: all
  gather_facts: false
  roles:
    - { role: r, become: "{{ inventory_hostname == 'a' }}" }
`,
    });
    const become = (cmd: string) => ['a', 'b'].map((h) => r.provider.connections.get(h)?.commands.find((x) => x.command.includes(cmd))?.become);
    expect(become('play-level')).to.deep.equal([true, false]);
    expect(become('task-level')).to.deep.equal([false, true]);
    expect(become('block-level')).to.deep.equal([false, false]);
    expect(become('role-level')).to.deep.equal([true, false]);
  });

  it('any_errors_fatal: a template is accepted and, as in the 2.14 strategy, fatal whatever it renders', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\nb\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - { name: fails on a, command: /bin/false, when: "inventory_hostname == 'a'", any_errors_fatal: "{{ false }}" }
    - { name: after, command: "true" }
`,
    });
    expect(r.results('fails on a').map((e) => [e.host, e.status])).to.deep.equal([['a', 'failed'], ['b', 'skipped']]);
    expect(r.results('after')).to.deep.equal([]);
  });

  it('become_user: "{{ ... }}" is rendered per host (play and task level)', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na app_user=www\nb app_user=svc\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  become: true
  become_user: "{{ app_user }}"
  tasks:
    - { name: as app user, command: echo play-user }
    - { name: as task user, command: echo task-user, become_user: "{{ app_user }}-admin" }
`,
    });
    const user = (cmd: string) => ['a', 'b'].map((h) => r.provider.connections.get(h)?.commands.find((x) => x.command.includes(cmd))?.becomeUser);
    expect(user('play-user')).to.deep.equal(['www', 'svc']);
    expect(user('task-user')).to.deep.equal(['www-admin', 'svc-admin']);
  });

  it('no_log: "{{ ... }}" hides the result only on the hosts where it renders true', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na hide_secrets=true\nb hide_secrets=false\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: maybe hidden
      command: echo s3cret
      no_log: "{{ hide_secrets }}"
`,
    });
    const [a, b] = r.results('maybe hidden');
    expect(a!.noLog).to.equal(true);
    expect(a!.result).to.deep.equal({ censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: true });
    expect(b!.noLog).to.equal(false);
    expect(b!.result!.stdout).to.equal('s3cret');
  });

  // recorded from ansible-playbook 2.14: the message shows the field as written, not as rendered
  for (const [key, command] of [['ignore_errors', '/bin/false'], ['become', 'id -un'], ['any_errors_fatal', '"true"']] as const) {
    it(`${key} that renders no boolean fails the task with Ansible's field message`, async () => {
      const r = await runLocal({
        'inventory.ini': '[all]\na\n',
        'playbook.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: bad\n      command: ${command}\n      ${key}: "{{ 'maybe' }}"\n`,
      });
      expect(r.results('bad')[0]!.status).to.equal('failed');
      expect(r.results('bad')[0]!.msg).to.include(
        `the field '${key}' has an invalid value ({{ 'maybe' }}), and could not be converted to an bool.The error was: The value 'maybe' is not a valid boolean.`,
      );
    });
  }

  it('no_log that renders no boolean fails the task, its result hidden (recorded from ansible-playbook 2.14)', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: bad\n      command: "true"\n      no_log: "{{ 'maybe' }}"\n`,
    });
    expect(r.results('bad')[0]!.status).to.equal('failed');
    expect(r.results('bad')[0]!.result).to.deep.equal({ censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: false, failed: true });
    expect(r.stats.a).to.include({ failed: 1 });
  });
});
