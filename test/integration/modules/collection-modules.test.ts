/**
 * Collection modules over real SSH on one lite sandbox host, against results recorded from
 * ansible-core 2.14 + ansible.posix 1.5.4 on such a host (<module>-recorded.json), under their
 * short, FQCN and ansible.builtin names:
 * - sysctl (net.* keys only: they belong to the host's network namespace): set, reload, check mode, sysctl's failures;
 * - mount (the host's own mount namespace and overlay root): mount, remount, unmount, a failed mount
 *   rolled back, absent, another fstab.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const CLI = resolve(here('../../../bin/falco-deploy.js'));
const NAME = 'modsc-coll';

describe('collection modules on a lite sandbox host match ansible.posix', function () {
  this.timeout(120_000);
  let sb: SandboxInfo;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-collection-modules-'));
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 1, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const module of ['sysctl', 'mount']) {
    it(`${module}: registers the recorded results and leaves the recorded files, kernel values and mounts`, () => {
      const run = spawnSync('node', [CLI, 'run', here(`./${module}-play.yml`), '-i', sb.inventory], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).to.equal(0);
      const read = spawnSync('ssh', ['-F', sb.sshConfig, sb.hosts[0].name, `cat /tmp/${module}-results.json`], { encoding: 'utf8' });
      expect(read.status, read.stderr).to.equal(0);
      const recorded = JSON.parse(readFileSync(here(`./${module}-recorded.json`), 'utf8')) as { results: unknown };
      expect(JSON.parse(read.stdout)).to.deep.equal(recorded.results);
    });
  }
});
