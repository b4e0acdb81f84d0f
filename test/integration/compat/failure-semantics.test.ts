/**
 * Failure semantics against ansible-playbook 2.14, on generated playbooks: blocks (nested), rescue,
 * always, tasks failing on some hosts, ignore_errors, handlers that may fail, and the play's
 * max_fail_percentage or any_errors_fatal. Both tools run each playbook on the same four local
 * hosts (`--forks 1`, local connection); the plain output (every line, NO MORE HOSTS LEFT, the
 * recap) and the exit code must be the same. FD_DIFF_SEED=n runs one seed; FD_DIFF_ROUNDS scales.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../../support/prng.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const HOSTS = ['h1', 'h2', 'h3', 'h4'];
const ROUNDS = Number(process.env.FD_DIFF_ROUNDS ?? 24);
const FIRST_SEED = Number(process.env.FD_DIFF_SEED ?? 1);

/** One generated playbook. */
function playbook(seed: number): string {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const someHosts = () => HOSTS.filter(() => random() < 0.3);
  let n = 0;
  const indent = (lines: string[], by: number) => lines.map((l) => ' '.repeat(by) + l);
  const task = (depth: number): string[] => {
    const name = `t${++n}`;
    const r = random();
    if (r < 0.35) {
      return [`- name: ${name}`, `  fail: { msg: ${name} }`, `  when: inventory_hostname in ${JSON.stringify(someHosts())}`, ...(random() < 0.15 ? ['  ignore_errors: true'] : [])];
    }
    if (r < 0.45) return [`- name: ${name}`, '  debug: { msg: notify }', '  changed_when: true', `  notify: ${pick(['ha', 'hb'])}`];
    if (r < 0.7 || depth > 1) return [`- name: ${name}`, `  debug: { msg: ${name} }`];
    const out = ['- block:', ...indent(tasks(depth + 1), 4)];
    for (const [section, chance] of [['rescue', 0.6], ['always', 0.5]] as const) {
      if (random() >= chance) continue;
      out.push(`  ${section}:`, ...indent(tasks(depth + 1), 4));
    }
    return out;
  };
  const tasks = (depth: number): string[] => Array.from({ length: 1 + Math.floor(random() * 3) }, () => task(depth)).flat();
  const body = [...tasks(0), '- name: last', '  debug: { msg: last }'];
  const keyword = random() < 0.6 ? `  max_fail_percentage: ${pick([0, 20, 25, 30, 50, 60])}` : random() < 0.6 ? '  any_errors_fatal: true' : undefined;
  return [
    '- hosts: fleet',
    '  gather_facts: false',
    ...(keyword ? [keyword] : []),
    '  tasks:',
    ...indent(body, 4),
    '  handlers:',
    '    - name: ha',
    `      fail: { msg: ha }`,
    `      when: inventory_hostname in ${JSON.stringify(someHosts())}`,
    '    - name: hb',
    '      debug: { msg: hb }',
    '',
  ].join('\n');
}

const comparable = (text: string) => text.split('\n').map((l) => l.trimEnd()).join('\n');

describe('failure semantics on generated playbooks: falco-deploy against ansible-playbook 2.14', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-failure-semantics-'));
    writeFileSync(join(dir, 'inventory.ini'), `[fleet]\n${HOSTS.join('\n')}\n\n[fleet:vars]\nansible_connection=local\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (let seed = FIRST_SEED; seed < FIRST_SEED + ROUNDS; seed++) {
    it(`seed ${seed}`, () => {
      const text = playbook(seed);
      writeFileSync(join(dir, 'playbook.yml'), text);
      const run = (cmd: string, args: string[]) =>
        spawnSync(cmd, [...args, '--forks', '1', '-i', 'inventory.ini', 'playbook.yml'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
        });
      const ansible = run('ansible-playbook', []);
      const ours = run('node', [CLI, 'run']);
      expect(comparable(ours.stdout), `${text}\n${ours.stderr}`).to.equal(comparable(ansible.stdout));
      expect(ours.status, text).to.equal(ansible.status);
    });
  }
});
