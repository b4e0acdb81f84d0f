import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { parsePackageList } from '../../src/modules/package_facts.js';
import { findModule } from '../../src/modules/registry.js';

describe('package_facts', () => {
  it('parses dpkg-query output, keeping only installed (ii) packages', () => {
    const out = '#apt\nfalco\t0.44.1\tamd64\tii \nold\t1.0\tamd64\trc \nlibc6\t2.36-9+deb12u14\tamd64\tii \n';
    expect(parsePackageList(out)).to.deep.equal({
      falco: [{ name: 'falco', version: '0.44.1', arch: 'amd64', source: 'apt' }],
      libc6: [{ name: 'libc6', version: '2.36-9+deb12u14', arch: 'amd64', source: 'apt' }],
    });
  });

  it('parses rpm output with release', () => {
    expect(parsePackageList('#rpm\nfalco\t0.44.1\tx86_64\t1\n')).to.deep.equal({
      falco: [{ name: 'falco', version: '0.44.1', release: '1', arch: 'x86_64', source: 'rpm' }],
    });
  });

  it('its probe runs on this Debian machine and finds dpkg itself', async () => {
    const [probe] = await findModule('package_facts')!.probes({}, {} as never);
    const stdout = execFileSync('/bin/sh', ['-c', probe.command], { encoding: 'utf8' });
    const parsed = probe.parse({ stdout, stderr: '', exitCode: 0, durationMs: 0 }) as Record<string, { version: string }[]>;
    expect(parsed.dpkg[0].version).to.match(/^\d/);
  });
});
