import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLocal } from '../support/run-local.js';
import type { ModuleDefinition } from '../../src/modules/contract.js';

const INV = '[web]\nw1\nw2\n[db]\nd1\n';
const play = (body: string, head = 'hosts: all\n  gather_facts: false') => `- name: test\n  ${head}\n  tasks:\n${body}`;

describe('engine: running playbooks (local hosts)', () => {
  it('registers command results, evaluates when/changed_when/failed_when, counts like Ansible', async () => {
    const r = await runLocal({
      'inventory.ini': INV,
      'playbook.yml': play(`
    - name: echo host
      command: echo {{ inventory_hostname }}
      register: out
      changed_when: false
    - name: only web
      debug: msg="{{ out.stdout }} is web"
      when: "'web' in group_names"
    - name: fails on d1
      shell: test {{ inventory_hostname }} != d1
      failed_when: out.stdout == 'd1'
`),
    });
    expect(r.results('echo host').map((e) => e.status)).to.deep.equal(['ok', 'ok', 'ok']);
    expect(r.results('only web').map((e) => [e.host, e.status, e.msg])).to.deep.equal([
      ['w1', 'ok', 'w1 is web'],
      ['w2', 'ok', 'w2 is web'],
      ['d1', 'skipped', 'Conditional result was False'],
    ]);
    expect(r.results('fails on d1').filter((e) => e.status === 'failed').map((e) => e.host)).to.deep.equal(['d1']);
    expect(r.stats.d1).to.include({ ok: 1, failed: 1, skipped: 1 });
    expect(r.stats.w1).to.include({ ok: 3, changed: 1, failed: 0 });
    expect(r.exitCode).to.equal(2);
  });

  it("a failed module reports changed: false (its failure changed nothing); a failed command keeps changed: true, as Ansible counts them", async () => {
    // A package install whose command fails (apt-get on a stale cache finding no such package).
    const install: ModuleDefinition = {
      name: 'fake_install',
      spec: { args: {} },
      probes: () => [],
      plan: () => ({ commands: [{ command: 'echo E: Unable to locate package >&2; exit 100' }], changed: true }),
    };
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': play(`
    - name: install
      fake_install: {}
      ignore_errors: true
      register: inst
    - name: false
      command: /bin/false
      ignore_errors: true
      register: cmd
    - name: show
      debug: msg="{{ inst.changed }} {{ cmd.changed }}"
`),
    }, { modules: [install] });
    expect(r.results('show')[0].msg).to.equal('False True');
    // ansible-playbook 2.14 on the same shape (apt of a missing package + /bin/false): ok=4 changed=1 ignored=2
    expect(r.stats.a).to.include({ ok: 3, changed: 1, ignored: 2, failed: 0 });
  });

  it('block/rescue/always: rescued hosts count as rescued, not failed', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': play(`
    - block:
        - name: boom
          command: /bin/false
        - name: never
          debug: msg=unreached
      rescue:
        - name: ignored inside rescue
          command: /bin/false
          ignore_errors: true
        - name: fix
          set_fact: fixed=yes
      always:
        - name: finally
          debug: msg="fixed={{ fixed }} after {{ ansible_failed_task.name }} rc={{ ansible_failed_result.rc }}"
`),
    });
    expect(r.results('never')).to.have.length(0);
    expect(r.results('finally')[0].msg).to.equal('fixed=yes after boom rc=1');
    expect(r.stats.a).to.include({ failed: 0, rescued: 1, ignored: 1 });
    expect(r.exitCode).to.equal(0);
  });

  it('handlers run once, in definition order, only when notified by a change', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: change 1
      command: "true"
      notify: [second, first]
    - name: change 2
      command: "true"
      notify: first
    - name: no change
      command: "true"
      changed_when: false
      notify: third
  handlers:
    - name: first
      command: "true"
    - name: second
      command: "true"
    - name: third
      command: "true"
`,
    });
    const handlerRuns = r.events.filter((e) => e.type === 'task_start' && e.handler).map((e) => (e as { task: string }).task);
    expect(handlerRuns).to.deep.equal(['first', 'second']);
  });

  it('a listen topic runs EVERY handler listening to it (the falco role: unload module, then restart)', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: change
      command: "true"
      notify: restart app
    - meta: flush_handlers
    - name: change again
      command: "true"
      notify: restart app
  handlers:
    - name: stop it
      command: "true"
      listen: restart app
    - name: unrelated
      command: "true"
    - name: start it
      command: "true"
      listen: restart app
`,
    });
    const handlerRuns = r.events.filter((e) => e.type === 'task_start' && e.handler).map((e) => (e as { task: string }).task);
    expect(handlerRuns).to.deep.equal(['stop it', 'start it', 'stop it', 'start it']);
  });

  it('loops with loop_control, until/retries, ignore_errors, register of a loop', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': play(`
    - name: loop
      shell: echo {{ n }}-{{ i }}
      loop: [x, y, z]
      loop_control: { loop_var: n, index_var: i }
      register: looped
    - name: count
      shell: n=$(cat $DIR/count 2>/dev/null || echo 0); echo $((n + 1)) > $DIR/count; cat $DIR/count
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
    - name: ignored
      command: /bin/false
      ignore_errors: true
    - name: show
      debug: msg="{{ looped.results | map(attribute='stdout') | join(',') }} after {{ c.attempts }}"
`),
    });
    expect(r.results('show')[0].msg).to.equal('x-0,y-1,z-2 after 3');
    expect(r.results('ignored')[0].status).to.equal('ignored');
    expect(r.stats.a).to.include({ ignored: 1, failed: 0 });
    expect(r.exitCode).to.equal(0);
  });

  it('include_tasks with a loop and variables; role defaults < play vars < extra vars', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'inc.yml': '- name: included\n  debug: msg="{{ item }} {{ level }}"\n',
      'roles/r/defaults/main.yml': 'level: role-default\nother: from-role\n',
      'roles/r/tasks/main.yml': '- name: role task\n  debug: msg="{{ level }} {{ other }}"\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  vars: { level: play }
  roles: [r]
  tasks:
    - include_tasks: inc.yml
      loop: [1, 2]
`,
    }, { extraVars: ['other=extra'] });
    expect(r.results('r : role task')[0].msg).to.equal('play extra');
    expect(r.results('included').map((e) => e.msg)).to.deep.equal(['1 play', '2 play']);
  });

  it('serial batches: a failed batch stops the rollout (max_fail_percentage 0)', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\nh1\nh2\nh3\nh4\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  serial: 2
  max_fail_percentage: 0
  tasks:
    - name: break h2
      command: test {{ inventory_hostname }} != h2
`,
    });
    const hosts = r.results('break h2').map((e) => e.host);
    expect(hosts).to.deep.equal(['h1', 'h2']);
    expect(r.events.some((e) => e.type === 'warning' && /later batches were not started/.test(e.message))).to.equal(true);
  });

  for (const extra of ['falco_serial=[1,"50%"]', '{"falco_serial": [1, "50%"]}']) {
    it(`serial from a template yielding a list (-e '${extra}') batches 1, then 50%`, async () => {
      const r = await runLocal({
        'inventory.ini': '[all]\nh1\nh2\nh3\nh4\nh5\n',
        'playbook.yml': `- hosts: all
  gather_facts: false
  serial: "{{ falco_serial | default('100%') }}"
  tasks:
    - command: "true"
`,
      }, { extraVars: [extra] });
      const batches = r.events.flatMap((e) => (e.type === 'play_start' ? [e.hosts] : []));
      expect(batches).to.deep.equal([['h1'], ['h2', 'h3'], ['h4', 'h5']]);
      expect(r.exitCode).to.equal(0);
    });
  }

  it('unreachable hosts are kept apart from failed ones (exit 3)', async () => {
    const r = await runLocal({ 'inventory.ini': '[all]\na\nb\n', 'playbook.yml': play('    - command: "true"\n') }, { unreachable: ['b'] });
    expect(r.stats.b).to.include({ unreachable: 1, failed: 0 });
    expect(r.stats.a).to.include({ ok: 1, unreachable: 0 });
    expect(r.exitCode).to.equal(3);
  });

  it('check mode changes nothing; --diff reports the file diff', async () => {
    const r = await runLocal(
      {
        'inventory.ini': '[all]\na\n',
        'playbook.yml': play(`
    - name: write
      copy: { content: "new\\n", dest: "$DIR/target.txt" }
`),
        'target.txt': 'old\n',
      },
      { check: true, diff: true },
    );
    const res = r.results('write')[0];
    expect(res.status).to.equal('changed');
    expect(res.diff?.[0]).to.include({ before: 'old\n', after: 'new\n' });
    expect(readFileSync(join(r.dir, 'target.txt'), 'utf8')).to.equal('old\n');
  });

  it('a converged play costs at most 2 exec round trips per host, whatever its task count', async () => {
    const files = {
      'inventory.ini': '[all]\na\nb\n',
      'playbook.yml': play(
        Array.from({ length: 8 }, (_, i) => `    - name: f${i}\n      copy: { content: "${i}\\n", dest: "$DIR/f${i}-{{ inventory_hostname }}" }\n`).join('') +
          '    - name: dir\n      file: { path: "$DIR/d-{{ inventory_hostname }}", state: directory }\n',
      ),
    };
    const first = await runLocal(files);
    expect(first.stats.a.changed).to.equal(9);
    const second = await runLocal(files, { dir: first.dir });
    expect(second.stats.a).to.include({ changed: 0, ok: 9 });
    for (const c of second.provider.connections.values()) expect(c.stats.roundTrips).to.be.at.most(2);
    expect(existsSync(join(first.dir, 'f7-b'))).to.equal(true);
  });
});

describe('engine: until re-reads the host', () => {
  it('a probe-only task (stat) retried with until sees the file appear', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: appear later
      shell: (sleep 0.5; touch $DIR/late) > /dev/null 2>&1 &
    - name: wait via stat
      stat: { path: "$DIR/late" }
      register: st
      until: st.stat.exists
      retries: 5
      delay: 1
`,
    });
    const res = r.results('wait via stat')[0];
    expect(res.status).to.equal('ok');
    expect(res.result?.attempts).to.be.greaterThan(1);
  });
});

describe('engine: lookups', () => {
  it('query/lookup fileglob, file and env on the controller', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'files/one.yaml': '1\n',
      'files/two.yaml': '2\n',
      'files/skip.txt': 'x\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: glob
      debug: msg="{{ query('fileglob', '*.yaml') | map('basename') | join(' ') }}|{{ lookup('file', 'one.yaml') }}|{{ lookup('env', 'FD_TEST_ENV') }}"
    - name: absolute glob
      debug: msg="{{ query('fileglob', playbook_dir ~ '/files/*.txt') | map('basename') | join(' ') }}"
`,
    }, {});
    expect(r.results('glob')[0].msg).to.equal('one.yaml two.yaml|1|');
    expect(r.results('absolute glob')[0].msg).to.equal('skip.txt');
  });

  it("fileglob matches as Python's glob: fnmatch classes, hidden files only for a pattern starting with a dot", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'files/one.yaml': '1\n',
      'files/.hidden.yaml': 'h\n',
      'files/[x].yaml': 'b\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: globs
      debug: msg="{{ query('fileglob', '*.yaml') | map('basename') | join(' ') }}|{{ query('fileglob', '.*.yaml') | map('basename') | join(' ') }}|{{ query('fileglob', '[[]x].yaml') | map('basename') | join(' ') }}|{{ query('fileglob', '[!o]*.yaml') | map('basename') | join(' ') }}"
`,
    }, {});
    // ansible-playbook 2.14 prints the same names for this task (in directory order; ours are sorted)
    expect(r.results('globs')[0].msg).to.equal('[x].yaml one.yaml|.hidden.yaml|[x].yaml|[x].yaml');
  });
});

describe('engine: hostvars and undefined variables', () => {
  it('hostvars[h] templates another host\'s variables in its own scope; undefined fails that host only', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na role=web\nb role=db\n[all:vars]\ngreeting="hi {{ role }}"\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: peek
      debug: msg="{{ hostvars['b'].greeting }}"
    - name: undefined on a
      debug: msg="{{ only_b }}"
      vars:
        only_b: "{{ 'x' if inventory_hostname == 'b' else nope }}"
`,
    });
    expect(r.results('peek').map((e) => e.msg)).to.deep.equal(['hi db', 'hi db']);
    const undef = r.results('undefined on a');
    expect(undef.map((e) => e.status)).to.deep.equal(['failed', 'ok']);
    expect(undef[0].msg).to.match(/The task includes an option with an undefined variable.*'nope' is undefined/);
  });
});

describe('engine: rescue accounting', () => {
  it('a failing rescue leaves failed=1 rescued=1, as ansible-playbook counts it', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: /bin/false
      rescue:
        - fail: msg="still broken"
`,
    });
    expect(r.stats.a).to.include({ failed: 1, rescued: 1 });
    expect(r.exitCode).to.equal(2);
  });
});

describe('engine: secrets never reach the output', () => {
  it('password-like vars are masked in messages, results and diffs; no_log hides the result', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na db_password=s3cr3t-pw api_token=tok-9876\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: say it
      debug: msg="connecting with {{ db_password }}"
    - name: write it
      copy: { content: "token={{ api_token }}\\n", dest: "$DIR/secret.conf" }
    - name: hidden
      command: echo {{ db_password }}
      no_log: true
`,
    }, { diff: true });
    const text = JSON.stringify(r.events);
    expect(text).to.not.include('s3cr3t-pw');
    expect(text).to.not.include('tok-9876');
    expect(r.results('say it')[0].msg).to.equal('connecting with ********');
    expect(r.results('hidden')[0].result).to.have.property('censored');
  });

  it("a no_log option's value (yum_repository password) is masked in the diff and the result, as AnsibleModule does", async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: repo
      yum_repository: { name: falcosecurity, description: Falco, baseurl: "https://example.invalid/rpm", reposdir: "$DIR", username: me, password: pl41n-pw }
`,
    }, { diff: true });
    expect(r.results('repo')[0].status, JSON.stringify(r.results('repo')[0])).to.equal('changed');
    expect(readFileSync(join(r.dir, 'falcosecurity.repo'), 'utf8')).to.include('pl41n-pw');
    expect(JSON.stringify(r.events)).to.not.include('pl41n-pw');
  });
});

describe('engine: a task that could not run', () => {
  it('registers {failed: true, msg} and words a broken conditional as ansible-playbook 2.14 does', async () => {
    const r = await runLocal({
      'inventory.ini': '[all]\na\n',
      'playbook.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: bad argument
      debug: msg="{{ nope }}"
      register: arg
      ignore_errors: true
    - name: bad when
      debug: msg=x
      when: nope3 > 1
      register: cond
      ignore_errors: true
    - name: read them
      debug: msg="{{ arg is failed }} {{ arg | list | sort }} {{ cond is failed }} {{ cond.msg.split(' (')[0] }}"
`,
    });
    // what ansible-playbook 2.14 printed for the same play (-c local): both registered as
    // {"failed": true, "msg": ...}; the conditional's message up to its location:
    // "The conditional check 'nope3 > 1' failed. The error was: error while evaluating conditional (nope3 > 1): 'nope3' is undefined"
    const [bad] = r.results('bad argument');
    expect(bad.status).to.equal('ignored');
    expect(bad.result).to.have.all.keys('failed', 'msg');
    expect(r.results('read them')[0].msg).to.equal(
      "True ['failed', 'msg'] True The conditional check 'nope3 > 1' failed. The error was: error while evaluating conditional",
    );
    expect(String(r.results('bad when')[0].msg)).to.match(/^The conditional check 'nope3 > 1' failed\. The error was: error while evaluating conditional \(nope3 > 1\): 'nope3' is undefined/);
  });
});
