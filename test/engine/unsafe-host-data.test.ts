/**
 * What a host returns is data, never a template (Ansible's AnsibleUnsafe): printed as it is,
 * wherever it travels (register, set_fact, loops, hostvars, vars, changed_when, slurp), and
 * never run on the controller.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';

const DIR = mkdtempSync(join(tmpdir(), 'fd-unsafe-'));

const SEVEN = 'A{{ 7*7 }}B';
// Runs JavaScript on the controller when templated by a template engine without a sandbox.
const JS = '{{ range.constructor("return (globalThis.__fdPwned = 1)")() }}';
const KEY = `{{ lookup('file', '${DIR}/id_ed25519') }}`;
const HOSTILE = [SEVEN, JS, KEY].join('\n');

const play = (tasks: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: read
      command: cat $DIR/hostile.txt
      register: out
      changed_when: false
${tasks}`;

async function run(tasks: string) {
  const r = await runLocal({
    'inventory.ini': '[all]\nh1\n',
    'show-item.yml': '- name: show\n  debug: msg="{{ item }}"\n',
    'hostile.txt': `${HOSTILE}\n`,
    'id_ed25519': 'PRIVATE-KEY-MATERIAL\n',
    'playbook.yml': play(tasks),
  }, { dir: DIR });
  const msgs = (task: string) => r.results(task).map((e) => e.msg ?? JSON.stringify(e.result));
  return { r, msgs, output: JSON.stringify(r.events) };
}

describe('engine: data from hosts is never templated', () => {
  beforeEach(() => {
    delete (globalThis as Record<string, unknown>).__fdPwned;
  });
  afterEach(() => {
    expect((globalThis as Record<string, unknown>).__fdPwned, 'code from a host ran on the controller').to.equal(undefined);
  });

  const cases: { name: string; tasks: string; expect: string }[] = [
    { name: 'a registered result printed by debug msg', tasks: `    - name: show\n      debug: msg="{{ out.stdout }}"`, expect: HOSTILE },
    { name: 'a registered result in a longer message', tasks: `    - name: show\n      debug: msg="got {{ out.stdout_lines[0] }}!"`, expect: `got ${SEVEN}!` },
    {
      name: 'set_fact of host data, then used',
      tasks: `    - set_fact: { x: "{{ out.stdout }}" }\n    - name: show\n      debug: msg="{{ x }}"`,
      expect: HOSTILE,
    },
    {
      name: 'set_fact of text built from host data',
      tasks: `    - set_fact: { x: "pre {{ out.stdout_lines[1] }}" }\n    - name: show\n      debug: msg="{{ x }}"`,
      expect: `pre ${JS}`,
    },
    {
      name: 'set_fact of a dict holding host data',
      tasks: `    - set_fact:\n        d: { a: "{{ out.stdout_lines[2] }}", b: "{{ 1 + 1 }}" }\n    - name: show\n      debug: msg="{{ d.a }} {{ d.b }}"`,
      expect: `${KEY} 2`,
    },
    {
      name: 'set_fact chains',
      tasks: `    - set_fact: { x: "{{ out.stdout_lines }}" }\n    - set_fact: { y: "{{ x }}" }\n    - name: show\n      debug: msg="{{ y[0] }}|{{ y | join('|') }}"`,
      expect: `${SEVEN}|${HOSTILE.split('\n').join('|')}`,
    },
    { name: 'hostvars', tasks: `    - name: show\n      debug: msg="{{ hostvars[inventory_hostname].out.stdout }}"`, expect: HOSTILE },
    { name: 'vars', tasks: `    - name: show\n      debug: msg="{{ vars['out']['stdout_lines'][0] }}"`, expect: SEVEN },
    {
      name: 'slurp + b64decode + set_fact',
      tasks: `    - slurp: { src: $DIR/hostile.txt }\n      register: s\n    - set_fact: { decoded: "{{ s.content | b64decode }}" }\n    - name: show\n      debug: msg="{{ decoded }}"`,
      expect: `${HOSTILE}\n`,
    },
    {
      name: 'a result key as a variable in failed_when',
      tasks: `    - name: show\n      command: cat $DIR/hostile.txt\n      failed_when: stdout | length == 0\n      changed_when: stdout_lines[0] != '${SEVEN.replaceAll('{', '{{ "{" }}')}'`,
      expect: 'undefined',
    },
    {
      // stricter than 2.14, where `~` drops AnsibleUnsafe and the term would be templated again
      name: 'a lookup term built from host data is not templated again',
      tasks: `    - name: show\n      debug: msg="{{ query('list', out.stdout_lines[2] ~ '!', '{{ 6 * 7 }}') | join('|') }}"`,
      expect: `${KEY}!|42`,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { msgs, output } = await run(c.tasks);
      const shown = msgs('show');
      if (c.expect !== 'undefined') expect(shown[0]).to.equal(c.expect);
      expect(output).to.not.include('PRIVATE-KEY-MATERIAL');
      expect(output).to.not.include('A49B');
    });
  }

  it('loop items print as they are, one per item', async () => {
    const { r } = await run(`    - name: show\n      debug: msg="{{ item }}"\n      loop: "{{ out.stdout_lines }}"`);
    const items = r.results('show')[0]!.result!.results as { msg: string }[];
    expect(items.map((i) => i.msg)).to.deep.equal(HOSTILE.split('\n'));
  });

  it('include_tasks looping over host data passes the items as data', async () => {
    const { r } = await run(`    - include_tasks: show-item.yml\n      loop: "{{ out.stdout_lines }}"`);
    expect(r.results('show').map((e) => e.msg)).to.deep.equal(HOSTILE.split('\n'));
  });

  it('a conditional made from host data is refused, not evaluated', async () => {
    const { r } = await run(`    - name: show\n      debug: msg=never\n      when: "{{ out.stdout_lines[0] }}"`);
    const [e] = r.results('show');
    expect(e!.status).to.equal('failed');
    expect(e!.msg).to.include('Conditional is marked as unsafe');
  });

  it('debug var= of host data', async () => {
    const { r } = await run(`    - name: show\n      debug: var=out.stdout_lines`);
    expect(r.results('show')[0]!.result!['out.stdout_lines']).to.deep.equal(HOSTILE.split('\n'));
  });
});
