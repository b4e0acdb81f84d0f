/**
 * The signed local repository and the packages in it: signatures verify with the exported
 * key (gpgv, and apt itself with signed-by), indexes match the files, packages look like
 * the real falco package, builds are reproducible.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BUILD_DEBS, FIXTURES, NEW_VERSION, OLD_VERSION, freeLoopbackPort, run, standinFixture, waitFor } from './support.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Paragraphs of a Debian control-format file (Packages, Release). */
function paragraphs(text: string): Record<string, string>[] {
  return text.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => {
    const fields: Record<string, string> = {};
    let key = '';
    for (const line of p.split('\n')) {
      if (/^\s/.test(line) && key) fields[key] += `\n${line.trim()}`;
      else {
        const i = line.indexOf(':');
        key = line.slice(0, i);
        fields[key] = line.slice(i + 1).trim();
      }
    }
    return fields;
  });
}

function keyring(dir: string, armored: string): string {
  const out = join(dir, 'falco-archive-keyring.gpg');
  const r = run('gpg', ['--batch', '--yes', '--dearmor', '-o', out, armored]);
  expect(r.status, r.stderr).to.equal(0);
  return out;
}

describe('falco stand-in signed apt repository', function () {
  this.timeout(120_000);
  let repo: string;
  let work: string;
  before(() => {
    repo = standinFixture().repo;
    work = mkdtempSync(join(standinFixture().dir, 'repo-test-'));
  });

  it('exports an armored key whose fingerprint is the one written next to it', () => {
    const fpr = readFileSync(join(repo, 'repo-key.fingerprint'), 'utf8').trim();
    expect(fpr).to.match(/^[0-9A-F]{40}$/);
    const asc = readFileSync(join(repo, 'falcosecurity-packages.asc'), 'utf8');
    expect(asc).to.match(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const shown = run('gpg', ['--batch', '--with-colons', '--show-keys', join(repo, 'falcosecurity-packages.asc')]);
    const fprs = shown.stdout.split('\n').filter((l) => l.startsWith('fpr:')).map((l) => l.split(':')[9]);
    expect(fprs[0]).to.equal(fpr);
  });

  it('signs Release as InRelease and Release.gpg; gpgv accepts them and rejects a tampered copy', () => {
    const ring = keyring(work, join(repo, 'falcosecurity-packages.asc'));
    const dists = join(repo, 'dists/stable');
    expect(run('gpgv', ['--keyring', ring, join(dists, 'InRelease')]).status).to.equal(0);
    expect(run('gpgv', ['--keyring', ring, join(dists, 'Release.gpg'), join(dists, 'Release')]).status).to.equal(0);
    const tampered = join(work, 'Release');
    writeFileSync(tampered, readFileSync(join(dists, 'Release'), 'utf8').replace('Suite: stable', 'Suite: evil'));
    expect(run('gpgv', ['--keyring', ring, join(dists, 'Release.gpg'), tampered]).status).to.not.equal(0);
  });

  it('Release hashes the indexes, and Packages hashes every .deb in the pool', () => {
    const release = paragraphs(readFileSync(join(repo, 'dists/stable/Release'), 'utf8'))[0];
    expect(release).to.include({ Suite: 'stable', Codename: 'stable', Components: 'main', Architectures: 'amd64' });
    const listed = Object.fromEntries(release.SHA256.split('\n').filter(Boolean).map((l) => {
      const [hash, , name] = l.trim().split(/\s+/);
      return [name, hash];
    }));
    for (const name of ['main/binary-amd64/Packages', 'main/binary-amd64/Packages.gz']) {
      expect(listed[name], name).to.equal(sha256(join(repo, 'dists/stable', name)));
    }
    const packages = paragraphs(readFileSync(join(repo, 'dists/stable/main/binary-amd64/Packages'), 'utf8'));
    const falco = packages.filter((p) => p.Package === 'falco').map((p) => p.Version).sort();
    expect(falco).to.deep.equal([OLD_VERSION, NEW_VERSION]);
    for (const p of packages) expect(p.SHA256, p.Filename).to.equal(sha256(join(repo, p.Filename)));
    const names = packages.map((p) => p.Package);
    expect(names).to.include.members(['python3-yaml', 'libyaml-0-2']);
    expect(packages.find((p) => p.Package === 'falco')!.Depends).to.include('python3-yaml');
  });

  it('apt itself (signed-by keyring, file:// URL) accepts the repository and fetches a chosen version', () => {
    const root = join(work, 'apt');
    for (const d of ['etc/sources.list.d', 'etc/preferences.d', 'state/lists/partial', 'cache/archives/partial', 'dl']) {
      mkdirSync(join(root, d), { recursive: true });
    }
    writeFileSync(join(root, 'status'), '');
    const ring = keyring(root, join(repo, 'falcosecurity-packages.asc'));
    const sources = join(root, 'etc/sources.list');
    writeFileSync(sources, `deb [signed-by=${ring}] file://${repo} stable main\n`);
    const apt = (cmd: string, ...args: string[]) => run(cmd, [
      '-o', `Dir::Etc::sourcelist=${sources}`, '-o', `Dir::Etc::sourceparts=${join(root, 'etc/sources.list.d')}`,
      '-o', `Dir::Etc::preferencesparts=${join(root, 'etc/preferences.d')}`,
      '-o', `Dir::State=${join(root, 'state')}`, '-o', `Dir::State::status=${join(root, 'status')}`,
      '-o', `Dir::Cache=${join(root, 'cache')}`, '-o', 'APT::Sandbox::User=root', '-o', 'Debug::NoLocking=1',
      ...args,
    ], { cwd: join(root, 'dl') });
    const update = apt('apt-get', 'update');
    expect(update.status, update.stdout + update.stderr).to.equal(0);
    expect(update.stderr).not.to.match(/NO_PUBKEY|not signed|^W:/m);
    const policy = apt('apt-cache', 'policy', 'falco');
    expect(policy.stdout).to.include(`Candidate: ${NEW_VERSION}`);
    expect(policy.stdout).to.include(OLD_VERSION);
    const download = apt('apt-get', 'download', `falco=${OLD_VERSION}`);
    expect(download.status, download.stderr).to.equal(0);
    expect(readdirSync(join(root, 'dl'))).to.include(`falco_${OLD_VERSION}_amd64.deb`);

    // The same repository with some other key must be refused by apt.
    const otherHome = mkdtempSync(join(work, 'gnupg-'));
    run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'other <o@example.invalid>', 'ed25519', 'sign', 'never'], { env: { GNUPGHOME: otherHome } });
    const otherAsc = join(work, 'other.asc');
    writeFileSync(otherAsc, run('gpg', ['--batch', '--armor', '--export'], { env: { GNUPGHOME: otherHome } }).stdout);
    run('gpgconf', ['--kill', 'all'], { env: { GNUPGHOME: otherHome } });
    copyFileSync(keyring(work, otherAsc), ring);
    const refused = apt('apt-get', 'update');
    expect(refused.stdout + refused.stderr).to.match(/NO_PUBKEY|not signed|signatures couldn't be verified/);
  });

  it('packages look like the real falco package (paths, conffiles, units, version-specific units)', () => {
    for (const version of [OLD_VERSION, NEW_VERSION]) {
      const root = standinFixture().roots[version];
      const info = run('dpkg-deb', ['-f', standinFixture().deb(version)]).stdout;
      expect(info).to.match(new RegExp(`^Package: falco$`, 'm')).and.match(new RegExp(`^Version: ${version}$`, 'm'));
      expect(info).to.match(/^Architecture: amd64$/m);
      const control = join(work, `control-${version}`);
      expect(run('dpkg-deb', ['-e', standinFixture().deb(version), control]).status).to.equal(0);
      expect(readFileSync(join(control, 'conffiles'), 'utf8').trim().split('\n')).to.deep.equal([
        '/etc/falco/falco.yaml', '/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml',
      ]);
      for (const f of ['usr/bin/falco', 'usr/bin/falcoctl', 'etc/falco/falco.yaml', 'etc/falco/falco_rules.yaml',
        'etc/falco/falco_rules.local.yaml', 'etc/falco/rules.d', 'etc/falco/config.d']) {
        expect(existsSync(join(root, f)), f).to.equal(true);
      }
      const units = join(root, 'usr/lib/systemd/system');
      for (const [unit, kind] of [['falco-modern-bpf.service', 'modern_ebpf'], ['falco-kmod.service', 'kmod']]) {
        const text = readFileSync(join(units, unit), 'utf8');
        expect(text).to.include(`ExecStart=/usr/bin/falco -o engine.kind=${kind}`).and.include('Alias=falco.service');
      }
      expect(readFileSync(join(units, 'falco-kmod.service'), 'utf8')).to.include('Requires=falco-kmod-inject.service');
      expect(existsSync(join(units, 'falcoctl-artifact-follow.service'))).to.equal(true);
      expect(existsSync(join(units, 'falco-bpf.service')), `falco-bpf.service in ${version}`).to.equal(version === OLD_VERSION);
      expect(readFileSync(join(root, 'etc/falco/falco.yaml'), 'utf8')).to.include(`# Falco ${version} configuration`);
    }
  });

  it('build.sh is reproducible', () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    expect(run(BUILD_DEBS, [a, NEW_VERSION]).status).to.equal(0);
    expect(run(BUILD_DEBS, [b, NEW_VERSION]).status).to.equal(0);
    const name = `falco_${NEW_VERSION}_amd64.deb`;
    expect(sha256(join(a, name))).to.equal(sha256(join(b, name)));
    expect(sha256(join(a, name))).to.equal(sha256(standinFixture().deb(NEW_VERSION)));
  });

  it('serve-http.sh serves the repository on loopback and refuses other addresses', async () => {
    const serve = join(FIXTURES, 'apt-repo', 'serve-http.sh');
    const refused = run(serve, [repo, '0.0.0.0', '8080']);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.include('refusing to bind 0.0.0.0');
    const port = await freeLoopbackPort();
    const child = spawn(serve, [repo, '127.0.0.1', String(port)], { stdio: 'ignore' });
    try {
      const key = await waitFor('http key', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/falcosecurity-packages.asc`, { signal: AbortSignal.timeout(1000) });
        return res.ok ? res.text() : undefined;
      });
      expect(key).to.equal(readFileSync(join(repo, 'falcosecurity-packages.asc'), 'utf8'));
      const inRelease = await fetch(`http://127.0.0.1:${port}/dists/stable/InRelease`);
      expect(inRelease.status).to.equal(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
