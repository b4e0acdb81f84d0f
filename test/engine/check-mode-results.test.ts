import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const play = (body: string) => `- name: test\n  hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
const keys = (v: string) => `{{ ${v} | dict2items | map(attribute='key') | sort | join(',') }}`;

describe('engine: what check mode registers (as ansible-core 2.14)', () => {
  it('a command skipped in check mode registers an empty run, so a later task can read stdout and stdout_lines', async () => {
    const r = await runLocal(
      {
        'inventory.ini': '[all]\na\n',
        'playbook.yml': play(`
    - name: probe
      command: cat /etc/hostname
      register: out
    - name: read
      debug: msg="[{{ out.stdout }}] {{ out.stdout_lines | length }} {{ out.rc }} {{ out.start }} {{ out.skipped }} {{ out.changed }}"
    - name: keys
      debug: msg="${keys('out')}"
    - name: raw
      raw: echo hi
      register: r
    - name: raw keys
      debug: msg="${keys('r')}"
`),
      },
      { check: true },
    );
    expect(r.results('probe')[0].status).to.equal('skipped');
    expect(r.results('read')[0].msg).to.equal('[] 0 0  True False');
    expect(r.results('keys')[0].msg).to.equal('changed,cmd,delta,end,failed,msg,rc,skipped,start,stderr,stderr_lines,stdout,stdout_lines');
    expect(r.results('raw keys')[0].msg).to.equal('changed,failed,skipped');
  });
});
