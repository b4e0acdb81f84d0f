import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSshConfig } from '../../src/connectors/ssh-config-file.js';
import { resolveTarget } from '../../src/connectors/resolve-target.js';
import { InputError } from '../../src/errors.js';

describe('connectors/loadSshConfig', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-sshcfg-'));
    await fs.mkdir(path.join(home, '.ssh', 'config.d'), { recursive: true });
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });
  const opts = () => ({ localUser: 'me', homeDir: home });

  it('~/.ssh/config is optional; -F must exist (input error naming the file)', async () => {
    const empty = await loadSshConfig(undefined, home);
    expect(resolveTarget('h', {}, opts(), empty).hostname).to.equal('h');
    const missing = path.join(home, 'nope');
    const err = await loadSshConfig(missing, home).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).file).to.equal(missing);
  });

  it('follows Include (relative to ~/.ssh, globs in name order, nested), first value wins', async () => {
    await fs.writeFile(path.join(home, '.ssh', 'config'), 'Include config.d/*.conf\nHost *\n  User fallback\n');
    await fs.writeFile(path.join(home, '.ssh', 'config.d', '10-web.conf'), 'Host web\n  HostName 10.0.0.1\n  Include ~/.ssh/port.inc\n');
    await fs.writeFile(path.join(home, '.ssh', 'config.d', '20-web.conf'), 'Host web\n  HostName 10.9.9.9\n  User webuser\n');
    await fs.writeFile(path.join(home, '.ssh', 'config.d', 'ignored.txt'), 'Host web\n  User never\n');
    await fs.writeFile(path.join(home, '.ssh', 'port.inc'), '  Port 2222\n');
    const cfg = await loadSshConfig(undefined, home);
    expect(resolveTarget('web', {}, opts(), cfg)).to.include({ hostname: '10.0.0.1', port: 2222, user: 'webuser' });
    expect(resolveTarget('other', {}, opts(), cfg)).to.include({ hostname: 'other', user: 'fallback' });
  });

  it('an Include loop is an input error', async () => {
    await fs.writeFile(path.join(home, '.ssh', 'config'), 'Include loop.conf\n');
    await fs.writeFile(path.join(home, '.ssh', 'loop.conf'), 'Include loop.conf\n');
    const err = await loadSshConfig(undefined, home).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(InputError);
    expect(err!.message).to.match(/Include nested deeper/);
  });
});
