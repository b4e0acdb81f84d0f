import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { runLocal } from '../support/run-local.js';
import { PlainRenderer } from '../../src/output/plain.js';
import type { RunEvent } from '../../src/output/events.js';

/** Everything a user could see: the --json lines (the events) and the plain -vvv --diff rendering. */
function everything(events: RunEvent[]): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const plain = new PlainRenderer({ out, verbose: 3, showDiff: true });
  for (const e of events) plain.onEvent(e);
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n${text}`;
}

describe('secret masking by value (plain, -vvv, --json, --diff)', () => {
  it('a secret reached through templates, set_fact, lists, vars_files, role defaults and --diff is masked', async () => {
    const r = await runLocal(
      {
        'inventory.ini': '[all]\nh1 vault_db=Inv-S3cret-1\n',
        'vars.yml': 'smtp_password: Files-S3cret-2\n',
        'roles/r/defaults/main.yml': 'r_api_key: Role-S3cret-3\n',
        'roles/r/tasks/main.yml': '- name: role uses its key\n  debug: msg="key {{ r_api_key }}"\n',
        'playbook.yml': `- hosts: all
  gather_facts: false
  vars_files: [vars.yml]
  vars:
    db_password: "{{ vault_db }}"
    passwords: [List-S3cret-4, List-S3cret-5]
  roles: [r]
  tasks:
    - name: connect
      debug: msg="pw is {{ db_password }}"
    - set_fact:
        copied: "{{ db_password }}"
        mail: "{{ smtp_password }}"
    - debug: var=copied
    - debug: msg="{{ passwords | join(',') }} {{ mail }}"
    - copy: { content: "{{ db_password }}\\n", dest: "$DIR/out.txt" }
`,
      },
      { diff: true },
    );
    const seen = everything(r.events);
    for (const secret of ['Inv-S3cret-1', 'Files-S3cret-2', 'Role-S3cret-3', 'List-S3cret-4', 'List-S3cret-5']) {
      expect(seen, secret).not.to.include(secret);
    }
    expect(r.results('connect')[0].msg).to.equal('pw is ********');
    expect(r.results('copy')[0].diff?.[0].after).to.equal('********\n');
    expect(r.exitCode).to.equal(0);
  });

  it("an include_role's role defaults and vars (loaded at run time) are masked too", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\nh1\n',
      'roles/r/defaults/main.yml': 'r_api_key: Incl-S3cret-6\n',
      'roles/r/vars/main.yml': 'r_token: Incl-S3cret-7\n',
      'roles/r/tasks/main.yml': '- name: role uses them\n  debug: msg="{{ r_api_key }} {{ r_token }}"\n',
      'playbook.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_role: { name: r }\n',
    });
    expect(r.results('r : role uses them')[0].msg).to.equal('******** ********');
    const seen = everything(r.events);
    for (const secret of ['Incl-S3cret-6', 'Incl-S3cret-7']) expect(seen, secret).not.to.include(secret);
  });

  it('values set at run time: set_fact of a secret-named var, register of a no_log task', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\nh1\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - set_fact:
        api_token: "{{ 'Run' ~ '-S3cret-6' }}"
    - command: echo Reg-S3cret-7
      register: pw
      no_log: true
      changed_when: false
    - name: show
      debug: msg="token {{ api_token }} and {{ pw.stdout }}"
    - name: echo it
      command: echo {{ pw.stdout }}
`,
    });
    const seen = everything(r.events);
    expect(seen).not.to.include('Run-S3cret-6');
    expect(seen).not.to.include('Reg-S3cret-7');
    expect(r.results('show')[0].msg).to.equal('token ******** and ********');
  });

  it('short and flag-like values are masked only as whole strings, never inside other text', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\nh1\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  vars:
    pin_password: "123"
    token_enabled: "true"
  tasks:
    - name: whole
      debug: msg="{{ pin_password }}"
    - name: inside
      debug: msg="order 1234 is true"
`,
    });
    expect(r.results('whole')[0].msg).to.equal('********');
    expect(r.results('inside')[0].msg).to.equal('order 1234 is true');
  });

  it('a password the connection layer learns after the run started (-K, ansible_become_password) is masked', async () => {
    const secrets = new Set<string>();
    const r = await runLocal(
      {
        'inventory.ini': '[all]\nh1\n',
        'playbook.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: leak\n      command: echo Become-S3cret-8\n',
      },
      { secrets, onConnect: () => secrets.add('Become-S3cret-8') },
    );
    expect(everything(r.events)).not.to.include('Become-S3cret-8');
    expect(r.results('leak')[0].result?.stdout).to.equal('********');
  });
});
