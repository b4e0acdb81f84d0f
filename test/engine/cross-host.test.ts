import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossHostReason } from '../../src/engine/cross-host.js';
import { playbookRuntime } from '../../src/engine/playbook-runtime.js';
import { checkPlaybook } from '../../src/playbook/index.js';
import { createTemplater } from '../../src/template/index.js';

const play = (keywords: string, tasks = '    - debug: msg=hi\n') => `- hosts: all\n  gather_facts: false\n${keywords}  tasks:\n${tasks}`;

/** [what, playbook, the reason it must stay in one thread (a part of it), or undefined: it can be split]. */
const CASES: [string, string, string | undefined][] = [
  ['plain per-host tasks', play('', '    - command: "true"\n    - copy: { content: "{{ inventory_hostname }}", dest: /tmp/x }\n'), undefined],
  ['groups (inventory data, the same in every worker)', play('', '    - debug: msg="{{ groups.all | length }}"\n'), undefined],
  ['serial (coordinated: batches cut from all workers\' hosts)', play('  serial: 2\n'), undefined],
  ['max_fail_percentage (checked on the whole batch after every task)', play('  serial: 2\n  max_fail_percentage: 10\n'), 'max_fail_percentage'],
  ['play any_errors_fatal', play('  any_errors_fatal: true\n'), 'any_errors_fatal'],
  ['templated any_errors_fatal', play('  any_errors_fatal: "{{ x }}"\n'), 'any_errors_fatal'],
  ['strategy free', play('  strategy: free\n'), 'strategy free'],
  ['order shuffle', play('  order: shuffle\n'), 'order: shuffle'],
  ['task run_once', play('', '    - debug: msg=hi\n      run_once: true\n'), 'run_once'],
  ['run_once in a block rescue', play('', '    - block:\n        - debug: msg=a\n      rescue:\n        - debug: msg=b\n          run_once: true\n'), 'run_once'],
  ['delegate_facts', play('', '    - setup:\n      delegate_to: other\n      delegate_facts: true\n'), 'delegate_facts'],
  ['hostvars in a task', play('', '    - debug: msg="{{ hostvars[\'h2\'].x }}"\n'), 'uses hostvars'],
  ['hostvars in a when', play('', '    - debug: msg=hi\n      when: hostvars[inventory_hostname].x is defined\n'), 'uses hostvars'],
  ['ansible_play_hosts in play vars', play('  vars:\n    n: "{{ ansible_play_hosts | length }}"\n'), 'uses ansible_play_hosts'],
  ['play_hosts', play('', '    - debug: var=play_hosts\n'), 'uses play_hosts'],
  ['meta end_play', play('', '    - meta: end_play\n'), 'meta: end_play'],
  ['meta refresh_inventory', play('', '    - meta: refresh_inventory\n'), 'meta: refresh_inventory'],
  ['meta flush_handlers (per host)', play('', '    - meta: flush_handlers\n'), undefined],
  ['handler with run_once', `${play('', '    - command: "true"\n      notify: h\n')}  handlers:\n    - name: h\n      debug: msg=x\n      run_once: true\n`, 'run_once'],
  ['include_tasks of a clean static file', play('', '    - include_tasks: clean.yml\n'), undefined],
  ['include_tasks of a file with run_once', play('', '    - include_tasks: once.yml\n'), 'run_once'],
  ['include_tasks of a templated file', play('', '    - include_tasks: "{{ f }}.yml"\n'), 'include_tasks of a templated or looped file'],
  ['handler include of a static file', `${play('', '    - command: "true"\n      notify: h\n')}  handlers:\n    - name: h\n      include_tasks: clean.yml\n`, 'include_tasks as a handler'],
  ['handler include of a templated file', `${play('', '    - command: "true"\n      notify: h\n')}  handlers:\n    - name: h\n      include_tasks: "{{ f }}.yml"\n`, 'include_tasks as a handler'],
];

describe('engine: which playbooks can be split over workers (crossHostReason)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-cross-host-'));
  writeFileSync(join(dir, 'clean.yml'), '- debug: msg=clean\n');
  writeFileSync(join(dir, 'once.yml'), '- debug: msg=once\n  run_once: true\n');

  for (const [what, yaml, reason] of CASES) {
    it(`${what}: ${reason === undefined ? 'split' : `one thread (${reason})`}`, () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.yml`);
      writeFileSync(file, yaml);
      const got = crossHostReason(checkPlaybook(file), playbookRuntime(createTemplater({ searchPaths: [dir] })), {});
      if (reason === undefined) expect(got).to.equal(undefined);
      else expect(got).to.be.a('string').and.to.include(reason);
    });
  }

  it('--start-at-task keeps one thread (its start is reached once, run-wide)', () => {
    const file = join(dir, 'start.yml');
    writeFileSync(file, play(''));
    expect(crossHostReason(checkPlaybook(file), playbookRuntime(createTemplater({ searchPaths: [dir] })), { startAtTask: 'x' })).to.include('--start-at-task');
  });
});
