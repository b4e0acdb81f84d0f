/**
 * sysctl over real SSH on a lite sandbox host (net.* keys only: they belong to the host's network
 * namespace): setting, reloading, check mode and sysctl's own failures give the results
 * ansible.posix.sysctl gave on such a host (sysctl-recorded.json), under all three names.
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
const NAME = 'modsc-sysctl';

describe('sysctl on a lite sandbox host matches ansible.posix.sysctl', function () {
  this.timeout(120_000);
  let sb: SandboxInfo;
  let dir: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-sysctl-'));
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 1, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers the recorded results, leaves the recorded file and kernel values', () => {
    const run = spawnSync('node', [CLI, 'run', here('./sysctl-play.yml'), '-i', sb.inventory], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    const host = sb.hosts[0].name;
    const read = spawnSync('ssh', ['-F', sb.sshConfig, host, 'cat /tmp/sysctl-results.json'], { encoding: 'utf8' });
    expect(read.status, read.stderr).to.equal(0);
    const recorded = JSON.parse(readFileSync(here('./sysctl-recorded.json'), 'utf8')) as { results: unknown };
    expect(JSON.parse(read.stdout)).to.deep.equal(recorded.results);
  });
});
