/**
 * first_found and the controller search path. Expectations recorded from ansible-core 2.14
 * (`ansible-playbook -c local`, debug: msg="{{ lookup(...) | replace(playbook_dir ~ '/', '') }}") on the
 * same files, and from DataLoader.path_dwim_relative_stack for the candidate lists.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTemplater, plainData } from '../../src/template/index.js';
import { searchCandidates } from '../../src/template/search-path.js';

describe('template: first_found lookup (as ansible-core 2.14)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-firstfound-'));
  for (const f of ['files/a.yml', 'files/p2/b.yml', 'c.yml']) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  const t = createTemplater({ searchPaths: [dir] });
  const cases: [string, unknown][] = [
    // a mapping without paths replaces the names gathered before it (Ansible's own quirk)
    ["lookup('first_found', 'a.yml', {'files': ['zz.yml', 'c.yml']}) | replace(playbook_dir ~ '/', '')", 'c.yml'],
    // files split on , and ;, paths on : , ; and every path/file pair tried, files/ first
    ["lookup('first_found', {'files': 'x.yml,b.yml', 'paths': 'p1:p2'}) | replace(playbook_dir ~ '/', '')", 'files/p2/b.yml'],
    ["lookup('first_found', ['nope.yml', ['a.yml']]) | replace(playbook_dir ~ '/', '')", 'files/a.yml'],
    ["lookup('first_found', {'files': ['nope.yml'], 'skip': true})", []],
    ["lookup('first_found', 'files/a.yml') | replace(playbook_dir ~ '/', '')", 'files/a.yml'],
  ];
  for (const [expr, expected] of cases) {
    it(expr, () => {
      expect(plainData(t.templateData(`{{ ${expr} }}`, { playbook_dir: dir }))).to.deep.equal(expected);
    });
  }

  it('nothing found: Ansible\'s message', () => {
    expect(() => t.templateData("{{ lookup('first_found', 'nope.yml') }}", {})).to.throw('No file was found when using first_found.');
  });

  it('the task\'s ansible_search_path is searched, role first', () => {
    const role = join(dir, 'roles/r');
    mkdirSync(join(role, 'files'), { recursive: true });
    writeFileSync(join(role, 'files/c.yml'), '');
    const vars = { playbook_dir: dir, ansible_search_path: [role, join(role, 'tasks'), dir] };
    expect(plainData(t.templateData("{{ lookup('first_found', 'c.yml') | replace(playbook_dir ~ '/', '') }}", vars))).to.equal('roles/r/files/c.yml');
  });
});

describe('template: controller search path (DataLoader.path_dwim_relative_stack)', () => {
  const table: { name: string; path: string[]; subdir: string; file: string; expect: string[] }[] = [
    {
      name: 'a role task: role, its tasks/ dir, then the playbook dir twice (search path + basedir)',
      path: ['/p/roles/r', '/p/roles/r/tasks', '/p'],
      subdir: 'vars',
      file: 'x.yml',
      expect: ['/p/roles/r/vars/x.yml', '/p/roles/r/x.yml', '/p/roles/r/tasks/vars/x.yml', '/p/roles/r/tasks/x.yml', '/p/vars/x.yml', '/p/x.yml', '/p/vars/x.yml', '/p/x.yml'],
    },
    { name: 'a name already starting with the subdir gets no second one', path: ['/p'], subdir: 'files', file: 'files/a', expect: ['/p/files/a', '/p/files/a'] },
    { name: 'an absolute name is the only candidate', path: ['/p'], subdir: 'files', file: '/etc/x', expect: ['/etc/x'] },
    {
      name: 'a directory inside a role\'s tasks/: the role\'s subdir and tasks/',
      path: ['/p/roles/r/tasks/sub'],
      subdir: 'templates',
      file: 't.j2',
      expect: ['/p/roles/r/templates/t.j2', '/p/roles/r/tasks/t.j2', '/p/templates/t.j2', '/p/t.j2'],
    },
  ];
  for (const c of table) {
    it(c.name, () => expect(searchCandidates(c.path, c.subdir, c.file, '/p')).to.deep.equal(c.expect));
  }
});
