/**
 * Compatibility corpus (test/cases/compat/<case>/): every playbook runs under ansible-playbook on
 * one sandbox host and under falco-deploy on another. Files (content, mode, owner, type), services
 * and registered results must match, and both second runs must report changed=0.
 * Needs root (sandbox) and ansible-core.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const CASES = fileURLToPath(new URL('../../cases/compat', import.meta.url));
const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
// several people may run this at once on one machine: each picks a sandbox name of their own
const NAME = process.env.FD_COMPAT_SANDBOX ?? 'compat';

interface Check {
  files?: string[];
  services?: string[];
  registered?: string;
  extra_vars?: Record<string, unknown>;
}

/** Keys whose values differ between runs or tools by nature (timings, tool internals). */
const VOLATILE = new Set(['start', 'end', 'delta', 'invocation', 'diff', 'warnings', 'deprecations', 'uid', 'gid', 'backup_file', 'mtime', 'atime', 'ctime', 'inode', 'dev', 'nlink', 'blocks', 'block_size', 'device_type', 'version', 'attributes', 'isgid', 'isuid', 'charset', 'mimetype', 'wgrp', 'woth', 'wusr', 'xgrp', 'xoth', 'xusr', 'rgrp', 'roth', 'rusr', 'executable', 'readable', 'writeable', 'ansible_facts', 'md5sum', 'md5', 'src', 'ansible_loop_var',
  // read by Ansible with lsattr/python; falco-deploy does not report them
  'attr_flags', 'pw_name_', 'isgid']);

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !VOLATILE.has(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, normalize(x)]),
    );
  }
  return v;
}

function sh(sb: SandboxInfo, host: string, command: string): string {
  const r = spawnSync('ssh', ['-F', sb.sshConfig, '-o', 'BatchMode=yes', host, command], { encoding: 'utf8' });
  return r.stdout;
}

function hostState(sb: SandboxInfo, host: string, check: Check): Record<string, unknown> {
  const files = Object.fromEntries(
    (check.files ?? []).map((f) => [
      f,
      sh(sb, host, `if [ -e ${f} ] || [ -L ${f} ]; then stat -c '%F %a %U %G %N' ${f}; [ -f ${f} ] && [ ! -L ${f} ] && sha256sum < ${f}; else echo absent; fi`),
    ]),
  );
  const services = Object.fromEntries(
    (check.services ?? []).map((s) => [s, sh(sb, host, `systemctl is-active ${s}; systemctl is-enabled ${s}`)]),
  );
  const registered = check.registered ? normalize(JSON.parse(sh(sb, host, `cat ${check.registered}`) || 'null')) : undefined;
  return { files, services, registered };
}

function ansible(sb: SandboxInfo, dir: string, host: string, extra: Record<string, unknown> | undefined) {
  const args = ['-i', sb.inventory, '--limit', host, join(dir, 'playbook.yml'), ...(extra ? ['-e', JSON.stringify(extra)] : [])];
  const r = spawnSync('ansible-playbook', args, {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PIPELINING: '1' },
  });
  const recap = new RegExp(`^${host}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'm').exec(r.stdout);
  if (!recap) throw new Error(`ansible-playbook gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { exitCode: r.status, changed: Number(recap[2]), failed: Number(recap[4]) + Number(recap[3]), out: r.stdout };
}

function falcoDeploy(sb: SandboxInfo, dir: string, host: string, extra: Record<string, unknown> | undefined) {
  const args = [CLI, 'run', join(dir, 'playbook.yml'), '-i', sb.inventory, '--limit', host, '--json', ...(extra ? ['-e', JSON.stringify(extra)] : [])];
  const r = spawnSync('node', args, { encoding: 'utf8', cwd: dir });
  const recap = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap');
  if (!recap) throw new Error(`falco-deploy gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const s = recap.stats[host];
  return { exitCode: r.status, changed: s.changed, failed: s.failed + s.unreachable, out: r.stdout + r.stderr };
}

describe('compatibility corpus: ansible-playbook vs falco-deploy (sandbox, root)', function () {
  this.timeout(600_000);
  let sb: SandboxInfo;
  let work: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-compat-'));
    sb = await sandboxUp({ name: NAME, kind: 'systemd', hosts: 2, dir: join(work, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(work, 'sandbox') });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const name of readdirSync(CASES).sort()) {
    const dir = join(CASES, name);
    it(name, () => {
      const check = (existsSync(join(dir, 'check.yaml')) ? parse(readFileSync(join(dir, 'check.yaml'), 'utf8')) : {}) as Check;
      const [ansibleHost, ourHost] = sb.hosts.map((h) => h.name);
      const a1 = ansible(sb, dir, ansibleHost, check.extra_vars);
      expect(a1.failed, `ansible-playbook failed:\n${a1.out}`).to.equal(0);
      const f1 = falcoDeploy(sb, dir, ourHost, check.extra_vars);
      expect(f1.failed, `falco-deploy failed:\n${f1.out}`).to.equal(0);
      expect(f1.changed, 'first run: changed count').to.equal(a1.changed);
      const a2 = ansible(sb, dir, ansibleHost, check.extra_vars);
      const f2 = falcoDeploy(sb, dir, ourHost, check.extra_vars);
      expect(a2.changed, `ansible second run changed:\n${a2.out}`).to.equal(0);
      expect(f2.changed, `falco-deploy second run changed:\n${f2.out}`).to.equal(0);
      expect(hostState(sb, ourHost, check)).to.deep.equal(hostState(sb, ansibleHost, check));
    });
  }
});
