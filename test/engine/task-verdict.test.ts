/**
 * What the linear strategy decides after each task (src/engine/task-verdict.ts): max_fail_percentage
 * counts only failures no rescue or always catches, and past the share it stops the batch's other
 * hosts at once; any_errors_fatal ignores a rescued failure. Each case was run with
 * ansible-playbook 2.14 on the same inventory (local connection); the outcomes below are what it
 * did. Plain output of two of them is recorded in test/cases/output/plain/max-fail-percentage-*.
 */
import { expect } from 'chai';
import { runLocal } from '../support/run-local.js';

const INVENTORY = '[all]\na\nb\nc\nd\n';

interface Case {
  name: string;
  play: string;
  tasks: string;
  /** hosts that ran the task named "after" */
  after: string[];
  banners: number;
  stopped: string[];
  exitCode: number;
  /** [task name, hosts that got a result] checked too */
  ran?: [string, string[]][];
}

const CASES: Case[] = [
  {
    name: 'a failure caught by an always does not count: the other host goes on',
    play: '  hosts: a,b\n  max_fail_percentage: 0\n',
    tasks: `    - block:
        - { name: fails, fail: { msg: x }, when: "inventory_hostname == 'a'" }
      always:
        - { name: always, debug: { msg: always } }
`,
    after: ['b'],
    banners: 0,
    stopped: [],
    exitCode: 2,
  },
  {
    name: 'a failing rescue with an always after it does not count either',
    play: '  hosts: a,b\n  max_fail_percentage: 0\n',
    tasks: `    - block:
        - { name: fails, fail: { msg: x }, when: "inventory_hostname == 'a'" }
      rescue:
        - { name: rescue fails, fail: { msg: again } }
      always:
        - { name: always, debug: { msg: always } }
`,
    after: ['b'],
    banners: 0,
    stopped: [],
    exitCode: 2,
  },
  {
    name: 'a failing always counts once it is over: the rest of the batch stops, no later batch starts',
    play: '  hosts: all\n  serial: 2\n  max_fail_percentage: 25\n',
    tasks: `    - block:
        - { name: fails, fail: { msg: x }, when: "inventory_hostname == 'a'" }
        - { name: in block, debug: { msg: b } }
      always:
        - { name: always fails, fail: { msg: always }, when: "inventory_hostname == 'a'" }
`,
    after: [],
    banners: 2,
    stopped: ['b'],
    exitCode: 2,
    ran: [['in block', ['b']], ['always fails', ['a', 'b']]],
  },
  {
    name: 'an include that fails counts: the other host stops before the included tasks',
    play: '  hosts: a,b\n  max_fail_percentage: 0\n',
    tasks: `    - include_tasks: { file: "{{ 'missing.yml' if inventory_hostname == 'a' else 'ok.yml' }}" }
`,
    after: [],
    banners: 2,
    stopped: ['b'],
    exitCode: 2,
    ran: [['from ok.yml', []]],
  },
  {
    name: 'any_errors_fatal: a rescued failure is not fatal',
    play: '  hosts: a,b\n  any_errors_fatal: true\n',
    tasks: `    - block:
        - { name: fails, fail: { msg: x }, when: "inventory_hostname == 'a'" }
        - { name: in block, debug: { msg: b } }
      rescue:
        - { name: rescued, debug: { msg: rescued } }
`,
    after: ['a', 'b'],
    banners: 0,
    stopped: [],
    exitCode: 0,
    ran: [['in block', ['b']], ['rescued', ['a']]],
  },
  {
    name: 'any_errors_fatal: a failure an always caught, final only when the always ends, does not stop the next batch',
    play: '  hosts: all\n  serial: 2\n  any_errors_fatal: true\n',
    tasks: `    - block:
        - { name: fails, fail: { msg: x }, when: "inventory_hostname == 'a'" }
      always:
        - { name: always, debug: { msg: always } }
`,
    after: ['b', 'c', 'd'],
    banners: 0,
    stopped: [],
    exitCode: 2,
  },
];

describe('engine: the verdict after each task (max_fail_percentage, any_errors_fatal)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const playbook = `- gather_facts: false\n${c.play}  tasks:\n${c.tasks}    - { name: after, debug: { msg: after } }\n`;
      const r = await runLocal({ 'inventory.ini': INVENTORY, 'playbook.yml': playbook, 'ok.yml': '- { name: from ok.yml, debug: { msg: ok } }\n' });
      const hostsOf = (task: string) => r.results(task).map((e) => e.host).sort();
      expect(hostsOf('after'), 'ran "after"').to.deep.equal(c.after);
      for (const [task, hosts] of c.ran ?? []) expect(hostsOf(task), `ran "${task}"`).to.deep.equal(hosts);
      const banners = r.events.filter((e) => e.type === 'no_hosts_remaining');
      expect(banners).to.have.length(c.banners);
      expect(banners.flatMap((e) => (e.type === 'no_hosts_remaining' ? e.stopped ?? [] : []))).to.deep.equal(c.stopped);
      expect(r.exitCode).to.equal(c.exitCode);
    });
  }
});
