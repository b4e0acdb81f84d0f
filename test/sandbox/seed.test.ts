import { expect } from 'chai';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostFiles, seedUpper, userInRootfs } from '../../src/sandbox/seed.js';
import { writeFileSync } from 'node:fs';

describe('sandbox seedUpper (writes into an overlay upper dir)', function () {
  let base: string;
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // chown needs root, as the sandbox itself does
  });
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'fd-seed-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('copies the lower parent directories\' mode and owner, new directories get 0700 and the file owner', () => {
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    mkdirSync(join(lower, 'etc/ssh'), { recursive: true });
    mkdirSync(join(lower, 'home/deploy'), { recursive: true });
    chmodSync(join(lower, 'etc/ssh'), 0o751);
    chownSync(join(lower, 'home/deploy'), 1000, 1000);
    chmodSync(join(lower, 'home/deploy'), 0o750);
    mkdirSync(join(lower, 'root'), { mode: 0o700 });
    mkdirSync(upper);
    writeFileSync(join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\ndeploy:x:1000:1001::/home/deploy:/bin/bash\n');

    const deploy = userInRootfs(lower, 'deploy');
    expect(deploy).to.deep.equal({ uid: 1000, gid: 1001 });
    seedUpper(lower, upper, hostFiles({ hostname: 'x-h1', hostPrivateKey: 'PRIV\n', hostPublicKey: 'ssh-ed25519 PUB c', clientPublicKey: 'ssh-ed25519 CLI c', deploy }));

    const mode = (p: string) => (statSync(join(upper, p)).mode & 0o7777).toString(8);
    const owner = (p: string) => `${statSync(join(upper, p)).uid}:${statSync(join(upper, p)).gid}`;
    expect(mode('etc/ssh')).to.equal('751');
    expect(mode('etc/ssh/ssh_host_ed25519_key')).to.equal('600');
    expect(readFileSync(join(upper, 'etc/ssh/ssh_host_ed25519_key'), 'utf8')).to.equal('PRIV\n');
    expect(mode('home/deploy')).to.equal('750');
    expect(owner('home/deploy')).to.equal('1000:1000');
    expect(mode('home/deploy/.ssh')).to.equal('700');
    expect(owner('home/deploy/.ssh')).to.equal('1000:1001');
    expect(owner('home/deploy/.ssh/authorized_keys')).to.equal('1000:1001');
    expect(mode('root/.ssh')).to.equal('700');
    expect(readFileSync(join(upper, 'root/.ssh/authorized_keys'), 'utf8')).to.equal('ssh-ed25519 CLI c\n');
  });

  it('names the rootfs when the user is missing', () => {
    mkdirSync(join(base, 'etc'));
    writeFileSync(join(base, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    expect(() => userInRootfs(base, 'deploy')).to.throw(/no user deploy in .*etc\/passwd; rebuild the rootfs/);
  });
});
