/**
 * --shard i/N on a lite sandbox fleet: N controller processes on disjoint shards, merged with
 * `report merge`, give exactly the single-process result (same hosts, recap, retry file, exit code).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = 'bench-shard';
const HOSTS = 24;
const SHARDS = 3;

const PLAY = `- name: sharded
  hosts: all
  gather_facts: true
  tasks:
    - name: per-run directory
      file: { path: "{{ out }}", state: directory, mode: "0755" }
    - name: config
      copy: { content: "{{ inventory_hostname }} {{ ansible_distribution }}\\n", dest: "{{ out }}/app.conf" }
    - name: one host fails
      fail: { msg: planned }
      when: inventory_hostname == '${NAME}-h5'
    - name: skipped on odd hosts
      command: "true"
      when: inventory_hostname[-1] | int is even
`;

interface Ran {
  code: number | null;
  stdout: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.on('close', (code) => done({ code, stdout }));
  });
}

const recapOf = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap').stats;

describe('--shard i/N + report merge on a lite fleet (sandbox, root)', function () {
  this.timeout(600_000);
  let sb: SandboxInfo;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-shard-'));
    writeFileSync(join(dir, 'play.yml'), PLAY);
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: HOSTS, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${SHARDS} processes on disjoint shards give the single process's hosts, recap sums, retry file and exit code`, async () => {
    const env = { ...process.env, ANSIBLE_RETRY_FILES_ENABLED: 'true', ANSIBLE_RETRY_FILES_SAVE_PATH: join(dir, 'single') };
    const play = join(dir, 'play.yml');
    const single = await cli(['run', play, '-i', sb.inventory, '--json', '-e', 'out=/tmp/single'], env);
    const shardEnv = { ...env, ANSIBLE_RETRY_FILES_SAVE_PATH: join(dir, 'shards') };
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => cli(['run', play, '-i', sb.inventory, '--json', '-e', 'out=/tmp/sharded', '--shard', `${i + 1}/${SHARDS}`], shardEnv)),
    );
    const files = shards.map((s, i) => {
      const file = join(dir, `shard-${i + 1}.json`);
      writeFileSync(file, s.stdout);
      return file;
    });
    const hostsPerShard = shards.map((s) => Object.keys(recapOf(s.stdout)));
    expect(hostsPerShard.flat().sort()).to.deep.equal(Object.keys(recapOf(single.stdout)).sort());
    expect(new Set(hostsPerShard.flat()).size).to.equal(HOSTS);
    for (const hosts of hostsPerShard) expect(hosts.length).to.be.greaterThan(0);

    const merged = await cli(['report', 'merge', ...files, '--json'], { ...env, ANSIBLE_RETRY_FILES_SAVE_PATH: join(dir, 'merged') });
    expect(single.code).to.equal(2);
    expect(merged.code).to.equal(single.code);
    const sum = (recap: Record<string, Record<string, number>>) =>
      Object.values(recap).reduce((acc, s) => Object.fromEntries(Object.keys(s).map((k) => [k, (acc[k] ?? 0) + s[k]])), {} as Record<string, number>);
    expect(recapOf(merged.stdout)).to.deep.equal(recapOf(single.stdout));
    expect(sum(recapOf(merged.stdout))).to.deep.equal(sum(recapOf(single.stdout)));
    // directory + config on every host, plus `command` on the even-numbered half.
    expect(sum(recapOf(single.stdout)).changed).to.equal(2 * HOSTS + HOSTS / 2);
    expect(readFileSync(join(dir, 'merged', 'play.retry'), 'utf8')).to.equal(readFileSync(join(dir, 'single', 'play.retry'), 'utf8')).and.to.equal(`${NAME}-h5\n`);
  });
});
