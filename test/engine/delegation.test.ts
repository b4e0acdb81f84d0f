/**
 * Delegation, task/play `connection` and run_once, as ansible-core 2.14 runs them (recorded
 * against ansible-playbook with local hosts; the sandbox comparison is
 * test/integration/compat/controller.test.ts). Every host here is this machine: what is checked
 * is which connection the engine uses for what, and whose variables and results are where.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const INVENTORY = '[all]\na\nb\n';

describe('engine: delegate_to, local_action, connection, run_once', () => {
  it('delegate_to runs the command on the delegate\'s connection with the task host\'s variables', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - name: there
      command: echo {{ inventory_hostname }}
      delegate_to: b
      register: out
`,
    });
    const [res] = r.results('there');
    expect(res).to.include({ host: 'a', delegatedTo: 'b', status: 'changed' });
    expect(res!.result!.stdout).to.equal('a');
    expect(r.provider.connections.get('b')!.commands.map((c) => c.command).join('\n')).to.include('echo a');
    expect(r.provider.requests.map((q) => q.host)).to.deep.equal(['a', 'b']);
  });

  it('local_action (both forms) and delegate_to: localhost use the implicit localhost: connection local', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - name: string form
      local_action: command echo {{ inventory_hostname }}
    - name: dict form
      local_action: { module: command, cmd: "echo dict" }
    - name: delegated
      command: echo delegated
      delegate_to: localhost
`,
    });
    for (const task of ['string form', 'dict form', 'delegated']) expect(r.results(task)[0]).to.include({ host: 'a', delegatedTo: 'localhost', status: 'changed' });
    expect(r.results('string form')[0]!.result!.stdout).to.equal('a');
    // one connection to the implicit localhost, whose own vars say local
    expect(r.provider.requests.filter((q) => q.host === 'localhost')).to.deep.equal([{ host: 'localhost', keyword: undefined, ansibleConnection: 'local' }]);
  });

  it('a task or play `connection` is handed to the connector; a later play with another one reconnects', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - name: task local
      command: "true"
      connection: local
- hosts: a
  gather_facts: false
  connection: local
  tasks:
    - command: "true"
`,
    });
    expect(r.results('task local')[0]!.delegatedTo).to.equal(undefined);
    expect(r.provider.requests).to.deep.equal([
      { host: 'a', keyword: undefined, ansibleConnection: undefined },
      { host: 'a', keyword: 'local', ansibleConnection: undefined },
      { host: 'a', keyword: 'local', ansibleConnection: undefined },
    ]);
  });

  it('delegate_facts: the facts go to the delegate, not the task host', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - set_fact: { where: delegate }
      delegate_to: b
      delegate_facts: true
    - set_fact: { plain: mine }
      delegate_to: b
    - name: show
      debug:
        msg: "{{ hostvars['b'].where }} {{ where | default('none') }} {{ plain }} {{ hostvars['b'].plain | default('none') }}"
`,
    });
    expect(r.results('show')[0]!.msg).to.equal('delegate none mine none');
  });

  it('run_once: runs on the first host; its registered result and set_fact land on every host', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: once
      command: echo {{ inventory_hostname }}
      run_once: true
      register: once
    - set_fact: { shared: "from {{ inventory_hostname }}" }
      run_once: true
    - name: show
      debug: { msg: "{{ once.stdout }} {{ shared }}" }
`,
    });
    expect(r.results('once').map((e) => e.host)).to.deep.equal(['a']);
    expect(r.results('show').map((e) => [e.host, e.msg])).to.deep.equal([
      ['a', 'a from a'],
      ['b', 'a from a'],
    ]);
  });

  it('run_once: a failure not ignored fails every host of the batch', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: "false"
      run_once: true
    - name: after
      debug: msg=after
`,
    });
    expect(r.results('after')).to.deep.equal([]);
    expect(r.exitCode).to.equal(2);
  });

  it('what a delegated or local command printed is host data: never templated again', async () => {
    const r = await runLocal({
      'inventory.ini': INVENTORY,
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - local_action: command printf '{{ "{{" }} 7 * 6 {{ "}}" }}'
      register: printed
    - name: show
      debug: { msg: "{{ printed.stdout }}" }
`,
    });
    expect(r.results('show')[0]!.msg).to.equal('{{ 7 * 6 }}');
  });

  it('the result line names the delegate as Ansible does: its ansible_host in parentheses, nothing when it is the host itself', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\nb ansible_host=127.0.0.1\n',
      'playbook.yml': `- hosts: a
  gather_facts: false
  tasks:
    - name: to b
      command: "true"
      delegate_to: b
    - name: to itself
      command: "true"
      delegate_to: a
`,
    });
    expect(r.results('to b')[0]!.delegatedTo).to.equal('b(127.0.0.1)');
    expect(r.results('to itself')[0]!.delegatedTo).to.equal(undefined);
  });
});
