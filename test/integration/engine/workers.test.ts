/**
 * run --workers 2 on a lite sandbox fleet gives exactly the --workers 1 result: the same recap,
 * per-host results, task headers in the same order with the same hosts, retry file and exit code,
 * including the rules that cross hosts: serial batches cut from all hosts, "every host of the
 * batch failed: the playbook stops" (with the failures all in one worker, and across both), and
 * playbooks with run_once or max_fail_percentage staying in one thread.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = 'scale-workers';
const HOSTS = 8;
const h = (i: number) => `${NAME}-h${i}`;

// Workers are dealt hosts round-robin in play order: h1,h3,h5,h7 to worker 1 and h2,h4,h6,h8 to worker 2.
const SPLIT = `- name: per-host work
  hosts: all
  gather_facts: true
  tasks:
    - name: directory
      file: { path: /tmp/workers, state: directory, mode: "0755" }
    - name: config
      copy: { content: "{{ inventory_hostname }} {{ ansible_distribution }}\\n", dest: /tmp/workers/app.conf }
      notify: reload
    - name: one host fails
      fail: { msg: planned }
      when: inventory_hostname == '${h(5)}'
    - name: even hosts only
      command: "true"
      when: inventory_hostname[-1] | int is even
    - block:
        - name: fails on h2
          command: "false"
          when: inventory_hostname == '${h(2)}'
      rescue:
        - name: rescued
          debug: { msg: "rescued {{ inventory_hostname }}" }
    - name: included
      include_tasks: included.yml
  handlers:
    - name: reload
      command: "true"

- name: rolling
  hosts: all
  gather_facts: false
  serial: 3
  tasks:
    - name: fails on batch 2 of 3 (h4 and h6 of worker 2, h7 of worker 1)
      fail: { msg: rolling stop }
      when: inventory_hostname in ['${h(4)}', '${h(6)}', '${h(7)}']
`;

// Every host of the play failed, but all in worker 1: one thread stops the playbook only when
// all fail, so play 2 fails h1 and h3 (worker 1) and h2 (worker 2) and the playbook stops; in
// play 1 only worker 1's hosts fail and the playbook goes on.
const STOP = `- name: only worker 1 fails
  hosts: ${h(1)},${h(3)},${h(2)}
  gather_facts: false
  tasks:
    - fail: { msg: w1 }
      when: inventory_hostname in ['${h(1)}', '${h(3)}']
- name: all fail, across workers
  hosts: ${h(2)},${h(4)},${h(6)},${h(7)}
  gather_facts: false
  tasks:
    - fail: { msg: all }
- name: never runs
  hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: unreachable code }
`;

const RUN_ONCE = `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      run_once: true
      register: once
    - debug: { msg: "{{ once.rc }}" }
`;

// batch 1 is h1-h4: two failures are over 25%, so h3 and h4 stop at once (Ansible's per-task check)
const MAX_FAIL = `- hosts: all
  gather_facts: false
  serial: 4
  max_fail_percentage: 25
  tasks:
    - name: fails on h1 and h2
      fail: { msg: over the share }
      when: inventory_hostname in ['${h(1)}', '${h(2)}']
    - name: after
      debug: { msg: never }
`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

type Event = Record<string, unknown> & { type: string };
const events = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);

/** What must not differ between one thread and workers (result order within a task may). */
function view(stdout: string) {
  const all = events(stdout);
  const headers = all.filter((e) => e.type === 'play_start' || e.type === 'task_start').map((e) => [e.type, e.play ?? e.task, e.hosts, e.batch]);
  const results = all.filter((e) => e.type === 'host_result').map((e) => [e.task, e.host, e.status, (e.result as { changed?: boolean } | undefined)?.changed, e.msg]);
  const sort = (xs: unknown[][]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    headers,
    results: sort(results),
    recap: all.find((e) => e.type === 'recap')!.stats,
    rollout: { ...all.find((e) => e.type === 'rollout'), retryFile: undefined },
    noHosts: all.filter((e) => e.type === 'no_hosts').length,
  };
}

describe('run --workers on a lite fleet (sandbox, root)', function () {
  this.timeout(600_000);
  let sb: SandboxInfo;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-workers-'));
    writeFileSync(join(dir, 'split.yml'), SPLIT);
    writeFileSync(join(dir, 'included.yml'), '- name: from the include\n  debug: { msg: "{{ inventory_hostname }}" }\n');
    writeFileSync(join(dir, 'stop.yml'), STOP);
    writeFileSync(join(dir, 'once.yml'), RUN_ONCE);
    writeFileSync(join(dir, 'max-fail.yml'), MAX_FAIL);
    writeFileSync(join(dir, 'reset.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - file: { path: /tmp/workers, state: absent }\n');
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: HOSTS, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const both = async (playbook: string, fromScratch = false) => {
    const run = (workers: string) =>
      cli(['run', join(dir, playbook), '-i', sb.inventory, '--json', '--workers', workers], {
        ...process.env,
        ANSIBLE_RETRY_FILES_ENABLED: 'true',
        ANSIBLE_RETRY_FILES_SAVE_PATH: join(dir, `retry-${workers}`),
      });
    // each from the same host state: what the split playbook made is removed first
    const reset = () => fromScratch && cli(['run', join(dir, 'reset.yml'), '-i', sb.inventory], process.env);
    await reset();
    const one = await run('1');
    await reset();
    const two = await run('2');
    const retry = (workers: string) => readFileSync(join(dir, `retry-${workers}`, playbook.replace('.yml', '.retry')), 'utf8');
    return { one, two, retry };
  };

  it('a playbook of per-host work, a rescue, an include, handlers and serial batches: the same run', async () => {
    const { one, two, retry } = await both('split.yml', true);
    expect(two.stderr, two.stderr).to.not.include('one thread');
    expect(two.code).to.equal(one.code).and.to.equal(2);
    const [a, b] = [view(one.stdout), view(two.stdout)];
    expect(b.recap).to.deep.equal(a.recap);
    expect(Object.keys(b.recap as object)).to.have.length(HOSTS);
    expect(b.headers).to.deep.equal(a.headers);
    expect(b.results).to.deep.equal(a.results);
    expect(b.rollout).to.deep.equal(a.rollout);
    // every host of batch 2 of 3 failed (h4, h6, h7, across both workers): the third batch never started
    expect(a.headers.filter((x) => x[0] === 'play_start' && x[1] === 'rolling').length).to.equal(2);
    expect(retry('2')).to.equal(retry('1'));
  });

  it('the playbook stops when every host of a play failed across workers, and not when only one worker\'s hosts all failed', async () => {
    const { one, two, retry } = await both('stop.yml');
    expect(two.code).to.equal(one.code).and.to.equal(2);
    const [a, b] = [view(one.stdout), view(two.stdout)];
    expect(a.headers.map((x) => x[1])).to.deep.equal(['only worker 1 fails', 'fail', 'all fail, across workers', 'fail']);
    expect(b.headers).to.deep.equal(a.headers);
    expect(b.results).to.deep.equal(a.results);
    expect(b.recap).to.deep.equal(a.recap);
    expect(retry('2')).to.equal(retry('1'));
  });

  it('a playbook with run_once stays in one thread, says why, and gives the same run', async () => {
    const { one, two } = await both('once.yml');
    expect(two.stderr).to.include('--workers 2').and.to.include('run_once').and.to.include('one thread');
    expect(two.code).to.equal(one.code).and.to.equal(0);
    expect(view(two.stdout).results).to.deep.equal(view(one.stdout).results);
  });

  it('a playbook with max_fail_percentage stays in one thread, says why, and gives the same run', async () => {
    const { one, two } = await both('max-fail.yml');
    expect(two.stderr).to.include('--workers 2').and.to.include('max_fail_percentage').and.to.include('one thread');
    expect(two.code).to.equal(one.code).and.to.equal(2);
    const [a, b] = [view(one.stdout), view(two.stdout)];
    expect(b.results).to.deep.equal(a.results);
    expect(a.results.filter((r) => r.startsWith('["after"'))).to.deep.equal([]);
    expect(a.rollout).to.include({ type: 'rollout' }).and.to.have.property('stopped').that.deep.equals([h(3), h(4)]);
    expect(b.rollout).to.deep.equal(a.rollout);
  });
});
