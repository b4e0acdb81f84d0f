import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/cli.js';
import { ExitCode } from '../../src/errors.js';


describe('sandbox CLI usage errors (nothing is touched)', () => {
  const cases: [string[], RegExp][] = [
    [['sandbox', 'up', '--kind', 'lite'], /sandbox up needs --hosts N and --kind lite\|systemd/],
    [['sandbox', 'up', '--hosts', '2', '--kind', 'lite', '--bind', '/srv'], /--bind "\/srv" must look like SOURCE:TARGET/],
    [['sandbox', 'up', '--hosts', '2', '--kind', 'lite', '--var', 'novalue'], /--var "novalue" must look like KEY=VALUE/],
    [['sandbox', 'up', '--hosts', '0', '--kind', 'lite'], /--hosts must be an integer from 1 to/],
    [['sandbox', 'up', '--hosts', '1', '--kind', 'lite', '--name', 'Bad_Name'], /sandbox name "Bad_Name" must be/],
    [['sandbox', 'up', '--hosts', '1', '--kind', 'lite', '--dir', '/tmp/with space'], /must be an absolute path without spaces/],
    [['sandbox', 'fault', 'h1'], /sandbox fault needs HOST and one of: down, up, refuse, drop, pause, resume, kill/],
    [['sandbox', 'fault', 'h1', 'explode'], /unknown fault "explode"/],
    [['sandbox', 'down', '--all', '--name', 'x'], /give --name or --all, not both/],
  ];
  for (const [argv, message] of cases) {
    it(argv.slice(1).join(' '), async () => {
      const r = await cli(argv);
      expect(r.stderr).to.match(message);
      expect(r.code).to.equal(ExitCode.badUsage);
    });
  }
});

describe('scripts/ensure-debian-tools.mjs', () => {
  const script = fileURLToPath(new URL('../../scripts/ensure-debian-tools.mjs', import.meta.url));

  it('rejects an unknown purpose, naming the known ones and the list file', () => {
    const r = spawnSync(process.execPath, [script, 'nonsense'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/unknown purpose "nonsense" \(known: .*test.*demo.*\); see .*debian-packages\.json/);
  });

  it('is silent and runs no apt-get when everything for "test" is installed', function () {
    // apt-get first on PATH records any call: the fast path must not reach it.
    const bin = mkdtempSync(join(tmpdir(), 'fd-apt-'));
    writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho called >> ${bin}/calls\nexit 1\n`, { mode: 0o755 });
    const r = spawnSync(process.execPath, [script, 'test'], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stderr, 'test tools missing on this machine').to.equal('');
    expect(r.status).to.equal(0);
    expect(existsSync(join(bin, 'calls')), 'apt-get was called').to.equal(false);
    rmSync(bin, { recursive: true, force: true });
  });
});
