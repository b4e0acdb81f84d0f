/**
 * any_errors_fatal as ansible-core 2.14's linear strategy applies it after each task: a failed or an
 * unreachable result (an ignored unreachable one too) fails every other host of the batch, and the
 * run says NO MORE HOSTS LEFT. Checked by hand against ansible-playbook 2.14 on two hosts (one
 * refusing SSH on loopback, task with ignore_unreachable): `...ignoring`, NO MORE HOSTS LEFT, and
 * the next task not run; the failing case's output is recorded in test/cases/output/plain/any-errors-fatal.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const playbook = (taskKeywords: string) => `- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - { name: first, command: "true"${taskKeywords} }
    - { name: after, command: "true" }
`;

describe('engine: any_errors_fatal', () => {
  const cases: { name: string; keywords: string; unreachable: string[]; first: [string, string][] }[] = [
    { name: 'an unreachable host', keywords: '', unreachable: ['b'], first: [['a', 'changed'], ['b', 'unreachable']] },
    { name: 'an unreachable host whose task ignores it', keywords: ', ignore_unreachable: true', unreachable: ['b'], first: [['a', 'changed'], ['b', 'unreachable']] },
    { name: 'a failed host', keywords: `, when: "inventory_hostname == 'b'", failed_when: true`, unreachable: [], first: [['a', 'skipped'], ['b', 'failed']] },
  ];
  for (const c of cases) {
    it(`${c.name} stops every host after the task, with NO MORE HOSTS LEFT`, async () => {
      const r = await runLocal({ 'inventory.ini': '[all]\na\nb\n', 'playbook.yml': playbook(c.keywords) }, { unreachable: c.unreachable });
      expect(r.results('first').map((e) => [e.host, e.status])).to.deep.equal(c.first);
      expect(r.results('after')).to.deep.equal([]);
      expect(r.events.filter((e) => e.type === 'no_hosts_remaining')).to.have.length(1);
    });
  }

  it('without any_errors_fatal the others go on and nothing says NO MORE HOSTS LEFT', async () => {
    const r = await runLocal({ 'inventory.ini': '[all]\na\nb\n', 'playbook.yml': playbook('').replace('  any_errors_fatal: true\n', '') }, { unreachable: ['b'] });
    expect(r.results('after').map((e) => [e.host, e.status])).to.deep.equal([['a', 'changed']]);
    expect(r.events.filter((e) => e.type === 'no_hosts_remaining')).to.deep.equal([]);
  });
});
