/**
 * YAML scalars typed the same wherever Ansible reads YAML: group_vars, vars_files, a play's
 * `vars:` and `from_yaml`. test/cases/yaml/*.yaml are recorded from ansible-playbook by
 * test/yaml/record-expectations.py; the same play runs here through falco-deploy's engine.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeLoad } from '../../src/yaml/load.js';
import { runLocal } from '../support/run-local.js';

interface Case {
  name: string;
  value: string;
  expected: Record<Source, string>;
}

const SOURCES = ['group_vars', 'vars_files', 'play_vars', 'from_yaml'] as const;
type Source = (typeof SOURCES)[number];

/**
 * type_debug names we do not reproduce: Ansible's str subclass for loaded text is a str here,
 * and dates/datetimes are kept as the text Python's str() gives them.
 */
const TYPE_NAMES: Record<string, string> = { AnsibleUnicode: 'str', date: 'str', datetime: 'str' };

function expression(source: Source, i: number): string {
  if (source === 'from_yaml') return `(fy_text | from_yaml).fy${i}`;
  return `${{ group_vars: 'gv', vars_files: 'vf', play_vars: 'pv' }[source]}${i}`;
}

/** The files record-expectations.py's fixture() writes. */
function fixture(values: string[]): Record<string, string> {
  const lines = (prefix: string, indent = '') => values.map((v, i) => `${indent}${prefix}${i}: ${v}\n`).join('');
  let tasks = '';
  values.forEach((_v, i) => {
    tasks += `    - name: case ${i}\n      debug:\n        msg:\n`;
    for (const source of SOURCES) {
      const e = expression(source, i);
      tasks += `          ${source}: "{{ ${e} }}|{{ ${e} | type_debug }}"\n`;
    }
  });
  return {
    'inventory.ini': 'localhost ansible_connection=local\n',
    'group_vars/all.yml': lines('gv'),
    'vals.yml': lines('vf'),
    'playbook.yml': `- hosts: localhost\n  gather_facts: false\n  vars_files: [vals.yml]\n  vars:\n${lines('pv', '    ')}    fy_text: |\n${lines('fy', '      ')}  tasks:\n${tasks}`,
  };
}

const dir = fileURLToPath(new URL('../cases/yaml', import.meta.url));

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const cases = safeLoad(readFileSync(join(dir, file), 'utf8')) as Case[];
  describe(`YAML typing as ansible-playbook prints it: ${file}`, () => {
    let msgs: Record<Source, string>[];
    before(async () => {
      const run = await runLocal(fixture(cases.map((c) => c.value)));
      rmSync(run.dir, { recursive: true, force: true });
      msgs = cases.map((_c, i) => run.results(`case ${i}`)[0]?.result?.['msg'] as Record<Source, string>);
    });
    cases.forEach((c, i) => {
      it(`${c.name}: ${c.value}`, () => {
        const want = Object.fromEntries(
          SOURCES.map((s) => {
            const [text, type] = c.expected[s].split(/\|(?=[^|]*$)/) as [string, string];
            return [s, `${text}|${TYPE_NAMES[type] ?? type}`];
          }),
        );
        expect(msgs[i]).to.deep.equal(want);
      });
    });
  });
}
