/** Ansible's `!unsafe` YAML tag: text that is used as it is, never templated, from every YAML source. */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';

describe('engine: the !unsafe YAML tag', () => {
  it('playbook vars, task args, vars_files and inventory vars tagged !unsafe are not templated', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\nh1 inv_raw=x\n',
      'host_vars/h1.yml': 'hv_raw: !unsafe "{{ y }}"\n',
      'vars.yml': 'file_raw: !unsafe "{% if y %}yes{% endif %}"\nflag: yes\nmode: 0644\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  vars_files: [vars.yml]
  vars:
    y: 1
    play_raw: !unsafe "{{ y }}"
    templated: "{{ y }}"
  tasks:
    - name: show
      debug:
        msg: "{{ play_raw }}|{{ hv_raw }}|{{ file_raw }}|{{ templated }}|{{ flag is sameas true }}|{{ mode }}"
    - name: arg
      debug:
        msg: !unsafe "{{ y }} as written"
`,
    });
    expect(r.results('show')[0]!.msg).to.equal('{{ y }}|{{ y }}|{% if y %}yes{% endif %}|1|True|420');
    expect(r.results('arg')[0]!.msg).to.equal('{{ y }} as written');
  });

  it('inventory --host prints !unsafe values as ansible-inventory does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-unsafe-inv-'));
    writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1:\n      x: !unsafe "{{ y }}"\n      y: 1\n');
    const out = await cli(['inventory', '-i', join(dir, 'inv.yml'), '--host', 'h1']);
    expect(JSON.parse(out.stdout)).to.deep.equal({ x: { __ansible_unsafe: '{{ y }}' }, y: 1 });
  });
});
