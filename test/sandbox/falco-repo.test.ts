import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirrorRepo, REAL_FALCO_FINGERPRINT, repoVars } from '../../src/sandbox/falco-repo.js';

describe('sandbox: real-package mirror instead of the stand-in', () => {
  it('is off without FALCO_DEPLOY_MIRROR_DIR', () => {
    expect(mirrorRepo({})).to.equal(undefined);
  });

  it('finds the falco packages of a mirror and defaults to the real key fingerprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-mirror-'));
    mkdirSync(join(dir, 'stable'), { recursive: true });
    writeFileSync(join(dir, 'stable', 'falco-0.44.1-x86_64.deb'), '');
    writeFileSync(join(dir, 'stable', 'falco_0.43.0_amd64.deb'), '');
    const repo = mirrorRepo({ FALCO_DEPLOY_MIRROR_DIR: dir })!;
    expect(Object.keys(repo.falcoDebs).sort()).to.deep.equal(['0.43.0', '0.44.1']);
    expect(repo.fingerprint).to.equal(REAL_FALCO_FINGERPRINT);
    expect(repoVars(repo)).to.deep.equal({
      falco_repo_url: 'file:///srv/falco-repo',
      falco_repo_key_url: 'file:///srv/falco-repo/falcosecurity-packages.asc',
      falco_repo_key_fingerprint: REAL_FALCO_FINGERPRINT,
    });
  });
});

describe('sandbox: falco versions of a repository', () => {
  it('orders versions numerically, not as text', async () => {
    const { falcoVersionRange } = await import('../../src/sandbox/falco-repo.js');
    const repo = { dir: '/r', fingerprint: 'x', dependencyDebs: [], falcoDebs: { '0.10.0': 'a', '0.9.1': 'b', '0.44.1': 'c' } };
    expect(falcoVersionRange(repo)).to.deep.equal({ oldest: '0.9.1', newest: '0.44.1' });
    expect(() => falcoVersionRange({ ...repo, falcoDebs: {} })).to.throw(/no falco package/);
  });
});
