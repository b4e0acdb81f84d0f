/**
 * `falco-deploy run` against faults on a 3-host lite sandbox: Ctrl-C leaves no command running
 * on the hosts (with and without become), a second Ctrl-C exits at once, a host whose link dies
 * at the end of a run does not keep the process alive, and a host that goes dead mid-task is
 * UNREACHABLE within -T seconds. The CLI runs as a child process (dist/, built by `npm test`).
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxFault, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { ssh } from '../sandbox/helpers.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const INTERRUPTED = '[ERROR]: User interrupted execution';

/** The CLI as a child process, its stdout collected with the time each line arrived. */
class CliRun {
  readonly child: ChildProcess;
  out = '';
  readonly lines: { at: number; text: string }[] = [];
  readonly exited: Promise<{ code: number | null; at: number }>;

  constructor(args: string[]) {
    this.child = spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      const parts = (partial + d).split('\n');
      partial = parts.pop()!;
      for (const text of parts) this.lines.push({ at: Date.now(), text });
    });
    this.child.stderr!.resume();
    this.exited = new Promise((r) => this.child.on('exit', (code) => r({ code, at: Date.now() })));
  }

  /** Exit code and time; fails the test if still running after `ms` (the child is then killed by its pid). */
  async exit(ms: number): Promise<{ code: number | null; at: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result !== 'still running') return result;
    this.child.kill('SIGKILL');
    throw new Error(`still running ${ms / 1000} s in:\n${this.out}`);
  }

  /** When the last line matching `pattern` arrived. */
  lastLineAt(pattern: RegExp): number | undefined {
    return this.lines.filter((l) => pattern.test(l.text)).at(-1)?.at;
  }

  json(): Record<string, any>[] {
    return this.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }
}

describe('integration: Ctrl-C, dead links and dead hosts (lite sandbox, root)', function () {
  this.timeout(120_000);
  const name = `fdf${randomBytes(3).toString('hex')}`;
  let dir: string;
  let sb: SandboxInfo;
  let deployInventory: string;
  const host = (i: number) => sb.hosts[i].name;

  /** `ps` inside a host: every process but sshd and the ps itself. */
  const processes = async (h: string) =>
    (await ssh(sb.sshConfig, h, 'ps -eo pid=,user=,args='))
      .stdout.split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/ sshd: | ps -eo /.test(l));

  const waitForProcess = async (h: string, needle: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await processes(h)).some((p) => p.includes(needle))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${needle} never started on ${h}`);
  };

  const fault = (h: string, action: 'down' | 'drop' | 'up') => sandboxFault(name, h, action, { dir: join(dir, 'sb') });

  /** A playbook file for all hosts, no facts, with these tasks (YAML list items). */
  const playbook = (file: string, tasks: string, become = false) => {
    writeFileSync(join(dir, file), `- hosts: all\n  gather_facts: false\n  become: ${become}\n  tasks:\n${tasks}`);
    return join(dir, file);
  };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-faults-'));
    sb = await sandboxUp({ name, kind: 'lite', hosts: 3, dir: join(dir, 'sb') });
    deployInventory = join(dir, 'deploy.ini');
    writeFileSync(deployInventory, readFileSync(sb.inventory, 'utf8').replace(/^ansible_user=root$/m, 'ansible_user=deploy\nansible_become_password=deploy'));
  });

  after(async () => {
    if (sb) await sandboxDown({ name, dir: join(dir, 'sb') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sleepTasks = (marker: string) => `    - name: first
      command: echo one
    - name: long
      shell: sleep ${marker} | cat
    - name: never
      command: echo never
`;

  it('Ctrl-C: the running command ends on every host, interrupted recap, exit 130', async () => {
    const marker = `300.${randomInt(1e6)}`;
    const run = new CliRun(['run', playbook('ctrl-c.yml', sleepTasks(marker)), '-i', sb.inventory]);
    for (let i = 0; i < 3; i++) await waitForProcess(host(i), marker);
    const sent = Date.now();
    run.child.kill('SIGINT');
    const exit = await run.exit(15_000);
    expect(exit.code).to.equal(130);
    expect(exit.at - sent, 'exit soon after Ctrl-C').to.be.below(5000);
    expect(run.out).to.include(`\n${INTERRUPTED}\n\nPLAY RECAP`);
    expect(run.out).to.not.include('TASK [never]');
    expect(run.out).to.match(new RegExp(`${host(0)}\\s+: ok=1\\s+changed=1\\s+unreachable=0\\s+failed=0`));
    for (let i = 0; i < 3; i++) expect(await processes(host(i)), host(i)).to.deep.equal([]);
  });

  it('Ctrl-C under become (sudo with a password, --json): the root processes end too', async () => {
    const marker = `300.${randomInt(1e6)}`;
    const run = new CliRun(['run', playbook('ctrl-c-become.yml', sleepTasks(marker), true), '-i', deployInventory, '-l', host(0), '--json']);
    await waitForProcess(host(0), marker);
    expect((await processes(host(0))).find((p) => p.includes(marker)), 'the command runs as root').to.match(/^\d+ root /);
    run.child.kill('SIGINT');
    expect((await run.exit(15_000)).code, run.out).to.equal(130);
    const recap = run.json().find((e) => e.type === 'recap');
    expect(recap).to.include({ interrupted: true });
    expect(recap!.stats[host(0)]).to.include({ ok: 1, failed: 0 });
    expect(await processes(host(0))).to.deep.equal([]);
  });

  it('a second Ctrl-C exits at once with a one-line recap', async () => {
    const marker = `300.${randomInt(1e6)}`;
    const run = new CliRun(['run', playbook('ctrl-c-twice.yml', sleepTasks(marker)), '-i', sb.inventory]);
    try {
      for (let i = 0; i < 3; i++) await waitForProcess(host(i), marker);
      run.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 30));
      const second = Date.now();
      run.child.kill('SIGINT');
      const exit = await run.exit(15_000);
      expect(exit.code).to.equal(130);
      expect(exit.at - second).to.be.below(1000);
      expect(run.out.trimEnd().split('\n').slice(-2)).to.deep.equal([
        `${INTERRUPTED} (second Ctrl-C: exiting now)`,
        'PLAY RECAP (interrupted) 3 hosts: ok=3 changed=3 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0',
      ]);
    } finally {
      // The first Ctrl-C's kill may not have reached every host before the process left.
      for (let i = 0; i < 3; i++) {
        const left = (await processes(host(i))).filter((p) => p.includes(marker)).map((p) => p.split(' ')[0]);
        if (left.length) await ssh(sb.sshConfig, host(i), `kill -KILL ${left.join(' ')}`);
      }
    }
  });

  it('a host whose link dies at the end of the run does not keep the process alive after the recap', async () => {
    const marker = `3.${randomInt(1e6)}`;
    const pb = playbook(
      'link-dies.yml',
      `    - name: first
      command: echo one
    - name: last
      command: sleep ${marker}
      when: inventory_hostname != '${host(0)}'
`,
    );
    const run = new CliRun(['run', pb, '-i', sb.inventory]);
    try {
      await waitForProcess(host(1), marker);
      await fault(host(0), 'down'); // host 0 finished its last task; its link dies before the end
      const exit = await run.exit(30_000);
      expect(exit.code).to.equal(0);
      const recapAt = run.lastLineAt(/^PLAY RECAP/)!;
      expect(exit.at - recapAt, 'exit right after the recap').to.be.below(1000);
      expect(recapAt - run.lastLineAt(/^changed: \[/)!, 'closing the dead connection waits a short grace only').to.be.below(3000);
    } finally {
      await fault(host(0), 'up');
    }
  });

  it('-T 3: a host that goes dead mid-task is UNREACHABLE within about 3 s; the others go on', async () => {
    const marker = `30.${randomInt(1e6)}`;
    const pb = playbook(
      'host-dies.yml',
      `    - name: long
      command: "sleep {{ '${marker}' if inventory_hostname == '${host(0)}' else 1 }}"
    - name: next
      command: echo next
`,
    );
    const run = new CliRun(['run', pb, '-i', sb.inventory, '--json', '-T', '3']);
    try {
      await waitForProcess(host(0), marker);
      const faultAt = Date.now();
      await fault(host(0), 'drop');
      const exit = await run.exit(25_000);
      expect(exit.code).to.equal(3);
      const events = run.json();
      const dead = events.find((e) => e.type === 'host_result' && e.host === host(0));
      expect(dead).to.include({ task: 'long', status: 'unreachable' });
      expect(Date.parse(dead!.time) - faultAt, 'declared dead within -T (+ scheduling slack)').to.be.within(1500, 4500);
      const next = events.filter((e) => e.type === 'host_result' && e.task === 'next').map((e) => [e.host, e.status]);
      expect(next).to.deep.equal([
        [host(1), 'changed'],
        [host(2), 'changed'],
      ]);
      expect(exit.at - faultAt).to.be.below(8000);
    } finally {
      await fault(host(0), 'up');
    }
  });
});
