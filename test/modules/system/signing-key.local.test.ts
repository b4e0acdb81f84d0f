/**
 * Runs the planned signing_key / repo-file commands for real, locally, with `sh -c` in a temp dir:
 * a throw-away GPG key, a file:// URL, the right and a wrong fingerprint.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleContext, PlannedCommand } from '../../../src/modules/contract.js';
import { findModule } from '../../../src/modules/registry.js';
import { runProbes } from '../../support/fact-fixtures.js';

function run(command: string, stdin?: string | Buffer, env: Record<string, string> = {}) {
  if (fakePath) env = { PATH: `${fakePath}:${process.env.PATH}`, ...env };
  const r = spawnSync('sh', ['-c', command], { input: stdin ?? '', env: { ...process.env, ...env } });
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), exitCode: r.status ?? -1, durationMs: 0 };
}

/** A directory with a fake `rpm` (no RPM database here) put first in PATH, when set. */
let fakePath: string | undefined;

const ctx: ModuleContext = {
  host: 'local',
  facts: {},
  check: false,
  diff: false,
  become: false,
  renderTemplate: async () => '',
  readLocalFile: async () => Buffer.from(''),
  resolveLocalPath: (s) => s,
};

/** probe -> plan -> apply, like the engine; returns the plan and the command results. */
async function converge(moduleName: string, args: Record<string, unknown>) {
  const mod = findModule(moduleName)!;
  const facts = await runProbes(await mod.probes(args, ctx), (p) => run(p.command));
  const plan = await mod.plan(args, facts, ctx);
  const results = plan.commands.map((c: PlannedCommand) => run(c.command, c.stdin));
  return { plan, results };
}

describe('signing_key and repo files, run locally', function () {
  this.timeout(60000);
  let dir: string;
  let fpr: string;
  let keyUrl: string;

  before(function () {
    if (spawnSync('sh', ['-c', 'command -v gpg && command -v curl']).status !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-signing-key-'));
    const home = join(dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const gen = run(`gpg --batch --passphrase '' --quick-gen-key 'Falco Test <test@example.invalid>' ed25519 sign never`, undefined, { GNUPGHOME: home });
    expect(gen.exitCode, gen.stderr).to.equal(0);
    const list = run('gpg --batch --with-colons --list-keys', undefined, { GNUPGHOME: home });
    fpr = /^fpr:+([0-9A-F]{40}):/m.exec(list.stdout)![1];
    const exp = run(`gpg --batch --armor --export ${fpr} > ${dir}/key.asc`, undefined, { GNUPGHOME: home });
    expect(exp.exitCode).to.equal(0);
    keyUrl = `file://${dir}/key.asc`;
  });
  after(() => {
    if (!dir) return;
    // key generation started a gpg-agent for the throw-away home: stop it before removing the home
    run('gpgconf --kill all', undefined, { GNUPGHOME: join(dir, 'gnupg') });
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs a verified binary keyring, then is converged', async () => {
    const dest = join(dir, 'keyrings', 'falco.gpg');
    const spaced = fpr.replace(/(.{4})/g, '$1 ').trim();
    const first = await converge('signing_key', { url: keyUrl, dest, fingerprint: spaced });
    expect(first.plan.changed).to.equal(true);
    expect(first.results[0].exitCode, first.results[0].stderr).to.equal(0);
    expect(readFileSync(dest).subarray(0, 1)[0] & 0x80, 'binary OpenPGP packet, not armor').to.equal(0x80);
    expect(statSync(dest).mode & 0o777).to.equal(0o644);
    const again = await converge('signing_key', { url: keyUrl, dest, fingerprint: fpr });
    expect(again.plan.commands).to.have.length(0);
    expect(again.plan.changed).to.equal(false);
  });

  it('fails on a fingerprint mismatch and leaves dest untouched', async () => {
    const dest = join(dir, 'mismatch.gpg');
    writeFileSync(dest, 'previous content');
    const wrong = 'A'.repeat(40);
    const r = await converge('signing_key', { url: keyUrl, dest, fingerprint: wrong });
    expect(r.results[0].exitCode).to.not.equal(0);
    expect(r.results[0].stderr).to.include(`fingerprint mismatch: expected ${wrong} got ${fpr}`);
    expect(readFileSync(dest, 'utf8')).to.equal('previous content');
    expect(run(`ls -A ${dir} | grep falco-deploy-key || true`).stdout).to.equal('');
  });

  it('fails when the key cannot be downloaded, dest still absent', async () => {
    const dest = join(dir, 'missing.gpg');
    const r = await converge('signing_key', { url: `file://${dir}/nope.asc`, dest, fingerprint: fpr });
    expect(r.results[0].exitCode).to.not.equal(0);
    expect(r.results[0].stderr).to.include('failed to download');
    expect(existsSync(dest)).to.equal(false);
  });

  it('state=absent removes the keyring once', async () => {
    const dest = join(dir, 'gone.gpg');
    writeFileSync(dest, 'x');
    const r = await converge('signing_key', { dest, state: 'absent' });
    expect(r.plan.changed).to.equal(true);
    expect(existsSync(dest)).to.equal(false);
    expect((await converge('signing_key', { dest, state: 'absent' })).plan.commands).to.have.length(0);
  });

  describe('rpm_key with a fake rpm', () => {
    let log: string;
    beforeEach(() => {
      fakePath = join(dir, 'fakebin');
      log = join(dir, 'rpm.log');
      mkdirSync(fakePath, { recursive: true });
      // `rpm -q gpg-pubkey...` answers from $dir/rpmdb; `rpm --import F` records the key id
      writeFileSync(
        join(fakePath, 'rpm'),
        `#!/bin/sh\necho "rpm $*" >> ${log}\ncase "$1" in\n-q) if [ "$2" = gpg-pubkey ]; then cat ${dir}/rpmdb 2>/dev/null; exit 0; fi; grep -q "^\${2#gpg-pubkey-}" ${dir}/rpmdb 2>/dev/null;;\n` +
          `--import) printf '%s\\t1\\n' ${fpr.slice(-8).toLowerCase()} >> ${dir}/rpmdb;;\nesac\n`,
        { mode: 0o755 },
      );
      rmSync(join(dir, 'rpmdb'), { force: true });
      rmSync(log, { force: true });
    });
    afterEach(() => {
      fakePath = undefined;
    });

    it('imports after the fingerprint check, then is converged', async () => {
      const first = await converge('rpm_key', { key: keyUrl, fingerprint: fpr });
      expect(first.results[0].exitCode, first.results[0].stderr).to.equal(0);
      expect(readFileSync(log, 'utf8')).to.match(/^rpm --import \/.*\/key$/m);
      const again = await converge('rpm_key', { key: keyUrl, fingerprint: fpr });
      expect(again.plan.commands).to.have.length(0);
    });

    it('a wrong fingerprint never reaches rpm --import', async () => {
      const r = await converge('rpm_key', { key: keyUrl, fingerprint: 'B'.repeat(40) });
      expect(r.results[0].exitCode).to.not.equal(0);
      expect(r.results[0].stderr).to.include('fingerprint mismatch');
      expect(existsSync(log) ? readFileSync(log, 'utf8') : '').to.not.include('--import');
    });

    it('without a fingerprint: imports once, then reports unchanged', async () => {
      const mod = findModule('rpm_key')!;
      const first = await converge('rpm_key', { key: keyUrl });
      expect(first.results[0].stdout.trim()).to.equal('imported');
      const second = await converge('rpm_key', { key: keyUrl });
      expect(second.results[0].stdout.trim()).to.equal('unchanged');
      expect(await mod.finish!({ key: keyUrl }, second.plan, second.results, ctx)).to.deep.equal({ changed: false });
    });
  });

  it('yum_repository writes its .repo file atomically and converges', async () => {
    const reposdir = join(dir, 'yum.repos.d');
    mkdirSync(reposdir);
    const args = {
      name: 'falcosecurity-rpm',
      description: 'Falcosecurity RPM repository',
      baseurl: 'https://download.falco.org/packages/rpm',
      gpgkey: 'https://falco.org/repo/falcosecurity-packages.asc',
      gpgcheck: true,
      repo_gpgcheck: false,
      enabled: true,
      reposdir,
    };
    const first = await converge('yum_repository', args);
    expect(first.results.map((x) => x.exitCode)).to.deep.equal([0]);
    expect(readFileSync(join(reposdir, 'falcosecurity-rpm.repo'), 'utf8')).to.equal(
      '[falcosecurity-rpm]\nbaseurl = https://download.falco.org/packages/rpm\nenabled = 1\ngpgcheck = 1\n' +
        'gpgkey = https://falco.org/repo/falcosecurity-packages.asc\nname = Falcosecurity RPM repository\nrepo_gpgcheck = 0\n\n',
    );
    expect((await converge('yum_repository', args)).plan.commands).to.have.length(0);
  });
});
