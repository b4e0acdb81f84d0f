/**
 * Controller-side work against ansible-core 2.14 (test/cases/controller/playbook.yml): the same
 * playbook runs under ansible-playbook on one pair of lite sandbox hosts and under falco-deploy
 * on another, each with its own controller directory. Compared: the files written on the
 * controller, that nothing of them reached the hosts, what each host registered, run_once's
 * single run, the `host -> delegate` result lines, the recaps, where delegate_facts (true and
 * false) put set_fact's and setup's facts, and -c local. Needs root and
 * ansible-core.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const PLAYBOOK = fileURLToPath(new URL('../../cases/controller/playbook.yml', import.meta.url));
const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = 'local-ctl';

interface Run {
  code: number | null;
  out: string;
  /** ok/changed/failed per host index in the pair. */
  recap: number[][];
}

function recapOf(out: string, hosts: string[]): number[][] {
  return hosts.map((h) => {
    const m = new RegExp(`^${h}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'm').exec(out);
    return m ? m.slice(1).map(Number) : [];
  });
}

function ansible(sb: SandboxInfo, hosts: string[], out: string, extra: string[] = []): Run {
  const r = spawnSync('ansible-playbook', ['-i', sb.inventory, '--limit', hosts.join(','), PLAYBOOK, '-e', `out=${out}`, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PIPELINING: '1', ANSIBLE_LOCALHOST_WARNING: '0' },
  });
  return { code: r.status, out: r.stdout + r.stderr, recap: recapOf(r.stdout, hosts) };
}

function falcoDeploy(sb: SandboxInfo, hosts: string[], out: string, extra: string[] = []): Run {
  const r = spawnSync('node', [CLI, 'run', PLAYBOOK, '-i', sb.inventory, '--limit', hosts.join(','), '-e', `out=${out}`, ...extra], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr, recap: recapOf(r.stdout, hosts) };
}

function ssh(sb: SandboxInfo, host: string, command: string): string {
  return spawnSync('ssh', ['-F', sb.sshConfig, '-o', 'BatchMode=yes', host, command], { encoding: 'utf8' }).stdout;
}

function tree(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The result lines of a task, host names replaced by their index in the pair (their addresses differ between pairs). */
function resultLines(out: string, task: string, hosts: string[]): string[] {
  const section = out.split(/\n(?=TASK \[)/).find((s) => s.startsWith(`TASK [${task}]`)) ?? '';
  return section
    .split('\n')
    .filter((l) => /^(ok|changed|fatal|skipping): /.test(l))
    .map((l) => hosts.reduce((text, h, i) => text.replaceAll(h, `H${i}`), l.replace(/ =>.*$/, '').replace(/\(\d+\.\d+\.\d+\.\d+\)/g, '(ADDR)')))
    .sort();
}

describe('controller-side work: ansible-playbook vs falco-deploy (lite sandbox, root)', function () {
  this.timeout(600_000);
  let sb: SandboxInfo;
  let work: string;
  let pairs: { ansible: string[]; ours: string[] };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-local-ctl-'));
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 4, dir: join(work, 'sandbox') });
    const names = sb.hosts.map((h) => h.name);
    pairs = { ansible: names.slice(0, 2), ours: names.slice(2, 4) };
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(work, 'sandbox') });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('delegate_to, delegate_facts, local_action, run_once and connection: local do what ansible-playbook does', () => {
    const outA = join(work, 'out-ansible');
    const outF = join(work, 'out-falco-deploy');
    mkdirSync(outA);
    mkdirSync(outF);
    const a1 = ansible(sb, pairs.ansible, outA);
    expect(a1.code, a1.out).to.equal(0);
    const f1 = falcoDeploy(sb, pairs.ours, outF);
    expect(f1.code, f1.out).to.equal(0);
    expect(f1.recap).to.deep.equal(a1.recap);

    // the controller got the same files; the hosts none of them
    expect(tree(outF)).to.deep.equal(tree(outA));
    expect(Object.keys(tree(outF))).to.include.members(['0.delegated', '1.delegated', '0.local', '1.local']);
    for (const h of pairs.ours) expect(ssh(sb, h, `ls ${outF} 2>&1 || true`)).to.match(/No such file/);

    // registered results per host (run_once's result on both), and the run_once command ran once
    for (const i of [0, 1]) {
      const ours = JSON.parse(ssh(sb, pairs.ours[i], 'cat /tmp/ctl-results.json'));
      expect(ours).to.deep.equal(JSON.parse(ssh(sb, pairs.ansible[i], 'cat /tmp/ctl-results.json')));
      expect(ours).to.include({ ran_on_peer: true, delegated_dest_is_controller: true, once_cmd: 'echo 0 >> /tmp/ctl-once' });
    }
    expect(ssh(sb, pairs.ours[0], 'cat /tmp/ctl-once')).to.equal('0\n');
    expect(ssh(sb, pairs.ours[1], 'cat /tmp/ctl-once 2>&1 || true')).to.match(/No such file/);

    for (const task of ['delegate_to localhost writes on the controller', 'delegate_to another inventory host runs there', 'run_once runs on the first host only', 'local_action, dict form']) {
      expect(resultLines(f1.out, task, pairs.ours), task).to.deep.equal(resultLines(a1.out, task, pairs.ansible));
    }

    // delegate_facts: the facts each host holds after set_fact/setup delegated to its peer
    for (const i of [0, 1]) {
      const want = JSON.parse(ssh(sb, pairs.ansible[i], 'cat /tmp/ctl-facts.json'));
      expect(JSON.parse(ssh(sb, pairs.ours[i], 'cat /tmp/ctl-facts.json')), `host ${i} facts`).to.deep.equal(want);
    }
    expect(resultLines(f1.out, 'hostvars of both hosts, as each host sees them', pairs.ours)).to.deep.equal(
      resultLines(a1.out, 'hostvars of both hosts, as each host sees them', pairs.ansible),
    );
    const msgs = (out: string) => [...out.matchAll(/"msg": "(.*)"/g)].map((m) => m[1]).sort();
    expect(msgs(f1.out.slice(f1.out.indexOf('TASK [hostvars of both hosts')))).to.deep.equal(msgs(a1.out.slice(a1.out.indexOf('TASK [hostvars of both hosts'))));

    const a2 = ansible(sb, pairs.ansible, outA);
    const f2 = falcoDeploy(sb, pairs.ours, outF);
    expect(f2.recap, f2.out).to.deep.equal(a2.recap);
  });

  it('-c local runs the plays on the controller, as ansible-playbook -c local does', () => {
    const book = join(work, 'c-local.yml');
    writeFileSync(
      book,
      `- hosts: all
  gather_facts: false
  tasks:
    - command: cat /proc/sys/kernel/hostname
      register: name
      changed_when: false
    - copy: { dest: "{{ out }}/{{ ansible_play_hosts_all.index(inventory_hostname) }}", content: "{{ name.stdout }}" }
`,
    );
    const outA = join(work, 'c-ansible');
    const outF = join(work, 'c-falco-deploy');
    mkdirSync(outA);
    mkdirSync(outF);
    const a = spawnSync('ansible-playbook', ['-c', 'local', '-i', sb.inventory, '--limit', pairs.ansible.join(','), book, '-e', `out=${outA}`], { encoding: 'utf8' });
    expect(a.status, a.stdout).to.equal(0);
    const f = spawnSync('node', [CLI, 'run', '-c', 'local', '-i', sb.inventory, '--limit', pairs.ours.join(','), book, '-e', `out=${outF}`], { encoding: 'utf8' });
    expect(f.status, f.stdout + f.stderr).to.equal(0);
    // the controller's own hostname, read by both tools on the controller
    expect(tree(outF)).to.deep.equal(tree(outA));
    expect(tree(outF)['0']).to.equal(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    for (const h of pairs.ours) expect(ssh(sb, h, `ls ${outF} 2>&1 || true`)).to.match(/No such file/);
  });
});
