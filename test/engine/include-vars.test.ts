/**
 * include_vars, with_first_found and the first_found lookup on the controller. Every expected
 * value was recorded from ansible-playbook 2.14 (-c local) on the same files.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const ROLE_FILES = {
  'inventory.ini': '[all]\na\n',
  'roles/os/vars/Debian.yml': 'pkg: debian-pkg\n',
  'roles/os/vars/default.yml': 'pkg: default-pkg\n',
  'roles/os/vars/main.yml': 'pkg: main-pkg\n',
  'roles/os/tasks/main.yml': `- name: os vars
  include_vars: "{{ item }}"
  with_first_found:
    - "{{ undefined_thing }}.yml"
    - "{{ osname }}.yml"
    - default.yml
- name: show pkg
  debug: msg="{{ pkg }}"
- name: lookup with paths
  debug:
    msg: "{{ lookup('first_found', {'files': ['nope.yml', 'b.yml'], 'paths': ['extra', 'vars']}) | basename }}"
`,
  'extra/b.yml': 'b: 1\n',
  'vars/conf.d/a.yml': 'one: 1\n',
  'vars/conf.d/b.yaml': 'two: 2\n',
  'vars/conf.d/sub/c.yml': 'three: 3\n',
  'vars/conf.d/readme.txt': 'notes\n',
};

describe('engine: include_vars and first_found (as ansible-core 2.14)', () => {
  it('with_first_found in a role: undefined terms dropped, the role vars/ searched, the file found wins over vars/main.yml', async () => {
    const r = await runLocal({
      ...ROLE_FILES,
      'playbook.yml': '- hosts: all\n  gather_facts: false\n  vars:\n    osname: Debian\n  roles:\n    - os\n',
    });
    const [loop] = r.results('os : os vars');
    const items = (loop!.result!.results as { item: string; ansible_included_var_files: string[] }[]).map((x) => [x.item, x.ansible_included_var_files]);
    expect(items).to.deep.equal([[`${r.dir}/roles/os/vars/Debian.yml`, [`${r.dir}/roles/os/vars/Debian.yml`]]]);
    expect(r.results('os : show pkg')[0]!.msg).to.equal('debian-pkg');
    expect(r.results('os : lookup with paths')[0]!.msg).to.equal('b.yml');
  });

  it('dir (sorted walk, depth counts directories, files_matching, name) and its registered result', async () => {
    const r = await runLocal({
      ...ROLE_FILES,
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: dir with name
      include_vars:
        dir: vars/conf.d
        name: conf
        ignore_unknown_extensions: true
      register: r
    - name: show conf
      debug: msg="{{ conf }} {{ r.ansible_included_var_files | map('basename') | list }}"
    - name: dir depth 1
      include_vars:
        dir: vars/conf.d
        depth: 1
        files_matching: '^a'
        name: shallow
    - name: show shallow
      debug: msg="keys={{ shallow.keys() | join(',') }}"
`,
    });
    expect(r.results('show conf')[0]!.msg).to.equal("{'one': 1, 'two': 2, 'three': 3} ['a.yml', 'b.yaml', 'c.yml']");
    expect(r.results('show shallow')[0]!.msg).to.equal('keys=one');
  });

  it('precedence: above task vars, below set_fact', async () => {
    const r = await runLocal({
      ...ROLE_FILES,
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_vars: vars/conf.d/a.yml
    - name: over task vars
      debug: msg="{{ one }}"
      vars:
        one: task
    - set_fact: one=fact
    - include_vars: vars/conf.d/a.yml
    - name: under set_fact
      debug: msg="{{ one }}"
`,
    });
    expect(r.results('over task vars')[0]!.msg).to.equal('1');
    expect(r.results('under set_fact')[0]!.msg).to.equal('fact');
  });

  it("failures: a file of another extension, a file not found (Ansible's search list), mixed file and dir arguments", async () => {
    const r = await runLocal({
      ...ROLE_FILES,
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: bad ext
      include_vars:
        dir: vars/conf.d
      ignore_errors: true
    - name: missing
      include_vars: nope.yml
      ignore_errors: true
    - name: mixing
      include_vars:
        file: a.yml
        dir: x
      ignore_errors: true
`,
    });
    const d = r.dir;
    expect(r.results('bad ext')[0]!.result).to.deep.include({
      ansible_facts: {},
      ansible_included_var_files: [`${d}/vars/conf.d/a.yml`, `${d}/vars/conf.d/b.yaml`],
      message: `${d}/vars/conf.d/readme.txt does not have a valid extension: yaml, yml, json`,
    });
    expect(r.results('missing')[0]!.result).to.deep.include({
      ansible_included_var_files: [],
      message:
        `Could not find or access 'nope.yml'\nSearched in:\n\t${d}/vars/nope.yml\n\t${d}/nope.yml\n\t${d}/vars/nope.yml\n\t${d}/nope.yml on the Ansible Controller.\n` +
        'If you are using a module and expect the file to exist on the remote, see the remote_src option',
    });
    expect(r.results('mixing')[0]!.result).to.deep.include({ msg: 'You are mixing file only and dir only arguments, these are incompatible' });
    expect(r.stats.a).to.include({ ignored: 3, failed: 0 });
  });
});
