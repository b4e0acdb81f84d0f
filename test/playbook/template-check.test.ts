/**
 * Bad templates and missing template/copy sources are input errors found when the playbook is
 * loaded (exit 4 at file:line), not mid-run after other tasks changed hosts.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli } from '../support/cli.js';
import { ExitCode, InputError } from '../../src/errors.js';
import { checkPlaybook } from '../../src/playbook/index.js';

type Files = Record<string, string>;

const PLAY = (tasks: string, extra = '') => `- hosts: all\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;

/** name, files (playbook.yml is the playbook), expected error (file relative, line, text) or null. */
const CASES: [string, Files, { file: string; line: number; contains: string[] } | null][] = [
  ['unknown filter in a task argument', { 'playbook.yml': PLAY('    - name: ok\n      debug: msg=hi\n    - debug:\n        msg: "{{ x | nosuchfilter }}"\n') },
    { file: 'playbook.yml', line: 7, contains: ["No filter named 'nosuchfilter'", 'String: {{ x | nosuchfilter }}'] }],
  ['unclosed expression in a task argument', { 'playbook.yml': PLAY('    - debug:\n        msg: "{{ x "\n') },
    { file: 'playbook.yml', line: 5, contains: ['expected variable end'] }],
  ['syntax error in when (a bare expression)', { 'playbook.yml': PLAY('    - debug: msg=hi\n      when: x ==\n') },
    { file: 'playbook.yml', line: 5, contains: ['template error while templating string', 'String: x =='] }],
  ['unknown test in changed_when', { 'playbook.yml': PLAY('    - command: "true"\n      changed_when: x is nosuchtest\n') },
    { file: 'playbook.yml', line: 5, contains: ["No test named 'nosuchtest'"] }],
  ['unknown filter in loop', { 'playbook.yml': PLAY('    - debug: msg={{ item }}\n      loop: "{{ [1] | nope }}"\n') },
    { file: 'playbook.yml', line: 5, contains: ["No filter named 'nope'"] }],
  ['bad template in play vars, line of the value', { 'playbook.yml': PLAY('    - debug: msg=hi\n', '  vars:\n    ok: 1\n    bad: "{% if x %}"\n') },
    { file: 'playbook.yml', line: 5, contains: ['expected elif, else, or endif'] }],
  ['unknown filter in assert that', { 'playbook.yml': PLAY('    - assert:\n        that:\n          - x | nofilter\n') },
    { file: 'playbook.yml', line: 6, contains: ["No filter named 'nofilter'"] }],
  ['bad template in role defaults',
    { 'playbook.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- debug: msg=hi\n', 'roles/r/defaults/main.yml': 'a: 1\nb: "{{ a | ansible.builtin.nosuch }}"\n' },
    { file: 'roles/r/defaults/main.yml', line: 2, contains: ["No filter named 'ansible.builtin.nosuch'"] }],
  ['bad template in a literal vars_files file', { 'playbook.yml': PLAY('    - debug: msg=hi\n', '  vars_files: [vars.yml]\n'), 'vars.yml': 'x: "{{ 1 +"\n' },
    { file: 'vars.yml', line: 1, contains: ['template error while templating string'] }],
  ['template file with a syntax error: the task line and the template line',
    { 'playbook.yml': PLAY('    - template:\n        src: bad.j2\n        dest: /tmp/x\n'), 'templates/bad.j2': 'line 1\n{{ ok }}\n{% for x in y %}\n' },
    { file: 'playbook.yml', line: 5, contains: ['templates/bad.j2:3:', 'expected'] }],
  ['template file with an unknown filter (role templates/)',
    { 'playbook.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- template: src=t.j2 dest=/tmp/t\n', 'roles/r/templates/t.j2': 'a\nb\n{{ x | to_nice_yamll }}\n' },
    { file: 'roles/r/tasks/main.yml', line: 1, contains: ['roles/r/templates/t.j2:3:', "No filter named 'to_nice_yamll'"] }],
  ['missing template src', { 'playbook.yml': PLAY('    - debug: msg=hi\n    - template: src=missing.j2 dest=/tmp/x\n') },
    { file: 'playbook.yml', line: 5, contains: ["Could not find or access 'missing.j2'", 'templates/missing.j2'] }],
  ['missing copy src in a role: role files/ searched first',
    { 'playbook.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- copy:\n    src: gone.conf\n    dest: /tmp/x\n' },
    { file: 'roles/r/tasks/main.yml', line: 2, contains: ["Could not find or access 'gone.conf'", 'roles/r/files/gone.conf'] }],
  ['fine: good templates, sources found, remote_src, templated src, literal braces in !unsafe-free data',
    {
      'playbook.yml': PLAY([
        '    - debug: msg="{{ x | default(1) | ansible.builtin.to_json }}"',
        '      when: x is defined and x is version("1.0", ">=")',
        '    - copy: src=a.conf dest=/tmp/a',
        '    - copy: src=/nowhere dest=/tmp/b remote_src=yes',
        '    - template: src="{{ item }}" dest=/tmp/c',
        '      loop: [t.j2]',
        '    - template: src=t.j2 dest=/tmp/t',
        '    - assert: { that: ["x | bool"] }',
        '',
      ].join('\n'), '  vars:\n    y: "{% raw %}{{ not a template {% endraw %}"\n'),
      'files/a.conf': 'a\n',
      'templates/t.j2': '{% for k in x | dict2items %}{{ k.key }}{% endfor %}\n',
    },
    null],
];

describe('load-time template and source checks', () => {
  let dir: string;
  const write = (files: Files) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return join(dir, 'playbook.yml');
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-tplcheck-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, files, want] of CASES) {
    it(name, () => {
      const playbook = write(files);
      const load = () => checkPlaybook(playbook);
      if (!want) {
        expect(load).not.to.throw();
        return;
      }
      expect(load).to.throw(InputError).that.satisfies((err: InputError) => {
        expect(err.file).to.equal(join(dir, want.file));
        expect(err.line).to.equal(want.line);
        for (const text of want.contains) expect(err.message).to.include(text);
        return true;
      });
    });
  }

  it('run --syntax-check exits 4 naming file:line', async () => {
    const playbook = write({ 'playbook.yml': PLAY('    - debug:\n        msg: "{{ x | nosuchfilter }}"\n'), hosts: 'h1\n' });
    const { code, stderr } = await cli(['run', playbook, '-i', join(dir, 'hosts'), '--syntax-check']);
    expect(code).to.equal(ExitCode.badInput);
    expect(stderr).to.include(`${playbook}:5: template error while templating string: No filter named 'nosuchfilter'`);
  });
});
