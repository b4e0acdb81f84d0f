/**
 * YAML scalars typed the same wherever Ansible reads YAML: group_vars, vars_files, a play's
 * `vars:` and `from_yaml` (json.yaml: JSON group_vars and vars files). test/cases/yaml/*.yaml are
 * recorded from ansible-playbook by test/yaml/record-expectations.py; the same play runs here
 * through falco-deploy's engine.
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
  expected: Partial<Record<Source, string>>;
}

const YAML_SOURCES = ['group_vars', 'vars_files', 'play_vars', 'from_yaml'] as const;
const JSON_SOURCES = ['group_vars', 'vars_files'] as const;
type Source = (typeof YAML_SOURCES)[number];

/**
 * type_debug names we do not reproduce: Ansible's str subclass for loaded text is a str here,
 * and dates/datetimes are kept as the text Python's str() gives them.
 */
const TYPE_NAMES: Record<string, string> = { AnsibleUnicode: 'str', AnsibleUnsafeText: 'str', date: 'str', datetime: 'str' };

function expression(source: Source, i: number): string {
  if (source === 'from_yaml') return `(fy_text | from_yaml).fy${i}`;
  return `${{ group_vars: 'gv', vars_files: 'vf', play_vars: 'pv' }[source]}${i}`;
}

function debugTasks(count: number, sources: readonly Source[]): string {
  let tasks = '';
  for (let i = 0; i < count; i++) {
    tasks += `    - name: case ${i}\n      debug:\n        msg:\n`;
    for (const source of sources) {
      const e = expression(source, i);
      tasks += `          ${source}: "{{ ${e} }}|{{ ${e} | type_debug }}"\n`;
    }
  }
  return tasks;
}

/** The files record-expectations.py's fixture() writes. */
function fixture(values: string[], sources: readonly Source[]): Record<string, string> {
  const inventory = 'localhost ansible_connection=local\n';
  if (sources === JSON_SOURCES) {
    const obj = (prefix: string) => `{${values.map((v, i) => `"${prefix}${i}": ${v}`).join(', ')}}\n`;
    return {
      'inventory.ini': inventory,
      'group_vars/all.json': obj('gv'),
      'vals.json': obj('vf'),
      'playbook.yml': `- hosts: localhost\n  gather_facts: false\n  vars_files: [vals.json]\n  tasks:\n${debugTasks(values.length, sources)}`,
    };
  }
  const lines = (prefix: string, indent = '') => values.map((v, i) => `${indent}${prefix}${i}: ${v}\n`).join('');
  return {
    'inventory.ini': inventory,
    'group_vars/all.yml': lines('gv'),
    'vals.yml': lines('vf'),
    'playbook.yml': `- hosts: localhost\n  gather_facts: false\n  vars_files: [vals.yml]\n  vars:\n${lines('pv', '    ')}    fy_text: |\n${lines('fy', '      ')}  tasks:\n${debugTasks(values.length, sources)}`,
  };
}

const dir = fileURLToPath(new URL('../cases/yaml', import.meta.url));

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  const cases = safeLoad(readFileSync(join(dir, file), 'utf8')) as Case[];
  const sources = file === 'json.yaml' ? JSON_SOURCES : YAML_SOURCES;
  describe(`YAML typing as ansible-playbook prints it: ${file}`, () => {
    let msgs: Record<Source, string>[];
    before(async () => {
      const run = await runLocal(fixture(cases.map((c) => c.value), sources));
      rmSync(run.dir, { recursive: true, force: true });
      msgs = cases.map((_c, i) => run.results(`case ${i}`)[0]?.result?.['msg'] as Record<Source, string>);
    });
    cases.forEach((c, i) => {
      it(`${c.name}: ${c.value}`, () => {
        const want = Object.fromEntries(
          sources.map((s) => {
            const [text, type] = c.expected[s]!.split(/\|(?=[^|]*$)/) as [string, string];
            return [s, `${text}|${TYPE_NAMES[type] ?? type}`];
          }),
        );
        expect(msgs[i]).to.deep.equal(want);
      });
    });
  });
}
