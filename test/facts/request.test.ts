/** A request's key comes from its fact name and args: the same probe asked twice is probed once. */
import { expect } from 'chai';
import { fileStat } from '../../src/facts/file-stat.js';
import { fileContent } from '../../src/facts/file-content.js';
import { systemdUnits } from '../../src/facts/systemd.js';
import { waitCondition } from '../../src/facts/net.js';
import { dpkgPackages } from '../../src/facts/packages.js';

describe('fact request identity', () => {
  it('defaults given or left out make the same request', () => {
    const a = fileStat({ path: '/etc/x' });
    const b = fileStat({ path: '/etc/x', follow: false, checksum: false, contentMaxBytes: 0, become: false });
    expect(b.args).to.deep.equal(a.args);
    expect(b.key).to.equal(a.key);
    expect(fileContent({ path: '/etc/x', maxBytes: 1024 * 1024 }).key).to.equal(fileContent({ path: '/etc/x' }).key);
    expect(systemdUnits({ units: ['falco'], scope: 'system' }).key).to.equal(systemdUnits({ units: ['falco'] }).key);
    expect(waitCondition({ port: 8765, connectTimeout: 1 }).key).to.equal(waitCondition({ host: '127.0.0.1', port: 8765 }).key);
  });

  it('any argument that changes the answer changes the key', () => {
    const keys = [
      fileStat({ path: '/etc/x' }),
      fileStat({ path: '/etc/y' }),
      fileStat({ path: '/etc/x', follow: true }),
      fileStat({ path: '/etc/x', checksum: 'sha1' }),
      fileStat({ path: '/etc/x', contentMaxBytes: 10 }),
      fileStat({ path: '/etc/x', become: true }),
      fileContent({ path: '/etc/x' }),
      dpkgPackages(['a,b']),
      dpkgPackages(['a', 'b']),
    ].map((r) => r.key);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('names the fact and its args as the fact tests and module case files do', () => {
    const r = fileStat({ path: '/etc/x', checksum: 'sha1' });
    expect({ fact: r.fact, args: r.args }).to.deep.equal({
      fact: 'file_stat',
      args: { path: '/etc/x', follow: false, checksum: 'sha1', contentMaxBytes: 0, become: false },
    });
  });
});
