/**
 * Joined batches over real SSH on lite sandbox hosts: a host that walks the play alone runs
 * consecutive file writers in one round trip with the results, diff and recap the same play
 * gives hosts walking it in lockstep (not joined); a failing earlier task leaves the joined
 * task's file unwritten.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = process.env.FD_JOINED_SANDBOX ?? 'joined-batch';

const WRITERS = `- name: writers
  hosts: all
  gather_facts: true
  tasks:
    - name: config
      template: { src: app.j2, dest: /etc/app.conf, mode: "0640" }
      register: config
      notify: config changed
    - name: line
      lineinfile: { path: /etc/app.lines, line: "app", create: true }
    - name: dir
      file: { path: /var/lib/app, state: directory, mode: "0750" }
    - name: marker
      copy: { content: "{{ ansible_facts.system }}\\n", dest: /var/lib/app/marker }
    - name: reads the register
      debug: { msg: "config changed: {{ config.changed }}" }
  handlers:
    - name: config changed
      copy: { content: "restarted\\n", dest: /var/lib/app-restarted }
`;

const FAILING = `- name: failing
  hosts: all
  gather_facts: false
  tasks:
    - name: rejected
      copy: { content: "x\\n", dest: /etc/rejected, validate: "false %s" }
    - name: after
      copy: { content: "y\\n", dest: /etc/after }
`;

function run(dir: string, play: string, inv: string, extra: string[]) {
  const r = spawnSync('node', [CLI, 'run', join(dir, play), '-i', inv, '--json', '--stats', '--diff', ...extra], { encoding: 'utf8' });
  const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { code: r.status, events, recap: events.find((e) => e.type === 'recap')?.stats ?? {}, stats: events.find((e) => e.type === 'stats')?.perHost ?? {} };
}

/** One host's share of a run (the files it writes are the same on every host), its name written as HOST. */
function hostView(events: Record<string, unknown>[], host: string): unknown[] {
  const mine = events
    .filter((e) => e.type !== 'stats' && (e.host === undefined || e.host === host))
    .map(({ time: _time, ...e }) => e)
    .map((e) => (Array.isArray(e.hosts) ? { ...e, hosts: e.hosts.filter((h) => h === host) } : e.type === 'recap' ? { ...e, stats: (e.stats as Record<string, unknown>)[host] } : e));
  return JSON.parse(JSON.stringify(mine).replaceAll(host, 'HOST'));
}

describe('engine: joined batches over SSH (lite sandbox, root)', function () {
  this.timeout(300_000);
  let sb: SandboxInfo;
  let dir: string;
  const cat = (host: string, path: string) => spawnSync('ssh', ['-F', sb.sshConfig, host, `cat ${path}`], { encoding: 'utf8' });

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-joined-'));
    writeFileSync(join(dir, 'writers.yml'), WRITERS);
    writeFileSync(join(dir, 'failing.yml'), FAILING);
    writeFileSync(join(dir, 'app.j2'), 'mode={{ mode | default("prod") }}\n');
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 3, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a host alone runs consecutive writers in one round trip, with the results, diff and recap of hosts in lockstep', () => {
    const [alone, a, b] = sb.hosts.map((h) => h.name);
    const joined = run(dir, 'writers.yml', sb.inventory, ['--limit', alone]);
    const lockstep = run(dir, 'writers.yml', sb.inventory, ['--limit', `${a},${b}`]);
    expect(joined.code).to.equal(0);
    expect(lockstep.code).to.equal(0);
    expect(hostView(joined.events, alone)).to.deep.equal(hostView(lockstep.events, a));
    expect(joined.recap[alone]).to.include({ changed: 5, failed: 0 });
    // facts + probes; config, line and dir in one batch (marker's probes need the facts, so they
    // were not fetched before it: marker's turn applies on its own); the handler's probe, its copy
    expect(joined.stats[alone].roundTrips).to.equal(5);
    expect(lockstep.stats[a].roundTrips).to.equal(7);
    for (const host of [alone, a]) {
      expect(cat(host, '/etc/app.conf').stdout).to.equal('mode=prod\n');
      expect(cat(host, '/etc/app.lines').stdout).to.equal('app\n');
      expect(cat(host, '/var/lib/app/marker').stdout).to.equal('Linux\n');
    }
  });

  it('a failing earlier task leaves the joined task\'s file unwritten', () => {
    const host = sb.hosts[0].name;
    const r = run(dir, 'failing.yml', sb.inventory, ['--limit', host]);
    expect(r.code).to.equal(2);
    expect(r.events.filter((e) => e.type === 'host_result').map((e) => [e.task, e.status])).to.deep.equal([['rejected', 'failed']]);
    expect(cat(host, '/etc/rejected').status).to.not.equal(0);
    expect(cat(host, '/etc/after').status).to.not.equal(0);
  });
});
