/**
 * The user-crontab write runs here with a stand-in `crontab` (the controller has none): the whole
 * new crontab reaches it as one file, and a truncated stdin (a cut connection) installs nothing.
 */
import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../src/modules/registry.js';
import { validateArgs } from '../../../src/argspec/validate.js';
import type { PlannedCommand } from '../../../src/modules/contract.js';
import { fixtureFacts } from '../../support/fact-fixtures.js';
import { localContext, runLocal } from '../files/local-host.js';

describe('cron: user crontab written whole', () => {
  let dir: string;
  let write: PlannedCommand;
  const installed = () => join(dir, 'installed');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-cron-write-'));
    const fake = join(dir, 'crontab');
    // records its arguments and the file it was given, as `crontab [-u USER] FILE` reads it
    writeFileSync(fake, `#!/bin/sh\necho "$@" > '${dir}/args'\nfor last; do :; done\ncp "$last" '${installed()}'\n`);
    chmodSync(fake, 0o755);
    const mod = findModule('cron')!;
    const args = validateArgs(mod.spec, { name: 'nightly', user: 'deploy', special_time: 'daily', job: '/bin/true' }, 'cron');
    const ctx = localContext();
    const facts = fixtureFacts(await mod.probes(args, ctx), [{ fact: 'crontab_state', value: { crontab: fake, me: 'root', rc: 0, text: 'MAILTO=ops\n' } }], 'cron-write');
    const plan = await mod.plan(args, facts, ctx);
    write = plan.commands.at(-1)!;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the new crontab reaches `crontab -u USER FILE` complete', () => {
    rmSync(installed(), { force: true });
    const r = runLocal(write.command, write.stdin);
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(readFileSync(installed(), 'utf8')).to.equal('MAILTO=ops\n#Ansible: nightly\n@daily /bin/true\n');
    expect(readFileSync(join(dir, 'args'), 'utf8')).to.match(/^-u deploy \S+\n$/);
  });

  it('a truncated stdin installs nothing and says so', () => {
    rmSync(installed(), { force: true });
    const r = runLocal(write.command, write.stdin!.toString().slice(0, 15));
    expect(r.exitCode).to.equal(1);
    expect(r.stderr).to.include('content transfer incomplete');
    expect(existsSync(installed())).to.equal(false);
  });
});
