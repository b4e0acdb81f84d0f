/**
 * Parity with the real Ansible modules (ansible-core is installed on the dev machine; skipped
 * when it is not): the same arguments must give the same file names and byte-identical content.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleContext } from '../../../src/modules/contract.js';
import { findModule } from '../../../src/modules/registry.js';
import { runProbes } from '../../support/fact-fixtures.js';

const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible']).status === 0;

// ansible-core has no json stdout callback (it is in the ansible.posix collection): ours prints
// each task result as one JSON line.
const CALLBACK_DIR = fileURLToPath(new URL('../../support/ansible-callback', import.meta.url));
const ANSIBLE_ENV = { ...process.env, ANSIBLE_CALLBACK_PLUGINS: CALLBACK_DIR, ANSIBLE_STDOUT_CALLBACK: 'results_json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' };

function resultLines(stdout: Buffer): Record<string, any>[] {
  return stdout.toString().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).result);
}

function ansible(module: string, args: Record<string, unknown>, flags: string[] = []): Record<string, any> {
  const r = spawnSync('ansible', ['localhost', '-c', 'local', ...flags, '-m', module, '-a', JSON.stringify(args)], { env: ANSIBLE_ENV, cwd: tmpdir() });
  return resultLines(r.stdout)[0]!;
}

function sh(command: string, stdin?: string | Buffer) {
  const r = spawnSync('sh', ['-c', command], { input: stdin ?? '' });
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), exitCode: r.status ?? -1, durationMs: 0 };
}

const ctx = { host: 'local', facts: {}, check: false, diff: true, become: false } as unknown as ModuleContext;

async function ours(name: string, args: Record<string, unknown>, apply: boolean) {
  const mod = findModule(name)!;
  const facts = await runProbes(await mod.probes(args, ctx), (p) => sh(p.command));
  const plan = await mod.plan(args, facts, ctx);
  if (apply) for (const c of plan.commands) expect(sh(c.command, c.stdin).exitCode, c.command).to.equal(0);
  return plan;
}

describe('parity with ansible-core modules', function () {
  this.timeout(120000);
  before(function () {
    if (!hasAnsible) this.skip();
  });

  for (const repo of [
    'deb [signed-by=/usr/share/keyrings/falcosecurity-archive-keyring.gpg] https://download.falco.org/packages/deb stable main',
    'deb  https://user:pw@download.falco.org/packages/deb   stable main # falco',
  ]) {
    it(`apt_repository (check+diff): ${repo}`, async () => {
      const theirs = ansible('apt_repository', { repo, update_cache: false }, ['-C', '-D']);
      const mine = await ours('apt_repository', { repo, update_cache: false }, false);
      expect(mine.changed).to.equal(theirs.changed);
      expect(mine.diff!.map((d) => ({ path: d.afterHeader, after: d.after }))).to.deep.equal(
        theirs.diff.map((d: any) => ({ path: d.after_header, after: d.after })),
      );
    });
  }

  // slow (python-apt opens the cache per task: minutes on a busy machine): FD_ANSIBLE_PARITY_APT=1
  it('apt (check mode): same changed verdicts from the same dpkg/apt state', async function () {
    if (!process.env.FD_ANSIBLE_PARITY_APT) this.skip();
    this.timeout(900000);
    const cases: Record<string, unknown>[] = [
      { name: 'curl' },
      { name: 'sl' },
      { name: ['curl', 'gnupg'], state: 'latest' },
      { name: 'gnupg', state: 'latest' },
      { name: 'sl', state: 'absent' },
      { name: 'curl', state: 'absent' },
    ];
    // pins built from what is installed here, so the case holds on any Debian 12 machine
    const curl = sh("dpkg-query -W -f='${Version}' curl").stdout;
    cases.push({ name: `curl=${curl}` }, { name: 'curl=0.0.1-1' }, { name: `curl=${curl.split('-')[0]}*` });
    const dir = mkdtempSync(join(tmpdir(), 'fd-apt-parity-'));
    try {
      const play = [{ hosts: 'localhost', connection: 'local', gather_facts: false, tasks: cases.map((c) => ({ apt: c, check_mode: true, ignore_errors: true })) }];
      writeFileSync(join(dir, 'play.json'), JSON.stringify(play));
      const r = spawnSync('ansible-playbook', [join(dir, 'play.json')], { env: ANSIBLE_ENV, cwd: dir });
      const results = resultLines(r.stdout);
      for (let i = 0; i < cases.length; i++) {
        const theirs = results[i]!;
        const mine = await ours('apt', cases[i], false);
        expect({ args: cases[i], changed: mine.changed, failed: !!mine.failed }).to.deep.equal({ args: cases[i], changed: !!theirs.changed, failed: !!theirs.failed });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('yum_repository: byte-identical .repo files, two repos in one file, then converged', async () => {
    const theirsDir = mkdtempSync(join(tmpdir(), 'fd-yum-ansible-'));
    const mineDir = mkdtempSync(join(tmpdir(), 'fd-yum-ours-'));
    try {
      const repos = [
        { name: 'falcosecurity-rpm', description: 'Falcosecurity RPM repository', baseurl: ['https://download.falco.org/packages/rpm', 'https://mirror.example/rpm'], gpgkey: 'https://falco.org/repo/falcosecurity-packages.asc', gpgcheck: true, repo_gpgcheck: false, enabled: true, file: 'falco', metadata_expire: '6h', skip_if_unavailable: true },
        { name: 'falco-dev', description: 'Falco dev builds', baseurl: 'https://download.falco.org/packages/rpm-dev', gpgcheck: false, enabled: false, file: 'falco', exclude: ['falco-debug', 'falco-src'] },
      ];
      for (const r of repos) {
        expect(ansible('yum_repository', { ...r, reposdir: theirsDir }).changed).to.equal(true);
        expect((await ours('yum_repository', { ...r, reposdir: mineDir }, true)).changed).to.equal(true);
      }
      expect(readFileSync(join(mineDir, 'falco.repo'), 'utf8')).to.equal(readFileSync(join(theirsDir, 'falco.repo'), 'utf8'));
      // each tool sees the other's file as converged
      for (const r of repos) {
        expect((await ours('yum_repository', { ...r, reposdir: theirsDir }, false)).changed).to.equal(false);
      }
      const removed = { name: 'falco-dev', file: 'falco', state: 'absent' };
      ansible('yum_repository', { ...removed, reposdir: theirsDir });
      await ours('yum_repository', { ...removed, reposdir: mineDir }, true);
      expect(readFileSync(join(mineDir, 'falco.repo'), 'utf8')).to.equal(readFileSync(join(theirsDir, 'falco.repo'), 'utf8'));
    } finally {
      rmSync(theirsDir, { recursive: true, force: true });
      rmSync(mineDir, { recursive: true, force: true });
    }
  });
});
