/**
 * Bad input found mid-run, after hosts may have changed, is a failure of the affected hosts with a
 * recap (as ansible-playbook does for a missing include), never "exit 4, nothing changed".
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

describe('engine: bad input found mid-run', () => {
  it('a dynamically included file that does not exist fails the hosts that include it; notified handlers do not run', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\nb\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: change
      command: "true"
      notify: h
    - name: inc
      include_tasks: "missing-{{ inventory_hostname }}.yml"
      when: inventory_hostname == 'a'
    - name: after
      debug: msg=after
  handlers:
    - name: h
      debug: msg=handler
`,
    });
    expect(r.exitCode).to.equal(2);
    const inc = r.results('inc');
    // as ansible-playbook: `skipping: [b]` for the include's `when`, then a's failure to load it
    expect(inc.map((e) => [e.host, e.status])).to.deep.equal([['b', 'skipped'], ['a', 'failed']]);
    expect(inc[1]!.msg).to.include('missing-a.yml');
    expect(r.results('after').map((e) => e.host)).to.deep.equal(['b']);
    expect(r.results('h').map((e) => e.host)).to.deep.equal(['b']);
    // an include whose file is missing counts failed, not ok (as ansible-playbook's recap)
    expect(r.stats.a).to.include({ ok: 1, changed: 1, failed: 1 });
    expect(r.stats.b).to.include({ skipped: 1 });
    expect(r.events.some((e) => e.type === 'recap')).to.equal(true);
  });

  it("a missing vars_files of a later play fails that play's hosts with a recap (exit 2, not 4)", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: change
      command: "true"
- hosts: all
  gather_facts: false
  vars_files: [nope.yml]
  tasks:
    - name: p2
      debug: msg=p2
`,
    });
    expect(r.exitCode).to.equal(2);
    expect(r.results('vars_files').map((e) => [e.host, e.status])).to.deep.equal([['a', 'failed']]);
    expect(r.results('vars_files')[0]!.msg).to.include('nope.yml');
    expect(r.results('p2')).to.deep.equal([]);
    expect(r.stats.a).to.include({ changed: 1, failed: 1 });
  });

  it('a missing vars_files of the first play is still bad input: nothing was touched', async () => {
    let error: unknown;
    try {
      await runLocal({
        'inventory.ini': '[all]\na\n',
        'playbook.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [nope.yml]\n  tasks:\n    - command: "true"\n',
      });
    } catch (err) {
      error = err;
    }
    expect((error as { exitCode?: number })?.exitCode).to.equal(4);
  });
});
