/**
 * File transfers over real SSH on a lite sandbox: big copies and fetches stream (controller
 * memory bounded whatever the size), huge command output is cut with a note, fetch lays files out
 * as Ansible does, and a failed write (disk full, validate) reports changed: false.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = 'files-stream';
const BIG = 300_000_000;
// Writes the CLI process's peak RSS (KiB) to $FD_RSS_FILE when it exits.
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.FD_RSS_FILE,String(process.resourceUsage().maxRSS)))",
)}`;

interface Run {
  code: number | null;
  events: Record<string, any>[];
  rssKiB: number;
}

async function sha1Of(path: string): Promise<string> {
  const h = createHash('sha1');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

describe('file transfers over SSH on a lite sandbox (root)', function () {
  this.timeout(300_000);
  let sb: SandboxInfo;
  let dir: string;

  const run = (play: string, extra: string[] = []): Run => {
    const file = join(dir, 'play.yml');
    writeFileSync(file, play);
    const rssFile = join(dir, 'rss');
    const r = spawnSync('node', ['--import', RSS_HOOK, CLI, 'run', file, '-i', sb.inventory, '--json', ...extra], {
      encoding: 'utf8',
      env: { ...process.env, FD_RSS_FILE: rssFile },
      maxBuffer: 256 * 1024 * 1024,
    });
    const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return { code: r.status, events, rssKiB: Number(readFileSync(rssFile, 'utf8')) };
  };
  /** copy src to dest (mode 0600) on every host, then fetch it back below dir/fetchDir/. */
  const copyAndFetchBack = (src: string, dest: string, fetchDir: string, playKeywords = ''): Run => {
    const r = run(`- hosts: all\n  gather_facts: false\n${playKeywords}  tasks:
    - copy: { src: ${src}, dest: ${dest}, mode: "0600" }
    - fetch: { src: ${dest}, dest: ${dir}/${fetchDir}/ }
`);
    expect(r.code, JSON.stringify(r.events.filter((e) => e.status === 'failed'))).to.equal(0);
    return r;
  };
  const results = (r: Run, task: string) => r.events.filter((e) => e.type === 'host_result' && e.task === task);
  const onHost = (host: string, command: string) => spawnSync('ssh', ['-F', sb.sshConfig, host, command], { encoding: 'utf8' }).stdout;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-files-stream-'));
    const made = spawnSync('sh', ['-c', `head -c ${BIG} /dev/urandom > ${join(dir, 'big.bin')}`]);
    expect(made.status).to.equal(0);
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 2, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies and fetches back a 300 MB file on 2 hosts with bounded controller memory, byte-exact', async () => {
    const baseline = run(`- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n`);
    expect(baseline.code).to.equal(0);
    const src = join(dir, 'big.bin');
    const copy = copyAndFetchBack(src, '/tmp/big.bin', 'fetched');
    const want = await sha1Of(src);
    for (const h of sb.hosts) {
      expect(onHost(h.name, 'sha1sum < /tmp/big.bin; stat -c %a /tmp/big.bin; ls -A /tmp')).to.equal(`${want}  -\n600\nbig.bin\n`);
      expect(await sha1Of(join(dir, 'fetched', h.name, 'tmp', 'big.bin'))).to.equal(want);
      expect(readdirSync(join(dir, 'fetched', h.name, 'tmp'))).to.deep.equal(['big.bin']);
    }
    const growthMiB = (copy.rssKiB - baseline.rssKiB) / 1024;
    console.log(`      peak RSS: baseline ${(baseline.rssKiB / 1024).toFixed(0)} MiB, 2x300 MB copy+fetch ${(copy.rssKiB / 1024).toFixed(0)} MiB`);
    expect(growthMiB, 'controller RSS growth for 2 x 300 MB').to.be.below(300);
  });

  it('a task printing 200 MB keeps the first and last 5 MiB around a clear note', () => {
    const r = run(`- hosts: all
  gather_facts: false
  tasks:
    - name: loud
      shell: "head -c 200000000 /dev/zero | tr '\\\\0' a; echo; echo END"
`);
    expect(r.code).to.equal(0);
    for (const e of results(r, 'loud')) {
      const out = String(e.result.stdout);
      expect(out).to.include('[output truncated: 200000005 bytes, showing the first 5242880 and the last 5242880]');
      expect(out.endsWith('a\nEND')).to.equal(true);
      expect(out.length).to.be.below(11 * 1024 * 1024);
    }
    expect(results(r, 'loud')).to.have.length(2);
    expect(r.rssKiB / 1024, 'controller peak RSS').to.be.below(600);
  });

  it('fetch lays files out as Ansible 2.14: dest/<host>/<src>, and flat dest/ + basename', () => {
    const r = run(`- hosts: all
  gather_facts: false
  tasks:
    - fetch: src=/etc/hostname dest=${dir}/tree/
    - fetch: src=/etc/hostname dest=${dir}/tree2
    - fetch: src=/etc/hostname dest=${dir}/flat/{{ inventory_hostname }}/ flat=yes
`);
    expect(r.code).to.equal(0);
    for (const h of sb.hosts) {
      const name = onHost(h.name, 'cat /etc/hostname');
      expect(readFileSync(join(dir, 'tree', h.name, 'etc', 'hostname'), 'utf8')).to.equal(name);
      expect(readFileSync(join(dir, 'tree2', h.name, 'etc', 'hostname'), 'utf8')).to.equal(name);
      expect(readFileSync(join(dir, 'flat', h.name, 'hostname'), 'utf8')).to.equal(name);
    }
    expect(existsSync(join(dir, 'tree', sb.hosts[0].name, 'etc', 'hostname.tmp'))).to.equal(false);
  });

  it('streams through sudo with a become password (deploy -> root), both ways', () => {
    const src = join(dir, 'mid.bin');
    writeFileSync(src, Buffer.alloc(3 * 1024 * 1024, 7));
    copyAndFetchBack(src, '/root/mid.bin', 'rootfetch', '  become: true\n  vars: { ansible_user: deploy, ansible_become_password: deploy }\n');
    for (const h of sb.hosts) {
      expect(onHost(h.name, 'stat -c "%U %a %s" /root/mid.bin')).to.equal(`root 600 ${3 * 1024 * 1024}\n`);
      expect(readFileSync(join(dir, 'rootfetch', h.name, 'root', 'mid.bin')).equals(readFileSync(src))).to.equal(true);
    }
  });

  it('a write that fails (disk full, validate) reports changed: false and leaves nothing behind', () => {
    const host = sb.hosts[0].name;
    const r = run(`- hosts: ${host}
  gather_facts: false
  tasks:
    - shell: mkdir -p /mnt/tiny && mount -t tmpfs -o size=1m tmpfs /mnt/tiny
    - name: full big
      copy: { src: ${join(dir, 'big.bin')}, dest: /mnt/tiny/big.bin }
      ignore_errors: true
    - name: full small
      copy: { content: "{{ 'x' * 2000000 }}", dest: /mnt/tiny/small.txt }
      ignore_errors: true
    - name: invalid
      lineinfile: { path: /mnt/tiny/l.conf, line: "a", create: true, validate: "false %s" }
      ignore_errors: true
`);
    expect(r.code).to.equal(0);
    for (const task of ['full big', 'full small', 'invalid']) {
      const [e] = results(r, task);
      expect(e.result, task).to.include({ failed: true, changed: false });
    }
    expect(results(r, 'full small')[0].result.msg).to.include('No space left on device');
    expect(onHost(host, 'ls -A /mnt/tiny; umount /mnt/tiny')).to.equal('');
  });
});
