/**
 * Compatibility corpus (test/cases/compat/<case>/): every playbook runs under ansible-playbook on
 * one sandbox host and under falco-deploy on another: first `--check --diff`, then two real runs. Every
 * run's recap (ok, changed, unreachable, failed, skipped, rescued, ignored) must equal
 * ansible-playbook's; files (content, mode, owner, type), services and registered results must match
 * after the check run and after the real runs, and both second runs must report changed=0.
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

/** The recap line's counters, as ansible-playbook prints them. */
const RECAP_KEYS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

/** First `--check --diff` on the fresh hosts: the same recap as ansible-playbook's, and the same (untouched) host state. */
const CHECK_DIFF = ['--check', '--diff'];

function ansible(sb: SandboxInfo, dir: string, host: string, extra: Record<string, unknown> | undefined, flags: string[] = []) {
  const args = ['-i', sb.inventory, '--limit', host, join(dir, 'playbook.yml'), ...flags, ...(extra ? ['-e', JSON.stringify(extra)] : [])];
  const r = spawnSync('ansible-playbook', args, {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PIPELINING: '1' },
  });
  const line = new RegExp(`^${host}\\s+:(.*)$`, 'm').exec(r.stdout);
  if (!line) throw new Error(`ansible-playbook gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const stats = Object.fromEntries(RECAP_KEYS.map((k) => [k, Number(new RegExp(`\\b${k}=(\\d+)`).exec(line[1])?.[1])]));
  return { exitCode: r.status, changed: stats.changed, failed: stats.failed + stats.unreachable, stats, out: r.stdout };
}

function falcoDeploy(sb: SandboxInfo, dir: string, host: string, extra: Record<string, unknown> | undefined, flags: string[] = []) {
  const args = [CLI, 'run', join(dir, 'playbook.yml'), '-i', sb.inventory, '--limit', host, '--json', ...flags, ...(extra ? ['-e', JSON.stringify(extra)] : [])];
  const r = spawnSync('node', args, { encoding: 'utf8', cwd: dir });
  const recap = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap');
  if (!recap) throw new Error(`falco-deploy gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const s = recap.stats[host];
  const stats = Object.fromEntries(RECAP_KEYS.map((k) => [k, s[k]]));
  return { exitCode: r.status, changed: s.changed, failed: s.failed + s.unreachable, stats, out: r.stdout + r.stderr };
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
      const a0 = ansible(sb, dir, ansibleHost, check.extra_vars, CHECK_DIFF);
      const f0 = falcoDeploy(sb, dir, ourHost, check.extra_vars, CHECK_DIFF);
      expect(f0.stats, `--check --diff recap:\n${a0.out}\n${f0.out}`).to.deep.equal(a0.stats);
      expect(hostState(sb, ourHost, check), '--check --diff: host state').to.deep.equal(hostState(sb, ansibleHost, check));
      const a1 = ansible(sb, dir, ansibleHost, check.extra_vars);
      expect(a1.failed, `ansible-playbook failed:\n${a1.out}`).to.equal(0);
      const f1 = falcoDeploy(sb, dir, ourHost, check.extra_vars);
      expect(f1.failed, `falco-deploy failed:\n${f1.out}`).to.equal(0);
      expect(f1.stats, `first run recap:\n${a1.out}\n${f1.out}`).to.deep.equal(a1.stats);
      const a2 = ansible(sb, dir, ansibleHost, check.extra_vars);
      const f2 = falcoDeploy(sb, dir, ourHost, check.extra_vars);
      expect(a2.changed, `ansible second run changed:\n${a2.out}`).to.equal(0);
      expect(f2.changed, `falco-deploy second run changed:\n${f2.out}`).to.equal(0);
      expect(f2.stats, `second run recap:\n${a2.out}\n${f2.out}`).to.deep.equal(a2.stats);
      expect(hostState(sb, ourHost, check)).to.deep.equal(hostState(sb, ansibleHost, check));
    });
  }
});
