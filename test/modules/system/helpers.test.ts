/** The shared helpers under src/modules/system/: env merge, apt result, INI (arguments: test/argspec). */
import { expect } from 'chai';
import type { ModuleContext, Plan } from '../../../src/modules/contract.js';
import { ArgumentError } from '../../../src/argspec/validate.js';
import { aptModule, finishApt, planApt } from '../../../src/modules/apt.js';
import { dumpIniSorted, parseIni, writeIni } from '../../../src/modules/system/ini.js';
import { suggestFilename } from '../../../src/modules/apt_repository.js';
import { deb822Slug } from '../../../src/modules/deb822_repository.js';
import { normalizeFingerprint } from '../../../src/modules/system/key-script.js';
import { fixtureFacts, type FactFixture } from '../../support/fact-fixtures.js';

const ctx = (environment?: Record<string, string>) =>
  ({ host: 'h', facts: {}, check: false, diff: false, become: false, environment }) as unknown as ModuleContext;

/** apt's plan for these args, its probes answered by the fixtures. */
async function aptPlan(args: Record<string, unknown>, facts: FactFixture[], context = ctx()): Promise<Plan> {
  return planApt(args, fixtureFacts(await aptModule.probes(args, context), facts, `apt ${JSON.stringify(args)}`), context);
}
const noFalco: FactFixture[] = [{ fact: 'dpkg_packages', args: { names: ['falco'] }, value: {} }];

describe('system module helpers', () => {
  it("apt: the task's environment reaches the command, apt's own variables win", async () => {
    const plan = await aptPlan({ name: 'falco' }, noFalco, ctx({ FALCO_FRONTEND: 'noninteractive', FALCO_DRIVER_CHOICE: 'modern_ebpf', FALCOCTL_ENABLED: 'no', DEBIAN_FRONTEND: 'dialog' }));
    expect(plan.commands[0].env).to.deep.equal({
      FALCO_FRONTEND: 'noninteractive',
      FALCO_DRIVER_CHOICE: 'modern_ebpf',
      FALCOCTL_ENABLED: 'no',
      DEBIAN_FRONTEND: 'noninteractive',
      DEBIAN_PRIORITY: 'critical',
      LANG: 'C',
      LC_ALL: 'C',
    });
  });

  describe('apt finish (registered result)', () => {
    const stale: FactFixture = { fact: 'apt_cache_time', value: { now: 2000, mtime: 1000 } };
    const res = (stdout: string, exitCode = 0) => ({ stdout, stderr: exitCode ? 'E: boom' : '', exitCode, durationMs: 1 });
    it('latest after a cache refresh: changed comes from apt-get summary', async () => {
      const plan = await aptPlan({ name: 'falco', state: 'latest', update_cache: true }, [
        stale,
        { fact: 'dpkg_packages', args: { names: ['falco'] }, value: { falco: { version: '1', status: 'install ok installed', installed: true } } },
        { fact: 'apt_policy', args: { names: ['falco'] }, value: { falco: { installed: '1', candidate: '1', versions: ['1'] } } },
      ]);
      expect(plan.commands).to.have.length(2);
      const same = finishApt(plan, [res('cache_update_time=1999\n'), res('falco is already the newest version (1).\n0 upgraded, 0 newly installed, 0 to remove and 3 not upgraded.\n')]);
      expect(same).to.deep.include({ changed: false, cache_updated: true, cache_update_time: 1999 });
      const upgraded = finishApt(plan, [res('cache_update_time=1999\n'), res('1 upgraded, 0 newly installed, 0 to remove and 3 not upgraded.\n')]);
      expect(upgraded.changed).to.equal(true);
      expect(upgraded).to.not.have.property('changed_decided_by_apt');
    });
    it('a failed apt-get run is failed with its stderr', async () => {
      const plan = await aptPlan({ name: 'falco' }, noFalco);
      const out = finishApt(plan, [res('', 100)]);
      expect(out).to.deep.include({ failed: true, rc: 100 });
      expect(out.msg).to.match(/' failed: E: boom$/);
    });
  });

  describe('INI (configparser subset)', () => {
    it('continuation lines, comments, ":" separators; write is configparser layout', () => {
      const ini = parseIni('# c\n[a]\nBaseURL: http://x\n  http://y\nname=A\n\n[b]\n;x\nk = v\n');
      expect(writeIni(ini)).to.equal('[a]\nbaseurl = http://x\n\thttp://y\nname = A\n\n[b]\nk = v\n\n');
      expect(dumpIniSorted(ini)).to.equal('[a]\nbaseurl = http://x\nhttp://y\nname = A\n\n[b]\nk = v\n\n');
    });
  });

  describe('names', () => {
    const files: [string, string][] = [
      ['deb [arch=amd64 signed-by=/k.gpg] https://download.falco.org/packages/deb stable main', 'download_falco_org_packages_deb'],
      ['deb http://user:pw@mirror.example:8080/debian bookworm main', 'mirror_example_8080_debian'],
      ['deb-src ftp://ftp.example/x_y bookworm main', 'ftp_example_x_y'],
    ];
    for (const [repo, want] of files) it(`apt_repository file name for ${repo}`, () => expect(suggestFilename(repo)).to.equal(want));
    it('deb822 slug', () => expect(deb822Slug('Falco Security_Repo (stable)')).to.equal('falco-security-repo-stable'));
    it('fingerprints: spaces, case, 0x; short ids refused', () => {
      expect(normalizeFingerprint('0x2005 3990 02d5 e8ff 59f2  8ce6 4021 833e 14cb 7a8d')).to.equal('2005399002D5E8FF59F28CE64021833E14CB7A8D');
      expect(() => normalizeFingerprint('14CB7A8D')).to.throw(ArgumentError);
    });
  });
});
