/** meta actions as ansible-playbook 2.14 runs them (checked against it with two local hosts). */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

describe('engine: meta actions', () => {
  it('end_play ends the play for every batch: later serial batches never start, the next play runs', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\nb\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - name: before
      debug: msg=before
    - meta: end_play
    - name: after
      debug: msg=after
- hosts: all
  gather_facts: false
  tasks:
    - name: play2
      debug: msg=play2
`,
    });
    expect(r.results('before').map((e) => e.host)).to.deep.equal(['a']);
    expect(r.results('after')).to.deep.equal([]);
    expect(r.results('play2').map((e) => e.host)).to.deep.equal(['a', 'b']);
    expect(r.exitCode).to.equal(0);
  });

  it('reset_connection closes the hosts\' connections and the next task runs on new ones', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
    - meta: reset_connection
    - name: later
      command: "true"
`,
    });
    expect(r.provider.opened).to.have.length(2);
    expect(r.provider.opened[0]!.closed).to.equal(true);
    expect(r.provider.opened[1]!.commands.length).to.be.greaterThan(0);
    expect(r.results('later')[0]!.status).to.equal('changed');
  });

  it('refresh_inventory: hosts added to the inventory meanwhile are in the later plays', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - shell: echo c >> $DIR/inventory.ini
    - meta: refresh_inventory
    - meta: noop
- hosts: all
  gather_facts: false
  tasks:
    - name: play2
      debug: msg=play2
`,
    });
    expect(r.results('play2').map((e) => e.host)).to.deep.equal(['a', 'c']);
  });
});
