/**
 * The engine over real SSH on a lite sandbox fleet (no systemd): file modules, handlers,
 * block/rescue, serial batches, check + diff, idempotence and the round-trip budget.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = 'engine-lite';

const PLAY = `- name: lite fleet
  hosts: all
  serial: 2
  gather_facts: true
  tasks:
    - name: config
      template: { src: app.j2, dest: /etc/app.conf, mode: "0640" }
      notify: config changed
    - name: line
      lineinfile: { path: /etc/app.lines, line: "{{ inventory_hostname }}", create: true }
    - name: dir
      file: { path: /var/lib/app, state: directory, mode: "0750" }
    - name: guarded
      block:
        - command: "test -e /etc/app.conf"
          changed_when: false
      rescue:
        - fail: msg=unreachable
  handlers:
    - name: config changed
      copy: { content: "restarted\\n", dest: /var/lib/app-restarted }
`;

function run(dir: string, inv: string, extra: string[]) {
  const r = spawnSync('node', [CLI, 'run', join(dir, 'play.yml'), '-i', inv, '--json', '--stats', ...extra], { encoding: 'utf8' });
  const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { code: r.status, events, recap: events.find((e) => e.type === 'recap')?.stats ?? {}, stats: events.find((e) => e.type === 'stats')?.perHost ?? {} };
}

describe('engine over SSH on a lite fleet (sandbox, root)', function () {
  this.timeout(300_000);
  let sb: SandboxInfo;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-engine-lite-'));
    writeFileSync(join(dir, 'play.yml'), PLAY);
    writeFileSync(join(dir, 'app.j2'), 'name={{ inventory_hostname }}\nmode={{ mode | default("prod") }}\n');
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 4, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('converges in serial batches in 7 round trips per host, runs handlers once, then costs at most 2 round trips and changes nothing', () => {
    const first = run(dir, sb.inventory, []);
    expect(first.code).to.equal(0);
    const batches = first.events.filter((e) => e.type === 'play_start').map((e) => e.hosts.length);
    expect(batches).to.deep.equal([2, 2]);
    expect(first.events.filter((e) => e.type === 'task_start' && e.handler)).to.have.length(2); // once per batch
    for (const s of Object.values(first.recap) as { changed: number }[]) expect(s.changed).to.equal(4);
    // facts + every task's probes; then one per task that runs commands (config, line, dir, the
    // guarded command), each carrying the later tasks' probes; the handler's own probe, its copy
    for (const s of Object.values(first.stats) as { roundTrips: number }[]) expect(s.roundTrips).to.equal(7);
    const second = run(dir, sb.inventory, []);
    expect(second.code).to.equal(0);
    for (const s of Object.values(second.recap) as { changed: number; failed: number }[]) expect(s).to.include({ changed: 0, failed: 0 });
    for (const s of Object.values(second.stats) as { roundTrips: number; channels: number }[]) {
      expect(s.roundTrips).to.be.at.most(2);
      expect(s.channels).to.equal(1);
    }
  });

  it('--check --diff shows the template change and leaves the hosts alone', () => {
    const host = sb.hosts[0].name;
    const before = spawnSync('ssh', ['-F', sb.sshConfig, host, 'cat /etc/app.conf'], { encoding: 'utf8' }).stdout;
    const r = run(dir, sb.inventory, ['--check', '--diff', '-e', 'mode=staging']);
    expect(r.code).to.equal(0);
    const change = r.events.find((e) => e.type === 'host_result' && e.host === host && e.task === 'config');
    expect(change.status).to.equal('changed');
    expect(change.diff[0]).to.include({ before: before, after: before.replace('mode=prod', 'mode=staging') });
    expect(spawnSync('ssh', ['-F', sb.sshConfig, host, 'cat /etc/app.conf'], { encoding: 'utf8' }).stdout).to.equal(before);
  });

  it('-b on run becomes for every play (ansible-playbook -b)', () => {
    writeFileSync(join(dir, 'whoami.yml'), `- hosts: all
  gather_facts: false
  become_user: nobody
  tasks:
    - name: who
      command: id -un
      changed_when: false
`);
    const who = (extra: string[]) => {
      const r = spawnSync('node', [CLI, 'run', join(dir, 'whoami.yml'), '-i', sb.inventory, '--json', '-l', sb.hosts[0].name, ...extra], { encoding: 'utf8' });
      const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return events.find((e) => e.type === 'host_result' && e.task === 'who')?.result?.stdout;
    };
    expect(who([])).to.equal('root');
    expect(who(['-b'])).to.equal('nobody');
  });
});
