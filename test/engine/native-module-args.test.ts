import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';

describe('engine: module arguments rendered to native values (as ansible-core 2.14)', () => {
  it('copy content that renders to a bool, int, list or dict is written as Ansible writes it (recorded)', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  vars: { flag: true, n: 5, l: [1, 2] }
  tasks:
    - copy: { content: "{{ flag }}\\n", dest: "$DIR/out-bool" }
    - copy: { content: "{{ n }}\\n", dest: "$DIR/out-int" }
    - copy: { content: "{{ l }}\\n", dest: "$DIR/out-list" }
    - copy: { content: "{{ '{\\"a\\": 1}' }}", dest: "$DIR/out-dict" }
`,
    });
    expect(r.exitCode).to.equal(0);
    const read = (name: string) => readFileSync(join(r.dir, name), 'utf8');
    expect([read('out-bool'), read('out-int'), read('out-list'), read('out-dict')]).to.deep.equal(['True', '5', '[1, 2]', '{"a": 1}']);
  });
});
